"""Figures for each role's home page, read from the database and scoped to the user's networks."""

from sqlalchemy import exists, func, select

from ..accounts.models import Membership, Role
from ..core.db import utcnow
from ..core.time import local_today
from ..extensions import db
from ..matching.models import Offer, OfferStatus
from ..network.models import LocalNetwork, Location
from ..privacy import services as privacy
from ..requests.enums import PIPELINE, in_order
from ..requests.models import OPEN_STATUSES, HelpRequest, RequestStatus, Resident
from ..scheduling.models import HelpSession, SessionStatus
from ..volunteers.models import (
    AvailabilitySlot,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    VolunteerTopic,
)


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _status_counts(network_ids) -> dict:
    rows = db.session.execute(
        select(HelpRequest.status, func.count())
        .where(HelpRequest.network_id.in_(network_ids))
        .group_by(HelpRequest.status)
    ).all()
    return dict(rows)


def _volunteer_counts(network_ids) -> dict:
    rows = db.session.execute(
        select(VolunteerProfile.status, func.count(func.distinct(VolunteerProfile.id)))
        .join(Membership, Membership.user_id == VolunteerProfile.user_id)
        .where(Membership.network_id.in_(network_ids), Membership.role == Role.VOLUNTEER)
        .group_by(VolunteerProfile.status)
    ).all()
    return dict(rows)


def admin_panel() -> dict:
    network_ids = db.session.scalars(select(LocalNetwork.id)).all()
    return {
        "kind": "admin",
        "networks": len(network_ids),
        "requests_by_status": in_order(_status_counts(network_ids), PIPELINE),
        "volunteers_by_status": in_order(_volunteer_counts(network_ids), VolunteerStatus),
    }


def coordinator_panel(network: LocalNetwork) -> dict:
    ids = [network.id]
    statuses = _status_counts(ids)
    # The network's single figures in one statement.
    data_asks, locations, sessions_next_7_days = db.session.execute(
        select(
            privacy.open_count_query(ids).scalar_subquery(),
            select(func.count(Location.id)).where(Location.network_id == network.id).scalar_subquery(),
            select(func.count())
            .select_from(HelpSession.planned_next_week(network.id, utcnow()).subquery())
            .scalar_subquery(),
        )
    ).one()
    return {
        "kind": "coordinator",
        "network": network,
        "requests_by_status": in_order(statuses, PIPELINE),
        "open_requests": sum(c for s, c in statuses.items() if s in OPEN_STATUSES),
        "escalated": statuses.get(RequestStatus.ESCALATED, 0),
        "data_asks": data_asks,
        "volunteers_by_status": in_order(_volunteer_counts(ids), VolunteerStatus),
        "locations": locations,
        "sessions_next_7_days": sessions_next_7_days,
    }


def counter_panel(network: LocalNetwork) -> dict:
    start_of_day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "kind": "counter",
        "network": network,
        "registered_today": _count(
            select(HelpRequest.id).where(
                HelpRequest.network_id == network.id,
                HelpRequest.created_at >= start_of_day,
                HelpRequest.intake_channel.in_(("counter", "phone")),
            )
        ),
        "waiting": _count(
            select(HelpRequest.id).where(
                HelpRequest.network_id == network.id,
                HelpRequest.status.in_((RequestStatus.NEW, RequestStatus.MATCHING, RequestStatus.OFFERED)),
            )
        ),
    }


def volunteer_panel(profile: VolunteerProfile) -> dict:
    """What a volunteer needs on their home page: offers to answer, their requests, sessions and shifts
    to come, their figures this year, and what is still missing before they can help."""
    from flask import current_app
    from sqlalchemy.orm import joinedload

    from ..scheduling.models import DropInMoment, DropInShift
    from ..volunteers import services as volunteer_services

    now = utcnow()
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    sessions = db.session.execute(
        select(HelpSession.starts_at, HelpSession.ends_at).where(
            HelpSession.volunteer_id == profile.id,
            HelpSession.status == SessionStatus.DONE,
            HelpSession.starts_at >= year_start,
        )
    ).all()
    seconds = sum((ends - starts).total_seconds() for starts, ends in sessions)
    offers = db.session.scalars(
        select(Offer)
        # Each offer shows its request's topics and the resident's place: the request, resident and place
        # joined to the offers, the topics of all offers in one more statement.
        .options(
            joinedload(Offer.request).selectinload(HelpRequest.topics),
            joinedload(Offer.request).joinedload(HelpRequest.resident).joinedload(Resident.postcode),
        )
        .where(
            Offer.volunteer_id == profile.id,
            Offer.status == OfferStatus.PENDING,
            (Offer.expires_at.is_(None)) | (Offer.expires_at > now),
        )
        .order_by(Offer.expires_at)
    ).all()
    current = db.session.scalars(
        select(Offer)
        .options(joinedload(Offer.request))
        .join(HelpRequest, HelpRequest.id == Offer.request_id)
        .where(
            Offer.volunteer_id == profile.id,
            Offer.status == OfferStatus.ACCEPTED,
            HelpRequest.status.in_((RequestStatus.MATCHED, RequestStatus.SCHEDULED)),
        )
        .order_by(HelpRequest.created_at)
    ).all()
    upcoming = db.session.scalars(
        select(HelpSession)
        .options(joinedload(HelpSession.request), joinedload(HelpSession.location))
        .where(
            HelpSession.volunteer_id == profile.id,
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.ends_at >= now,
        )
        .order_by(HelpSession.starts_at)
        .limit(20)
    ).all()
    shifts = db.session.scalars(
        select(DropInShift)
        .options(joinedload(DropInShift.moment).joinedload(DropInMoment.location))
        .where(DropInShift.volunteer_id == profile.id, DropInShift.on_date >= local_today())
        .order_by(DropInShift.on_date)
        .limit(20)
    ).all()
    # The modules this volunteer takes (central ones and their networks' own), passed and still current.
    required_modules = volunteer_services.required_modules(profile)
    required = [m.id for m in required_modules]
    passed = volunteer_services.current_module_ids(profile, required_modules)
    # Whether the profile has languages, topics and free times, asked at once (the lists are not shown).
    present = db.session.execute(
        select(
            exists().where(VolunteerLanguage.volunteer_id == profile.id),
            exists().where(VolunteerTopic.volunteer_id == profile.id),
            exists().where(AvailabilitySlot.volunteer_id == profile.id),
        )
    ).one()
    missing = [
        part
        for part, found in zip(("languages", "topics", "availability"), present, strict=True)
        if not found
    ]
    return {
        "kind": "volunteer",
        "profile": profile,
        "offers": offers,
        "pending_offers": len(offers),
        "current_requests": current,
        "sessions": upcoming,
        "upcoming_sessions": len(upcoming),
        "shifts": shifts,
        "sessions_this_year": len(sessions),
        "hours_this_year": round(seconds / 3600, 1),
        "is_active": profile.status == VolunteerStatus.ACTIVE,
        "required_training": len(required),
        "required_training_done": len(set(required) & passed),
        "missing_profile_parts": missing,
        "session_pages": "sessions.detail" in current_app.view_functions,
    }


def panels_for(user) -> list[dict]:
    panels = []
    if user.is_admin:
        panels.append(admin_panel())
    seen = set()
    for membership in sorted(user.memberships, key=lambda m: (m.network.name, m.role)):
        key = (membership.network_id, membership.role)
        if key in seen:
            continue
        seen.add(key)
        if membership.role == Role.COORDINATOR:
            panels.append(coordinator_panel(membership.network))
        elif membership.role == Role.COUNTER:
            panels.append(counter_panel(membership.network))
    if user.volunteer_profile is not None:
        panels.append(volunteer_panel(user.volunteer_profile))
    return panels
