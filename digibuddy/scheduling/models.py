"""Help sessions and recurring drop-in moments with shifts, bookings and exceptions."""

import enum
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..core.db import enum_type, utcnow, weekday_check
from ..core.scoping import through
from ..core.waitlist import WaitEnd
from ..extensions import db
from ..requests.models import HelpRequest


class PlaceKind(enum.StrEnum):
    LOCATION = "location"
    HOME = "home"
    PHONE = "phone"
    VIDEO = "video"


class SessionStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    RESIDENT_NO_SHOW = "resident_no_show"
    VOLUNTEER_NO_SHOW = "volunteer_no_show"
    CANCELLED = "cancelled"


class HelpSession(db.Model):
    __tablename__ = "help_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("help_requests.id"))
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place_kind: Mapped[PlaceKind] = mapped_column(enum_type(PlaceKind, "place_kind"))
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locations.id"))
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus, "session_status"), default=SessionStatus.PLANNED
    )
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
    override_reason: Mapped[str | None] = mapped_column(sa.String(500))
    meeting_url: Mapped[str | None] = mapped_column(sa.String(500))  # video sessions only
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_24h_at: Mapped[datetime | None]
    reminded_2h_at: Mapped[datetime | None]
    outcome_asked_at: Mapped[datetime | None]
    # The resident's answer to the appointment: confirmed it, or asked to move it
    # (by SMS or on the status page).
    confirmed_by_resident_at: Mapped[datetime | None]
    move_asked_at: Mapped[datetime | None]

    # `help_request.sessions`, in time order: declared here, since requests knows nothing of sessions.
    request = relationship(
        "HelpRequest", backref=backref("sessions", order_by="HelpSession.starts_at", passive_deletes=True)
    )
    volunteer = relationship("VolunteerProfile")
    location = relationship("Location")
    outcome = relationship("Outcome", back_populates="session", uselist=False)

    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.CheckConstraint("place_kind <> 'location' OR location_id IS NOT NULL", name="location_given"),
        sa.Index("ix_help_sessions_volunteer_starts", "volunteer_id", "starts_at"),
        sa.Index("ix_help_sessions_status_starts", "status", "starts_at"),
        # A request's sessions in time order; the dashboards read status and volunteer from the index too.
        sa.Index(
            "ix_help_sessions_request_starts",
            "request_id",
            "starts_at",
            postgresql_include=["status", "volunteer_id", "id"],
        ),
    )

    @classmethod
    def in_networks(cls, network_ids):
        return through(cls.request_id, HelpRequest, network_ids)

    @classmethod
    def assigned_to(cls, volunteer_id):
        """The session's own volunteer may act on it (report its outcome, move or cancel it)."""
        return cls.volunteer_id == volunteer_id

    @classmethod
    def planned_next_week(cls, network_id: int, now: datetime):
        """A SELECT of the ids of a network's planned sessions that start in the seven days from `now`."""
        return (
            sa.select(cls.id)
            .join(HelpRequest, HelpRequest.id == cls.request_id)
            .where(
                HelpRequest.network_id == network_id,
                cls.status == SessionStatus.PLANNED,
                cls.starts_at >= now,
                cls.starts_at < now + timedelta(days=7),
            )
        )


class Recurrence(enum.StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"  # on the first, second, third, fourth or last weekday of the month


dropin_topics = sa.Table(
    "dropin_topics",
    db.metadata,
    sa.Column("moment_id", sa.ForeignKey("dropin_moments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topics.id"), primary_key=True),
)

dropin_languages = sa.Table(
    "dropin_languages",
    db.metadata,
    sa.Column("moment_id", sa.ForeignKey("dropin_moments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("language_code", sa.ForeignKey("languages.code"), primary_key=True),
)


class DropInMoment(db.Model):
    __tablename__ = "dropin_moments"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    recurrence: Mapped[Recurrence] = mapped_column(enum_type(Recurrence, "recurrence"))
    # For a monthly moment: 1-4 for the first to fourth such weekday of the month, -1 for the last.
    week_of_month: Mapped[int | None] = mapped_column(sa.SmallInteger)
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    starts: Mapped[time]
    ends: Mapped[time]
    first_date: Mapped[date]
    last_date: Mapped[date | None]
    resident_capacity: Mapped[int] = mapped_column(sa.Integer, default=8)
    volunteers_needed: Mapped[int] = mapped_column(sa.Integer, default=2)
    skip_public_holidays: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    network = relationship("LocalNetwork")
    location = relationship("Location")
    topics = relationship("Topic", secondary=dropin_topics)
    languages = relationship("Language", secondary=dropin_languages)
    exceptions = relationship("DropInException", cascade="all, delete-orphan", back_populates="moment")

    __table_args__ = (
        weekday_check("weekday"),
        sa.CheckConstraint("starts < ends", name="starts_before_ends"),
        sa.CheckConstraint("resident_capacity BETWEEN 1 AND 200", name="capacity_range"),
        sa.CheckConstraint("volunteers_needed BETWEEN 0 AND 50", name="volunteers_needed_range"),
        sa.CheckConstraint(
            "week_of_month IS NULL OR week_of_month IN (1, 2, 3, 4, -1)", name="week_of_month_range"
        ),
    )


class DropInException(db.Model):
    """A date on which a drop-in moment does not take place (one-off cancellation)."""

    __tablename__ = "dropin_exceptions"

    moment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dropin_moments.id", ondelete="CASCADE"), primary_key=True
    )
    on_date: Mapped[date] = mapped_column(primary_key=True)
    reason: Mapped[str | None] = mapped_column(sa.String(300))

    moment = relationship("DropInMoment", back_populates="exceptions")


class DropInShift(db.Model):
    """A volunteer signed up to help at one occurrence of a drop-in moment."""

    __tablename__ = "dropin_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    moment_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_moments.id", ondelete="CASCADE"))
    on_date: Mapped[date]
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moment = relationship("DropInMoment")
    volunteer = relationship("VolunteerProfile")

    __table_args__ = (sa.UniqueConstraint("moment_id", "on_date", "volunteer_id"),)

    @classmethod
    def in_networks(cls, network_ids):
        return through(cls.moment_id, DropInMoment, network_ids)


class BookingKind(enum.StrEnum):
    BOOKED = "booked"
    WALK_IN = "walk_in"


class DropInBooking(db.Model):
    """A resident's place at one occurrence: booked ahead (online or at the counter) or walked in."""

    __tablename__ = "dropin_bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    moment_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_moments.id", ondelete="CASCADE"))
    on_date: Mapped[date]
    kind: Mapped[BookingKind] = mapped_column(enum_type(BookingKind, "booking_kind"))
    resident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("residents.id"))
    topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topics.id"))
    language_code: Mapped[str | None] = mapped_column(sa.ForeignKey("languages.code"))
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    moment = relationship("DropInMoment")
    resident = relationship("Resident")
    topic = relationship("Topic")

    __table_args__ = (sa.Index("ix_dropin_bookings_moment_date", "moment_id", "on_date"),)

    @classmethod
    def in_networks(cls, network_ids):
        return through(cls.moment_id, DropInMoment, network_ids)


class DropInWaiting(db.Model):
    """A resident on the waiting list of one full date of a drop-in moment. Not a booking: no figure, day
    count or reminder counts it. When a place frees, the first in line gets a booking (`booking_id`) and the
    entry ends as promoted; it also ends when the resident leaves, the date passes or it is cancelled."""

    __tablename__ = "dropin_waiting"

    id: Mapped[int] = mapped_column(primary_key=True)
    moment_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_moments.id", ondelete="CASCADE"))
    on_date: Mapped[date]
    resident_id: Mapped[int] = mapped_column(sa.ForeignKey("residents.id"), index=True)
    topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topics.id"))
    language_code: Mapped[str | None] = mapped_column(sa.ForeignKey("languages.code"))
    # Only a hash of the link's token that lets the resident see their place in line and leave the list.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    ended_at: Mapped[datetime | None]
    ended_as: Mapped[WaitEnd | None] = mapped_column(enum_type(WaitEnd, "wait_end"))
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dropin_bookings.id"))

    moment = relationship("DropInMoment")
    resident = relationship("Resident")
    topic = relationship("Topic")
    booking = relationship("DropInBooking")

    __table_args__ = (
        sa.Index("ix_dropin_waiting_moment_date", "moment_id", "on_date"),
        sa.CheckConstraint("(ended_at IS NULL) = (ended_as IS NULL)", name="ended_with_how"),
    )

    @property
    def waiting(self) -> bool:
        return self.ended_at is None

    @classmethod
    def in_networks(cls, network_ids):
        return through(cls.moment_id, DropInMoment, network_ids)
