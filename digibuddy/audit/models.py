"""Who viewed or changed which personal record, when and from where."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import utcnow
from ..extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("local_networks.id"))
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    detail: Mapped[str | None] = mapped_column(sa.String(500))

    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id"),)


class ChangeRecord(db.Model):
    """Who changed what the centre or a network steers (the topic catalogue, training, settings), when, and
    each changed field's value before and after."""

    __tablename__ = "change_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("local_networks.id"))
    action: Mapped[str] = mapped_column(sa.String(40))
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {field: [before, after]}

    user = relationship("User")

    __table_args__ = (sa.Index("ix_change_records_subject", "subject_type", "subject_id"),)
