"""Everything the platform holds on one resident, as plain data: for the printable page and for JSON.

The export reads the records that name the resident: their requests with every event, the sessions
with their outcomes, feedback, messages in the outbox, drop-in bookings and places on waiting lists, the
consent record and the questions they asked about their data. Nothing here imports Flask."""

from datetime import date, datetime, time
from enum import Enum

from sqlalchemy import or_, select

from ..extensions import db
from ..notifications.models import OutboxMessage
from ..outcomes.models import Feedback
from ..requests.models import Resident
from ..scheduling.models import DropInBooking, DropInWaiting, HelpSession
from .models import DataAsk

FORMAT_VERSION = 1


def _messages(resident: Resident) -> list:
    """The messages for the resident: tied to them, or (written before that link existed) sent to their
    address within their network."""
    addresses = [value for value in (resident.email, resident.phone) if value]
    condition = OutboxMessage.resident_id == resident.id
    if addresses:
        condition = or_(
            condition,
            OutboxMessage.recipient.in_(addresses) & (OutboxMessage.network_id == resident.network_id),
        )
    return db.session.scalars(select(OutboxMessage).where(condition).order_by(OutboxMessage.created_at)).all()


def resident_record(resident: Resident) -> dict:
    """Every record of `resident`, as nested dictionaries and lists of plain values (dates and enums as
    they are; `as_json` turns them into text)."""
    request_ids = [r.id for r in resident.requests]
    sessions = (
        db.session.scalars(
            select(HelpSession)
            .where(HelpSession.request_id.in_(request_ids))
            .order_by(HelpSession.starts_at, HelpSession.id)
        ).all()
        if request_ids
        else []
    )
    feedback = (
        db.session.scalars(
            select(Feedback).where(Feedback.request_id.in_(request_ids)).order_by(Feedback.created_at)
        ).all()
        if request_ids
        else []
    )
    bookings = db.session.scalars(
        select(DropInBooking)
        .where(DropInBooking.resident_id == resident.id)
        .order_by(DropInBooking.on_date, DropInBooking.id)
    ).all()
    waiting = db.session.scalars(
        select(DropInWaiting)
        .where(DropInWaiting.resident_id == resident.id)
        .order_by(DropInWaiting.on_date, DropInWaiting.id)
    ).all()
    asks = db.session.scalars(
        select(DataAsk).where(DataAsk.resident_id == resident.id).order_by(DataAsk.created_at)
    ).all()
    references = {r.id: r.reference for r in resident.requests}
    return {
        "format_version": FORMAT_VERSION,
        "resident": {
            "id": resident.id,
            "network": resident.network.name,
            "first_name": resident.first_name,
            "phone": resident.phone,
            "email": resident.email,
            "has_no_email": resident.has_no_email,
            "postcode": resident.postcode_code,
            "street_address": resident.street_address,
            "language_for_messages": resident.locale,
            "languages": list(resident.language_codes),
            "age_band": resident.age_band,
            "needs_low_vision": resident.needs_low_vision,
            "needs_hearing": resident.needs_hearing,
            "needs_mobility": resident.needs_mobility,
            "created_at": resident.created_at,
            "messages_stopped_at": resident.messages_stopped_at,
            "anonymised_at": resident.anonymised_at,
        },
        "consent": {
            "at": resident.consent_at,
            "channel": resident.consent_channel,
            "text_version": resident.consent_version,
        },
        "requests": [
            {
                "reference": r.reference,
                "created_at": r.created_at,
                "intake_channel": r.intake_channel,
                "preferred_mode": r.preferred_mode,
                "topics": [t.code for t in r.topics],
                "languages": [language.code for language in r.languages],
                "description": r.description,
                "deadline": r.deadline,
                "time_windows": [{"weekday": w.weekday, "day_part": w.day_part} for w in r.time_windows],
                "status": r.status,
                "status_changed_at": r.status_changed_at,
                "events": [
                    {
                        "at": e.at,
                        "kind": e.kind,
                        "from_status": e.from_status,
                        "to_status": e.to_status,
                        "note": e.note,
                    }
                    for e in r.events
                ],
            }
            for r in resident.requests
        ],
        "sessions": [
            {
                "request": references[s.request_id],
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "place": s.place_kind,
                "location": s.location.name if s.location else None,
                "digibuddy": s.volunteer.user.first_name,
                "status": s.status,
                "cancel_reason": s.cancel_reason,
                "confirmed_at": s.confirmed_by_resident_at,
                "move_asked_at": s.move_asked_at,
                "outcome": (
                    {
                        "result": s.outcome.result,
                        "referred_to": s.outcome.referred_to,
                        "topics": [t.code for t in s.outcome.topics],
                        "minutes_spent": s.outcome.minutes_spent,
                        "confidence_before": s.outcome.confidence_before,
                        "confidence_after": s.outcome.confidence_after,
                        "follow_up_needed": s.outcome.follow_up_needed,
                    }
                    if s.outcome
                    else None
                ),
            }
            for s in sessions
        ],
        "feedback": [
            {
                "request": references[f.request_id],
                "at": f.created_at,
                "channel": f.channel,
                "satisfaction": f.satisfaction,
                "ease": f.ease,
                "trust": f.trust,
                "comment": f.comment,
            }
            for f in feedback
        ],
        "messages": [
            {
                "at": m.created_at,
                "channel": m.channel,
                "recipient": m.recipient,
                "subject": m.subject,
                "body": m.body,
                "status": m.status,
                "sent_at": m.sent_at,
            }
            for m in _messages(resident)
        ],
        "dropin_bookings": [
            {
                "moment": b.moment.title,
                "location": b.moment.location.name if b.moment.location else None,
                "on_date": b.on_date,
                "kind": b.kind,
                "topic": b.topic.code if b.topic else None,
                "cancelled_at": b.cancelled_at,
                "created_at": b.created_at,
            }
            for b in bookings
        ],
        "dropin_waiting_lists": [
            {
                "moment": w.moment.title,
                "location": w.moment.location.name if w.moment.location else None,
                "on_date": w.on_date,
                "topic": w.topic.code if w.topic else None,
                "joined_at": w.joined_at,
                "ended_at": w.ended_at,
                "ended_as": w.ended_as,
            }
            for w in waiting
        ],
        "data_asks": [
            {"at": a.created_at, "kind": a.kind, "status": a.status, "handled_at": a.handled_at} for a in asks
        ],
    }


def plain(value):
    """A value of the record as JSON can hold it: times in ISO 8601 (UTC), enums as their code."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date | time):
        return value.isoformat()
    return value
