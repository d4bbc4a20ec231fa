"""Write notifications to the outbox, in the caller's transaction; a scheduled job delivers them."""

from ..extensions import db
from .models import MessageChannel, OutboxMessage


def queue_email(
    *,
    recipient: str,
    subject: str,
    body: str,
    kind: str,
    dedupe_key: str,
    locale: str = "nl",
    network_id: int | None = None,
    attachment=None,
) -> OutboxMessage:
    """Add an e-mail to the outbox. The caller commits it together with the change that caused it."""
    message = OutboxMessage(
        channel=MessageChannel.EMAIL,
        recipient=recipient,
        subject=subject,
        body=body,
        kind=kind,
        dedupe_key=dedupe_key,
        locale=locale,
        network_id=network_id,
    )
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment = attachment
    db.session.add(message)
    return message


def queue_sms(
    *,
    recipient: str,
    body: str,
    kind: str,
    dedupe_key: str,
    locale: str = "nl",
    network_id: int | None = None,
) -> OutboxMessage:
    message = OutboxMessage(
        channel=MessageChannel.SMS,
        recipient=recipient,
        body=body,
        kind=kind,
        dedupe_key=dedupe_key,
        locale=locale,
        network_id=network_id,
    )
    db.session.add(message)
    return message


def already_queued(dedupe_key: str) -> bool:
    from sqlalchemy import select

    return (
        db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is not None
    )
