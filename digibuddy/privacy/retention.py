"""The daily retention job: every personal record older than the network keeps data is anonymised, and audit
entries older than the audit period are deleted. Rows that the figures count stay, so no figure changes.

- residents with no open request and nothing (request, drop-in booking or place on a waiting list,
  registration) within the period:
  anonymised by requests.retention.anonymise_resident, the one function erasure uses too; this covers
  residents who only ever booked a drop-in place;
- free text about requests closed before the period (descriptions, notes, feedback comments, reasons),
  also of residents who are still helped with newer requests;
- messages in the outbox older than the period: recipient, subject and body;
- digibuddies who left before the period: name, phone number, e-mail address and the text they or their
  coordinator wrote are cleared, and the account can no longer log in;
- registrations for learning-network events that ended before the period of the network they were made
  from: who registered is unlinked (the row stays, so events, registrations and attendance still count);
- messages to digibuddies (outreach) written before the period: deleted with the list of who got them
  (the outbox messages themselves are cleared as above);
- password-reset links and log-in challenges a day after they were spent or expired: deleted;
- audit entries older than the audit period (AUDIT_RETENTION_MONTHS): deleted. This is the only place
  where audit entries are ever deleted.

Nothing here imports Flask."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select, update

from ..accounts.models import LoginChallenge, Membership, PasswordReset, Role, User
from ..audit.models import AuditEntry
from ..core.db import utcnow
from ..events.models import EventRegistration, NetworkEvent
from ..extensions import db
from ..network.models import LocalNetwork
from ..network.settings import central_settings, default_settings, network_settings
from ..notifications.models import MessageStatus, OutboxMessage
from ..outreach.models import VolunteerMessage, VolunteerMessageRecipient
from ..requests.models import OPEN_STATUSES, HelpRequest, RequestEvent, Resident
from ..requests.retention import ANONYMOUS, ANONYMOUS_MESSAGE, anonymise_resident, forget_free_text
from ..scheduling.models import DropInBooking, DropInWaiting
from ..volunteers.models import VolunteerProfile, VolunteerStatus

BATCH = 500


def cutoff(now: datetime, months: int) -> datetime:
    """The moment before which a network with `months` of retention keeps nothing personal."""
    return now - timedelta(days=30 * months)


def expired_residents(network: LocalNetwork, before: datetime) -> list[Resident]:
    """Residents of `network` not yet anonymised, with no open request and nothing after `before`: no
    request that changed, no drop-in place booked or used, and (for a resident with neither) no
    registration."""
    return db.session.scalars(
        select(Resident).where(
            Resident.network_id == network.id,
            Resident.anonymised_at.is_(None),
            # Registered before the period, or known by requests and bookings that all lie before it.
            or_(
                Resident.created_at < before,
                exists().where(HelpRequest.resident_id == Resident.id),
                exists().where(DropInBooking.resident_id == Resident.id),
                exists().where(DropInWaiting.resident_id == Resident.id),
            ),
            ~exists().where(
                HelpRequest.resident_id == Resident.id,
                HelpRequest.status.in_(OPEN_STATUSES) | (HelpRequest.status_changed_at >= before),
            ),
            ~exists().where(
                DropInBooking.resident_id == Resident.id,
                (DropInBooking.on_date >= before.date()) | (DropInBooking.created_at >= before),
            ),
            ~exists().where(
                DropInWaiting.resident_id == Resident.id,
                (DropInWaiting.on_date >= before.date()) | (DropInWaiting.joined_at >= before),
            ),
        )
    ).all()


def forget_old_request_text(network: LocalNetwork, before: datetime) -> int:
    """Free text about the network's requests that closed before `before`; the number of requests."""
    ids = db.session.scalars(
        select(HelpRequest.id).where(
            HelpRequest.network_id == network.id,
            HelpRequest.status.not_in(OPEN_STATUSES),
            HelpRequest.status_changed_at < before,
            # Only those that still hold some text: the job stays cheap once the history is clean.
            (HelpRequest.description.is_not(None))
            | (HelpRequest.feedback_token.is_not(None))
            | exists().where(RequestEvent.request_id == HelpRequest.id, RequestEvent.note.is_not(None)),
        )
    ).all()
    for start in range(0, len(ids), BATCH):
        forget_free_text(ids[start : start + BATCH])
    return len(ids)


def forget_old_messages(network_id: int | None, before: datetime) -> int:
    """Recipient, subject and body of messages written before `before` that are no longer on their way."""
    network_clause = (
        OutboxMessage.network_id.is_(None) if network_id is None else OutboxMessage.network_id == network_id
    )
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            network_clause,
            OutboxMessage.created_at < before,
            OutboxMessage.status.in_((MessageStatus.SENT, MessageStatus.FAILED)),
            OutboxMessage.recipient != ANONYMOUS,
        )
        .values(ANONYMOUS_MESSAGE)
    )
    return result.rowcount or 0


def delete_old_volunteer_messages(network: LocalNetwork, before: datetime) -> int:
    """The network's messages to digibuddies written before `before`, with who got them: the number."""
    old = select(VolunteerMessage.id).where(
        VolunteerMessage.network_id == network.id, VolunteerMessage.created_at < before
    )
    db.session.execute(delete(VolunteerMessageRecipient).where(VolunteerMessageRecipient.message_id.in_(old)))
    result = db.session.execute(delete(VolunteerMessage).where(VolunteerMessage.id.in_(old)))
    return result.rowcount or 0


def unlink_old_event_registrations(network: LocalNetwork, before: datetime, now: datetime) -> int:
    """Registrations from `network` for events that ended before `before`: no longer linked to the person."""
    ended = select(NetworkEvent.id).where(NetworkEvent.ends_at < before)
    result = db.session.execute(
        update(EventRegistration)
        .where(
            EventRegistration.network_id == network.id,
            EventRegistration.user_id.is_not(None),
            EventRegistration.event_id.in_(ended),
        )
        .values(user_id=None, unlinked_at=now, attendance_recorded_by_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def anonymise_volunteer(profile: VolunteerProfile, now: datetime) -> None:
    """A digibuddy who left: their sessions, shifts and outcomes stay for the figures; who they were goes.
    The account can no longer log in (no password, no second step, no calendar link)."""
    user = profile.user
    addresses = [value for value in (user.email, user.phone) if value]
    if addresses:
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.recipient.in_(addresses)).values(ANONYMOUS_MESSAGE)
        )
    user.name = ANONYMOUS
    user.phone = None
    user.email = f"anonymised-{user.id}@invalid"  # unique and never deliverable (RFC 2606)
    user.set_password(secrets.token_urlsafe(32))
    user.totp_secret = None
    user.active = False
    user.end_sessions()  # a session still open somewhere stops too
    user.anonymised_at = now
    profile.motivation = None
    profile.status_reason = None
    profile.calendar_token = None


def expired_volunteers(
    now: datetime, months_of: dict[int, int], default_months: int
) -> list[VolunteerProfile]:
    """Digibuddies who left longer ago than the longest retention period of their networks (`months_of`:
    network id -> months; `default_months` for one who belongs to no network any more)."""
    candidates = db.session.scalars(
        select(VolunteerProfile)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(
            VolunteerProfile.status == VolunteerStatus.LEFT,
            User.anonymised_at.is_(None),
            VolunteerProfile.status_changed_at < cutoff(now, 1),
        )
    ).all()
    networks_of: dict[int, set[int]] = {}
    if candidates:
        for user_id, network_id in db.session.execute(
            select(Membership.user_id, Membership.network_id).where(
                Membership.role == Role.VOLUNTEER,
                Membership.user_id.in_([profile.user_id for profile in candidates]),
            )
        ):
            networks_of.setdefault(user_id, set()).add(network_id)
    expired = []
    for profile in candidates:
        kept = max((months_of[n] for n in networks_of.get(profile.user_id, ())), default=default_months)
        if profile.status_changed_at < cutoff(now, kept):
            expired.append(profile)
    return expired


SPENT_TOKENS_KEPT = timedelta(days=1)


def delete_spent_tokens(now: datetime) -> int:
    """Reset links and log-in challenges a day after they were used or expired: they point to a person and
    serve nothing once spent. The number deleted."""
    before = now - SPENT_TOKENS_KEPT
    resets = db.session.execute(
        delete(PasswordReset).where((PasswordReset.expires_at < before) | (PasswordReset.used_at < before))
    )
    challenges = db.session.execute(delete(LoginChallenge).where(LoginChallenge.created_at < before))
    return (resets.rowcount or 0) + (challenges.rowcount or 0)


def delete_old_audit_entries(now: datetime, months: int) -> int:
    result = db.session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff(now, months)))
    return result.rowcount or 0


def apply_retention(now: datetime | None = None, audit_months: int = 24) -> dict:
    """The daily job: {kind of record: how many were anonymised or deleted}. Idempotent."""
    now = now or utcnow()
    done = {
        "residents": 0,
        "requests": 0,
        "messages": 0,
        "event_registrations": 0,
        "volunteer_messages": 0,
        "volunteers": 0,
        "tokens": 0,
        "audit_entries": 0,
    }
    networks = db.session.scalars(select(LocalNetwork).order_by(LocalNetwork.id)).all()
    central = central_settings()
    months_of = {n.id: network_settings(n, central).retention_months for n in networks}
    for network in networks:
        before = cutoff(now, months_of[network.id])
        for resident in expired_residents(network, before):
            anonymise_resident(resident, now)
            done["residents"] += 1
        done["requests"] += forget_old_request_text(network, before)
        done["messages"] += forget_old_messages(network.id, before)
        done["event_registrations"] += unlink_old_event_registrations(network, before, now)
        done["volunteer_messages"] += delete_old_volunteer_messages(network, before)
        db.session.commit()
    default_months = default_settings(central).retention_months
    longest = max(months_of.values(), default=default_months)
    done["messages"] += forget_old_messages(None, cutoff(now, longest))
    for profile in expired_volunteers(now, months_of, default_months):
        anonymise_volunteer(profile, now)
        done["volunteers"] += 1
    done["tokens"] = delete_spent_tokens(now)
    done["audit_entries"] = delete_old_audit_entries(now, audit_months)
    db.session.commit()
    return done
