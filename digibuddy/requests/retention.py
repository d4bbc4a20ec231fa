"""Anonymising a resident's personal data: on request (privacy.services.erase_resident) and once the network
no longer keeps it (privacy.retention, the daily job).

Rows stay (so every figure by topic, channel, language, outcome and municipality stays the same); the
fields that identify a person are cleared."""

from sqlalchemy import or_, update

from ..extensions import db
from ..notifications.models import OutboxMessage
from .models import HelpRequest, RequestEvent, Resident
from .signals import free_text_forgotten, resident_anonymised

ANONYMOUS = "—"
# What stays of a message once its recipient is anonymised: when, how and what kind (for the outbox figures).
ANONYMOUS_MESSAGE = {
    "recipient": ANONYMOUS,
    "body": "",
    "subject": None,
    "attachment": None,
    "last_error": None,
}


def anonymise_resident(resident: Resident, now) -> None:
    """Clear every field that identifies `resident`: their details, the free text of their requests (and,
    through `forget_free_text`, of the areas above), and the messages written to them. The one place
    where a resident's data is anonymised: by erasure on request and by the retention job alike."""
    recipients = [value for value in (resident.email, resident.phone) if value]
    resident.first_name = ANONYMOUS
    resident.phone = None
    resident.email = None
    resident.street_address = None
    resident.anonymised_at = now
    # Messages written before they were tied to a resident are found by their address.
    by_address = OutboxMessage.recipient.in_(recipients) & (OutboxMessage.network_id == resident.network_id)
    db.session.execute(
        update(OutboxMessage)
        .where(or_(OutboxMessage.resident_id == resident.id, by_address))
        .values(ANONYMOUS_MESSAGE)
    )
    forget_free_text([r.id for r in resident.requests])
    resident_anonymised.send(resident, now=now)


def forget_free_text(request_ids: list[int]) -> None:
    """Clear what people typed about these requests: the description, feedback tokens, the notes in the
    event log and (through `free_text_forgotten`) feedback comments, the reasons digibuddies gave for
    declining and the reasons typed about sessions. Topics, statuses, times and scores stay."""
    if not request_ids:
        return
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id.in_(request_ids))
        .values(description=None, feedback_token=None)
    )
    db.session.execute(update(RequestEvent).where(RequestEvent.request_id.in_(request_ids)).values(note=None))
    free_text_forgotten.send(request_ids=request_ids)
