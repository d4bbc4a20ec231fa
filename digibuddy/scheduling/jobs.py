"""Time-driven work on sessions: reminders 24 h and 2 h before, and asking for the outcome afterwards."""

from datetime import timedelta
from functools import partial

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.db import utcnow
from ..core.urls import external_url
from ..extensions import db
from ..notifications.messages import tell_resident, tell_volunteer
from ..notifications.outbox import queue_email
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
        volunteer = session.volunteer.user
        with force_locale(volunteer.locale):
            queue_email(
                recipient=volunteer.email,
                subject=_("How did it go with %(name)s?", name=session.request.resident.first_name),
                body=_(
                    "Hello %(name)s,\n\nPlease tell us what the session achieved. It takes one "
                    "minute:\n%(link)s",
                    name=volunteer.first_name,
                    link=external_url("sessions.detail", session_id=session.id),
                ),
                kind="ask_outcome",
                dedupe_key=f"session-{session.id}-ask-outcome",
                locale=volunteer.locale,
                network_id=session.request.network_id,
            )
        session.outcome_asked_at = now
        db.session.commit()
    return len(ended)
