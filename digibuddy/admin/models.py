"""Central steering: learning-network events."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import enum_type, utcnow
from ..extensions import db


class NetworkEventKind(enum.StrEnum):
    LEARNING_NETWORK = "learning_network"
    TRAINING = "training"


class NetworkEvent(db.Model):
    __tablename__ = "network_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NetworkEventKind] = mapped_column(enum_type(NetworkEventKind, "network_event_kind"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(sa.String(200))
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    registrations = relationship("EventRegistration", cascade="all, delete-orphan", back_populates="event")

    __table_args__ = (sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),)


class EventRegistration(db.Model):
    __tablename__ = "event_registrations"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("network_events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event = relationship("NetworkEvent", back_populates="registrations")
    user = relationship("User")
