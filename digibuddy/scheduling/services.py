"""Planning, rescheduling and cancelling help sessions; each change notifies the volunteer (with an
iCalendar invitation) and the resident, through the outbox in the same transaction."""

from datetime import datetime, timedelta
from functools import partial

from flask_babel import force_locale
from sqlalchemy import and_, case, func, select, update

from ..accounts.models import Role
from ..accounts.services import coordinators_of
from ..audit.signals import person_records
from ..core.db import in_ids, utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..core.time import public_holiday_name, to_local, to_utc
from ..extensions import db
from ..matching.models import Offer, OfferStatus
from ..matching.signals import volunteer_history
from ..notifications.messages import tell_resident, tell_user, tell_volunteer
from ..requests.models import HelpRequest, RequestStatus
from ..requests.services import change_status, record_event
from ..requests.signals import cancelled_by_resident, free_text_forgotten, status_details
from ..volunteers.models import VolunteerProfile
from ..volunteers.signals import access_ended
from . import ical, rules
from .models import HelpSession, PlaceKind, SessionStatus

PLANNABLE = (RequestStatus.MATCHED, RequestStatus.SCHEDULED, RequestStatus.COMPLETED)


def accepted_by(volunteer_id: int):
    """The requests this volunteer accepted (a clause for core.scoping.actionable)."""
    return HelpRequest.id.in_(
        select(Offer.request_id).where(
            Offer.volunteer_id == volunteer_id, Offer.status == OfferStatus.ACCEPTED
        )
    )


def assigned_volunteer(help_request: HelpRequest) -> VolunteerProfile | None:
    offer = db.session.scalar(
        select(Offer).where(Offer.request_id == help_request.id, Offer.status == OfferStatus.ACCEPTED)
    )
    return offer.volunteer if offer else None


def may_override(help_request: HelpRequest, user) -> bool:
    """Planning outside opening hours or on a public holiday is the coordinator's call, not a volunteer's."""
    return help_request.network_id in user.network_ids(Role.COORDINATOR)


def problem_message(problem: rules.Problem, locale: str, overridable: bool = True) -> str:
    if problem.code == rules.PAST:
        return _("This moment has already passed.")
    if problem.code == rules.ENDS_BEFORE_START:
        return _("The end must be after the start.")
    if problem.code == rules.TOO_LONG:
        return _("A session lasts at most %(hours)s hours.", hours=rules.MAX_SESSION_HOURS)
    if problem.code == rules.DOUBLE_BOOKED:
        return _("The digibuddy already has a session then (%(time)s).", time=problem.detail)
    if problem.code == rules.OUTSIDE_OPENING_HOURS:
        if not overridable:
            return _(
                "The location is closed at that time. Choose another time, or ask the coordinator to plan it."
            )
        return _(
            "The location is closed at that time. Choose another time, or give a reason to plan it anyway."
        )
    if problem.code == rules.PUBLIC_HOLIDAY:
        if not overridable:
            return _(
                "That day is a public holiday (%(name)s). Choose another day, "
                "or ask the coordinator to plan it.",
                name=problem.detail,
            )
        return _(
            "That day is a public holiday (%(name)s). Choose another day, or give a reason to plan it "
            "anyway.",
            name=problem.detail,
        )
    return problem.code


def _check(
    volunteer: VolunteerProfile,
    start_local: datetime,
    end_local: datetime,
    place_kind: PlaceKind,
    location,
    override_reason: str | None,
    locale: str,
    ignore_session_id: int | None = None,
    overridable: bool = True,
) -> None:
    # Lock the volunteer's row (PostgreSQL) so two plannings for the same volunteer cannot both pass the
    # check.
    db.session.execute(
        select(VolunteerProfile.id).where(VolunteerProfile.id == volunteer.id).with_for_update()
    )
    others = db.session.execute(
        select(HelpSession.starts_at, HelpSession.ends_at).where(
            HelpSession.volunteer_id == volunteer.id,
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.id != (ignore_session_id or -1),
        )
    ).all()
    hours = None
    if place_kind == PlaceKind.LOCATION:
        hours = [(h.weekday, h.opens, h.closes) for h in location.opening_hours]
    problems = rules.check_session(
        start_local,
        end_local,
        now_local=to_local(utcnow()),
        other_sessions=[(to_local(s), to_local(e)) for s, e in others],
        opening_hours=hours,
    )
    for problem in problems:
        if problem.code == rules.PUBLIC_HOLIDAY:
            problems[problems.index(problem)] = rules.Problem(
                problem.code, public_holiday_name(start_local.date(), locale) or problem.detail
            )
    stopping = rules.blocking(problems, override_reason if overridable else None)
    if stopping:
        field = "date" if stopping[0].code in (rules.PAST, rules.PUBLIC_HOLIDAY) else "starts"
        raise DomainError(" ".join(problem_message(p, locale, overridable) for p in stopping), field)


def place_text(session: HelpSession, for_resident: bool = True) -> str:
    if session.place_kind == PlaceKind.LOCATION and session.location is not None:
        return f"{session.location.name}, {session.location.address}"
    if session.place_kind == PlaceKind.HOME:
        return (
            _("At your home") if for_resident else (session.request.resident.street_address or _("At home"))
        )
    if session.place_kind == PlaceKind.PHONE:
        return _("By phone")
    return _("By video call")


def _invitation(session: HelpSession, sequence: int, cancelled: bool = False) -> tuple[str, str, str]:
    request = session.request
    event = ical.session_event(
        session,
        summary=_("digibuddy: %(name)s (%(code)s)", name=request.resident.first_name, code=request.reference),
        location=place_text(session, for_resident=False),
        description=", ".join(t.label(str(session.volunteer.user.locale)) for t in request.topics),
        sequence=sequence,
        cancelled=cancelled,
    )
    method = "CANCEL" if cancelled else "REQUEST"
    return ("session.ics", f"text/calendar; method={method}", ical.calendar([event], method=method).decode())


def _notify(session: HelpSession, kind: str, sequence: int, reason: str | None = None) -> None:
    """Tell the volunteer (with the calendar invitation) and the resident about a planned, moved or
    cancelled session."""
    request = session.request
    with force_locale(session.volunteer.user.locale):
        invitation = _invitation(session, sequence, kind == "cancelled")
    tell_volunteer(
        session.volunteer,
        "volunteer_session",
        key=f"session-{session.id}-{kind}-{sequence}",
        kind=f"session_{kind}",
        network_id=request.network_id,
        attachment=invitation,
        session=session,
        change=kind,
        reason=reason,
        where=partial(place_text, session, False),
    )
    tell_resident(
        request.resident,
        f"session_{kind}",
        key=f"session-{session.id}-{kind}-{sequence}-resident",
        request=request,
        session=session,
        where=partial(place_text, session, True),
    )


def plan_session(
    help_request: HelpRequest,
    *,
    start_local: datetime,
    end_local: datetime,
    place_kind: PlaceKind,
    location=None,
    actor,
    override_reason: str | None = None,
    locale: str = "nl",
    meeting_url: str | None = None,
) -> HelpSession:
    """Plan a (first or follow-up) session for a matched request with its assigned volunteer. Only a
    coordinator may plan outside opening hours or on a public holiday, with a reason."""
    if help_request.status not in PLANNABLE:
        raise DomainError(_("A session can only be planned once a digibuddy has accepted the request."))
    volunteer = assigned_volunteer(help_request)
    if volunteer is None:
        raise DomainError(_("A session can only be planned once a digibuddy has accepted the request."))
    if place_kind == PlaceKind.LOCATION and (
        location is None or location.network_id != help_request.network_id
    ):
        raise DomainError(_("Choose a location of this network."), "location_id")
    if place_kind == PlaceKind.HOME and not help_request.resident.street_address:
        raise DomainError(_("We have no home address for this resident. Ask the coordinator."), "place_kind")
    overridable = may_override(help_request, actor)
    override_reason = override_reason if overridable else None
    _check(
        volunteer,
        start_local,
        end_local,
        place_kind,
        location,
        override_reason,
        locale,
        overridable=overridable,
    )
    session = HelpSession(
        request_id=help_request.id,
        volunteer_id=volunteer.id,
        starts_at=to_utc(start_local),
        ends_at=to_utc(end_local),
        place_kind=place_kind,
        location_id=location.id if place_kind == PlaceKind.LOCATION else None,
        status=SessionStatus.PLANNED,
        created_by_id=actor.id,
        override_reason=(override_reason or "").strip() or None,
        meeting_url=(meeting_url or "").strip() or None if place_kind == PlaceKind.VIDEO else None,
    )
    db.session.add(session)
    db.session.flush()
    if help_request.status == RequestStatus.COMPLETED:
        change_status(help_request, RequestStatus.SCHEDULED, actor, note=_("Follow-up session"))
    elif help_request.status == RequestStatus.MATCHED:
        change_status(help_request, RequestStatus.SCHEDULED, actor)
    record_event(
        help_request,
        "session_planned",
        actor,
        note=f"{start_local:%Y-%m-%d %H:%M}"
        + (f" · {session.override_reason}" if session.override_reason else ""),
    )
    _notify(session, "planned", 0)
    db.session.commit()
    return session


def _sequence(session: HelpSession) -> int:
    from ..requests.models import RequestEvent

    return (
        db.session.scalar(
            select(db.func.count())
            .select_from(RequestEvent)
            .where(
                RequestEvent.request_id == session.request_id,
                RequestEvent.kind == "session_moved",
                RequestEvent.note.like(f"#{session.id} %"),
            )
        )
        + 1
    )


def reschedule_session(
    session: HelpSession,
    *,
    start_local: datetime,
    end_local: datetime,
    reason: str,
    actor,
    override_reason: str | None = None,
    locale: str = "nl",
    meeting_url: str | None = None,
) -> HelpSession:
    if session.status != SessionStatus.PLANNED:
        raise DomainError(_("Only a planned session can be moved."))
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for moving the session."), "reason")
    overridable = may_override(session.request, actor)
    override_reason = override_reason if overridable else None
    _check(
        session.volunteer,
        start_local,
        end_local,
        session.place_kind,
        session.location,
        override_reason,
        locale,
        ignore_session_id=session.id,
        overridable=overridable,
    )
    if session.place_kind == PlaceKind.VIDEO and meeting_url is not None:
        session.meeting_url = meeting_url.strip() or None
    sequence = _sequence(session)
    session.starts_at, session.ends_at = to_utc(start_local), to_utc(end_local)
    session.reminded_24h_at = session.reminded_2h_at = None
    session.confirmed_by_resident_at = session.move_asked_at = None  # the resident answers the new moment
    if override_reason:
        session.override_reason = override_reason.strip()
    record_event(
        session.request,
        "session_moved",
        actor,
        note=f"#{session.id} {start_local:%Y-%m-%d %H:%M} · {reason.strip()}",
    )
    _notify(session, "moved", sequence, reason.strip())
    db.session.commit()
    return session


def cancel_session(session: HelpSession, *, reason: str, actor) -> None:
    if session.status != SessionStatus.PLANNED:
        raise DomainError(_("Only a planned session can be cancelled."))
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for cancelling."), "reason")
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()[:500]
    request = session.request
    record_event(request, "session_cancelled", actor, note=f"#{session.id} · {session.cancel_reason}")
    db.session.flush()
    still_planned = db.session.scalar(
        select(HelpSession.id).where(
            HelpSession.request_id == request.id, HelpSession.status == SessionStatus.PLANNED
        )
    )
    if request.status == RequestStatus.SCHEDULED and still_planned is None:
        change_status(request, RequestStatus.MATCHED, actor, note=session.cancel_reason)
    _notify(session, "cancelled", _sequence(session), session.cancel_reason)
    db.session.commit()


def ask_coordinator(help_request: HelpRequest, *, message: str, actor) -> None:
    """A volunteer who needs a moment outside the rules (a closed location, a public holiday) asks the
    coordinator: the question goes into the request's event log and to the network's coordinators."""
    from ..accounts.models import Membership, User

    message = (message or "").strip()
    if not message:
        raise DomainError(_("Write what you need."), "message")
    event = record_event(help_request, "planning_question", actor, note=message[:1000])
    db.session.flush()
    coordinators = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.network_id == help_request.network_id,
            Membership.role == Role.COORDINATOR,
            User.active.is_(True),
        )
    ).all()
    for coordinator in coordinators:
        tell_user(
            coordinator,
            "planning_question",
            key=f"planning-question-{event.id}-{coordinator.id}",
            network_id=help_request.network_id,
            request=help_request,
            asker=actor,
            question=message,
        )
    db.session.commit()


def confirm_by_resident(session: HelpSession, *, via: str) -> None:
    """The resident confirmed the appointment (by answering 1 to the SMS)."""
    if session.status != SessionStatus.PLANNED:
        raise DomainError(_("This appointment is no longer planned."))
    session.confirmed_by_resident_at = utcnow()
    record_event(session.request, "resident_confirmed", note=f"#{session.id} · {via}")
    tell_resident(
        session.request.resident,
        "reply_confirmed",
        key=f"session-{session.id}-confirmed-{utcnow():%Y%m%d%H%M%S}",
        request=session.request,
        session=session,
    )
    db.session.commit()


def ask_to_move(session: HelpSession, *, via: str) -> None:
    """The resident cannot come and asks for another moment (by SMS, or on the status page): the session
    stays planned until a person moves it; the volunteer and the coordinators are told, once."""
    if session.status != SessionStatus.PLANNED or session.starts_at <= utcnow():
        raise DomainError(_("This appointment can no longer be moved here. Please call us."))
    if session.move_asked_at is not None:
        return
    session.move_asked_at = utcnow()
    request = session.request
    record_event(request, "resident_asked_to_move", note=f"#{session.id} · {via}")
    context = {"session": session, "where": partial(place_text, session, False)}
    for user in {session.volunteer.user, *coordinators_of(request.network_id)}:
        tell_user(
            user,
            "move_asked",
            key=f"session-{session.id}-move-asked-{user.id}",
            network_id=request.network_id,
            **context,
        )
    tell_resident(
        request.resident,
        "reply_move_asked",
        key=f"session-{session.id}-move-asked-resident",
        request=request,
        session=session,
    )
    db.session.commit()


def next_planned_session(help_request: HelpRequest) -> HelpSession | None:
    """The appointment a resident's answer is about: the next planned session that has not ended."""
    return db.session.scalar(
        select(HelpSession)
        .where(
            HelpSession.request_id == help_request.id,
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.ends_at > utcnow(),
        )
        .order_by(HelpSession.starts_at)
        .limit(1)
    )


# The request's own moments (requests.signals), for the sessions of that request.


@cancelled_by_resident.connect
def _cancel_on_cancel(help_request: HelpRequest, **_) -> None:
    for session in db.session.scalars(
        select(HelpSession).where(
            HelpSession.request_id == help_request.id, HelpSession.status == SessionStatus.PLANNED
        )
    ):
        session.status = SessionStatus.CANCELLED
        session.cancel_reason = "cancelled by the resident"


@free_text_forgotten.connect
def _forget_session_reasons(_sender, request_ids, **_) -> None:
    """An anonymised resident's sessions keep their time, place kind and status (the figures), not the
    reasons typed about them nor a video link."""
    db.session.execute(
        update(HelpSession)
        .where(HelpSession.request_id.in_(request_ids))
        .values(cancel_reason=None, override_reason=None, meeting_url=None)
    )


@status_details.connect
def _next_session(help_request: HelpRequest, **_) -> dict:
    """The resident's status page shows the next appointment that has not started, and where it is."""
    upcoming = db.session.scalar(
        select(HelpSession)
        .where(
            HelpSession.request_id == help_request.id,
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.starts_at >= utcnow(),
        )
        .order_by(HelpSession.starts_at)
        .limit(1)
    )
    if upcoming is None:
        return {}
    return {
        "next_session": upcoming,
        "next_session_place": resident_place(upcoming),
        "can_ask_to_move": upcoming.move_asked_at is None,
    }


def resident_place(session: HelpSession) -> str:
    """Where the session is, as the status page tells the resident."""
    if session.place_kind == PlaceKind.LOCATION and session.location is not None:
        return f"{session.location.name}, {session.location.address}"
    return {
        PlaceKind.HOME: _("At your home"),
        PlaceKind.PHONE: _("By phone: your digibuddy calls you"),
        PlaceKind.VIDEO: _("By video call"),
    }.get(session.place_kind, "")


@volunteer_history.connect
def _session_counts(ids, resident_ids, now, **_) -> dict:
    """For matching: sessions each volunteer had or has planned in the last 30 days, and the requests they
    helped (a session done) this month."""
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    recent, month = {}, {}
    for vid, recent_count, month_count in db.session.execute(
        select(
            HelpSession.volunteer_id,
            func.count(case((HelpSession.starts_at >= now - timedelta(days=30), 1))),
            func.count(
                func.distinct(
                    case(
                        (
                            and_(
                                HelpSession.starts_at >= month_start, HelpSession.status == SessionStatus.DONE
                            ),
                            HelpSession.request_id,
                        )
                    )
                )
            ),
        )
        .where(
            in_ids(HelpSession.volunteer_id, ids),
            HelpSession.starts_at >= min(now - timedelta(days=30), month_start),
            HelpSession.status.in_((SessionStatus.DONE, SessionStatus.PLANNED)),
        )
        .group_by(HelpSession.volunteer_id)
    ):
        recent[vid], month[vid] = recent_count, month_count
    return {"recent": recent, "month": month}


# A volunteer's moment (volunteers.signals): a digibuddy whose access ends gives back their sessions.


@access_ended.connect
def _cancel_coming_sessions(profile: VolunteerProfile, actor=None, reason=None, now=None, **_) -> dict:
    """The digibuddy's planned sessions that have not started are cancelled, and each resident is told that
    another digibuddy is being looked for. A session that has started stays, for its outcome."""
    now = now or utcnow()
    sessions = db.session.scalars(
        select(HelpSession)
        .where(
            HelpSession.volunteer_id == profile.id,
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.starts_at > now,
        )
        .order_by(HelpSession.starts_at)
    ).all()
    for session in sessions:
        session.status = SessionStatus.CANCELLED
        session.cancel_reason = (reason or "")[:500] or None
        request = session.request
        record_event(
            request, "session_cancelled", actor, note=f"#{session.id}" + (f" · {reason}" if reason else "")
        )
        tell_resident(
            request.resident,
            "session_cancelled_new_digibuddy",
            key=f"session-{session.id}-access-ended-resident",
            request=request,
            session=session,
        )
    return {"sessions": sessions}


@person_records.connect
def _sessions_of_person(kind, person_id, **_) -> dict:
    """For the audit log: the sessions of a resident's requests, or of a digibuddy."""
    if kind == "resident":
        about = HelpSession.request_id.in_(select(HelpRequest.id).where(HelpRequest.resident_id == person_id))
    elif kind == "volunteer":
        about = HelpSession.volunteer_id == person_id
    else:
        return {}
    return {"help_session": set(db.session.scalars(select(HelpSession.id).where(about)))}
