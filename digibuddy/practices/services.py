"""Proposing, reviewing, publishing and using practice sheets."""

from dataclasses import dataclass, field

from sqlalchemy import select

from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..extensions import db
from ..reference.models import TopicGroup
from . import search
from .models import Practice, PracticeStatus, PracticeUse

TARGET_GROUPS = ("seniors", "newcomers", "low_literacy", "disability", "young")
CHANNELS = ("click", "call", "face", "home")


@dataclass
class PracticeDetails:
    title: str
    summary: str
    body: str
    topic_groups: list = field(default_factory=list)
    target_groups: list = field(default_factory=list)
    channels: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    contact_name: str | None = None
    contact_details: str | None = None
    links: list = field(default_factory=list)


def _check(details: PracticeDetails) -> None:
    if not details.title.strip():
        raise DomainError(_("Give the practice a title."), "title")
    known = set(db.session.scalars(select(TopicGroup.code)))
    if not set(details.topic_groups) <= known:
        raise DomainError(_("Choose topic groups from the list."), "topic_groups")
    if not set(details.target_groups) <= set(TARGET_GROUPS):
        raise DomainError(_("Choose target groups from the list."), "target_groups")
    if not set(details.channels) <= set(CHANNELS):
        raise DomainError(_("Choose channels from the list."), "channels")
    for link in details.links:
        if not link.startswith(("https://", "http://")):
            raise DomainError(_("Write each link as a full web address, starting with https://."), "links")


def _apply(practice: Practice, details: PracticeDetails) -> None:
    practice.title = details.title.strip()
    practice.summary = details.summary.strip()
    practice.body = details.body.strip()
    practice.topic_groups = list(dict.fromkeys(details.topic_groups))
    practice.target_groups = list(dict.fromkeys(details.target_groups))
    practice.channels = list(dict.fromkeys(details.channels))
    practice.tags = [t.strip() for t in details.tags if t.strip()]
    practice.contact_name = (details.contact_name or "").strip() or None
    practice.contact_details = (details.contact_details or "").strip() or None
    practice.links = details.links
    practice.updated_at = utcnow()


def propose(details: PracticeDetails, *, network_id: int, actor) -> Practice:
    """A coordinator proposes a practice of their network; the centre reviews it before others see it."""
    _check(details)
    practice = Practice(network_id=network_id, created_by_id=actor.id, status=PracticeStatus.PROPOSED)
    _apply(practice, details)
    db.session.add(practice)
    db.session.flush()
    search.index(practice)
    db.session.commit()
    return practice


def save(
    practice: Practice | None, details: PracticeDetails, *, actor, network_id=None, publish=False
) -> Practice:
    """The central administrator writes or edits a sheet, and may publish it at once."""
    _check(details)
    if practice is None:
        practice = Practice(network_id=network_id, created_by_id=actor.id, status=PracticeStatus.PROPOSED)
        db.session.add(practice)
    elif network_id is not None or practice.network_id is None:
        practice.network_id = network_id
    _apply(practice, details)
    if publish:
        _publish(practice, actor)
    db.session.flush()
    search.index(practice)
    db.session.commit()
    return practice


def _publish(practice: Practice, actor) -> None:
    practice.status = PracticeStatus.PUBLISHED
    practice.published_by_id = actor.id
    practice.published_at = practice.published_at or utcnow()


def set_status(practice: Practice, status: PracticeStatus, *, actor) -> None:
    if status == PracticeStatus.PUBLISHED:
        _publish(practice, actor)
    else:
        practice.status = status
    practice.updated_at = utcnow()
    db.session.commit()


def mark_used(practice: Practice, network_id: int, used: bool, *, actor) -> None:
    """A coordinator says their network uses a published practice (or no longer does)."""
    if practice.status != PracticeStatus.PUBLISHED:
        raise DomainError(_("Only a published practice can be marked."))
    found = db.session.get(PracticeUse, (practice.id, network_id))
    if used and found is None:
        db.session.add(PracticeUse(practice_id=practice.id, network_id=network_id, marked_by_id=actor.id))
    elif not used and found is not None:
        db.session.delete(found)
    db.session.commit()


@dataclass
class Filters:
    query: str = ""
    topic_group: str = ""
    target_group: str = ""
    channel: str = ""


def find(filters: Filters, *, statuses=(PracticeStatus.PUBLISHED,)) -> list[Practice]:
    """Sheets with these statuses that match the filters, best match first for a query, else newest first."""
    practices = db.session.scalars(
        select(Practice)
        .where(Practice.status.in_(list(statuses)))
        .order_by(Practice.updated_at.desc(), Practice.id)
    ).all()
    practices = [
        p
        for p in practices
        if (not filters.topic_group or filters.topic_group in (p.topic_groups or []))
        and (not filters.target_group or filters.target_group in (p.target_groups or []))
        and (not filters.channel or filters.channel in (p.channels or []))
    ]
    if not filters.query.strip():
        return practices
    by_id = {p.id: p for p in practices}
    return [by_id[i] for i in search.ranked_ids(filters.query, by_id)]
