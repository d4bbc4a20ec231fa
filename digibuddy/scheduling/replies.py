"""What a resident answers to an SMS: 1 confirms the appointment, 2 asks to move it, STOP ends every
message and START brings them back, and anything else lands as a note on their request for the coordinator.

The answer is tied to the resident and request of the last SMS sent to that number, so a family sharing
one phone is answered about the message they got last."""

import logging
import unicodedata

from sqlalchemy import select

from ..core.phones import stored_phone
from ..extensions import db
from ..notifications.messages import tell_resident
from ..notifications.models import MessageChannel, OutboxMessage
from ..requests.models import HelpRequest, Resident
from ..requests.services import record_event, resume_messages, stop_messages
from .services import ask_to_move, confirm_by_resident, next_planned_session

log = logging.getLogger("digibuddy.sms")
# STOP in the words residents use: Dutch, French, English, Turkish, Ukrainian, Arabic.
STOP_WORDS = frozenset(
    {"STOP", "STOPP", "STOPPEN", "ARRET", "ARRÊT", "DUR", "СТОП", "توقف", "ايقاف", "إيقاف"}
)
# START in the same languages: messages go out again.
START_WORDS = frozenset(
    {"START", "STARTEN", "DEMARRER", "DÉMARRER", "BAŞLA", "BASLA", "СТАРТ", "ابدأ", "ابدا"}
)
NOTE_MAX = 1000


def _keyword(text: str) -> str:
    """'  1 ', '١' (Arabic-Indic) and '1.' all read as '1'; words are compared in capitals."""
    word = text.strip().strip(".!").upper()
    if len(word) == 1 and unicodedata.digit(word, None) is not None:
        return str(unicodedata.digit(word))
    return word


def _last_message_to(phone: str) -> OutboxMessage | None:
    return db.session.scalar(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == MessageChannel.SMS,
            OutboxMessage.recipient == phone,
            OutboxMessage.resident_id.is_not(None),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )


def _resident_and_request(phone: str) -> tuple[Resident | None, HelpRequest | None]:
    last = _last_message_to(phone)
    if last is not None:
        resident = db.session.get(Resident, last.resident_id)
        request = db.session.get(HelpRequest, last.request_id) if last.request_id else None
    else:
        resident = db.session.scalar(
            select(Resident)
            .where(Resident.phone == phone, Resident.anonymised_at.is_(None))
            .order_by(Resident.id.desc())
            .limit(1)
        )
        request = None
    if resident is None or resident.anonymised_at is not None:
        return None, None
    if request is None and resident.requests:
        request = resident.requests[-1]
    return resident, request


def handle_reply(sender: str, text: str) -> str:
    """Act on one answer; returns what was done: 'stopped', 'resumed', 'confirmed', 'move_asked', 'noted'
    or 'unknown'."""
    phone = stored_phone(sender)
    resident, request = _resident_and_request(phone) if phone else (None, None)
    if resident is None:
        log.info("An SMS answer from a number we do not know was ignored")
        return "unknown"
    word = _keyword(text)
    if word in STOP_WORDS:
        stop_messages(resident, via=MessageChannel.SMS)
        return "stopped"
    if word in START_WORDS:
        resume_messages(resident, via=MessageChannel.SMS)
        return "resumed"
    session = next_planned_session(request) if request is not None else None
    if session is not None and word == "1":
        confirm_by_resident(session, via="sms")
        return "confirmed"
    if session is not None and word == "2":
        ask_to_move(session, via="sms")
        return "move_asked"
    if request is None:
        return "unknown"
    note = " ".join(text.split())[:NOTE_MAX]
    record_event(request, "resident_reply", note=note)
    tell_resident(
        resident,
        "reply_noted",
        key=f"request-{request.id}-reply-noted-{len(request.events)}",
        request=request,
        channel=MessageChannel.SMS,
    )
    db.session.commit()
    return "noted"
