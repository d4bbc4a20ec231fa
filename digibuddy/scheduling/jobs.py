"""Time-driven work on sessions: reminders 24 h and 2 h before, and asking for the outcome afterwards;
drop-in reminders the day before."""

from datetime import timedelta
from functools import partial

from sqlalchemy import select

from ..core.db import utcnow
from ..core.time import to_local
from ..extensions import db
from ..notifications.messages import tell_resident, tell_volunteer
from .models import HelpSession, SessionStatus
from .services import place_text


def _remind(session: HelpSession, which: str) -> None:
    request = session.request
    tell_volunteer(
        session.volunteer,
        "volunteer_reminder",
        key=f"session-{session.id}-remind-{which}-volunteer",
        kind=f"reminder_{which}",
        network_id=request.network_id,
        session=session,
        where=partial(place_text, session, False),
    )
    tell_resident(
        request.resident,
        "reminder",
        key=f"session-{session.id}-remind-{which}-resident",
        kind=f"reminder_{which}",
        request=request,
        session=session,
        where=partial(place_text, session, True),
    )


def send_reminders(now=None) -> int:
    """24 hours and 2 hours before each planned session (idempotent: the session remembers what was sent)."""
    now = now or utcnow()
    sent = 0
    upcoming = db.session.scalars(
        select(HelpSession).where(
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.starts_at > now,
            HelpSession.starts_at <= now + timedelta(hours=24),
        )
    ).all()
    for session in upcoming:
        if session.starts_at <= now + timedelta(hours=2):
            if session.reminded_2h_at is None:
                _remind(session, "2h")
                session.reminded_2h_at = now
                session.reminded_24h_at = session.reminded_24h_at or now  # too late for the 24 h one
                sent += 1
        elif session.reminded_24h_at is None:
            _remind(session, "24h")
            session.reminded_24h_at = now
            sent += 1
        db.session.commit()
    return sent


def ask_outcomes(now=None) -> int:
    """After a session has ended, ask the volunteer once what it achieved."""
    now = now or utcnow()
    ended = db.session.scalars(
        select(HelpSession).where(
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.ends_at <= now - timedelta(minutes=30),
            HelpSession.outcome_asked_at.is_(None),
        )
    ).all()
    for session in ended:
        tell_volunteer(
            session.volunteer,
            "ask_outcome",
            key=f"session-{session.id}-ask-outcome",
            network_id=session.request.network_id,
            session=session,
        )
        session.outcome_asked_at = now
        db.session.commit()
    return len(ended)


DROPIN_REMINDER_FROM_HOUR = 9  # the day before, from 9:00 in Brussels: no message in the night


def send_dropin_reminders(now=None) -> int:
    """The day before a drop-in: a reminder to every volunteer with a shift and every resident with a
    booked place (idempotent: one message per shift or booking, by its key)."""
    from .dropins import takes_place
    from .models import BookingKind, DropInBooking, DropInMoment, DropInShift

    local = to_local(now or utcnow())
    if local.hour < DROPIN_REMINDER_FROM_HOUR:
        return 0
    tomorrow = (local + timedelta(days=1)).date()
    sent = 0
    shifts = db.session.scalars(
        select(DropInShift)
        .join(DropInMoment, DropInMoment.id == DropInShift.moment_id)
        .where(DropInShift.on_date == tomorrow, DropInMoment.active.is_(True))
    ).all()
    for shift in shifts:
        if takes_place(shift.moment, tomorrow) and tell_volunteer(
            shift.volunteer,
            "volunteer_dropin_reminder",
            key=f"dropin-shift-{shift.id}-reminder",
            network_id=shift.moment.network_id,
            moment=shift.moment,
            day=tomorrow,
        ):
            sent += 1
    bookings = db.session.scalars(
        select(DropInBooking)
        .join(DropInMoment, DropInMoment.id == DropInBooking.moment_id)
        .where(
            DropInBooking.on_date == tomorrow,
            DropInBooking.kind == BookingKind.BOOKED,
            DropInBooking.cancelled_at.is_(None),
            DropInBooking.resident_id.is_not(None),
            DropInMoment.active.is_(True),
        )
    ).all()
    for booking in bookings:
        if takes_place(booking.moment, tomorrow) and tell_resident(
            booking.resident,
            "dropin_reminder",
            key=f"dropin-booking-{booking.id}-reminder",
            moment=booking.moment,
            day=tomorrow,
        ):
            sent += 1
    db.session.commit()
    return sent
