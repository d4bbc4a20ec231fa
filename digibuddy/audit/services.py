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


def record_view(
    user, object_type: str, object_id: int | None, network_id: int | None, detail: str | None = None
) -> None:
    """A page or export showed this record's personal data to `user`: kept at once (its own commit)."""
    record(user, "view", object_type, object_id, network_id, detail=detail[:500] if detail else None)
    _commit_keeping_loaded()


def record_list(user, object_type: str, network_ids, detail: str | None = None) -> None:
    """A page or export listed people of these networks (search results, a queue, an export): one entry
    per network, so each network's coordinators read it in their own audit log."""
    for network_id in sorted(network_ids) or [None]:
        record(user, "list", object_type, None, network_id, detail=detail[:500] if detail else None)
    _commit_keeping_loaded()


def _commit_keeping_loaded() -> None:
    """Commit the entry at once without expiring what the page has already loaded: otherwise every row it
    then renders is read again, one query each."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


PEOPLE = ("resident", "volunteer")


def person_records(kind: str, person_id: int) -> dict[str, set[int]]:
    """{object_type: {ids}} of every audit record about one resident or digibuddy, from the areas that
    keep them (audit.signals.person_records)."""
    from .signals import person_records as asking

    found: dict[str, set[int]] = {}
    for _receiver, answer in asking.send(kind, person_id=person_id):
        for object_type, ids in (answer or {}).items():
            found.setdefault(object_type, set()).update(ids)
    return found


def entries(
    network_ids, *, user_id=None, object_type=None, object_id=None, since=None, until=None, records=None
):
    """A SELECT of the audit entries of these networks, newest first, narrowed by the filters given;
    `records` ({object_type: {ids}}, see person_records) keeps the entries about those records."""
    import sqlalchemy as sa

    stmt = sa.select(AuditEntry).where(AuditEntry.network_id.in_(network_ids))
    if records is not None:
        about = [
            sa.and_(AuditEntry.object_type == kind, AuditEntry.object_id.in_(sorted(ids)))
            for kind, ids in records.items()
            if ids
        ]
        stmt = stmt.where(sa.or_(*about) if about else sa.false())
    if user_id is not None:
        stmt = stmt.where(AuditEntry.user_id == user_id)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


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
