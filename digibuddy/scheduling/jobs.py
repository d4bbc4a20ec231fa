"""Time-driven work on sessions: reminders 24 h and 2 h before, and asking for the outcome afterwards."""

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.db import utcnow
from ..core.i18n import friendly_datetime
from ..core.urls import external_url
from ..extensions import db
from ..notifications.outbox import queue_email, queue_sms
from .models import HelpSession, SessionStatus
from .services import place_text


def _remind(session: HelpSession, which: str) -> None:
    volunteer = session.volunteer.user
    request = session.request
    with force_locale(volunteer.locale):
        when = friendly_datetime(session.starts_at)
        queue_email(
            recipient=volunteer.email,
            subject=_("Reminder: session on %(when)s", when=when),
            body=_(
                "Hello %(name)s,\n\nReminder: you help %(resident)s on %(when)s.\nWhere: %(where)s\n%(link)s",
                name=volunteer.first_name,
                resident=request.resident.first_name,
                when=when,
                where=place_text(session, for_resident=False),
                link=external_url("sessions.detail", session_id=session.id),
            ),
            kind=f"reminder_{which}",
            dedupe_key=f"session-{session.id}-remind-{which}-volunteer",
            locale=volunteer.locale,
            network_id=request.network_id,
        )
    resident = request.resident
    if not (resident.email or resident.phone) or resident.anonymised_at:
        return
    with force_locale(resident.locale):
        text = _(
            "Reminder: your appointment with digibuddy %(volunteer)s is on %(when)s. Where: %(where)s.",
            volunteer=volunteer.first_name,
            when=friendly_datetime(session.starts_at),
            where=place_text(session, for_resident=True),
        )
        key = f"session-{session.id}-remind-{which}-resident"
        if resident.email:
            queue_email(
                recipient=resident.email,
                subject=_("Reminder of your appointment"),
                body=text,
                kind=f"reminder_{which}",
                dedupe_key=key,
                locale=resident.locale,
                network_id=request.network_id,
            )
        else:
            queue_sms(
                recipient=resident.phone,
                body=text,
                kind=f"reminder_{which}",
                dedupe_key=key,
                locale=resident.locale,
                network_id=request.network_id,
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
                    "Hello %(name)s,\n\nPlease tell us what the session achieved. It takes one minute:\n%(link)s",
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
