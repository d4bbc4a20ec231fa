"""Time-driven work on events: the reminder the day before."""

from datetime import datetime, timedelta

from sqlalchemy import select

from ..core.db import utcnow
from ..core.time import to_local, to_utc
from ..extensions import db
from .models import EventRegistration, NetworkEvent, RegistrationStatus
from .services import tell

REMINDER_FROM_HOUR = 9  # the day before, from 9:00 in Brussels: no message in the night


def send_event_reminders(now=None) -> int:
    """The day before an event: a reminder to everyone with a place. Idempotent: one message per
    registration and start time (its key), so a moved event is reminded again for its new day."""
    local = to_local(now or utcnow())
    if local.hour < REMINDER_FROM_HOUR:
        return 0
    tomorrow = (local + timedelta(days=1)).date()
    start = to_utc(datetime.combine(tomorrow, datetime.min.time()))
    end = to_utc(datetime.combine(tomorrow + timedelta(days=1), datetime.min.time()))
    registrations = db.session.scalars(
        select(EventRegistration)
        .join(NetworkEvent, NetworkEvent.id == EventRegistration.event_id)
        .where(
            NetworkEvent.starts_at >= start,
            NetworkEvent.starts_at < end,
            NetworkEvent.cancelled_at.is_(None),
            EventRegistration.status == RegistrationStatus.REGISTERED,
            EventRegistration.user_id.is_not(None),
        )
        .order_by(EventRegistration.id)
    ).all()
    sent = 0
    for registration in registrations:
        starts = registration.event.starts_at.strftime("%Y%m%d%H%M")
        if tell(registration, "event_reminder", key=f"reminder-{starts}"):
            sent += 1
    db.session.commit()
    return sent
