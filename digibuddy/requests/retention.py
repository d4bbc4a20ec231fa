"""Anonymising residents' personal data once their requests are closed for longer than the network keeps data.

Rows stay (so every figure by topic, channel, language, outcome and municipality stays the same); the
fields that identify a person are cleared."""

from datetime import timedelta

from sqlalchemy import exists, or_, select, update

from ..core.db import utcnow
from ..extensions import db
from ..network.models import LocalNetwork
from ..notifications.models import OutboxMessage
from .models import OPEN_STATUSES, HelpRequest, RequestEvent, Resident
from .signals import resident_anonymised

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
    through `resident_anonymised`, of the areas above), and the messages written to them. The one place
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
    request_ids = [r.id for r in resident.requests]
    if request_ids:
        db.session.execute(
            update(HelpRequest)
            .where(HelpRequest.id.in_(request_ids))
            .values(description=None, feedback_token=None)
        )
        db.session.execute(
            update(RequestEvent).where(RequestEvent.request_id.in_(request_ids)).values(note=None)
        )
    # Feedback comments (outcomes), the reasons digibuddies gave for declining (matching), the reasons
    # sessions were cancelled or moved (scheduling).
    resident_anonymised.send(resident, request_ids=request_ids)


def anonymise_expired(now=None) -> int:
    """Daily: residents with no open request whose last request closed more than the retention period ago."""
    now = now or utcnow()
    count = 0
    for network in db.session.scalars(select(LocalNetwork)):
        cutoff = now - timedelta(days=30 * network.retention_months)
        residents = db.session.scalars(
            select(Resident).where(
                Resident.network_id == network.id,
                Resident.anonymised_at.is_(None),
                exists().where(HelpRequest.resident_id == Resident.id),
                ~exists().where(
                    HelpRequest.resident_id == Resident.id,
                    (HelpRequest.status.in_(OPEN_STATUSES)) | (HelpRequest.status_changed_at > cutoff),
                ),
            )
        ).all()
        for resident in residents:
            anonymise_resident(resident, now)
            count += 1
        db.session.commit()
    return count
