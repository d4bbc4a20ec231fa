"""Retention reaches every personal record once the network no longer keeps it: residents (also those who
only booked a drop-in place), free text about old requests of residents still helped, messages in the
outbox, digibuddies who left, and old audit entries; every figure stays the same."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

import digibuddy
from digibuddy.accounts.models import LoginChallenge, PasswordReset, Role
from digibuddy.audit.models import AuditEntry
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.notifications.models import MessageChannel, MessageStatus, OutboxMessage
from digibuddy.outcomes.models import Feedback
from digibuddy.outreach.models import LetterKind, VolunteerMessage, VolunteerMessageRecipient
from digibuddy.privacy.retention import apply_retention
from digibuddy.requests.models import HelpRequest, RequestEvent, Resident
from digibuddy.requests.retention import ANONYMOUS
from digibuddy.scheduling.models import BookingKind, DropInBooking, HelpSession
from digibuddy.volunteers.models import VolunteerStatus
from tests.dropins_helpers import make_moment
from tests.factories import NetworkFactory, ResidentFactory, make_user, make_volunteer
from tests.matching_helpers import make_request
from tests.privacy_helpers import SECRETS, every_figure, full_resident

DAY = timedelta(days=1)


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], retention_months=12)


def message(network, recipient, days_ago, status=MessageStatus.SENT, key=None):
    found = OutboxMessage(
        channel=MessageChannel.EMAIL,
        recipient=recipient,
        subject="Uw afspraak",
        body=f"Dag, bericht aan {recipient}",
        kind="test",
        dedupe_key=key or f"retention-{recipient}-{days_ago}",
        network_id=network.id if network else None,
        status=status,
        created_at=utcnow() - days_ago * DAY,
    )
    db.session.add(found)
    db.session.commit()
    return found


def dropin_resident(network, days_ago, name):
    """A resident known only by one drop-in place, `days_ago` days ago."""
    resident = ResidentFactory(network=network, first_name=name, phone="0470 55 66 77", has_no_email=False)
    resident.created_at = utcnow() - days_ago * DAY
    moment = make_moment(network, title=f"Inloop {name}", first_date=(utcnow() - 500 * DAY).date())
    db.session.add(
        DropInBooking(
            moment_id=moment.id,
            on_date=(utcnow() - days_ago * DAY).date(),
            kind=BookingKind.WALK_IN,
            resident_id=resident.id,
            created_at=utcnow() - days_ago * DAY,
        )
    )
    db.session.commit()
    return resident


def left_volunteer(network, days_ago, name):
    volunteer = make_volunteer(network, status=VolunteerStatus.LEFT, motivation="Ik woon in de Sleepstraat 4")
    volunteer.status_changed_at = utcnow() - days_ago * DAY
    volunteer.status_reason = "Verhuisd naar Brugge"
    volunteer.calendar_token = f"token-{name}"
    volunteer.user.name = name
    volunteer.user.phone = "0470 12 12 12"
    db.session.commit()
    return volunteer


def test_retention_reaches_every_kind_of_record_and_keeps_every_figure(gent):
    old, _session, _volunteer = full_resident(gent, closed_days_ago=400)
    kept, _s, _v = full_resident(
        gent,
        closed_days_ago=30,
        secrets={**SECRETS, "first_name": "Recent", "phone": "0470 10 10 10", "email": "r@example.org"},
    )
    # Still helped now, with an old request: the person stays, the old request's free text goes.
    helped_again, _s2, _v2 = full_resident(
        gent, closed_days_ago=400, secrets={**SECRETS, "first_name": "Again"}
    )
    newer = make_request(gent, postcode="9000", description="Nieuwe vraag over itsme")
    newer.resident_id = helped_again.resident_id
    only_dropin = dropin_resident(gent, 400, "Dropin")
    recent_dropin = dropin_resident(gent, 20, "Dropin recent")
    gone = left_volunteer(gent, 400, "Jan Peeters")
    just_gone = left_volunteer(gent, 40, "Els Peeters")
    staff = make_user(Role.COORDINATOR, gent)
    old_message = message(gent, "iemand@example.org", 400)
    waiting = message(gent, "wacht@example.org", 400, status=MessageStatus.PENDING)
    new_message = message(gent, "nieuw@example.org", 10)
    central = message(None, "admin@example.org", 30 * 25)
    db.session.add_all(
        [
            AuditEntry(at=utcnow() - 800 * DAY, user_id=staff.id, action="view", object_type="resident"),
            AuditEntry(at=utcnow() - 100 * DAY, user_id=staff.id, action="view", object_type="resident"),
        ]
    )
    db.session.commit()
    before = every_figure()

    done = apply_retention(audit_months=24)
    assert done == {
        "residents": 2,
        "requests": 1,
        "messages": 2,
        "event_registrations": 0,
        "volunteer_messages": 0,
        "volunteers": 1,
        "tokens": 0,
        "audit_entries": 1,
    }
    assert apply_retention(audit_months=24) == dict.fromkeys(done, 0)  # idempotent
    db.session.expire_all()
    assert every_figure() == before

    def resident(row):
        return db.session.get(Resident, row.resident_id if hasattr(row, "resident_id") else row.id)

    assert resident(old).anonymised_at is not None and resident(old).first_name == ANONYMOUS
    assert resident(only_dropin).first_name == ANONYMOUS and resident(only_dropin).phone is None
    assert resident(recent_dropin).first_name == "Dropin recent"
    assert resident(kept).first_name == "Recent"
    assert db.session.get(HelpRequest, kept.id).description == SECRETS["description"]
    # The resident helped again keeps their name; their old request's free text is gone everywhere.
    again = resident(helped_again)
    assert again.first_name == "Again" and again.anonymised_at is None
    assert db.session.get(HelpRequest, helped_again.id).description is None
    assert db.session.get(HelpRequest, newer.id).description == "Nieuwe vraag over itsme"
    notes = db.session.scalars(select(RequestEvent.note).where(RequestEvent.request_id == helped_again.id))
    assert SECRETS["note"] not in list(notes)
    assert db.session.scalar(select(Feedback.comment).where(Feedback.request_id == helped_again.id)) is None
    reasons = db.session.scalars(
        select(HelpSession.cancel_reason).where(HelpSession.request_id == helped_again.id)
    )
    assert set(reasons) == {None}
    # Messages: old and delivered (or failed) ones are cleared, those on their way and recent ones stay.
    assert db.session.get(OutboxMessage, old_message.id).recipient == ANONYMOUS
    assert db.session.get(OutboxMessage, old_message.id).body == ""
    assert db.session.get(OutboxMessage, central.id).recipient == ANONYMOUS
    assert db.session.get(OutboxMessage, waiting.id).recipient == "wacht@example.org"
    assert db.session.get(OutboxMessage, new_message.id).body.endswith("nieuw@example.org")
    kept_message = db.session.scalar(
        select(OutboxMessage.body).where(OutboxMessage.resident_id == kept.resident_id)
    )
    assert kept_message == SECRETS["body"]
    # The digibuddy who left a year ago: no name, phone, e-mail or text, and no log-in any more.
    user = gone.user
    db.session.refresh(user)
    assert (user.name, user.phone, user.active) == (ANONYMOUS, None, False)
    assert user.email == f"anonymised-{user.id}@invalid" and not user.check_password("password-123456")
    assert gone.motivation is None and gone.status_reason is None and gone.calendar_token is None
    assert gone.status == VolunteerStatus.LEFT and user.anonymised_at is not None
    assert user.session_generation == 1  # a session still open somewhere stops
    assert just_gone.user.name == "Els Peeters" and just_gone.user.active
    # The audit log: entries older than its period are deleted, the others stay.
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_a_longer_retention_period_keeps_the_records_longer(app):
    ghent = NetworkFactory(postcodes=["9000"], retention_months=24)
    old, _session, _volunteer = full_resident(ghent, closed_days_ago=400)
    gone = left_volunteer(ghent, 400, "Jan Peeters")
    assert apply_retention()["residents"] == 0
    db.session.expire_all()
    assert db.session.get(Resident, old.resident_id).first_name == SECRETS["first_name"]
    assert gone.user.name == "Jan Peeters"


def test_spent_reset_links_and_login_challenges_are_deleted_a_day_later(app):
    user = make_user(Role.COORDINATOR, NetworkFactory(postcodes=["9000"]))
    now = utcnow()

    def reset(name, **times):
        return PasswordReset(user_id=user.id, token_hash=name * 64, **times)

    def challenge(name, created_at):
        return LoginChallenge(user_id=user.id, token_hash=name * 64, created_at=created_at)

    db.session.add_all(
        [
            reset("a", created_at=now - 3 * DAY, expires_at=now - 2 * DAY),  # expired two days ago
            reset("b", created_at=now - 3 * DAY, expires_at=now + DAY, used_at=now - 2 * DAY),  # used
            reset("c", created_at=now - 2 * DAY, expires_at=now - DAY / 2),  # expired, kept a day
            reset("d", created_at=now, expires_at=now + DAY),  # still valid
            challenge("e", now - 2 * DAY),
            challenge("f", now - DAY / 2),
        ]
    )
    db.session.commit()
    assert apply_retention()["tokens"] == 3
    assert set(db.session.scalars(select(PasswordReset.token_hash))) == {"c" * 64, "d" * 64}
    assert set(db.session.scalars(select(LoginChallenge.token_hash))) == {"f" * 64}
    assert apply_retention()["tokens"] == 0


def test_audit_entries_are_deleted_only_by_the_retention_job():
    """No other module deletes an audit entry: the log can only lose what is older than its period."""
    package = Path(digibuddy.__file__).parent
    deleting = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "delete"
            ):
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                if "AuditEntry" in names:
                    deleting.add(str(path.relative_to(package)))
    assert deleting == {"privacy/retention.py"}


def test_messages_to_digibuddies_are_deleted_with_their_recipients_after_the_period(gent):
    helper = make_volunteer(gent)
    other = NetworkFactory(postcodes=["2800"], retention_months=48)

    def letter(network, days_ago, subject):
        sent = VolunteerMessage(
            network_id=network.id,
            kind=LetterKind.MESSAGE,
            subjects={"nl": subject},
            bodies={"nl": "Tekst"},
            created_at=utcnow() - days_ago * DAY,
        )
        sent.recipients.append(
            VolunteerMessageRecipient(volunteer_id=helper.id, channel=MessageChannel.EMAIL)
        )
        db.session.add(sent)
        db.session.commit()

    letter(gent, 30 * 25, "Oud")
    letter(gent, 30, "Nieuw")
    letter(other, 30 * 25, "Langer bewaard")
    assert apply_retention()["volunteer_messages"] == 1
    assert sorted(s["nl"] for s in db.session.scalars(select(VolunteerMessage.subjects))) == [
        "Langer bewaard",
        "Nieuw",
    ]
    assert db.session.scalar(select(func.count()).select_from(VolunteerMessageRecipient)) == 2
    assert apply_retention()["volunteer_messages"] == 0
