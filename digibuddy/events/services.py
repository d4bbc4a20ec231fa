"""Organising events, registering for them, the waiting list, invitations and attendance.

Times come in as Brussels wall-clock time (what the organiser typed) and are stored as naive UTC. Every
message goes to the outbox through notifications.messages in the recipient's language; every change an
organiser makes is recorded (audit.services.record_change), and every registration a person makes or
cancels writes an audit entry for the network it belongs to."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import func, select, update

from ..accounts.models import Role, User
from ..audit.services import differences, record, record_change
from ..audit.signals import person_records
from ..core import waitlist
from ..core.db import retry_on_conflict, utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..core.time import to_local, to_utc
from ..core.urls import external_url
from ..extensions import db
from ..notifications.messages import tell_user
from ..scheduling import ical
from . import rules
from .models import Attendance, EventRegistration, NetworkEvent, NetworkEventKind, RegistrationStatus

AUDIENCE = (Role.COORDINATOR.value, Role.COUNTER.value, Role.VOLUNTEER.value)
CHANGE_SUBJECT = "network_event"


@dataclass
class EventDetails:
    """What an organiser fills in; times in Brussels wall-clock time (naive)."""

    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    audience: list = field(default_factory=list)
    capacity: int | None = None
    registration_deadline: datetime | None = None
    description: str | None = None
    place: str | None = None
    online_url: str | None = None
    network_id: int | None = None  # None: the knowledge centre organises it


def check(details: EventDetails, *, now: datetime, event: NetworkEvent | None = None) -> None:
    """Raise a DomainError naming the field of the first rule the details break."""
    if details.kind not in {k.value for k in NetworkEventKind}:
        raise DomainError(_("Choose a kind of event from the list."), "kind")
    if not (details.title or "").strip():
        raise DomainError(_("Give the event a title."), "title")
    starts, ends = to_utc(details.starts_at), to_utc(details.ends_at)
    moved = event is None or starts != event.starts_at
    if moved and starts <= now:
        raise DomainError(_("Choose a start in the future."), "starts_date")
    if ends <= starts:
        raise DomainError(_("The event must end after it starts."), "ends_time")
    if not details.audience or not set(details.audience) <= set(AUDIENCE):
        raise DomainError(_("Choose who the event is for."), "audience")
    if details.capacity is not None and details.capacity < 1:
        raise DomainError(_("Give room for at least 1 person."), "capacity")
    if details.capacity is not None and event is not None:
        placed = placed_count(event.id)
        if details.capacity < placed:
            raise DomainError(
                _(
                    "%(count)s people already have a place: the number of places cannot be lower.",
                    count=placed,
                ),
                "capacity",
            )
    if details.registration_deadline is not None and to_utc(details.registration_deadline) > starts:
        raise DomainError(_("Registration must close before the event starts."), "deadline_date")
    place, link = (details.place or "").strip(), (details.online_url or "").strip()
    if link and not rules.is_https_url(link):
        raise DomainError(_("Write the whole link, starting with https://"), "online_url")
    if not place and not link:
        raise DomainError(_("Give a place, an online link, or both."), "place")


def _values(event: NetworkEvent) -> dict:
    """What the history records of an event (times as Brussels wall-clock text)."""

    def local(value):
        return to_local(value).isoformat(sep=" ", timespec="minutes") if value else None

    return {
        "kind": str(event.kind) if event.kind else None,
        "title": event.title,
        "description": event.description,
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
        "place": event.place,
        "online_url": event.online_url,
        "audience": list(event.audience or []),
        "capacity": event.capacity,
        "registration_deadline": local(event.registration_deadline),
        "network_id": event.network_id,
    }


def save_event(event: NetworkEvent | None, details: EventDetails, *, actor, now=None) -> NetworkEvent:
    """Create an event, or change one: registrants get the new invitation when the time or place changes,
    and people on the waiting list get a place when the capacity grows."""
    now = now or utcnow()
    check(details, now=now, event=event)
    before = _values(event) if event is not None else {}
    creating = event is None
    if creating:
        event = NetworkEvent(created_by_id=actor.id, created_at=now, sequence=0)
        db.session.add(event)
    event.kind = NetworkEventKind(details.kind)
    event.title = details.title.strip()
    event.description = (details.description or "").strip() or None
    event.starts_at, event.ends_at = to_utc(details.starts_at), to_utc(details.ends_at)
    event.place = (details.place or "").strip() or None
    event.online_url = (details.online_url or "").strip() or None
    event.audience = [role for role in AUDIENCE if role in details.audience]
    event.capacity = details.capacity
    deadline = details.registration_deadline
    event.registration_deadline = to_utc(deadline) if deadline is not None else None
    event.network_id = details.network_id
    changes = differences(before, _values(event))
    moved = not creating and bool({"starts_at", "ends_at", "place", "online_url"} & set(changes))
    if not creating:
        event.updated_at = now
    if moved:
        event.sequence = (event.sequence or 0) + 1
    db.session.flush()
    record_change(
        actor, CHANGE_SUBJECT, event.id, "created" if creating else "edited", changes, event.network_id
    )
    if moved:
        for registration in _with_status(event.id, RegistrationStatus.REGISTERED):
            tell(registration, "event_changed", key=f"changed-{event.sequence}", with_invitation=True)
    if not creating:
        promote_waiting(event, now=now)
    db.session.commit()
    return event


def cancel_event(event: NetworkEvent, *, actor, now=None) -> None:
    """The event no longer takes place: everyone registered or waiting is told (with a cancellation for
    their calendar)."""
    if event.cancelled_at is not None:
        raise DomainError(_("This event has already been cancelled."))
    now = now or utcnow()
    if event.starts_at <= now:
        raise DomainError(_("This event has already started: it can no longer be cancelled."))
    event.cancelled_at = now
    event.updated_at = now
    event.sequence = (event.sequence or 0) + 1
    record_change(actor, CHANGE_SUBJECT, event.id, "cancelled", {}, event.network_id)
    for registration in _with_status(event.id, RegistrationStatus.REGISTERED, RegistrationStatus.WAITING):
        placed = registration.status == RegistrationStatus.REGISTERED
        if not placed:
            registration.wait_end = waitlist.WaitEnd.CANCELLED
        tell(registration, "event_cancelled", key="event-cancelled", with_invitation=placed, cancelled=True)
    db.session.commit()


# ----------------------------------------------------------------------------------------------- who may come
def registering_network(user: User, event: NetworkEvent) -> int | None:
    """The local network through which `user` may attend `event` (the first, by id, where they hold a role
    the event is for; for a network's own event, that network), or None when they may not attend."""
    audience = set(event.audience or [])
    ids = sorted(
        m.network_id
        for m in user.memberships
        if str(m.role) in audience and (event.network_id is None or m.network_id == event.network_id)
    )
    return ids[0] if ids else None


def upcoming_for(user: User, now=None) -> list[NetworkEvent]:
    """The events still to come that `user` may attend: central ones and their own networks' ones whose
    audience takes one of their roles there. Cancelled events they registered for stay, marked."""
    now = now or utcnow()
    networks = user.network_ids()
    if not networks:
        return []
    events = db.session.scalars(
        select(NetworkEvent)
        .where(
            NetworkEvent.ends_at > now,
            NetworkEvent.network_id.is_(None) | NetworkEvent.network_id.in_(networks),
        )
        .order_by(NetworkEvent.starts_at, NetworkEvent.id)
    ).all()
    mine = registrations_of(user, [e.id for e in events])
    return [
        e
        for e in events
        if registering_network(user, e) is not None and (e.cancelled_at is None or e.id in mine)
    ]


def registrations_of(user: User, event_ids) -> dict[int, EventRegistration]:
    """{event id: the user's registration} for those events (cancelled registrations included)."""
    if not event_ids:
        return {}
    found = db.session.scalars(
        select(EventRegistration).where(
            EventRegistration.user_id == user.id, EventRegistration.event_id.in_(list(event_ids))
        )
    )
    return {r.event_id: r for r in found}


def registration_open(event: NetworkEvent, now: datetime) -> bool:
    closes = event.registration_deadline or event.starts_at
    return event.cancelled_at is None and now < closes and now < event.starts_at


# ----------------------------------------------------------------------------------------------- registering
def _lock(event_id: int) -> None:
    """Queue registrations for one event: a no-op UPDATE takes the row lock on PostgreSQL and the write lock
    on SQLite, so two people cannot both take the last place."""
    db.session.execute(
        update(NetworkEvent)
        .where(NetworkEvent.id == event_id)
        .values(sequence=NetworkEvent.sequence)
        .execution_options(synchronize_session=False)
    )


def placed_count(event_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(EventRegistration)
        .where(
            EventRegistration.event_id == event_id, EventRegistration.status == RegistrationStatus.REGISTERED
        )
    )


def _with_status(event_id: int, *statuses) -> list[EventRegistration]:
    """The event's registrations with these statuses, in the order people registered (the waiting list)."""
    return db.session.scalars(
        select(EventRegistration)
        .where(EventRegistration.event_id == event_id, EventRegistration.status.in_(list(statuses)))
        .order_by(EventRegistration.created_at, EventRegistration.id)
    ).all()


def waiting_list(event_id: int) -> list[EventRegistration]:
    """Who waits for a place, in the order of the shared waiting-list rule."""
    return waitlist.in_order(
        _with_status(event_id, RegistrationStatus.WAITING), lambda r: waitlist.Joined(r.created_at, r.id)
    )


def waiting_position(registration: EventRegistration) -> int | None:
    """1 for the first on the waiting list, ...; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    return waitlist.position_of(registration.id, waiting_list(registration.event_id), lambda r: r.id)


def register(event: NetworkEvent, user: User, *, now=None) -> EventRegistration:
    """Register `user`: a place while there is one, else a place on the waiting list. Refused when they may
    not attend, when registration has closed, or when they are already registered."""
    event_id, user_id = event.id, user.id

    def once():
        moment = now or utcnow()
        _lock(event_id)
        current = db.session.get(NetworkEvent, event_id, populate_existing=True)
        person = db.session.get(User, user_id)
        network_id = registering_network(person, current)
        if network_id is None:
            raise DomainError(_("This event is not meant for you."))
        if not registration_open(current, moment):
            raise DomainError(_("Registration for this event has closed."))
        registration = db.session.scalar(
            select(EventRegistration).where(
                EventRegistration.event_id == event_id, EventRegistration.user_id == user_id
            )
        )
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            raise DomainError(_("You are already registered for this event."))
        waiting = len(waiting_list(event_id))
        gets_place = rules.newcomer_gets_place(current.capacity, placed_count(event_id), waiting)
        if registration is None:
            registration = EventRegistration(event_id=event_id, user_id=user_id)
            db.session.add(registration)
        registration.network_id = network_id
        registration.created_at = moment
        registration.cancelled_at = None
        registration.status = RegistrationStatus.REGISTERED if gets_place else RegistrationStatus.WAITING
        registration.placed_at = moment if gets_place else None
        registration.wait_end = None
        db.session.flush()
        record(person, "register", "event_registration", registration.id, network_id, detail=str(event_id))
        if gets_place:
            tell(registration, "event_registered", key="registered", with_invitation=True)
        else:
            tell(registration, "event_waiting", key="waiting", position=waiting_position(registration))
        db.session.commit()
        return registration

    return retry_on_conflict(
        once,
        on_duplicate=lambda: DomainError(_("You are already registered for this event.")),
        fresh_transaction=True,
    )


def cancel_registration(event: NetworkEvent, user: User, *, now=None) -> None:
    """The person cancels (a place or a place on the waiting list); a freed place goes to the first on the
    waiting list."""
    event_id, user_id = event.id, user.id

    def once():
        moment = now or utcnow()
        _lock(event_id)
        current = db.session.get(NetworkEvent, event_id, populate_existing=True)
        registration = db.session.scalar(
            select(EventRegistration).where(
                EventRegistration.event_id == event_id,
                EventRegistration.user_id == user_id,
                EventRegistration.status != RegistrationStatus.CANCELLED,
            )
        )
        if registration is None:
            raise DomainError(_("You are not registered for this event."))
        if current.starts_at <= moment:
            raise DomainError(_("This event has already started."))
        had_place = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = moment
        if not had_place:
            registration.wait_end = waitlist.WaitEnd.LEFT
        record(
            registration.user, "unregister", "event_registration", registration.id, registration.network_id
        )
        if had_place:
            tell(registration, "event_unregistered", key="unregistered", with_invitation=True, cancelled=True)
        db.session.flush()
        promote_waiting(current, now=moment)
        db.session.commit()

    retry_on_conflict(once, fresh_transaction=True)


def promote_waiting(event: NetworkEvent, *, now=None) -> list[EventRegistration]:
    """Give the free places to the first people on the waiting list (in the caller's transaction, which
    holds the event's lock or changes the event itself), and tell each of them."""
    now = now or utcnow()
    if event.cancelled_at is not None or waitlist.expired(event.starts_at, now):
        return []
    promoted = rules.promoted(event.capacity, placed_count(event.id), waiting_list(event.id))
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.placed_at = now
        registration.wait_end = waitlist.WaitEnd.PROMOTED
        tell(registration, "event_promoted", key="promoted", with_invitation=True)
    db.session.flush()
    return promoted


# ----------------------------------------------------------------------------------------------- attendance
def record_attendance(event: NetworkEvent, marks: dict, *, actor, now=None) -> int:
    """The organiser marks who came: {registration id: "attended" | "absent" | ""} for the registrations
    with a place. Only once the event has started; the number of registrations changed."""
    now = now or utcnow()
    if event.cancelled_at is not None:
        raise DomainError(_("This event was cancelled."))
    if event.starts_at > now:
        raise DomainError(_("You can record attendance once the event has started."))
    changed = 0
    for registration in _with_status(event.id, RegistrationStatus.REGISTERED):
        if registration.id not in marks:
            continue
        mark = marks[registration.id]
        value = Attendance(mark) if mark in {a.value for a in Attendance} else None
        if value != registration.attendance:
            record_change(
                actor,
                "event_registration",
                registration.id,
                "attendance",
                {"attendance": [str(registration.attendance or ""), str(value or "")]},
                registration.network_id,
            )
            registration.attendance = value
            registration.attendance_recorded_at = now
            registration.attendance_recorded_by_id = actor.id
            changed += 1
    db.session.commit()
    return changed


# ----------------------------------------------------------------------------------------------- messages
def place_text(event: NetworkEvent) -> str:
    parts = [p for p in (event.place, event.online_url) if p]
    return ", ".join(parts)


def invitation(event: NetworkEvent, *, cancelled: bool = False) -> tuple[str, str, str]:
    """The event as an iCalendar attachment: (file name, content type, text); in the current locale."""
    link = external_url("events.detail", event_id=event.id)
    description = "\n\n".join(p for p in (event.description, event.online_url, link) if p)
    component = ical.appointment(
        f"network-event-{event.id}@digibuddy",
        stamp=event.updated_at or event.created_at,
        starts=event.starts_at,
        ends=event.ends_at,
        summary=event.title,
        location=place_text(event) or _("Online"),
        description=description,
        sequence=event.sequence or 0,
        cancelled=cancelled,
        url=link,
    )
    method = "CANCEL" if cancelled else "REQUEST"
    text = ical.calendar([component], method=method).decode()
    return ("event.ics", f"text/calendar; method={method}", text)


def tell(
    registration: EventRegistration,
    message: str,
    *,
    key: str,
    with_invitation=False,
    cancelled=False,
    **context,
):
    """One e-mail to the registrant in their language, written once per registration, round and kind."""
    user, event = registration.user, registration.event
    if user is None:
        return None
    with force_locale(user.locale):
        attachment = invitation(event, cancelled=cancelled) if with_invitation else None
    round_ = registration.created_at.strftime("%Y%m%d%H%M%S%f")
    return tell_user(
        user,
        message,
        key=f"event-{event.id}-registration-{registration.id}-{round_}-{key}",
        network_id=registration.network_id,
        attachment=attachment,
        event=event,
        registration=registration,
        where=place_text(event),
        **context,
    )


@person_records.connect
def _registrations_of_volunteer(kind, person_id, **_) -> dict:
    """For the audit log: a digibuddy's registrations for events."""
    if kind != "volunteer":
        return {}
    from ..volunteers.models import VolunteerProfile

    user_id = db.session.scalar(select(VolunteerProfile.user_id).where(VolunteerProfile.id == person_id))
    if user_id is None:
        return {}
    ids = db.session.scalars(select(EventRegistration.id).where(EventRegistration.user_id == user_id))
    return {"event_registration": set(ids)}
