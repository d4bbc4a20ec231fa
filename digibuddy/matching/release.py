"""A digibuddy whose access ends (suspended, or left) gives back their work at once: pending offers are
withdrawn and passed on, accepted requests go back to matching, sessions still to come are cancelled with
the resident told, and the coordinators get one message that lists it all."""

from dataclasses import dataclass, field

from sqlalchemy import select

from ..accounts.models import Role
from ..accounts.services import coordinators_of
from ..core.db import utcnow
from ..extensions import db
from ..notifications.messages import tell_resident, tell_user
from ..requests.models import HelpRequest, RequestStatus
from ..requests.services import change_status, record_event
from ..scheduling.models import HelpSession, SessionStatus
from ..volunteers.models import VolunteerProfile
from .models import Offer, OfferStatus
from .services import _has_pending, offer_next

# The requests a digibuddy is working on: accepted, not yet completed or closed.
IN_HAND = (RequestStatus.MATCHED, RequestStatus.SCHEDULED)


@dataclass
class Released:
    """What went back when a digibuddy's access ended (listed in the coordinators' message)."""

    offers: list[Offer] = field(default_factory=list)
    requests: list[HelpRequest] = field(default_factory=list)
    sessions: list[HelpSession] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.offers or self.requests or self.sessions)


def release_volunteer(profile: VolunteerProfile, actor, reason: str | None) -> Released:
    """Give back everything the digibuddy holds, in the caller's transaction (volunteers.change_status)."""
    now = utcnow()
    released = Released()
    for offer in db.session.scalars(
        select(Offer)
        .where(Offer.volunteer_id == profile.id, Offer.status == OfferStatus.PENDING)
        .order_by(Offer.id)
    ):
        offer.status, offer.responded_at = OfferStatus.WITHDRAWN, now
        help_request = offer.request
        record_event(help_request, "offer_withdrawn", actor, note=reason)
        db.session.flush()
        if help_request.status == RequestStatus.OFFERED and not _has_pending(help_request.id):
            change_status(help_request, RequestStatus.MATCHING, actor)
            offer_next(help_request, actor, now=now)
        released.offers.append(offer)

    for offer in db.session.scalars(
        select(Offer)
        .join(HelpRequest, HelpRequest.id == Offer.request_id)
        .where(
            Offer.volunteer_id == profile.id,
            Offer.status == OfferStatus.ACCEPTED,
            HelpRequest.status.in_(IN_HAND),
        )
        .order_by(Offer.id)
    ).all():
        help_request = offer.request
        released.sessions += _cancel_coming_sessions(help_request, profile, actor, reason, now)
        offer.status, offer.responded_at = OfferStatus.WITHDRAWN, now
        db.session.flush()  # the request has no accepted offer any more: another digibuddy may take it
        record_event(help_request, "volunteer_stopped", actor, note=reason)
        help_request.offer_round = 0  # not the request's doing: a full new round of offers
        change_status(help_request, RequestStatus.MATCHING, actor, note=reason)
        offer_next(help_request, actor, now=now)
        released.requests.append(help_request)

    if released:
        _tell_coordinators(profile, released, reason, now)
    return released


def _cancel_coming_sessions(help_request, profile, actor, reason, now) -> list[HelpSession]:
    """Cancel the digibuddy's planned sessions of this request that have not started; tell the resident."""
    sessions = db.session.scalars(
        select(HelpSession)
        .where(
            HelpSession.request_id == help_request.id,
            HelpSession.volunteer_id == profile.id,
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.starts_at > now,
        )
        .order_by(HelpSession.starts_at)
    ).all()
    for session in sessions:
        session.status = SessionStatus.CANCELLED
        session.cancel_reason = (reason or "")[:500] or None
        record_event(
            help_request,
            "session_cancelled",
            actor,
            note=f"#{session.id}" + (f" · {reason}" if reason else ""),
        )
        tell_resident(
            help_request.resident,
            "session_cancelled_new_digibuddy",
            key=f"session-{session.id}-volunteer-stopped-resident",
            request=help_request,
            session=session,
        )
    return sessions


def _tell_coordinators(profile, released: Released, reason: str | None, now) -> None:
    """One message to each coordinator of the digibuddy's networks and of the requests concerned, listing
    only what belongs to the networks they coordinate."""
    network_ids = {m.network_id for m in profile.user.memberships if m.role == Role.VOLUNTEER}
    network_ids |= {r.network_id for r in released.requests}
    network_ids |= {o.request.network_id for o in released.offers}
    told = set()
    for network_id in sorted(network_ids):
        for coordinator in coordinators_of(network_id):
            if coordinator.id in told:
                continue
            told.add(coordinator.id)
            theirs = coordinator.network_ids(Role.COORDINATOR)
            tell_user(
                coordinator,
                "volunteer_access_ended",
                key=f"volunteer-{profile.id}-access-ended-{now.isoformat()}-{coordinator.id}",
                network_id=network_id,
                volunteer=profile,
                offers=[o for o in released.offers if o.request.network_id in theirs],
                requests=[r for r in released.requests if r.network_id in theirs],
                sessions=[s for s in released.sessions if s.request.network_id in theirs],
                reason=reason,
            )
