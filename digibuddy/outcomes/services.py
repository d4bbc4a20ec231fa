"""Recording what a session achieved, closing a request with its final result, and the resident's feedback.

Each operation is one function that validates, changes the data, logs the change on the request, queues
any notification in the same transaction, and commits; a refused operation raises DomainError with a
translated message (and the form field it concerns)."""

import secrets

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..core.db import in_ids, utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..extensions import db
from ..matching.signals import volunteer_history
from ..notifications.messages import tell_resident
from ..reference.models import Topic
from ..requests.models import HelpRequest, RequestStatus
from ..requests.services import change_status, record_event
from ..requests.signals import free_text_forgotten
from ..scheduling.models import HelpSession, SessionStatus
from . import rules
from .models import Feedback, FeedbackChannel, Outcome, OutcomeResult

ATTENDANCE = (SessionStatus.DONE, SessionStatus.RESIDENT_NO_SHOW, SessionStatus.VOLUNTEER_NO_SHOW)


def _other_planned_session(session: HelpSession) -> HelpSession | None:
    return db.session.scalar(
        select(HelpSession)
        .where(
            HelpSession.request_id == session.request_id,
            HelpSession.id != session.id,
            HelpSession.status == SessionStatus.PLANNED,
        )
        .order_by(HelpSession.starts_at)
        .limit(1)
    )


def _check_outcome(
    session: HelpSession,
    attendance,
    result,
    referred_to,
    topic_ids,
    minutes_spent,
    confidence_before,
    confidence_after,
) -> list[Topic]:
    if session.outcome is not None:
        raise DomainError(_("The outcome of this session was already recorded."))
    if session.status != SessionStatus.PLANNED:
        raise DomainError(_("This session was cancelled or already reported on."))
    if session.starts_at > utcnow():
        raise DomainError(_("This session has not started yet. Record the outcome after the session."))
    if attendance not in ATTENDANCE:
        raise DomainError(_("Say whether the session took place."), "attendance")
    if attendance != SessionStatus.DONE:
        return []
    if result is None:
        raise DomainError(_("Choose the result of the session."), "result")
    if result == OutcomeResult.REFERRED:
        if not (referred_to or "").strip():
            raise DomainError(_("Choose the organisation you referred the resident to."), "referred_to")
        if len(referred_to.strip()) > 200:
            raise DomainError(_("Write at most 200 characters."), "referred_other")
        if rules.contains_code(referred_to):
            raise DomainError(
                _("Write only the name of the organisation, never codes or numbers."), "referred_other"
            )
    if minutes_spent is None:
        raise DomainError(_("Fill in how many minutes you spent."), "minutes_spent")
    if not 1 <= minutes_spent <= rules.MINUTES_MAX:
        raise DomainError(
            _("Fill in a number of minutes between 1 and %(max)s.", max=rules.MINUTES_MAX), "minutes_spent"
        )
    for name, value in (("confidence_before", confidence_before), ("confidence_after", confidence_after)):
        if value is not None and value not in rules.CONFIDENCE_RANGE:
            raise DomainError(_("Choose a number from 1 to 5."), name)
    topics = db.session.scalars(
        select(Topic).where(Topic.id.in_(list(topic_ids or [])), Topic.active.is_(True))
    ).all()
    if not topics or len(topics) != len(set(topic_ids)):
        raise DomainError(_("Choose at least one topic you covered."), "topics")
    return list(topics)


def record_outcome(
    session: HelpSession,
    *,
    actor,
    attendance: SessionStatus = SessionStatus.DONE,
    result: OutcomeResult | None = None,
    referred_to: str | None = None,
    topic_ids=(),
    minutes_spent: int | None = None,
    confidence_before: int | None = None,
    confidence_after: int | None = None,
    follow_up_needed: bool = False,
) -> Outcome | None:
    """Record what a session that has started achieved, and move its request on.

    A session that took place gets an Outcome and becomes DONE; a no-show only changes the session's status
    (nothing was achieved). Then the request: a follow-up (or a no-show) sends it back to MATCHED so that a
    new session can be planned; "handled" completes it with this result and invites the resident's feedback.
    Returns the Outcome, or None for a no-show."""
    try:
        attendance = SessionStatus(attendance)
    except ValueError:
        raise DomainError(_("Say whether the session took place."), "attendance") from None
    try:
        result = OutcomeResult(result) if result else None
    except ValueError:
        raise DomainError(_("Choose the result of the session."), "result") from None
    topics = _check_outcome(
        session,
        attendance,
        result,
        referred_to,
        topic_ids,
        minutes_spent,
        confidence_before,
        confidence_after,
    )
    took_place = attendance == SessionStatus.DONE
    help_request = session.request
    other = _other_planned_session(session)
    target, problem = rules.status_after_outcome(
        help_request.status,
        took_place=took_place,
        follow_up=bool(follow_up_needed) and took_place,
        other_planned=other is not None,
    )
    if problem == rules.STILL_PLANNED:
        raise DomainError(
            _(
                "Another session is still planned for this request. Choose “another session is "
                "needed”, or cancel that session first."
            ),
            "follow_up",
        )
    if problem == rules.REQUEST_CLOSED:
        raise DomainError(
            _("This request is closed. Ask the coordinator to open a new request."), "follow_up"
        )

    outcome = None
    session.status = attendance
    if took_place:
        outcome = Outcome(
            session=session,
            result=result,
            referred_to=referred_to.strip() if result == OutcomeResult.REFERRED else None,
            minutes_spent=minutes_spent,
            confidence_before=confidence_before,
            confidence_after=confidence_after,
            follow_up_needed=bool(follow_up_needed),
            recorded_by_id=getattr(actor, "id", None),
            recorded_at=utcnow(),
        )
        outcome.topics = topics
        db.session.add(outcome)
        record_event(
            help_request,
            "outcome",
            actor,
            note=f"#{session.id} {result.value}" + (" · follow-up" if follow_up_needed else ""),
        )
    else:
        record_event(help_request, "session_not_held", actor, note=f"#{session.id} {attendance.value}")
    db.session.flush()
    if target == RequestStatus.MATCHED:
        note = _("Follow-up needed") if took_place else label_for_attendance(attendance)
        change_status(help_request, RequestStatus.MATCHED, actor, note=note)
    elif target == RequestStatus.COMPLETED:
        _complete(help_request, result, actor)
    db.session.commit()
    return outcome


def label_for_attendance(attendance: SessionStatus) -> str:
    if attendance == SessionStatus.RESIDENT_NO_SHOW:
        return _("The resident did not come")
    return _("The digibuddy could not come")


def close_request(
    help_request: HelpRequest,
    *,
    actor,
    result: OutcomeResult | str | None,
    unresolved: bool = False,
    note: str | None = None,
) -> HelpRequest:
    """Close a request with its final result: COMPLETED (which invites the resident's feedback) or, by the
    coordinator, UNRESOLVED. A request with a session still planned cannot be closed."""
    try:
        result = OutcomeResult(result) if result else None
    except ValueError:
        raise DomainError(_("Choose the final result."), "result") from None
    if not unresolved and result is None:
        raise DomainError(_("Choose the final result."), "result")
    planned = db.session.scalar(
        select(HelpSession.id)
        .where(HelpSession.request_id == help_request.id, HelpSession.status == SessionStatus.PLANNED)
        .limit(1)
    )
    if planned is not None:
        raise DomainError(
            _("A session is still planned for this request. Record its outcome or cancel it first.")
        )
    note = (note or "").strip()[:500] or None
    if unresolved:
        if help_request.status not in (
            RequestStatus.MATCHED,
            RequestStatus.SCHEDULED,
            RequestStatus.ESCALATED,
        ):
            raise DomainError(
                _(
                    "Only a request that is waiting for help or being helped can be closed as "
                    "“could not be solved”."
                )
            )
        help_request.result = (result or OutcomeResult.NOT_SOLVED).value
        change_status(help_request, RequestStatus.UNRESOLVED, actor, note=note)
    else:
        if help_request.status not in (RequestStatus.MATCHED, RequestStatus.SCHEDULED):
            raise DomainError(_("Only a request that a digibuddy is helping can be closed as completed."))
        _complete(help_request, result, actor, note=note)
    db.session.commit()
    return help_request


def _complete(help_request: HelpRequest, result: OutcomeResult, actor, note: str | None = None) -> None:
    """COMPLETED with its result, a feedback link, and the invitation to give feedback (once)."""
    change_status(help_request, RequestStatus.COMPLETED, actor, note=note)
    help_request.result = OutcomeResult(result).value
    if help_request.feedback_token is None:
        help_request.feedback_token = secrets.token_urlsafe(24)
    _invite_feedback(help_request)


def _invite_feedback(help_request: HelpRequest) -> None:
    """Ask the resident for feedback in their language; never twice, never when they already gave it."""
    if db.session.scalar(select(Feedback.id).where(Feedback.request_id == help_request.id)) is not None:
        return
    tell_resident(
        help_request.resident,
        "feedback_invitation",
        key=f"feedback-invitation-{help_request.id}",
        request=help_request,
    )


def feedback_possible(help_request: HelpRequest) -> bool:
    """Feedback is about help that happened: the request was completed or had a session that took place."""
    if help_request.status == RequestStatus.COMPLETED:
        return True
    return (
        db.session.scalar(
            select(HelpSession.id)
            .where(HelpSession.request_id == help_request.id, HelpSession.status == SessionStatus.DONE)
            .limit(1)
        )
        is not None
    )


def _answer(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def record_feedback(
    help_request: HelpRequest,
    *,
    channel: FeedbackChannel | str,
    satisfaction,
    ease=None,
    trust=None,
    comment: str | None = None,
    actor=None,
) -> Feedback:
    """The resident's satisfaction (1-5), how easy it was to get help this way and how much they trust it
    (1-4 each; None when not asked) and an optional comment: through the link (no actor), or taken down by
    staff by phone or at the counter. One feedback per request."""
    channel = FeedbackChannel(channel)
    satisfaction = _answer(satisfaction)
    if satisfaction not in rules.SATISFACTION_RANGE:
        raise DomainError(_("Choose one of the faces."), "satisfaction")
    if ease is not None and (ease := _answer(ease)) not in rules.ANSWER_RANGE:
        raise DomainError(_("Choose how easy it was."), "ease")
    if trust is not None and (trust := _answer(trust)) not in rules.ANSWER_RANGE:
        raise DomainError(_("Choose how much you trust this help."), "trust")
    comment = (comment or "").strip() or None
    if comment and len(comment) > rules.COMMENT_MAX:
        raise DomainError(_("Write at most 1000 characters."), "comment")
    if channel != FeedbackChannel.LINK and actor is None:
        raise DomainError(_("Feedback by phone or at the counter is recorded by staff."), "channel")
    if db.session.scalar(select(Feedback.id).where(Feedback.request_id == help_request.id)) is not None:
        raise DomainError(_("Thank you: feedback about this help was already given.")) from None
    if not feedback_possible(help_request):
        raise DomainError(_("Feedback can be given once the help has taken place."))
    feedback = Feedback(
        request_id=help_request.id,
        channel=channel,
        satisfaction=satisfaction,
        ease=ease,
        trust=trust,
        comment=comment,
        created_at=utcnow(),
        recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(feedback)
    record_event(help_request, "feedback", actor, note=channel.value)
    try:
        db.session.commit()
    except IntegrityError:  # the same feedback sent twice at the same moment
        db.session.rollback()
        raise DomainError(_("Thank you: feedback about this help was already given.")) from None
    return feedback


@free_text_forgotten.connect
def _forget_feedback_comments(_sender, request_ids, **_) -> None:
    """An anonymised resident's feedback keeps its scores (the figures), not what they wrote."""
    db.session.execute(update(Feedback).where(Feedback.request_id.in_(request_ids)).values(comment=None))


@volunteer_history.connect
def _residents_helped(ids, resident_ids, **_) -> dict:
    """For matching: which of these residents each volunteer already helped (solved or partly)."""
    helped: dict[int, set] = {}
    if resident_ids:
        for vid, resident_id in db.session.execute(
            select(HelpSession.volunteer_id, HelpRequest.resident_id)
            .join(HelpRequest, HelpRequest.id == HelpSession.request_id)
            .join(Outcome, Outcome.session_id == HelpSession.id)
            .where(
                HelpRequest.resident_id.in_(list(resident_ids)),
                in_ids(HelpSession.volunteer_id, ids),
                Outcome.result.in_((OutcomeResult.SOLVED, OutcomeResult.PARTLY_SOLVED)),
            )
        ):
            helped.setdefault(vid, set()).add(resident_id)
    return {"helped": helped}
