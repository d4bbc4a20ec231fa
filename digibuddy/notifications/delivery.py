"""Delivering the outbox: e-mail and SMS, each through its configured backend.

Guarantees:
* never lost: a message stays in the table until it is sent or marked failed, and failed messages are
  shown to coordinators and administrators, who can put them back in the queue;
* never sent twice: a message is claimed (status 'sending', committed) before it is handed to SMTP, and
  only a message still 'pending' is ever claimed. If the process dies between handing it over and
  marking it sent, the claim expires into 'failed' with "delivery uncertain" instead of being resent
  automatically; a person decides. Every e-mail carries a Message-ID derived from the message, so a
  manual resend is recognisable as the same message;
* retries with exponential backoff after a failed attempt, failed after MAX_ATTEMPTS."""

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import select, update

from ..core.db import utcnow
from ..extensions import db
from .email import email_backend
from .models import MessageChannel, MessageStatus, OutboxMessage
from .sms import PermanentSmsError, SmsError, backend_from_config

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=6)
CLAIM_LEASE = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the 1st, 2nd, 3rd ... failed attempt, at most 6 hours."""
    return min(MAX_BACKOFF, BASE_BACKOFF * (2 ** max(0, attempts - 1)))


def message_id(message: OutboxMessage) -> str:
    domain = (
        current_app.config.get("MAIL_DEFAULT_SENDER", "digibuddy@localhost").rpartition("@")[2] or "localhost"
    )
    return f"<{message.dedupe_key}.{message.id}@{domain}>"


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject or ""
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(message) if message.dedupe_key else make_msgid()
    email.set_content(message.body)
    if message.attachment:
        content_type, _, params = (message.attachment_type or "text/plain").partition(";")
        maintype, _, subtype = content_type.strip().partition("/")
        email.add_attachment(
            message.attachment.encode("utf-8"),
            maintype=maintype,
            subtype=subtype or "plain",
            filename=message.attachment_name or "attachment",
            params=dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p),
        )
    email["Content-Language"] = message.locale  # after set_content, which resets the Content-* headers
    return email


def _send(message: OutboxMessage) -> None:
    if message.channel == MessageChannel.EMAIL:
        email_backend(current_app.config).send(_email(message))
    else:
        backend = backend_from_config(current_app.config)
        message.provider_ref = backend.send(message.recipient, message.body, message.dedupe_key)


def _claim(message_id_: int, now) -> bool:
    """Atomically move one message from pending to sending; False if another worker got it first."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id_, OutboxMessage.status == MessageStatus.PENDING)
        .values(status=MessageStatus.SENDING, attempts=OutboxMessage.attempts + 1, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def expire_stale_claims(now) -> int:
    """A claim older than the lease means the sender died mid-way: mark it failed, never resend it blindly."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.next_attempt_at < now - CLAIM_LEASE
        )
        .values(
            status=MessageStatus.FAILED,
            last_error="delivery uncertain: the sender stopped while sending; check before retrying",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def deliver_due(now=None, limit: int = 100) -> dict:
    """Send every pending message that is due. Idempotent: running it twice sends nothing twice."""
    now = now or utcnow()
    counts = {"sent": 0, "retry": 0, "failed": 0, "uncertain": expire_stale_claims(now)}
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    for message_pk in due:
        if not _claim(message_pk, now):
            continue
        message = db.session.get(OutboxMessage, message_pk)
        try:
            _send(message)
        except (TimeoutError, OSError, smtplib.SMTPException, SmsError) as error:
            message.last_error = f"{error.__class__.__name__}: {error}"[:1000]
            if message.attempts >= MAX_ATTEMPTS or isinstance(error, PermanentSmsError):
                message.status = MessageStatus.FAILED
                counts["failed"] += 1
            else:
                message.status = MessageStatus.PENDING
                message.next_attempt_at = now + backoff(message.attempts)
                counts["retry"] += 1
            log.warning("Sending message %s failed (attempt %s): %s", message.id, message.attempts, error)
        else:
            message.status = MessageStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            counts["sent"] += 1
        db.session.commit()
    return counts


def record_delivery_report(provider_ref: str, status: str, error_code: str | None = None, now=None) -> bool:
    """The provider's report on an SMS it took: 'delivered' marks when it reached the phone; 'undelivered'
    or 'failed' marks the message failed, so coordinators see it and can reach the resident another way.
    Earlier stages ('queued', 'sent') change nothing. False when no message has this provider id."""
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.provider_ref == provider_ref))
    if message is None:
        return False
    if status == "delivered":
        message.delivered_at = now or utcnow()
        if message.status != MessageStatus.FAILED:
            message.status = MessageStatus.SENT
    elif status in ("undelivered", "failed") and message.delivered_at is None:
        message.status = MessageStatus.FAILED
        message.last_error = f"not delivered to the phone (provider error {error_code or 'unknown'})"
    db.session.commit()
    return True


def retry_failed(message: OutboxMessage) -> None:
    """A person puts a failed message back in the queue."""
    if message.status != MessageStatus.FAILED:
        return
    message.status = MessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.commit()
