"""Learning-network events and the registrations for them."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import enum_type, utcnow
from ..core.waitlist import WaitEnd
from ..extensions import db


class NetworkEventKind(enum.StrEnum):
    LEARNING_NETWORK = "learning_network"  # a network moment of the learning network
    TRAINING = "training"
    INFO_SESSION = "info_session"
    WEBINAR = "webinar"


class NetworkEvent(db.Model):
    """An event of the knowledge centre (network_id None) or of one local network."""

    __tablename__ = "network_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NetworkEventKind] = mapped_column(enum_type(NetworkEventKind, "network_event_kind"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    starts_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC, as every time
    ends_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(sa.String(200))
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    # The roles that may register: "coordinator", "counter", "volunteer" (accounts.models.Role values).
    audience: Mapped[list] = mapped_column(sa.JSON, default=list)
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    registration_deadline: Mapped[datetime | None]  # naive UTC; registering closes then
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    # Raised when the time or place changes, so calendars replace the invitation they hold.
    sequence: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    network = relationship("LocalNetwork")
    registrations = relationship("EventRegistration", cascade="all, delete-orphan", back_populates="event")

    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
    )

    @property
    def organised_centrally(self) -> bool:
        return self.network_id is None


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"  # has a place
    WAITING = "waiting"  # on the waiting list, in the order they registered
    CANCELLED = "cancelled"  # cancelled by the person themselves (or the event was cancelled)


class Attendance(enum.StrEnum):
    ATTENDED = "attended"
    ABSENT = "absent"


class EventRegistration(db.Model):
    """One person's registration for an event. `network_id` is the local network they registered from (the
    event's own network, or for a central event the network where they hold the role the event is for):
    registrations are personal data, scoped to that network, and counted for it on the dashboards.
    After the network's retention period the person is unlinked (user_id None); the row stays for the
    figures."""

    __tablename__ = "event_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("network_events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_type(RegistrationStatus, "event_registration_status"), default=RegistrationStatus.REGISTERED
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # the place in the waiting list
    placed_at: Mapped[datetime | None]  # when they got their place (at once, or promoted from the list)
    cancelled_at: Mapped[datetime | None]
    # How a wait on the waiting list ended (core.waitlist.WaitEnd): promoted, left or cancelled.
    wait_end: Mapped[WaitEnd | None] = mapped_column(enum_type(WaitEnd, "event_wait_end"))
    attendance: Mapped[Attendance | None] = mapped_column(enum_type(Attendance, "event_attendance"))
    attendance_recorded_at: Mapped[datetime | None]
    attendance_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    unlinked_at: Mapped[datetime | None]  # the retention job removed who it was

    event = relationship("NetworkEvent", back_populates="registrations")
    user = relationship("User", foreign_keys=[user_id])

    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="one_registration_per_person"),)
