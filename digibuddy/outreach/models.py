"""A message written by a coordinator to a group of digibuddies, and who got it on which channel."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import enum_type, utcnow
from ..extensions import db
from ..notifications.models import MessageChannel


class LetterKind(enum.StrEnum):
    MESSAGE = "message"  # written to all active digibuddies or a group of them
    COVER = "cover"  # asks for cover of one date of a drop-in moment that lacks digibuddies


class VolunteerMessage(db.Model):
    __tablename__ = "volunteer_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"))
    kind: Mapped[LetterKind] = mapped_column(enum_type(LetterKind, "volunteer_message_kind"))
    subjects: Mapped[dict] = mapped_column(sa.JSON)  # {locale: subject}; "nl" always given
    bodies: Mapped[dict] = mapped_column(sa.JSON)  # {locale: text}; "nl" always given
    by_email: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    by_sms: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # The group as it was chosen: {"languages": [...], "topics": [...], "modes": [...], "moment_id": id,
    # "inactive": bool}; empty for all active digibuddies.
    audience: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # A request for cover names the date of the moment.
    moment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dropin_moments.id", ondelete="SET NULL"))
    on_date: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    network = relationship("LocalNetwork")
    moment = relationship("DropInMoment")
    created_by = relationship("User")
    recipients = relationship(
        "VolunteerMessageRecipient",
        back_populates="message",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="VolunteerMessageRecipient.id",
    )

    __table_args__ = (
        sa.CheckConstraint("by_email OR by_sms", name="some_channel"),
        sa.CheckConstraint(
            "kind <> 'cover' OR (moment_id IS NOT NULL AND on_date IS NOT NULL)", name="cover_date"
        ),
        sa.Index("ix_volunteer_messages_network_created", "network_id", "created_at"),
    )

    def text_in(self, locale: str) -> tuple[str, str]:
        """(subject, body) in `locale` where the coordinator gave it, else in Dutch."""
        if self.bodies.get(locale) and self.subjects.get(locale):
            return self.subjects[locale], self.bodies[locale]
        return self.subjects["nl"], self.bodies["nl"]


class VolunteerMessageRecipient(db.Model):
    """One digibuddy on one channel: the outbox message, or none when they cannot be reached that way."""

    __tablename__ = "volunteer_message_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_messages.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    channel: Mapped[MessageChannel] = mapped_column(enum_type(MessageChannel, "recipient_channel"))
    locale: Mapped[str] = mapped_column(sa.String(8), default="nl")
    outbox_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )

    message = relationship("VolunteerMessage", back_populates="recipients")
    volunteer = relationship("VolunteerProfile")
    outbox_message = relationship("OutboxMessage")

    __table_args__ = (sa.UniqueConstraint("message_id", "volunteer_id", "channel"),)
