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
