"""Recording who looked at or changed which personal record."""

from flask import request

from ..extensions import db
from .models import AuditEntry


def record(
    user,
    action: str,
    object_type: str,
    object_id: int | None,
    network_id: int | None,
    detail: str | None = None,
) -> None:
    db.session.add(
        AuditEntry(
            user_id=getattr(user, "id", None),
            action=action,
            object_type=object_type,
            object_id=object_id,
            network_id=network_id,
            ip_address=(request.remote_addr if request else None),
            detail=detail,
        )
    )


def record_view(user, object_type: str, object_id: int, network_id: int | None) -> None:
    record(user, "view", object_type, object_id, network_id)
    db.session.commit()


def differences(before: dict, after: dict) -> dict:
    """{field: [before, after]} for every field whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def record_change(
    user,
    subject_type: str,
    subject_id: int | None,
    action: str,
    changes: dict | None = None,
    network_id: int | None = None,
):
    """Add a ChangeRecord to the caller's transaction: who changed which steered item, and how."""
    from .models import ChangeRecord

    entry = ChangeRecord(
        user_id=getattr(user, "id", None),
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        changes=changes or {},
        network_id=network_id,
    )
    db.session.add(entry)
    return entry


def change_history(subject_type: str, subject_id: int | None = None, limit: int = 100) -> list:
    """The latest changes of one item (or of every item of a type), newest first."""
    from sqlalchemy import select

    from .models import ChangeRecord

    stmt = select(ChangeRecord).where(ChangeRecord.subject_type == subject_type)
    if subject_id is not None:
        stmt = stmt.where(ChangeRecord.subject_id == subject_id)
    return db.session.scalars(
        stmt.order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc()).limit(limit)
    ).all()
