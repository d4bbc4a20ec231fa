"""Local networks (the tenants), the municipalities they cover and their locations."""

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import PhoneNumber, enum_type, utcnow, weekday_check
from ..extensions import db


class NetworkMunicipality(db.Model):
    """A municipality is covered by at most one local network, so a postcode routes to exactly one."""

    __tablename__ = "network_municipalities"

    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"), primary_key=True)
    municipality_nis: Mapped[str] = mapped_column(
        sa.ForeignKey("municipalities.nis_code"), primary_key=True, unique=True
    )


class LocalNetwork(db.Model):
    __tablename__ = "local_networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    phone: Mapped[str | None] = mapped_column(PhoneNumber)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    postcode_code: Mapped[str | None] = mapped_column(sa.ForeignKey("postcodes.code"))
    # The network's own settings (None: the central default applies). Read them only through
    # network.settings.network_settings(), which keeps them within the centre's bounds.
    offer_timeout_hours: Mapped[int | None] = mapped_column(sa.Integer)
    max_offer_rounds: Mapped[int | None] = mapped_column(sa.Integer)
    retention_months: Mapped[int | None] = mapped_column(sa.Integer)
    allow_overflow: Mapped[bool | None] = mapped_column(sa.Boolean)
    extract_max_age_months: Mapped[int | None] = mapped_column(sa.Integer)
    match_weights: Mapped[dict | None] = mapped_column(sa.JSON)  # engine weight name -> weight, those set
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipalities = relationship(
        "Municipality", secondary="network_municipalities", order_by="Municipality.name_nl"
    )
    locations = relationship("Location", back_populates="network", order_by="Location.name")
    postcode = relationship("Postcode")

    __table_args__ = (
        sa.CheckConstraint("offer_timeout_hours BETWEEN 1 AND 336", name="offer_timeout_range"),
        sa.CheckConstraint("max_offer_rounds BETWEEN 1 AND 20", name="max_offer_rounds_range"),
        sa.CheckConstraint("retention_months BETWEEN 1 AND 120", name="retention_range"),
        sa.CheckConstraint("extract_max_age_months BETWEEN 1 AND 60", name="extract_age_range"),
    )

    @classmethod
    def in_networks(cls, network_ids):
        """A network is in scope for the people of that network (core.scoping)."""
        return cls.id.in_(network_ids)

    def __repr__(self):
        return f"<LocalNetwork {self.slug}>"


class CentralSetting(db.Model):
    """A network setting's central default and the bounds within which a network may choose its own (one
    row per setting of network.steering.SETTINGS; no row: the code's default and the column's range)."""

    __tablename__ = "central_settings"

    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[float] = mapped_column(sa.Float)
    minimum: Mapped[float] = mapped_column(sa.Float)
    maximum: Mapped[float] = mapped_column(sa.Float)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    __table_args__ = (
        sa.CheckConstraint("minimum <= value AND value <= maximum", name="value_within_bounds"),
    )


class LocationKind(enum.StrEnum):
    LIBRARY = "library"
    TOWN_HALL = "town_hall"
    SERVICE_CENTRE = "service_centre"
    COMPUTER_ROOM = "computer_room"
    COMMUNITY_CENTRE = "community_centre"
    OTHER = "other"


class Location(db.Model):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[LocationKind] = mapped_column(enum_type(LocationKind, "location_kind"))
    street: Mapped[str] = mapped_column(sa.String(200))
    postcode_code: Mapped[str] = mapped_column(sa.ForeignKey("postcodes.code"), index=True)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    accessibility_notes: Mapped[str | None] = mapped_column(sa.Text)
    phone: Mapped[str | None] = mapped_column(PhoneNumber)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    network = relationship("LocalNetwork", back_populates="locations")
    postcode = relationship("Postcode")
    opening_hours = relationship(
        "OpeningHours",
        back_populates="location",
        cascade="all, delete-orphan",
        order_by="(OpeningHours.weekday, OpeningHours.opens)",
    )

    @property
    def address(self) -> str:
        return (
            f"{self.street}, {self.postcode_code} {self.postcode.locality if self.postcode else ''}".strip()
        )


class OpeningHours(db.Model):
    __tablename__ = "opening_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    opens: Mapped[time]
    closes: Mapped[time]

    location = relationship("Location", back_populates="opening_hours")

    __table_args__ = (
        weekday_check("weekday"),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
    )


class UncoveredAttempt(db.Model):
    """Residents who tried to ask for help online from a postcode no network covers: a count per postcode and
    day, nothing else. No request, no resident, no address: the centre sees where help is missing."""

    __tablename__ = "uncovered_attempts"

    postcode_code: Mapped[str] = mapped_column(sa.ForeignKey("postcodes.code"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(sa.Integer, default=1)

    __table_args__ = (sa.CheckConstraint("count >= 1", name="count_positive"),)
