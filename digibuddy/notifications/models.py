"""The outbox: every notification is written here in the same transaction as its cause."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import enum_type, utcnow
from ..extensions import db


class MessageChannel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[MessageChannel] = mapped_column(enum_type(MessageChannel, "message_channel"))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    locale: Mapped[str] = mapped_column(sa.String(8), default="nl")
    subject: Mapped[str | None] = mapped_column(sa.String(250))
    body: Mapped[str] = mapped_column(sa.Text)
    attachment_name: Mapped[str | None] = mapped_column(sa.String(120))
    attachment_type: Mapped[str | None] = mapped_column(sa.String(120))
    attachment: Mapped[str | None] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Unique per notification: the Message-ID of the e-mail, so a retry never creates a second one.
    dedupe_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    # Who and what a message to a resident is about: anonymisation clears it, an SMS reply lands on it.
    resident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("residents.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("help_requests.id"))
    # The SMS provider's id for the message, and when the provider reported it delivered to the phone.
    provider_ref: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    delivered_at: Mapped[datetime | None]
    status: Mapped[MessageStatus] = mapped_column(
        enum_type(MessageStatus, "message_status"), default=MessageStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    __table_args__ = (sa.Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),)
