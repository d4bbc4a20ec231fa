"""The facts a planner needs, read from the database as plain data for scheduling.rules: the location's
opening hours, the resident's preferred windows, the volunteer's availability and planned sessions."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..core.db import utcnow
from ..core.geo import distance_km
from ..core.time import to_local, to_utc
from ..extensions import db
from ..requests.models import HelpRequest
from ..volunteers.models import VolunteerProfile
from . import rules
from .models import HelpSession, PlaceKind, SessionStatus

LOOK_AHEAD_DAYS = 28
DURATIONS = (30, 60, 90, 120)


def nearest_location(help_request: HelpRequest, locations: list):
    """The resident's nearest open location (the one with opening hours first): the form's default place."""
    postcode = help_request.resident.postcode
    usable = [loc for loc in locations if loc.opening_hours] or list(locations)
    if not usable:
        return None
    if postcode is None or postcode.latitude is None:
        return usable[0]

    def distance(location):
        if location.latitude is None or location.longitude is None:
            return float("inf")
        return distance_km(postcode.latitude, postcode.longitude, location.latitude, location.longitude)

    return min(usable, key=distance)


def _busy(volunteer: VolunteerProfile, start: date, days: int, ignore_session_id: int | None) -> list:
    begin = to_utc(datetime.combine(start, datetime.min.time()))
    end = begin + timedelta(days=days + 1)
    rows = db.session.execute(
        select(HelpSession.starts_at, HelpSession.ends_at).where(
            HelpSession.volunteer_id == volunteer.id,
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.id != (ignore_session_id or -1),
            HelpSession.ends_at > begin,
            HelpSession.starts_at < end,
        )
    ).all()
    return [(to_local(s), to_local(e)) for s, e in rows]


def facts_for_days(
    help_request: HelpRequest,
    volunteer: VolunteerProfile,
    place_kind: PlaceKind,
    location,
    start: date,
    days: int,
    language: str | None = None,
    ignore_session_id: int | None = None,
) -> list[rules.DayFacts]:
    opening = None
    if place_kind == PlaceKind.LOCATION and location is not None:
        opening = [(h.weekday, h.opens, h.closes) for h in location.opening_hours]
    windows = [(w.weekday, w.day_part.value) for w in help_request.time_windows]
    availability = [(a.weekday, a.starts, a.ends) for a in volunteer.availability]
    busy = _busy(volunteer, start, days, ignore_session_id)
    return [
        rules.day_facts(
            start + timedelta(days=n),
            opening_hours=opening,
            resident_windows=windows,
            availability=availability,
            busy=busy,
            language=language,
        )
        for n in range(days)
    ]


def proposals(
    help_request: HelpRequest,
    volunteer: VolunteerProfile,
    place_kind: PlaceKind,
    location,
    duration: timedelta,
    language: str | None = None,
    ignore_session_id: int | None = None,
) -> list[rules.Interval]:
    """The first three free moments in the next four weeks that fit every fact."""
    now_local = to_local(utcnow())
    facts = facts_for_days(
        help_request,
        volunteer,
        place_kind,
        location,
        now_local.date(),
        LOOK_AHEAD_DAYS,
        language,
        ignore_session_id,
    )
    return rules.propose_moments(facts, duration, now_local)
