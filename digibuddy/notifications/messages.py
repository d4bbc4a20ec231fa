"""The one way to tell a resident, and the one way to tell someone with an account (a volunteer, a
coordinator). Every message is rendered from a template under templates/messages/ in the recipient's
language, with times in Europe/Brussels, and written to the outbox in the caller's transaction.

A message named `matched` is `messages/matched.txt` (an e-mail: the template sets `subject` and its text
is the body) and, for residents, `messages/matched.sms.txt` (the SMS)."""

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale

from ..audit.signals import person_records
from ..core.phones import can_receive_sms, stored_phone
from .models import MessageChannel, OutboxMessage
from .outbox import already_queued, queue_email, queue_sms

TEMPLATE_FOLDER = "messages"
# Messages whose body holds a personal link that lets its reader choose someone's password: shown to nobody
# under Messages.
PRIVATE_KINDS = frozenset({"password_reset"})


@dataclass(frozen=True)
class Rendered:
    subject: str | None
    body: str


def _environment():
    """The app's Jinja environment for plain text: no HTML escaping, no blank lines left by tags."""
    env = current_app.extensions.get("digibuddy.message_templates")
    if env is None:
        env = current_app.jinja_env.overlay(autoescape=False, trim_blocks=True, lstrip_blocks=True)
        current_app.extensions["digibuddy.message_templates"] = env
    return env


def template_name(message: str, channel: MessageChannel) -> str:
    suffix = ".sms.txt" if channel == MessageChannel.SMS else ".txt"
    return f"{TEMPLATE_FOLDER}/{message}{suffix}"


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def render_message(message: str, channel: MessageChannel, locale: str, **context) -> Rendered:
    """Render one message in `locale`; an SMS is one paragraph, an e-mail keeps its paragraphs."""
    template = _environment().get_template(template_name(message, channel))
    with force_locale(locale):
        module = template.make_module({"locale": locale, **context})
        body = _tidy(str(module))
        subject = _tidy(str(getattr(module, "subject", "") or "")) or None
    if channel == MessageChannel.SMS:
        body = " ".join(body.split())
    return Rendered(subject, body)


def resident_channel(resident, preferred: MessageChannel | None = None) -> MessageChannel | None:
    """How this resident can be reached, or None: never after erasure or anonymisation, never after they
    answered STOP, never without an e-mail address or a mobile number (a landline cannot take an SMS).
    E-mail comes first, unless `preferred` asks for SMS (an answer to an SMS goes back by SMS)."""
    if resident is None or resident.anonymised_at is not None or resident.messages_stopped_at is not None:
        return None
    by_sms = MessageChannel.SMS if resident.phone and can_receive_sms(resident.phone) else None
    if preferred == MessageChannel.SMS and by_sms:
        return by_sms
    return MessageChannel.EMAIL if resident.email else by_sms


def tell_resident(
    resident,
    message: str,
    *,
    key: str,
    request=None,
    kind: str | None = None,
    channel: MessageChannel | None = None,
    **context,
) -> OutboxMessage | None:
    """Queue `message` for a resident on the channel they can use, in their language; None when they
    cannot or may not be contacted, or when the message with this key was queued before (never twice).

    `request` (a HelpRequest) ties the message to a request, so that an SMS reply lands on it; `channel`
    prefers a channel the resident can use (see resident_channel)."""
    channel = resident_channel(resident, channel)
    if channel is None or already_queued(key):
        return None
    network = resident.network
    rendered = render_message(
        message, channel, resident.locale, resident=resident, network=network, request=request, **context
    )
    common = {
        "body": rendered.body,
        "kind": kind or message,
        "dedupe_key": key,
        "locale": resident.locale,
        "network_id": resident.network_id,
    }
    if channel == MessageChannel.EMAIL:
        outbox_message = queue_email(recipient=resident.email, subject=rendered.subject or "", **common)
    else:
        outbox_message = queue_sms(recipient=stored_phone(resident.phone), **common)
    outbox_message.resident_id = resident.id
    outbox_message.request_id = getattr(request, "id", None)
    return outbox_message


def tell_address(
    email: str,
    locale: str,
    message: str,
    *,
    key: str,
    network_id: int | None = None,
    kind: str | None = None,
    attachment: tuple[str, str, str] | None = None,
    **context,
) -> OutboxMessage | None:
    """Queue an e-mail to an address in `locale` (someone invited, who has no account yet); None without an
    address or when the message with this key was queued before. `attachment` is (name, type, text)."""
    if not email or already_queued(key):
        return None
    rendered = render_message(message, MessageChannel.EMAIL, locale, **context)
    return queue_email(
        recipient=email,
        subject=rendered.subject or "",
        body=rendered.body,
        kind=kind or message,
        dedupe_key=key,
        locale=locale,
        network_id=network_id,
        attachment=attachment,
    )


def tell_user(user, message: str, *, key: str, **options) -> OutboxMessage | None:
    """Queue an e-mail to someone with an account (volunteer, counter staff, coordinator), in their
    language; `user` is in the template's context. Options as for tell_address."""
    return tell_address(user.email, user.locale, message, key=key, user=user, **options)


def tell_volunteer(volunteer, message: str, *, key: str, **options) -> OutboxMessage | None:
    """tell_user for a volunteer: `volunteer` (a VolunteerProfile) is in the template's context."""
    return tell_user(volunteer.user, message, key=key, volunteer=volunteer, **options)


def volunteer_reachable(volunteer, channel: MessageChannel) -> bool:
    """Whether a digibuddy can get a message on `channel`: an e-mail address, or a mobile number for SMS."""
    user = volunteer.user
    if user is None or user.anonymised_at is not None:
        return False
    if channel == MessageChannel.EMAIL:
        return bool(user.email)
    return bool(user.phone) and can_receive_sms(user.phone)


def tell_volunteer_by(
    volunteer,
    channel: MessageChannel,
    message: str,
    *,
    key: str,
    locale: str | None = None,
    network_id: int | None = None,
    kind: str | None = None,
    **context,
) -> OutboxMessage | None:
    """Queue `message` for a digibuddy by e-mail or SMS (`messages/<message>.txt` or `.sms.txt`), in
    `locale` (by default their own); None when they cannot be reached on that channel or the message with
    this key was queued before. `volunteer` and `user` are in the template's context."""
    if not volunteer_reachable(volunteer, channel) or already_queued(key):
        return None
    user = volunteer.user
    locale = locale or user.locale
    rendered = render_message(message, channel, locale, user=user, volunteer=volunteer, **context)
    common = {
        "body": rendered.body,
        "kind": kind or message,
        "dedupe_key": key,
        "locale": locale,
        "network_id": network_id,
    }
    if channel == MessageChannel.EMAIL:
        return queue_email(recipient=user.email, subject=rendered.subject or "", **common)
    return queue_sms(recipient=stored_phone(user.phone), **common)


@person_records.connect
def _messages_to_resident(kind, person_id, **_) -> dict:
    """For the audit log: the messages written to a resident."""
    if kind != "resident":
        return {}
    from sqlalchemy import select

    from ..extensions import db

    ids = db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.resident_id == person_id))
    return {"outbox_message": set(ids)}
