"""A volunteer's private calendar feed (iCalendar): their help sessions and drop-in shifts, in UTC.

The feed leaves the platform (it is read by the volunteer's calendar app), so it holds no resident's
name, address or phone number: only the request code, the place and a link back."""

from datetime import UTC, datetime, timedelta

from flask import url_for
from flask_babel import force_locale
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.db import utcnow
from ..core.i18n import gettext as _
from ..core.labels import label
from ..core.time import BRUSSELS
from ..extensions import db
from ..requests.references import display_reference
from ..volunteers.models import VolunteerProfile
from .models import DropInMoment, DropInShift, HelpSession, SessionStatus

HISTORY_DAYS = 90


def _utc(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC)


def _local_to_utc(day, clock) -> datetime:
    """A wall-clock time in Brussels on a given day (drop-in moments are set that way), as UTC."""
    return datetime.combine(day, clock, tzinfo=BRUSSELS).astimezone(UTC)


def calendar_feed(profile: VolunteerProfile) -> bytes:
    now = utcnow()
    since = now - timedelta(days=HISTORY_DAYS)
    sessions = db.session.scalars(
        select(HelpSession)
        .options(selectinload(HelpSession.request), selectinload(HelpSession.location))
        .where(HelpSession.volunteer_id == profile.id, HelpSession.starts_at >= since)
        .order_by(HelpSession.starts_at)
    ).all()
    shifts = db.session.scalars(
        select(DropInShift)
        .options(
            selectinload(DropInShift.moment).selectinload(DropInMoment.location),
            selectinload(DropInShift.moment).selectinload(DropInMoment.exceptions),
        )
        .where(DropInShift.volunteer_id == profile.id, DropInShift.on_date >= since.date())
        .order_by(DropInShift.on_date)
    ).all()
    stamp = _utc(now)
    dashboard = url_for("public.dashboard", _external=True)
    calendar = Calendar()
    calendar.add("prodid", "-//digibuddy//volunteer calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    with force_locale(profile.user.locale):
        calendar.add("x-wr-calname", _("digibuddy: my sessions and shifts"))
        for session in sessions:
            event = Event()
            event.add("uid", f"session-{session.id}@digibuddy")
            event.add("dtstamp", stamp)
            event.add("dtstart", _utc(session.starts_at))
            event.add("dtend", _utc(session.ends_at))
            event.add(
                "summary",
                _("digibuddy: help session %(code)s", code=display_reference(session.request.reference)),
            )
            if session.location is not None:
                event.add("location", f"{session.location.name}, {session.location.address}")
            else:
                event.add("location", label("help_mode", session.place_kind))
            event.add(
                "description",
                _(
                    "Status: %(status)s. Details on your home page: %(link)s",
                    status=label("session_status", session.status),
                    link=dashboard,
                ),
            )
            event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
            calendar.add_component(event)
        for shift in shifts:
            moment = shift.moment
            event = Event()
            event.add("uid", f"shift-{shift.id}@digibuddy")
            event.add("dtstamp", stamp)
            event.add("dtstart", _local_to_utc(shift.on_date, moment.starts))
            event.add("dtend", _local_to_utc(shift.on_date, moment.ends))
            event.add("summary", _("digibuddy: drop-in shift, %(title)s", title=moment.title))
            if moment.location is not None:
                event.add("location", f"{moment.location.name}, {moment.location.address}")
            event.add(
                "description",
                _(
                    "You signed up to help at this drop-in moment. Details on your home page: %(link)s",
                    link=dashboard,
                ),
            )
            called_off = any(exception.on_date == shift.on_date for exception in moment.exceptions)
            event.add("status", "CANCELLED" if called_off or not moment.active else "CONFIRMED")
            calendar.add_component(event)
    return calendar.to_ical()
