"""Offers: start matching, cascade to the next candidate, accept safely under concurrency, decline,
expire, escalate with counted reasons, assign directly, and the batch proposal."""

from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..core.db import retry_on_conflict, utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..extensions import db
from ..network.settings import central_settings, network_settings
from ..notifications.messages import tell_resident, tell_volunteer
from ..requests.models import HelpRequest, RequestStatus
from ..requests.services import change_status, record_event
from ..requests.signals import cancelled_by_resident, free_text_forgotten, status_details
from ..volunteers.models import VolunteerProfile
from ..volunteers.signals import access_ended
from . import batch, candidates, engine
from .engine import (
    WAIVABLE,
    Candidate,
    MatchResult,
    NearMiss,
    PoolIndex,
    Weights,
    failures,
    rank,
    rank_scores,
)
from .engine import near_misses as engine_near_misses
from .models import Offer, OfferStatus

OPEN_FOR_MATCHING = (
    RequestStatus.NEW,
    RequestStatus.MATCHING,
    RequestStatus.OFFERED,
    RequestStatus.ESCALATED,
)


def weights_for(network) -> Weights:
    """The matching weights that apply to the network (its own within the centre's bounds, else the
    centre's)."""
    return Weights.from_mapping(network_settings(network).weights)


def _matching(help_request: HelpRequest):
    """(the request as plain data, the networks whose volunteers may help, the weights that apply)."""
    data = candidates.request_data(help_request)
    settings = network_settings(help_request.network)
    network_ids = candidates.candidate_network_ids(
        help_request.network, data.latitude, data.longitude, settings
    )
    return data, network_ids, Weights.from_mapping(settings.weights)


def _ranked(help_request: HelpRequest, limit: int | None):
    """(the ranked candidates, the request as plain data, the networks whose volunteers may help)."""
    data, network_ids, weights = _matching(help_request)
    result = rank(data, candidates.prefiltered_volunteers(data, network_ids), weights, limit=limit)
    return result, data, network_ids


def _with_left_out(result: MatchResult, data, network_ids) -> MatchResult:
    """The engine counted those of the pre-filtered who still do not fit; add those the SQL left out."""
    result.reason_counts.update(candidates.prefilter_reasons(data, network_ids))
    return result


def suggestions(help_request: HelpRequest, limit: int | None = 20, with_reasons: bool = True) -> MatchResult:
    """Ranked candidates for a request (pre-filtered in SQL), with the reasons others were left out."""
    result, data, network_ids = _ranked(help_request, limit)
    return _with_left_out(result, data, network_ids) if with_reasons else result


def _notify_volunteer_of_offer(offer: Offer) -> None:
    tell_volunteer(
        offer.volunteer,
        "volunteer_offer",
        key=f"offer-{offer.id}",
        kind="offer",
        network_id=offer.request.network_id,
        offer=offer,
    )


def _notify_resident_matched(help_request: HelpRequest, volunteer: VolunteerProfile) -> None:
    tell_resident(
        help_request.resident,
        "matched",
        key=f"matched-{help_request.id}-{volunteer.id}",
        request=help_request,
        volunteer=volunteer,
    )


def _escalate(help_request: HelpRequest, reasons: dict, actor=None) -> None:
    help_request.escalation_reasons = {k: int(v) for k, v in reasons.items()}
    if help_request.status != RequestStatus.ESCALATED:
        change_status(
            help_request,
            RequestStatus.ESCALATED,
            actor,
            note=engine.reasons_note(reasons),
        )


def offer_next(help_request: HelpRequest, actor=None, now=None) -> Offer | None:
    """Offer the request to the best candidate not asked yet, or escalate when rounds or candidates run
    out."""
    now = now or utcnow()
    result, data, network_ids = _ranked(help_request, limit=1)
    out_of_rounds = help_request.offer_round >= network_settings(help_request.network).max_offer_rounds
    if out_of_rounds or result.best is None:
        reasons = result.reason_counts + candidates.prefilter_reasons(data, network_ids)
        if out_of_rounds:
            reasons["rounds"] = help_request.offer_round
        _escalate(help_request, dict(reasons), actor)
        return None
    best = result.best
    offer = _new_offer(help_request, best.volunteer_id, actor, now, candidate=best)
    db.session.flush()
    if help_request.status != RequestStatus.OFFERED:
        change_status(help_request, RequestStatus.OFFERED, actor)
    record_event(help_request, "offer", actor, note=f"round {offer.round}: volunteer {best.volunteer_id}")
    _notify_volunteer_of_offer(offer)
    return offer


def start_matching(help_request: HelpRequest, actor=None) -> Offer | None:
    if help_request.status not in (RequestStatus.NEW, RequestStatus.ESCALATED):
        raise DomainError(_("Matching has already started for this request."))
    help_request.offer_round = 0
    change_status(help_request, RequestStatus.MATCHING, actor)
    offer = offer_next(help_request, actor)
    db.session.commit()
    return offer


# What a coordinator may change in a request that changes who fits it.
REMATCH_ON = frozenset({"topics", "mode", "address", "languages", "times"})


def rematch_after_change(help_request: HelpRequest, changed, actor=None) -> Offer | None:
    """After a coordinator changed what a request asks, the offers still open were made for the old
    request: withdraw them and look again from the first round. A request that has its digibuddy keeps
    them (the coordinator plans with them)."""
    waiting = (RequestStatus.MATCHING, RequestStatus.OFFERED, RequestStatus.ESCALATED)
    if not REMATCH_ON & set(changed) or help_request.status not in waiting:
        return None
    now = utcnow()
    for offer in db.session.scalars(
        select(Offer).where(Offer.request_id == help_request.id, Offer.status == OfferStatus.PENDING)
    ):
        offer.status = OfferStatus.WITHDRAWN
        offer.responded_at = now
    help_request.offer_round = 0
    if help_request.status != RequestStatus.MATCHING:
        change_status(help_request, RequestStatus.MATCHING, actor)
    return offer_next(help_request, actor, now)


def check_volunteer_may_help(
    help_request: HelpRequest, volunteer: VolunteerProfile
) -> list[tuple[str, dict]]:
    """Even a coordinator's own choice must be an active, vetted volunteer of a network that may take it.
    Returns the other hard rules this volunteer fails (full, too far, ...): waived only with a reason."""
    data = candidates.request_data(help_request)
    network_ids = candidates.candidate_network_ids(help_request.network, data.latitude, data.longitude)
    found = candidates.all_volunteers(network_ids, data, volunteer_id=volunteer.id)
    if not found:
        raise DomainError(_("This digibuddy does not belong to a network that can take this request."))
    if not (found[0].active and found[0].vetted):
        raise DomainError(_("Only active digibuddies whose screening is complete can help residents."))
    return [(rule, detail) for rule, detail in failures(data, found[0]) if rule in WAIVABLE]


def suggestions_and_near_misses(
    help_request: HelpRequest, limit: int = 20, near_limit: int = 10
) -> tuple[MatchResult, list[NearMiss]]:
    """The coordinator's matching page: the ranked candidates with the reasons the others do not fit, as
    `suggestions` finds them (the pre-filtered volunteers ranked, the reasons of those left out counted in
    SQL), and the near misses, from the volunteers who fail at most one waivable rule of the pre-filter
    (candidates.within_one_rule: the pre-filtered among them, read in the same statement). Only those are
    loaded, not every volunteer of the networks: a near miss fails one waivable rule only, so it is among
    them (the pre-filter's distance is a box wider than the radius)."""
    data, network_ids, weights = _matching(help_request)
    passing, within_one = candidates.within_one_rule(data, network_ids)
    result = _with_left_out(rank(data, passing, weights, limit=limit), data, network_ids)
    return result, engine_near_misses(data, within_one, weights, near_limit)


def near_misses(help_request: HelpRequest, limit: int = 10) -> list[NearMiss]:
    """The volunteers who fail exactly one rule that a coordinator may waive (full, too far, another
    topic, language or way of helping), best first."""
    data, network_ids, weights = _matching(help_request)
    return engine_near_misses(data, candidates.within_one_rule(data, network_ids)[1], weights, limit)


def _waiver(waived: list[tuple[str, dict]], reason: str | None) -> list[dict]:
    """The explanation parts that record which rules were waived and why (shown to the volunteer)."""
    reason = (reason or "").strip()
    if waived and not reason:
        raise DomainError(
            _("This digibuddy does not meet every rule. Give a reason to ask them anyway."), "reason"
        )
    return [{"kind": "waived", "rule": rule, "detail": detail, "note": reason} for rule, detail in waived]


def offer_to(
    help_request: HelpRequest, volunteer: VolunteerProfile, actor, reason: str | None = None
) -> Offer:
    """The coordinator offers the request to a volunteer of their choice (who still has to accept); one who
    fails a rule (a near miss) is asked anyway only with a reason, logged and shown to the volunteer."""
    if help_request.status not in OPEN_FOR_MATCHING:
        raise DomainError(_("This request is not waiting for a digibuddy."))
    waiver = _waiver(check_volunteer_may_help(help_request, volunteer), reason)
    if db.session.scalar(
        select(Offer.id).where(Offer.request_id == help_request.id, Offer.volunteer_id == volunteer.id)
    ):
        raise DomainError(_("This digibuddy was already asked for this request."))
    offer = _new_offer(help_request, volunteer.id, actor, utcnow())
    if waiver:
        offer.explanation = waiver
    db.session.flush()
    if help_request.status != RequestStatus.OFFERED:
        if help_request.status == RequestStatus.NEW:
            change_status(help_request, RequestStatus.MATCHING, actor)
        change_status(help_request, RequestStatus.OFFERED, actor)
    if waiver:
        record_event(
            help_request, "offered_anyway", actor, note=f"{volunteer.user.name}: {waiver[0]['note']}"
        )
    else:
        record_event(
            help_request, "offer", actor, note=f"offered by the coordinator to volunteer {volunteer.id}"
        )
    _notify_volunteer_of_offer(offer)
    db.session.commit()
    return offer


def _new_offer(
    help_request: HelpRequest,
    volunteer_id: int,
    actor,
    now,
    candidate: Candidate | None = None,
    expires: bool = True,
) -> Offer:
    """The request's next round: a pending offer to one volunteer (with the engine's score and explanation
    when the engine chose them), expiring after the network's offer time unless `expires` is False."""
    help_request.offer_round += 1
    hours = network_settings(help_request.network).offer_timeout_hours
    offer = Offer(
        request_id=help_request.id,
        volunteer_id=volunteer_id,
        round=help_request.offer_round,
        status=OfferStatus.PENDING,
        created_at=now,
        created_by_id=getattr(actor, "id", None),
        expires_at=now + timedelta(hours=hours) if expires else None,
    )
    if candidate is not None:
        offer.score, offer.explanation = candidate.score, candidate.explanation
    db.session.add(offer)
    return offer


def _withdraw_other_offers(request_id: int, keep_offer_id: int, now) -> None:
    db.session.execute(
        update(Offer)
        .where(Offer.request_id == request_id, Offer.id != keep_offer_id, Offer.status == OfferStatus.PENDING)
        .values(status=OfferStatus.WITHDRAWN, responded_at=now)
    )


class AlreadyTaken(DomainError):
    pass


def _taken_by_another() -> AlreadyTaken:
    return AlreadyTaken(
        _("Another digibuddy accepted this request just before you. Thank you for being ready to help!")
    )


def accept_offer(offer_id: int, volunteer: VolunteerProfile, attempts: int = 5) -> HelpRequest:
    """Accept a pending offer. When two volunteers accept the same request at the same instant, the partial
    unique index on offers lets exactly one of them win; the other gets AlreadyTaken."""
    return retry_on_conflict(
        lambda: _accept_once(offer_id, volunteer),
        on_duplicate=_taken_by_another,
        fresh_transaction=True,
        attempts=attempts,
    )


def _accept_once(offer_id: int, volunteer: VolunteerProfile) -> HelpRequest:
    now = utcnow()
    request_id = db.session.scalar(select(Offer.request_id).where(Offer.id == offer_id))
    # Queue the accepts of one request behind a row lock (PostgreSQL), so racing volunteers wait for the
    # winner instead of deadlocking on the unique index; SQLite serialises writers by itself.
    db.session.execute(select(HelpRequest.id).where(HelpRequest.id == request_id).with_for_update())
    updated = db.session.execute(
        update(Offer)
        .where(
            Offer.id == offer_id,
            Offer.volunteer_id == volunteer.id,
            Offer.status == OfferStatus.PENDING,
            or_(Offer.expires_at.is_(None), Offer.expires_at > now),
        )
        .values(status=OfferStatus.ACCEPTED, responded_at=now)
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount != 1:
        db.session.rollback()
        offer = db.session.get(Offer, offer_id)
        if offer is not None and offer.status == OfferStatus.WITHDRAWN:
            raise _taken_by_another()
        raise DomainError(_("This offer is no longer open."))
    offer = db.session.get(Offer, offer_id)
    db.session.refresh(offer)
    help_request = offer.request
    moved = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status.in_(OPEN_FOR_MATCHING))
        .values(status=RequestStatus.MATCHED, status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise _taken_by_another()
    db.session.refresh(help_request)
    _withdraw_other_offers(help_request.id, offer.id, now)
    record_event(
        help_request,
        "status",
        volunteer.user,
        note=f"accepted by volunteer {volunteer.id}",
        from_status=RequestStatus.OFFERED,
        to_status=RequestStatus.MATCHED,
    )
    help_request.escalation_reasons = None
    _notify_resident_matched(help_request, volunteer)
    db.session.commit()
    return help_request


def decline_offer(offer: Offer, volunteer: VolunteerProfile, reason: str | None) -> Offer | None:
    """Decline with a reason; the request passes to the next candidate at once."""
    if offer.volunteer_id != volunteer.id or offer.status != OfferStatus.PENDING:
        raise DomainError(_("This offer is no longer open."))
    offer.status = OfferStatus.DECLINED
    offer.responded_at = utcnow()
    offer.decline_reason = (reason or "").strip()[:500] or None
    help_request = offer.request
    record_event(help_request, "declined", volunteer.user, note=offer.decline_reason)
    next_offer = None
    if help_request.status == RequestStatus.OFFERED and not _has_pending(help_request.id):
        change_status(help_request, RequestStatus.MATCHING, volunteer.user)
        next_offer = offer_next(help_request)
    db.session.commit()
    return next_offer


def _has_pending(request_id: int) -> bool:
    return (
        db.session.scalar(
            select(Offer.id)
            .where(Offer.request_id == request_id, Offer.status == OfferStatus.PENDING)
            .limit(1)
        )
        is not None
    )


def expire_offers(now=None) -> int:
    """Expire pending offers past their time and cascade each request to its next candidate (idempotent)."""
    now = now or utcnow()
    expired = db.session.scalars(
        select(Offer).where(Offer.status == OfferStatus.PENDING, Offer.expires_at <= now)
    ).all()
    for offer in expired:
        offer.status = OfferStatus.EXPIRED
        offer.responded_at = now
        help_request = offer.request
        record_event(help_request, "offer_expired", note=f"volunteer {offer.volunteer_id}")
        db.session.flush()
        if help_request.status == RequestStatus.OFFERED and not _has_pending(help_request.id):
            change_status(help_request, RequestStatus.MATCHING)
            offer_next(help_request, now=now)
        db.session.commit()
    return len(expired)


def start_new_requests(limit: int = 200) -> int:
    """Start matching for requests that arrived since the last run (scheduled job)."""
    requests = db.session.scalars(
        select(HelpRequest)
        .where(HelpRequest.status == RequestStatus.NEW)
        .order_by(HelpRequest.created_at)
        .limit(limit)
    ).all()
    for help_request in requests:
        start_matching(help_request)
    return len(requests)


def assign_directly(help_request: HelpRequest, volunteer: VolunteerProfile, actor, reason: str) -> Offer:
    """The coordinator assigns a volunteer without asking; the reason goes into the event log."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for assigning directly."), "reason")
    if help_request.status not in OPEN_FOR_MATCHING:
        raise DomainError(_("This request is not waiting for a digibuddy."))
    waiver = _waiver(check_volunteer_may_help(help_request, volunteer), reason)
    now = utcnow()
    offer = db.session.scalar(
        select(Offer).where(Offer.request_id == help_request.id, Offer.volunteer_id == volunteer.id)
    )
    if offer is None:
        offer = _new_offer(help_request, volunteer.id, actor, now, expires=False)
    offer.status = OfferStatus.ACCEPTED
    offer.direct_assignment = True
    if waiver:
        offer.explanation = [*(offer.explanation or []), *waiver]
    offer.responded_at = now
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyTaken(_("Another digibuddy accepted this request just before you.")) from None
    _withdraw_other_offers(help_request.id, offer.id, now)
    change_status(
        help_request, RequestStatus.MATCHED, actor, note=_("Assigned directly: %(reason)s", reason=reason)
    )
    help_request.escalation_reasons = None
    _notify_resident_matched(help_request, volunteer)
    db.session.commit()
    return offer


def open_requests_for_batch(network_ids) -> list[HelpRequest]:
    """Requests waiting for a digibuddy with nobody asked right now."""
    pending = select(Offer.request_id).where(Offer.status == OfferStatus.PENDING)
    return db.session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.network_id.in_(network_ids),
            HelpRequest.status.in_((RequestStatus.NEW, RequestStatus.MATCHING, RequestStatus.ESCALATED)),
            HelpRequest.id.not_in(pending),
        )
        .order_by(HelpRequest.created_at)
    ).all()


def batch_proposal(network_ids, per_request: int | None = None):
    """Score every open request against its candidates and solve the assignment exactly.

    Loads the requests and the volunteers of the networks once, in bulk, then scores in memory.
    Returns (proposal, scores, ranked) where ranked[request_id] lists the candidates best first (their
    volunteer id, score and distance: engine.Scored)."""
    open_requests = open_requests_for_batch(network_ids)
    data = candidates.bulk_request_data(open_requests)
    central = central_settings()
    settings_of = {n.id: network_settings(n, central) for n in {r.network for r in open_requests}}
    weights_of = {network_id: Weights.from_mapping(s.weights) for network_id, s in settings_of.items()}
    pool_networks: dict[int, list[int]] = {}
    for help_request in open_requests:
        d = data[help_request.id]
        pool_networks[help_request.id] = candidates.candidate_network_ids(
            help_request.network, d.latitude, d.longitude, settings_of[help_request.network_id]
        )
    all_networks = sorted({n for ids in pool_networks.values() for n in ids})
    pools = candidates.volunteers_by_network(all_networks, [d.resident_id for d in data.values()])
    scores: dict[int, dict[int, float]] = {}
    ranked: dict[int, list] = {}
    distance_memo: dict = {}  # the requests of one network share its locations
    pool_of: dict[tuple, PoolIndex] = {}  # requests of one network (and its overflow) share one pool
    for help_request in open_requests:
        networks = tuple(pool_networks[help_request.id])
        if networks not in pool_of:
            seen, pool = set(), []
            for network_id in networks:
                for volunteer in pools.get(network_id, ()):
                    if volunteer.id not in seen:
                        seen.add(volunteer.id)
                        pool.append(volunteer)
            pool_of[networks] = PoolIndex(pool)
        request_data = data[help_request.id]
        found = rank_scores(
            request_data,
            pool_of[networks].shortlist(request_data),
            weights_of[help_request.network_id],
            distance_memo=distance_memo,
        )[:per_request]
        ranked[help_request.id] = found
        scores[help_request.id] = {c.volunteer_id: c.score for c in found}
    # Free places as loaded with the pools (the same transaction, so the same as asking again).
    capacity = {v.id: v.free_capacity for volunteers in pools.values() for v in volunteers}
    return batch.propose(scores, capacity), scores, ranked


def confirm_batch(pairs: list[tuple[int, int]], network_ids, actor) -> int:
    """Turn the confirmed (request, volunteer) pairs into offers; pairs outside the caller's networks are
    ignored."""
    made = 0
    for request_id, volunteer_id in pairs:
        help_request = db.session.get(HelpRequest, request_id)
        volunteer = db.session.get(VolunteerProfile, volunteer_id)
        if help_request is None or volunteer is None or help_request.network_id not in network_ids:
            continue
        try:
            offer_to(help_request, volunteer, actor)
            made += 1
        except DomainError:
            db.session.rollback()
    return made


# ------------------------------------------------------------------------------------------ weights preview
PREVIEW_REQUESTS = 50


@dataclass
class PreviewRow:
    """One matched request ranked again: the top candidate with the weights that apply and with others."""

    request: HelpRequest
    before: Candidate | None
    after: Candidate | None

    @property
    def changed(self) -> bool:
        return getattr(self.before, "volunteer_id", None) != getattr(self.after, "volunteer_id", None)


def last_matched_requests(network, limit: int = PREVIEW_REQUESTS) -> list[HelpRequest]:
    """The network's requests most recently matched (accepted by a digibuddy or assigned), newest first."""
    accepted = (
        select(Offer.request_id, func.max(Offer.responded_at).label("at"))
        .where(Offer.status == OfferStatus.ACCEPTED)
        .group_by(Offer.request_id)
        .subquery()
    )
    return db.session.scalars(
        select(HelpRequest)
        .join(accepted, accepted.c.request_id == HelpRequest.id)
        .where(HelpRequest.network_id == network.id)
        .order_by(accepted.c.at.desc(), HelpRequest.id.desc())
        .limit(limit)
    ).all()


def weights_preview(network, weights: Weights, limit: int = PREVIEW_REQUESTS) -> list[PreviewRow]:
    """How the top suggestion of the network's last matched requests changes with other weights: each
    request is ranked again by the engine against today's digibuddies, once with the weights that apply
    and once with `weights`. Who was asked then does not count (the engine would skip them otherwise)."""
    current = weights_for(network)
    requests = last_matched_requests(network, limit)
    data = candidates.bulk_request_data(requests)
    residents = sorted({d.resident_id for d in data.values() if d.resident_id is not None})
    pools: dict[tuple, list] = {}
    rows = []
    for help_request in requests:
        request_data = replace(data[help_request.id], already_asked=frozenset())
        networks = tuple(
            candidates.candidate_network_ids(network, request_data.latitude, request_data.longitude)
        )
        if networks not in pools:
            pools[networks] = candidates.every_volunteer(networks, residents)
        before = rank(request_data, pools[networks], current, limit=1).best
        after = rank(request_data, pools[networks], weights, limit=1).best
        rows.append(PreviewRow(help_request, before, after))
    return rows


ESCALATE_AFTER = timedelta(days=5)


def escalate_waiting(now=None) -> int:
    """Requests still without a digibuddy after ESCALATE_AFTER go to the coordinator."""
    now = now or utcnow()
    waiting = db.session.scalars(
        select(HelpRequest).where(
            HelpRequest.status.in_((RequestStatus.MATCHING, RequestStatus.OFFERED)),
            HelpRequest.created_at <= now - ESCALATE_AFTER,
        )
    ).all()
    for help_request in waiting:
        days = (now - help_request.created_at).days
        reasons = dict(help_request.escalation_reasons or {})
        reasons["waiting"] = days
        _escalate(help_request, reasons)
        db.session.commit()
    return len(waiting)


# The request's own moments (requests.signals), for the offers of that request.


@cancelled_by_resident.connect
def _withdraw_on_cancel(help_request: HelpRequest, **_) -> None:
    for offer in db.session.scalars(
        select(Offer).where(Offer.request_id == help_request.id, Offer.status == OfferStatus.PENDING)
    ):
        offer.status = OfferStatus.WITHDRAWN
        offer.responded_at = utcnow()


@free_text_forgotten.connect
def _forget_decline_reasons(_sender, request_ids, **_) -> None:
    db.session.execute(update(Offer).where(Offer.request_id.in_(request_ids)).values(decline_reason=None))


@status_details.connect
def _volunteer_first_name(help_request: HelpRequest, **_) -> dict:
    """The resident's status page names the digibuddy who accepted, once one has."""
    if help_request.status not in (RequestStatus.MATCHED, RequestStatus.SCHEDULED, RequestStatus.COMPLETED):
        return {}
    offer = db.session.scalar(
        select(Offer).where(Offer.request_id == help_request.id, Offer.status == OfferStatus.ACCEPTED)
    )
    return {"volunteer_first_name": offer.volunteer.user.first_name} if offer is not None else {}


# A volunteer's moment (volunteers.signals): a digibuddy whose access ends gives back their offers.

# The requests a digibuddy is working on: accepted, not yet completed or closed.
IN_HAND = (RequestStatus.MATCHED, RequestStatus.SCHEDULED)


@access_ended.connect
def _give_back_offers(profile: VolunteerProfile, actor=None, reason=None, now=None, **_) -> dict:
    """Pending offers are withdrawn and passed on to the next candidate; accepted requests go back to
    matching, with a full new round of offers (it is not the request's doing) and the reason in the log."""
    now = now or utcnow()
    offers, requests = [], []
    for offer in db.session.scalars(
        select(Offer)
        .where(Offer.volunteer_id == profile.id, Offer.status == OfferStatus.PENDING)
        .order_by(Offer.id)
    ).all():
        offer.status, offer.responded_at = OfferStatus.WITHDRAWN, now
        help_request = offer.request
        record_event(help_request, "offer_withdrawn", actor, note=reason)
        db.session.flush()
        if help_request.status == RequestStatus.OFFERED and not _has_pending(help_request.id):
            change_status(help_request, RequestStatus.MATCHING, actor)
            offer_next(help_request, actor, now=now)
        offers.append(offer)
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
        offer.status, offer.responded_at = OfferStatus.WITHDRAWN, now
        db.session.flush()  # no accepted offer any more: another digibuddy may take the request
        record_event(help_request, "volunteer_stopped", actor, note=reason)
        help_request.offer_round = 0
        change_status(help_request, RequestStatus.MATCHING, actor, note=reason)
        offer_next(help_request, actor, now=now)
        requests.append(help_request)
    return {"offers": offers, "requests": requests}
