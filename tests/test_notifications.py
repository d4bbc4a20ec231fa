"""Notifications through the outbox and a real SMTP server: right language and content, retries with
backoff while the server is down, delivered exactly once when it is back, failed messages retried by hand."""

import contextlib
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.notifications import delivery
from digibuddy.notifications.email import EmailBackend
from digibuddy.notifications.models import MessageStatus, OutboxMessage
from digibuddy.notifications.outbox import queue_email, queue_sms
from digibuddy.requests.models import HelpMode
from digibuddy.scheduling import services
from digibuddy.scheduling.models import PlaceKind
from tests.factories import NetworkFactory, make_user
from tests.scheduling_helpers import local, matched_request, next_weekday
from tests.smtp_server import SmtpServer, free_port


@pytest.fixture
def smtp(app):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    server = SmtpServer(port)
    yield server
    with contextlib.suppress(Exception):  # already stopped by the test
        server.stop()


def test_email_arrives_in_the_recipients_language_with_the_invitation(app, smtp):
    smtp.start()
    network = NetworkFactory(postcodes=["9000"])
    request, volunteer = matched_request(network, mode=HelpMode.PHONE)
    volunteer.user.locale = "fr"
    db.session.commit()
    day = next_weekday(2)
    services.plan_session(
        request,
        start_local=local(day, 10),
        end_local=local(day, 11),
        place_kind=PlaceKind.PHONE,
        actor=make_user(Role.COORDINATOR, network),
    )
    counts = delivery.deliver_due()
    assert counts["sent"] == 2  # the volunteer's e-mail and the resident's SMS
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == volunteer.user.email and mail["Content-Language"] == "fr"
    assert "Rendez-vous planifié" in mail["Subject"] or "planifi" in mail["Subject"].lower()
    attachment = next(part for part in mail.iter_attachments())
    event = Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert str(event["uid"]).startswith("session-")
    assert delivery.deliver_due() == {"sent": 0, "retry": 0, "failed": 0, "uncertain": 0}
    assert len(smtp.messages) == 1


def test_server_down_retries_later_and_delivers_exactly_once(app, smtp):
    network = NetworkFactory()
    queue_email(
        recipient="anna@example.org",
        subject="Hallo",
        body="Dag Anna",
        kind="test",
        dedupe_key="t-1",
        network_id=network.id,
    )
    db.session.commit()
    now = utcnow()
    assert delivery.deliver_due(now=now)["retry"] == 1
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert "ConnectionRefused" in message.last_error
    assert delivery.deliver_due(now=now + timedelta(seconds=30))["retry"] == 0  # not due yet
    assert delivery.deliver_due(now=now + timedelta(minutes=1))["retry"] == 1
    db.session.refresh(message)
    assert message.next_attempt_at == now + timedelta(minutes=1) + timedelta(minutes=2)  # backoff doubles

    smtp.start()
    later = now + timedelta(minutes=10)
    assert delivery.deliver_due(now=later)["sent"] == 1
    assert delivery.deliver_due(now=later + timedelta(minutes=5))["sent"] == 0
    assert [m["Subject"] for m in smtp.messages] == ["Hallo"]
    db.session.refresh(message)
    assert message.status == MessageStatus.SENT and message.sent_at is not None


def test_after_max_attempts_a_message_fails_and_can_be_retried_by_hand(app, smtp):
    queue_email(recipient="b@example.org", subject="S", body="B", kind="test", dedupe_key="t-2")
    db.session.commit()
    now = utcnow()
    for attempt in range(delivery.MAX_ATTEMPTS):
        delivery.deliver_due(now=now + timedelta(days=attempt))
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == MessageStatus.FAILED and message.attempts == delivery.MAX_ATTEMPTS
    smtp.start()
    delivery.retry_failed(message)
    assert delivery.deliver_due(now=utcnow() + timedelta(seconds=1))["sent"] == 1
    assert len(smtp.messages) == 1


def test_a_claim_left_by_a_crashed_sender_is_never_resent_automatically(app, smtp):
    smtp.start()
    queue_email(recipient="c@example.org", subject="S", body="B", kind="test", dedupe_key="t-3")
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage))
    now = utcnow()
    assert delivery._claim(message.id, now)  # the sender claims it ... and dies before marking it sent
    assert delivery.deliver_due(now=now + timedelta(minutes=1))["sent"] == 0
    counts = delivery.deliver_due(now=now + delivery.CLAIM_LEASE + timedelta(minutes=1))
    assert counts["uncertain"] == 1 and counts["sent"] == 0 and smtp.messages == []
    db.session.refresh(message)
    assert message.status == MessageStatus.FAILED and "uncertain" in message.last_error


def test_sms_goes_through_the_log_backend(app, caplog):
    queue_sms(recipient="0470 12 34 56", body="Uw code: ABCD-EFGH", kind="test", dedupe_key="t-4")
    db.session.commit()
    with caplog.at_level("INFO", logger="digibuddy.sms"):
        assert delivery.deliver_due()["sent"] == 1
    assert "0470 12 34 56" in caplog.text and "ABCD-EFGH" in caplog.text


def test_the_same_notification_cannot_be_queued_twice(app):
    import sqlalchemy as sa

    queue_email(recipient="d@example.org", subject="S", body="B", kind="test", dedupe_key="same")
    db.session.commit()
    queue_email(recipient="d@example.org", subject="S", body="B", kind="test", dedupe_key="same")
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_coordinators_see_and_retry_their_networks_failed_messages(client, make_client, app):
    gent, mechelen = NetworkFactory(postcodes=["9000"]), NetworkFactory(postcodes=["2800"])
    for network, key in ((gent, "g"), (mechelen, "m")):
        message = queue_email(
            recipient=f"{key}@example.org",
            subject=f"Onderwerp {key}",
            body="x",
            kind="test",
            dedupe_key=f"f-{key}",
            network_id=network.id,
        )
        message.status = MessageStatus.FAILED
        message.last_error = "ConnectionRefusedError"
    db.session.commit()
    client.login(make_user(Role.COORDINATOR, gent))
    page = client.get("/outbox/?lang=en").get_data(as_text=True)
    assert "g@example.org" in page and "m@example.org" not in page
    theirs = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "m@example.org"))
    ours = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "g@example.org"))
    assert client.submit(f"/outbox/{theirs.id}/retry", {}, form_url="/outbox/").status_code == 404
    assert client.submit(f"/outbox/{ours.id}/retry", {}, form_url="/outbox/").status_code == 302
    db.session.refresh(ours)
    assert ours.status == MessageStatus.PENDING
    counter = make_client()
    counter.login(make_user(Role.COUNTER, gent))
    assert counter.get("/outbox/").status_code == 403


class RecordingEmailBackend(EmailBackend):
    """A provider's own transport, named in MAIL_BACKEND as package.module:ClassName."""

    sent: list = []

    def __init__(self, config):
        self.config = config

    def send(self, email):
        RecordingEmailBackend.sent.append(email)


def test_a_transport_of_ones_own_is_plugged_in_by_name(app):
    RecordingEmailBackend.sent = []
    app.config["MAIL_BACKEND"] = "tests.test_notifications:RecordingEmailBackend"
    queue_email(recipient="e@example.org", subject="Hallo", body="Tekst", kind="test", dedupe_key="t-plug")
    db.session.commit()
    assert delivery.deliver_due()["sent"] == 1
    assert [m["To"] for m in RecordingEmailBackend.sent] == ["e@example.org"]


def test_in_development_email_is_written_to_the_log_and_shown_on_the_messages_page(app, _schema, caplog):
    from tests.conftest import Client, make_app

    app.config["MAIL_BACKEND"] = "log"  # no SMTP server listens: nothing may fail
    client = Client(make_app(_schema, DEV_MESSAGES_PAGE=True).test_client())
    queue_email(
        recipient="resident@example.org",
        subject="Uw digibuddy",
        body="Goed nieuws: Sara helpt u.\nUw code: ABCD-EFGH",
        kind="matched",
        dedupe_key="t-dev",
    )
    queue_sms(recipient="+32470123456", body="Uw code: WXYZ-2345", kind="test", dedupe_key="t-dev-sms")
    db.session.commit()
    with caplog.at_level("INFO"):
        assert delivery.deliver_due()["sent"] == 2
    assert "resident@example.org" in caplog.text and "Sara helpt u." in caplog.text
    listing = client.get("/dev/messages?lang=en")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "Uw digibuddy" in page and "+32470123456" in page and "Sent" in page
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "t-dev"))
    shown = client.get(f"/dev/messages/{email.id}").get_data(as_text=True)
    assert "Goed nieuws: Sara helpt u." in shown and "ABCD-EFGH" in shown
    assert "resident@example.org" in client.get("/dev/messages?q=resident").get_data(as_text=True)
    assert "resident@example.org" not in client.get("/dev/messages?q=nobody").get_data(as_text=True)
    assert client.get("/dev/messages/abc").status_code == 404
    assert client.get("/dev/messages/99999999").status_code == 404


def test_the_development_messages_page_does_not_exist_in_production(_schema):
    from tests.conftest import make_app

    production_like = make_app(_schema, DEV_MESSAGES_PAGE=False)
    with production_like.app_context():
        assert production_like.test_client().get("/dev/messages").status_code == 404
        db.session.remove()


def test_production_settings_send_email_over_smtp_and_hide_the_messages_page(monkeypatch, tmp_path):
    from digibuddy.settings import from_environment

    monkeypatch.setenv("DIGIBUDDY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.delenv("MAIL_BACKEND", raising=False)
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    settings = from_environment(tmp_path)
    assert settings["MAIL_BACKEND"] == "smtp" and settings["DEV_MESSAGES_PAGE"] is False
    monkeypatch.setenv("DIGIBUDDY_ENV", "development")
    settings = from_environment(tmp_path)
    assert settings["MAIL_BACKEND"] == "log" and settings["DEV_MESSAGES_PAGE"] is True
    monkeypatch.setenv("MAIL_SERVER", "mail.example.org")
    assert from_environment(tmp_path)["MAIL_BACKEND"] == "smtp"


def test_coordinators_read_every_message_sent_to_their_networks_people(client, app):
    from digibuddy.audit.models import AuditEntry

    gent, mechelen = NetworkFactory(postcodes=["9000"]), NetworkFactory(postcodes=["2800"])
    ours = queue_email(
        recipient="ours@example.org",
        subject="Een digibuddy helpt u",
        body="Sara helpt u op dinsdag.",
        kind="matched",
        dedupe_key="r-g",
        network_id=gent.id,
    )
    theirs = queue_sms(
        recipient="+32470000000", body="Code MECH-ELEN", kind="test", dedupe_key="r-m", network_id=mechelen.id
    )
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR, gent)
    client.login(coordinator)
    listing = client.get("/outbox/?lang=en").get_data(as_text=True)
    assert "ours@example.org" in listing and "+32470000000" not in listing
    shown = client.get(f"/outbox/{ours.id}?lang=en")
    assert shown.status_code == 200 and "Sara helpt u op dinsdag." in shown.get_data(as_text=True)
    assert client.get(f"/outbox/{theirs.id}").status_code == 404
    assert client.get("/outbox/x1").status_code == 404
    assert db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.object_type == "outbox_message",
            AuditEntry.object_id == ours.id,
            AuditEntry.user_id == coordinator.id,
        )
    )


def test_messages_to_staff_come_from_templates_in_their_language(app):
    from digibuddy.reports.digest import weekly_digest
    from digibuddy.requests.models import RequestStatus
    from tests.factories import HelpRequestFactory

    network = NetworkFactory(postcodes=["9000"])
    dutch = make_user(Role.COORDINATOR, network, locale="nl")
    french = make_user(Role.COORDINATOR, network, locale="fr")
    HelpRequestFactory(resident__network=network, status=RequestStatus.ESCALATED)
    assert weekly_digest() == 2
    by_recipient = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert by_recipient[dutch.email].subject == f"digibuddy {network.name}: jouw week"
    assert "Wachten op jou: 1 hulpvragen." in by_recipient[dutch.email].body
    assert by_recipient[dutch.email].body.startswith(f"Hallo {dutch.first_name},\n\n")
    assert "En attente de votre action : 1 demandes d'aide." in by_recipient[french.email].body
