"""State changes of residents and their requests: intake through every channel, status, cancellation."""

import hmac
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import String, func, or_, select, type_coerce
from sqlalchemy.orm import selectinload

from ..audit.signals import person_records
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..core.phones import InvalidPhone, normalise_phone, stored_phone
from ..core.time import local_today
from ..extensions import db
from ..notifications.messages import tell_resident
from ..notifications.models import MessageChannel
from ..reference.models import Language, Topic
from .lifecycle import can_transition, resident_can_cancel
from .models import (
    OPEN_STATUSES,
    AgeBand,
    DayPart,
    HelpMode,
    HelpRequest,
    IntakeChannel,
    RequestEvent,
    RequestStatus,
    RequestTimeWindow,
    Resident,
    ResidentLanguage,
    request_topics,
)
from .references import looks_valid, new_reference, normalise_reference
from .signals import cancelled_by_resident

CONSENT_VERSION = "2026-01"


@dataclass
class ResidentDetails:
    first_name: str
    postcode: str
    locale: str = "nl"
    phone: str | None = None
    email: str | None = None
    has_no_email: bool = False
    street_address: str | None = None
    age_band: AgeBand | None = None
    needs_low_vision: bool = False
    needs_hearing: bool = False
    needs_mobility: bool = False
    languages: list[str] = field(default_factory=list)


@dataclass
class RequestDetails:
    topic_ids: list[int]
    preferred_mode: HelpMode
    languages: list[str]
    description: str | None = None
    deadline: date | None = None
    time_windows: list[tuple[int, DayPart]] = field(default_factory=list)


def _unique_reference() -> str:
    while True:
        reference = new_reference()
        if db.session.scalar(select(HelpRequest.id).where(HelpRequest.reference == reference)) is None:
            return reference


def record_event(
    request: HelpRequest, kind: str, actor=None, note: str | None = None, from_status=None, to_status=None
) -> RequestEvent:
    event = RequestEvent(
        kind=kind,
        actor_id=getattr(actor, "id", None),
        note=note,
        from_status=from_status,
        to_status=to_status,
        at=utcnow(),
    )
    request.events.append(event)
    return event


def change_status(request: HelpRequest, target: RequestStatus, actor=None, note: str | None = None) -> None:
    """Move a request to another status, refusing transitions the life cycle does not allow, and log it."""
    if not can_transition(request.status, target):
        raise DomainError(
            _(
                "This request cannot go from “%(current)s” to “%(target)s”.",
                current=request.status.value,
                target=target.value,
            )
        )
    previous = request.status
    request.status = target
    request.status_changed_at = utcnow()
    record_event(request, "status", actor, note, previous, target)


def _apply_resident_details(resident: Resident, details: ResidentDetails) -> None:
    resident.first_name = details.first_name.strip()
    resident.postcode_code = details.postcode
    resident.locale = details.locale
    resident.phone = stored_phone(details.phone)
    resident.email = (details.email or "").strip() or None
    resident.has_no_email = details.has_no_email and not resident.email
    if details.street_address:
        resident.street_address = details.street_address.strip()
    resident.age_band = details.age_band
    resident.needs_low_vision = details.needs_low_vision
    resident.needs_hearing = details.needs_hearing
    resident.needs_mobility = details.needs_mobility
    known = {rl.language_code for rl in resident.languages}
    for code in details.languages:
        if code not in known:
            resident.languages.append(ResidentLanguage(language_code=code))


def create_request(
    *,
    network,
    resident_details: ResidentDetails,
    request_details: RequestDetails,
    channel: IntakeChannel,
    consent_given: bool,
    resident: Resident | None = None,
    staff=None,
    intake_location_id: int | None = None,
) -> HelpRequest:
    """Register a request (and its resident, unless an existing one is given) in the network's queue.

    The resident's confirmation (e-mail or SMS, when they gave one) is queued in the same transaction."""
    if not consent_given:
        raise DomainError(_("We can only help you if you agree that we store these details."), "consent")
    topics, languages = _checked_request_details(
        request_details, resident_details.street_address or (resident and resident.street_address)
    )

    attached = False
    if resident is None and channel == IntakeChannel.ONLINE:
        # The same person asking online again is one resident, not two: attach to them.
        resident = same_resident(network.id, resident_details)
        attached = resident is not None
    if resident is None:
        resident = Resident(network_id=network.id, created_by_id=getattr(staff, "id", None))
        db.session.add(resident)
    elif resident.network_id != network.id:
        raise DomainError(_("This resident belongs to another local network."))
    if attached:
        _add_resident_details(resident, resident_details)
    else:
        _apply_resident_details(resident, resident_details)
    resident.consent_at = utcnow()
    resident.consent_channel = channel
    resident.consent_version = CONSENT_VERSION

    request = HelpRequest(
        reference=_unique_reference(),
        resident=resident,
        network_id=network.id,
        intake_channel=channel,
        preferred_mode=request_details.preferred_mode,
        description=(request_details.description or "").strip() or None,
        deadline=request_details.deadline,
        status=RequestStatus.NEW,
        created_by_id=getattr(staff, "id", None),
        intake_location_id=intake_location_id,
    )
    request.topics = list(topics)
    request.languages = list(languages)
    request.time_windows = [
        RequestTimeWindow(weekday=d, day_part=p) for d, p in sorted(set(request_details.time_windows))
    ]
    db.session.add(request)
    record_event(request, "created", staff, note=channel.value, to_status=RequestStatus.NEW)
    if attached:
        record_event(request, "resident_recognised", staff)
    db.session.flush()
    _queue_confirmation(request)
    db.session.commit()
    return request


def _checked_request_details(details: RequestDetails, street_address: str | None) -> tuple[list, list]:
    """The request's active topics and its languages, or a DomainError naming the field to correct."""
    topics = db.session.scalars(
        select(Topic).where(Topic.id.in_(details.topic_ids), Topic.active.is_(True))
    ).all()
    if not topics:
        raise DomainError(_("Choose at least one thing you want help with."), "topics")
    languages = db.session.scalars(select(Language).where(Language.code.in_(details.languages))).all()
    if not languages:
        raise DomainError(_("Choose at least one language you speak."), "languages")
    if details.deadline and details.deadline < local_today():
        raise DomainError(_("This date has already passed."), "deadline")
    if details.preferred_mode == HelpMode.HOME and not street_address:
        raise DomainError(_("For a visit at home we need your street and house number."), "street_address")
    return list(topics), list(languages)


def change_request(
    request: HelpRequest, details: RequestDetails, street_address: str | None, actor
) -> list[str]:
    """A coordinator changes what an open request asks. Returns what changed, in the order of the form
    ("topics", "mode", "address", "languages", "times", "description", "deadline"), also written to the
    event log; nothing changed, nothing logged. The caller commits (matching may look again first)."""
    if request.status not in OPEN_STATUSES or request.resident.anonymised_at is not None:
        raise DomainError(_("A closed request cannot be changed."))
    street_address = (street_address or "").strip() or None
    resident = request.resident
    topics, languages = _checked_request_details(details, street_address or resident.street_address)
    windows = sorted(set(details.time_windows))
    before = {
        "topics": {t.id for t in request.topics},
        "mode": request.preferred_mode,
        "address": resident.street_address,
        "languages": {language.code for language in request.languages},
        "times": sorted((w.weekday, DayPart(w.day_part)) for w in request.time_windows),
        "description": request.description,
        "deadline": request.deadline,
    }
    after = {
        "topics": {t.id for t in topics},
        "mode": details.preferred_mode,
        "address": street_address or resident.street_address,
        "languages": {language.code for language in languages},
        "times": windows,
        "description": (details.description or "").strip() or None,
        "deadline": details.deadline,
    }
    changed = [part for part in before if before[part] != after[part]]
    if not changed:
        return []
    request.topics = topics
    request.preferred_mode = details.preferred_mode
    resident.street_address = after["address"]
    request.languages = languages
    if "times" in changed:
        request.time_windows = [RequestTimeWindow(weekday=d, day_part=p) for d, p in windows]
    request.description = after["description"]
    request.deadline = details.deadline
    record_event(request, "request_changed", actor, note=", ".join(changed))
    return changed


def _same_phone(first: str | None, second: str | None) -> bool:
    try:
        return bool(first and second) and normalise_phone(first) == normalise_phone(second)
    except InvalidPhone:
        return False


def same_resident(network_id: int, details: ResidentDetails) -> Resident | None:
    """The resident of this network who is most likely the same person: the same phone number, or the
    same first name and postcode (the oldest such resident, so that every duplicate joins the first)."""
    found = search_residents(
        [network_id], first_name=details.first_name, postcode=details.postcode, phone=details.phone
    )
    name = (details.first_name or "").strip().lower()
    for resident in sorted(found, key=lambda r: (r.created_at, r.id)):
        if _same_phone(resident.phone, details.phone) or (
            resident.first_name.lower() == name and resident.postcode_code == details.postcode
        ):
            return resident
    return None


def _add_resident_details(resident: Resident, details: ResidentDetails) -> None:
    """What a recognised resident tells us again: new contact details replace old ones, nothing is erased.
    The record's first name and postcode stay: their earlier codes are looked up with that postcode."""
    name, postcode = resident.first_name, resident.postcode_code
    kept = {
        "phone": resident.phone,
        "email": resident.email,
        "street_address": resident.street_address,
        "age_band": resident.age_band,
    }
    needs = {
        name: getattr(resident, name) for name in ("needs_low_vision", "needs_hearing", "needs_mobility")
    }
    _apply_resident_details(resident, details)
    for field_name, value in kept.items():
        if getattr(resident, field_name) is None:
            setattr(resident, field_name, value)
    for need, value in needs.items():
        setattr(resident, need, value or getattr(resident, need))
    resident.has_no_email = resident.has_no_email and not resident.email
    resident.first_name, resident.postcode_code = name, postcode


def merge_residents(keep: Resident, duplicate: Resident, actor) -> Resident:
    """Make two records of one person one: every request, drop-in booking and message of `duplicate` moves
    to `keep`, which keeps its own details and takes the ones it lacks. Requests, events and figures stay."""
    from ..audit.services import record

    if keep.id == duplicate.id:
        raise DomainError(_("Choose another resident to merge with."))
    if keep.network_id != duplicate.network_id:
        raise DomainError(_("This resident belongs to another local network."))
    if keep.anonymised_at is not None or duplicate.anonymised_at is not None:
        raise DomainError(_("An anonymised resident cannot be merged."))
    for name in ("phone", "email", "street_address", "age_band", "postcode_code"):
        if getattr(keep, name) is None:
            setattr(keep, name, getattr(duplicate, name))
    keep.has_no_email = keep.has_no_email and not keep.email
    keep.needs_low_vision = keep.needs_low_vision or duplicate.needs_low_vision
    keep.needs_hearing = keep.needs_hearing or duplicate.needs_hearing
    keep.needs_mobility = keep.needs_mobility or duplicate.needs_mobility
    known = set(keep.language_codes)
    for code in duplicate.language_codes:
        if code not in known:
            keep.languages.append(ResidentLanguage(language_code=code))
    moved = db.session.scalars(select(HelpRequest).where(HelpRequest.resident_id == duplicate.id)).all()
    for help_request in moved:
        help_request.resident_id = keep.id
        record_event(help_request, "resident_merged", actor, note=f"#{duplicate.id} → #{keep.id}")
    db.session.flush()
    for column in _columns_pointing_at_residents():  # drop-in bookings, messages, and any added later
        db.session.execute(
            sa.update(column.table).where(column == duplicate.id).values({column.name: keep.id})
        )
    record(actor, "merge", "resident", keep.id, keep.network_id, detail=f"merged resident #{duplicate.id}")
    db.session.flush()
    db.session.expire(duplicate)  # its requests and bookings now belong to `keep`
    db.session.delete(duplicate)
    db.session.commit()
    return keep


def _columns_pointing_at_residents() -> list:
    """Every column of another table that refers to a resident (except their languages, merged above)."""
    residents = Resident.__table__
    return [
        fk.parent
        for table in db.metadata.sorted_tables
        if table.name not in (residents.name, ResidentLanguage.__tablename__, HelpRequest.__tablename__)
        for fk in table.foreign_keys
        if fk.column.table is residents
    ]


def _queue_confirmation(request: HelpRequest) -> None:
    tell_resident(request.resident, "request_received", key=f"request-received-{request.id}", request=request)


def find_for_status(reference: str, postcode: str) -> HelpRequest | None:
    """The request with this code, if the postcode matches too; None for every wrong combination."""
    reference = normalise_reference(reference)
    postcode = (postcode or "").strip()
    if not looks_valid(reference):
        return None
    request = db.session.scalar(select(HelpRequest).where(HelpRequest.reference == reference))
    stored = (request.resident.postcode_code or "") if request else "----"
    # Compare in constant time so the answer time does not tell whether the code exists.
    if not hmac.compare_digest(stored.encode(), postcode.encode()) or request is None:
        return None
    # Once erased (or past retention) the code opens nothing: the request names no one any more.
    return request if request.resident.anonymised_at is None else None


def cancel_by_resident(request: HelpRequest, reason: str | None = None) -> None:
    if not resident_can_cancel(request.status):
        raise DomainError(_("This request can no longer be cancelled."))
    cancelled_by_resident.send(request)  # pending offers withdrawn, planned sessions cancelled
    change_status(request, RequestStatus.CANCELLED, note=(reason or "").strip()[:500] or None)
    db.session.commit()


def search_residents(
    network_ids,
    *,
    first_name: str | None = None,
    postcode: str | None = None,
    phone: str | None = None,
    limit: int = 20,
) -> list[Resident]:
    """Residents of the caller's networks that may be the same person: by name and postcode, or by phone."""
    conditions = []
    if first_name and postcode:
        conditions.append(
            (func.lower(Resident.first_name) == first_name.strip().lower())
            & (Resident.postcode_code == postcode.strip())
        )
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if len(digits) >= 6:  # numbers are stored in E.164: the last digits are the same however they were typed
        conditions.append(type_coerce(Resident.phone, String).like(f"%{digits[-8:]}"))
    if not conditions or not network_ids:
        return []
    return db.session.scalars(
        select(Resident)
        .where(Resident.network_id.in_(network_ids), Resident.anonymised_at.is_(None), or_(*conditions))
        .order_by(Resident.created_at.desc())
        .limit(limit)
        .options(selectinload(Resident.requests))  # the list shows each one's number of requests
    ).all()


def stop_messages(resident: Resident, *, via: str, actor=None) -> None:
    """The resident asked for no more messages (STOP by SMS, or through staff): one last message says so,
    then nothing goes out to them any more, whatever the channel."""
    if resident.messages_stopped_at is not None:
        return
    by_sms = MessageChannel.SMS if via == MessageChannel.SMS else None
    now = utcnow()
    key = f"resident-{resident.id}-stopped-{now.isoformat()}"
    tell_resident(resident, "reply_stopped", key=key, channel=by_sms)
    resident.messages_stopped_at = now
    latest = resident.requests[-1] if resident.requests else None
    if latest is not None:
        record_event(latest, "messages_stopped", actor=actor, note=via)
    db.session.commit()


def resume_messages(resident: Resident, *, via: str, actor=None) -> None:
    """The resident wants messages again (START by SMS, or through staff): messages go out again, and the
    first one says so."""
    if resident.messages_stopped_at is None:
        return
    resident.messages_stopped_at = None
    by_sms = MessageChannel.SMS if via == MessageChannel.SMS else None
    key = f"resident-{resident.id}-resumed-{utcnow().isoformat()}"
    tell_resident(resident, "reply_resumed", key=key, channel=by_sms)
    latest = resident.requests[-1] if resident.requests else None
    if latest is not None:
        record_event(latest, "messages_resumed", actor=actor, note=via)
    db.session.commit()


# Asked most often across Flanders; used until a network has a year of its own requests to count.
COMMON_TOPIC_CODES = (
    "smartphone-basics",
    "eid-itsme-login",
    "gov-tax-on-web",
    "banking-app",
    "email-read-write",
    "safety-phishing",
)
MOST_ASKED_CACHE = "digibuddy.most_asked_topics"
MOST_ASKED_TTL = timedelta(hours=1)


def most_asked_topic_ids(limit: int = 6) -> list[int]:
    """The active topics residents asked about most in the last year (counted at most once an hour per
    process), topped up from COMMON_TOPIC_CODES: the request form shows these first."""
    cached = current_app.extensions.get(MOST_ASKED_CACHE)
    now = utcnow()
    if cached and cached[0] > now - MOST_ASKED_TTL and cached[1] == limit:
        return list(cached[2])
    counted = db.session.execute(
        select(request_topics.c.topic_id)
        .join(HelpRequest, HelpRequest.id == request_topics.c.request_id)
        .join(Topic, Topic.id == request_topics.c.topic_id)
        .where(HelpRequest.created_at >= now - timedelta(days=365), Topic.active.is_(True))
        .group_by(request_topics.c.topic_id)
        .order_by(func.count().desc(), request_topics.c.topic_id)
        .limit(limit)
    ).scalars()
    ids = list(counted)
    if len(ids) < limit:
        by_code = dict(
            db.session.execute(
                select(Topic.code, Topic.id).where(Topic.code.in_(COMMON_TOPIC_CODES), Topic.active.is_(True))
            ).all()
        )
        ids += [by_code[c] for c in COMMON_TOPIC_CODES if c in by_code and by_code[c] not in ids]
    ids = ids[:limit]
    current_app.extensions[MOST_ASKED_CACHE] = (now, limit, tuple(ids))
    return ids


@person_records.connect
def _requests_of_resident(kind, person_id, **_) -> dict:
    """For the audit log: a resident and their requests."""
    if kind != "resident":
        return {}
    requests = set(db.session.scalars(select(HelpRequest.id).where(HelpRequest.resident_id == person_id)))
    return {"resident": {person_id}, "help_request": requests}
