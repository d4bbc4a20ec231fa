"""Who viewed or changed which personal record, when and from where."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

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


class AuditEntryIsFinal(RuntimeError):
    """An audit entry is written once and never changed or deleted by the app (retention removes old ones
    with one bulk statement of its own)."""


@event.listens_for(Session, "before_flush")
def _audit_entries_are_final(session, _flush_context, _instances):
    for entry in session.deleted:
        if isinstance(entry, AuditEntry):
            raise AuditEntryIsFinal("audit entries are never deleted one by one")
    for entry in session.dirty:
        if isinstance(entry, AuditEntry) and session.is_modified(entry, include_collections=False):
            raise AuditEntryIsFinal("audit entries are never changed")


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_update_of_audit_entries(state):
    if state.is_update and any(getattr(mapper, "class_", None) is AuditEntry for mapper in state.all_mappers):
        raise AuditEntryIsFinal("audit entries are never changed")


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
