"""The coordinator's list of volunteers: filters (status, language, topic, channel, distance) and counts.

The caller passes an already scoped SELECT (core.scoping.scoped); nothing here widens it."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.geo import bounding_box, distance_km
from ..extensions import db
from ..reference.models import Postcode, Topic
from .models import CHANNEL_ATTRIBUTES, VolunteerLanguage, VolunteerProfile, VolunteerStatus, VolunteerTopic


@dataclass
class Filters:
    status: str | None = None
    language: str | None = None
    topic: str | None = None
    channel: str | None = None
    near: Postcode | None = None
    km: int | None = None


@dataclass
class VolunteerRow:
    profile: VolunteerProfile
    distance_km: float | None = None


@dataclass
class VolunteerList:
    rows: list[VolunteerRow]
    counts: dict = field(default_factory=dict)  # status -> number, for every filter except the status

    @property
    def total(self) -> int:
        return len(self.rows)


def volunteer_list(scoped_stmt, filters: Filters) -> VolunteerList:
    """The volunteers of `scoped_stmt` that pass the filters, nearest first when a postcode is given."""
    stmt = scoped_stmt.options(
        selectinload(VolunteerProfile.languages),
        selectinload(VolunteerProfile.topics),
        selectinload(VolunteerProfile.vetting_checks),
        selectinload(VolunteerProfile.home_postcode),
    )
    if filters.language:
        stmt = stmt.where(
            VolunteerProfile.id.in_(
                select(VolunteerLanguage.volunteer_id).where(
                    VolunteerLanguage.language_code == filters.language
                )
            )
        )
    if filters.topic:
        stmt = stmt.where(
            VolunteerProfile.id.in_(
                select(VolunteerTopic.volunteer_id)
                .join(Topic, Topic.id == VolunteerTopic.topic_id)
                .where(Topic.code == filters.topic)
            )
        )
    if filters.channel in CHANNEL_ATTRIBUTES:
        stmt = stmt.where(VolunteerProfile.offers_column(filters.channel).is_(True))
    near, km = filters.near, filters.km
    if near is not None and km:
        min_lat, max_lat, min_lon, max_lon = bounding_box(near.latitude, near.longitude, km)
        stmt = stmt.join(Postcode, Postcode.code == VolunteerProfile.home_postcode_code).where(
            Postcode.latitude.between(min_lat, max_lat), Postcode.longitude.between(min_lon, max_lon)
        )
    profiles = db.session.scalars(stmt).unique().all()

    rows = []
    for profile in profiles:
        distance = None
        if near is not None:
            home = profile.home_postcode
            distance = distance_km(near.latitude, near.longitude, home.latitude, home.longitude)
            if km and distance > km:
                continue
        rows.append(VolunteerRow(profile, distance))
    counts: dict = {}
    for row in rows:
        counts[row.profile.status] = counts.get(row.profile.status, 0) + 1
    if filters.status in VolunteerStatus._value2member_map_:
        rows = [row for row in rows if row.profile.status == filters.status]
    if near is not None:
        rows.sort(key=lambda row: (row.distance_km, row.profile.user.name.lower()))
    else:
        rows.sort(key=lambda row: row.profile.user.name.lower())
    return VolunteerList(rows=rows, counts=counts)
