"""The weekly digest each coordinator receives: what came in, what needs them, what is planned."""

from datetime import timedelta

from sqlalchemy import func, select

from ..accounts.models import Membership, Role
from ..core.db import utcnow
from ..extensions import db
from ..network.models import LocalNetwork
from ..notifications.messages import tell_user
from ..requests.models import HelpRequest, RequestStatus
from ..scheduling.models import HelpSession


def network_week(network: LocalNetwork, now) -> dict:
    week_ago = now - timedelta(days=7)
    count = lambda stmt: db.session.scalar(select(func.count()).select_from(stmt.subquery()))  # noqa: E731
    return {
        "new": count(
            select(HelpRequest.id).where(
                HelpRequest.network_id == network.id, HelpRequest.created_at >= week_ago
            )
        ),
        "escalated": count(
            select(HelpRequest.id).where(
                HelpRequest.network_id == network.id, HelpRequest.status == RequestStatus.ESCALATED
            )
        ),
        "completed": count(
            select(HelpRequest.id).where(
                HelpRequest.network_id == network.id,
                HelpRequest.status == RequestStatus.COMPLETED,
                HelpRequest.status_changed_at >= week_ago,
            )
        ),
        "sessions_next_week": count(HelpSession.planned_next_week(network.id, now)),
    }


def weekly_digest(now=None) -> int:
    now = now or utcnow()
    week = now.strftime("%G-W%V")
    sent = 0
    for network in db.session.scalars(select(LocalNetwork).where(LocalNetwork.active.is_(True))):
        figures = network_week(network, now)
        for membership in db.session.scalars(
            select(Membership).where(Membership.network_id == network.id, Membership.role == Role.COORDINATOR)
        ):
            user = membership.user
            key = f"digest-{network.id}-{user.id}-{week}"
            if tell_user(
                user, "weekly_digest", key=key, network_id=network.id, network=network, figures=figures
            ):
                sent += 1
        db.session.commit()
    return sent
