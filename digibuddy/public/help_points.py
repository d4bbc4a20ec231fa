"""The public finder of help points: the places of every local network where a resident can get help
(libraries, town halls, service centres, public computer rooms ...), nearest first, with this week's
opening hours, accessibility notes, the next drop-in moments with free places and a phone number; and the
same data as open data for municipal websites. Nothing here is personal data."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.geo import distance_km
from ..extensions import db
from ..network.models import LocalNetwork, Location
from ..reference.models import Postcode
from ..scheduling.dropins import Occurrence, occurrence_overview
from ..scheduling.models import DropInMoment
from .opening_hours import Span, by_weekday, osm_opening_hours

DROPIN_WEEKS = 4
DROPINS_PER_POINT = 3
NEAREST = 8
MAX_KM = 25.0


@dataclass
class HelpPoint:
    location: Location
    distance_km: float | None
    week: dict[int, list[Span]]
    next_dropins: list[Occurrence] = field(default_factory=list)

    @property
    def phone(self) -> str | None:
        return self.location.phone or self.location.network.phone

    def hours_on(self, day: date) -> list[Span]:
        return self.week[day.weekday()]

    @property
    def opening_hours(self) -> str:
        return osm_opening_hours(
            (day, opens, closes) for day, spans in self.week.items() for opens, closes in spans
        )


def _active_locations():
    return (
        select(Location)
        .join(LocalNetwork, LocalNetwork.id == Location.network_id)
        .where(Location.active.is_(True), LocalNetwork.active.is_(True))
        .options(selectinload(Location.opening_hours), selectinload(Location.network))
        .order_by(Location.name, Location.id)
    )


def _with_dropins(points: list[HelpPoint], today: date) -> list[HelpPoint]:
    """The next dates of each point's drop-in moments that still have a free place."""
    by_location = {point.location.id: point for point in points}
    if not by_location:
        return points
    moments = db.session.scalars(
        select(DropInMoment).where(DropInMoment.location_id.in_(by_location), DropInMoment.active.is_(True))
    ).all()
    for occurrence in occurrence_overview(moments, today, today + timedelta(weeks=DROPIN_WEEKS, days=-1)):
        point = by_location[occurrence.moment.location_id]
        if occurrence.places_left and len(point.next_dropins) < DROPINS_PER_POINT:
            point.next_dropins.append(occurrence)
    return points


def _point(location: Location, origin: Postcode | None) -> HelpPoint:
    distance = None
    if origin is not None and None not in (origin.latitude, location.latitude):
        distance = distance_km(origin.latitude, origin.longitude, location.latitude, location.longitude)
    week = by_weekday((h.weekday, h.opens, h.closes) for h in location.opening_hours)
    return HelpPoint(location, distance, week)


def help_points_near(postcode: Postcode, today: date, limit: int = NEAREST) -> list[HelpPoint]:
    """The places nearest to a postcode (within MAX_KM), nearest first."""
    points = [_point(location, postcode) for location in db.session.scalars(_active_locations())]
    near = sorted(
        (p for p in points if p.distance_km is not None and p.distance_km <= MAX_KM),
        key=lambda p: (p.distance_km, p.location.name),
    )
    return _with_dropins(near[:limit], today)


def all_help_points(today: date) -> list[HelpPoint]:
    return _with_dropins(
        [_point(location, None) for location in db.session.scalars(_active_locations())], today
    )


def _clock(value: time) -> str:
    return f"{value:%H:%M}"


def open_data_record(point: HelpPoint) -> dict:
    """One help point as open data: plain values, E.164 phone numbers, OSM opening hours, ISO dates."""
    location = point.location
    record = {
        "id": location.id,
        "name": location.name,
        "kind": location.kind.value if hasattr(location.kind, "value") else location.kind,
        "street": location.street,
        "postcode": location.postcode_code,
        "locality": location.postcode.locality if location.postcode else None,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "phone": point.phone,
        "network": location.network.name,
        "accessibility": location.accessibility_notes,
        "opening_hours": point.opening_hours,
        "next_dropins": [
            {
                "title": o.moment.title,
                "date": o.day.isoformat(),
                "starts": _clock(o.moment.starts),
                "ends": _clock(o.moment.ends),
                "places_left": o.places_left,
            }
            for o in point.next_dropins
        ],
    }
    if point.distance_km is not None:
        record["distance_km"] = round(point.distance_km, 1)
    return record


CSV_COLUMNS = [
    "id",
    "name",
    "kind",
    "street",
    "postcode",
    "locality",
    "latitude",
    "longitude",
    "phone",
    "network",
    "accessibility",
    "opening_hours",
    "next_dropin_date",
    "next_dropin_starts",
    "next_dropin_places_left",
]


def open_data_row(point: HelpPoint) -> dict:
    """The same record flattened for a spreadsheet: the first drop-in with a free place in its own columns."""
    record = open_data_record(point)
    first = record["next_dropins"][0] if record["next_dropins"] else {}
    row = {column: record.get(column) for column in CSV_COLUMNS}
    row.update(
        next_dropin_date=first.get("date"),
        next_dropin_starts=first.get("starts"),
        next_dropin_places_left=first.get("places_left"),
    )
    return row
