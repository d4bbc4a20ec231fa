"""SMS that really goes out: the Twilio backend (official client) against a local server that speaks
Twilio's API, signed delivery reports, and every answer a resident can send back."""

from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.notifications import delivery
from digibuddy.notifications.messages import tell_resident
from digibuddy.notifications.models import MessageChannel, MessageStatus, OutboxMessage
from digibuddy.requests.models import RequestEvent
from digibuddy.scheduling.services import place_text
from tests.factories import NetworkFactory, make_user
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio, signature
from tests.message_samples import Samples, resident_messages
from tests.outcomes_helpers import helped_request

PUBLIC = "https://digibuddy.example"


@pytest.fixture
def twilio(app):
    fake = FakeTwilio().start()
    app.config.update(
        SMS_BACKEND="twilio",
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM=FROM_NUMBER,
        TWILIO_API_URL=fake.url,
        PUBLIC_BASE_URL=PUBLIC,
    )
    yield fake
    fake.stop()


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")


@pytest.fixture
def planned(gent):
    """A resident without e-mail whose session starts in a bit more than a day; its SMS was sent."""
    request, session, volunteer = helped_request(gent, hours_ago=-26)
    tell_resident(
        request.resident,
        "session_planned",
        key="planned",
        request=request,
        session=session,
        where=partial(place_text, session, True),
    )
    db.session.commit()
    return request, session, volunteer


def outbox(**filters) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
    return db.session.scalars(stmt).all()


def post_signed(client, path, params, token=AUTH_TOKEN):
    headers = {"X-Twilio-Signature": signature(PUBLIC + path, params, token)}
    return client.raw.post(path, data=params, headers=headers)


def reply(client, text, sender="+32470112233"):
    params = {
        "MessageSid": "SMin0001",
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "To": FROM_NUMBER,
        "Body": text,
    }
    return post_signed(client, "/sms/inbound", params)


def test_an_sms_goes_out_through_the_provider_with_a_delivery_callback(twilio, planned):
    assert delivery.deliver_due()["sent"] == 1
    [sent] = twilio.messages
    assert sent["To"] == "+32470112233" and sent["From"] == FROM_NUMBER
    assert sent["StatusCallback"] == f"{PUBLIC}/sms/status"
    assert sent["Body"].startswith("digibuddy: Afspraak met") and "Antwoord 1" in sent["Body"]
    [message] = outbox()
    assert message.status == MessageStatus.SENT and message.provider_ref == sent["sid"]
    assert delivery.deliver_due()["sent"] == 0 and len(twilio.messages) == 1  # never twice


def test_the_provider_down_is_retried_and_an_impossible_number_fails_at_once(twilio, planned):
    twilio.down = True
    assert delivery.deliver_due()["retry"] == 1
    [message] = outbox()
    assert message.status == MessageStatus.PENDING and "503" in message.last_error
    twilio.down = False
    twilio.invalid.add("+32470112233")
    assert delivery.deliver_due(now=utcnow() + timedelta(minutes=5))["failed"] == 1
    db.session.refresh(message)
    assert message.status == MessageStatus.FAILED and "21211" in message.last_error
    assert twilio.messages == []


def test_signed_delivery_reports_update_the_message(client, twilio, planned):
    delivery.deliver_due()
    [message] = outbox()
    report = {"MessageSid": message.provider_ref, "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID}
    assert post_signed(client, "/sms/status", {**report, "MessageStatus": "sent"}).status_code == 204
    assert post_signed(client, "/sms/status", report).status_code == 204
    db.session.refresh(message)
    assert message.delivered_at is not None and message.status == MessageStatus.SENT


def test_an_undelivered_report_marks_the_message_failed_for_the_coordinator(client, twilio, planned):
    delivery.deliver_due()
    [message] = outbox()
    report = {"MessageSid": message.provider_ref, "MessageStatus": "undelivered", "ErrorCode": "30005"}
    assert post_signed(client, "/sms/status", report).status_code == 204
    db.session.refresh(message)
    assert message.status == MessageStatus.FAILED and "30005" in message.last_error


@pytest.mark.parametrize("path", ["/sms/status", "/sms/inbound"])
def test_unsigned_or_wrongly_signed_callbacks_are_refused_and_change_nothing(client, twilio, planned, path):
    delivery.deliver_due()
    [message] = outbox()
    params = {
        "MessageSid": message.provider_ref,
        "MessageStatus": "failed",
        "From": "+32470112233",
        "Body": "STOP",
    }
    assert client.raw.post(path, data=params).status_code == 403
    assert post_signed(client, path, params, token="not-the-token").status_code == 403
    db.session.refresh(message)
    assert message.status == MessageStatus.SENT and planned[0].resident.messages_stopped_at is None


@pytest.mark.parametrize("answer", ["1", " 1 ", "١"])  # the last one from an Arabic keyboard
def test_answering_1_confirms_the_appointment(client, twilio, planned, answer):
    request, session, _volunteer = planned
    response = reply(client, answer)
    assert response.status_code == 200 and "<Response>" in response.get_data(as_text=True)
    db.session.refresh(session)
    assert session.confirmed_by_resident_at is not None
    thanks = outbox(kind="reply_confirmed")
    assert [m.channel for m in thanks] == [MessageChannel.SMS] and "bevestigd" in thanks[0].body


def test_answering_2_asks_to_move_and_tells_the_volunteer_and_the_coordinator(client, twilio, gent, planned):
    request, session, volunteer = planned
    coordinator = make_user(Role.COORDINATOR, gent, locale="fr")
    assert reply(client, "2").status_code == 200
    db.session.refresh(session)
    assert session.move_asked_at is not None and session.status == "planned"
    told = {m.recipient: m for m in outbox(kind="move_asked")}
    assert set(told) == {volunteer.user.email, coordinator.email}
    assert "demande un autre moment" in told[coordinator.email].body
    assert outbox(kind="reply_move_asked")[0].channel == MessageChannel.SMS
    assert reply(client, "2").status_code == 200  # asking again tells nobody twice
    assert len(outbox(kind="move_asked")) == 2


def test_stop_ends_every_message_after_one_confirmation(client, twilio, planned):
    request, _session, _volunteer = planned
    assert reply(client, "Stop").status_code == 200
    resident = request.resident
    db.session.refresh(resident)
    assert resident.messages_stopped_at is not None
    assert [m.kind for m in outbox(kind="reply_stopped")] == ["reply_stopped"]
    samples = Samples(request.network)
    for message in resident_messages():
        context = {k: v for k, v in samples.context(message).items() if k not in ("resident", "network")}
        assert tell_resident(resident, message, key=f"after-stop-{message}", **context) is None


def test_start_after_stop_brings_the_messages_back(client, twilio, planned):
    request, _session, _volunteer = planned
    assert reply(client, "STOP").status_code == 200
    assert "START" in outbox(kind="reply_stopped")[0].body  # the resident learns how to undo it
    assert reply(client, "start").status_code == 200
    resident = request.resident
    db.session.refresh(resident)
    assert resident.messages_stopped_at is None
    (resumed,) = outbox(kind="reply_resumed")
    assert resumed.channel == MessageChannel.SMS and "weer berichten" in resumed.body
    events = [e.kind for e in request.events]
    assert events[-2:] == ["messages_stopped", "messages_resumed"]
    assert tell_resident(resident, "request_received", key="after-start", request=request) is not None
    # A second STOP is honoured again, with its own confirmation.
    assert reply(client, "Stop").status_code == 200
    assert len(outbox(kind="reply_stopped")) == 2


def test_staff_stop_and_restart_messages_for_a_resident_who_asks_by_phone(make_client, gent, planned):
    request, _session, _volunteer = planned
    counter = make_user(Role.COUNTER, gent, locale="en")
    staff = make_client()
    staff.login(counter)
    page = f"/requests/{request.id}?lang=en"
    assert "Messages go out." in staff.get(page).get_data(as_text=True)
    response = staff.submit(
        f"/residents/{request.resident_id}/messages",
        {"action": "stop", "request_id": request.id},
        form_url=page,
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/requests/{request.id}")
    resident = request.resident
    db.session.refresh(resident)
    assert resident.messages_stopped_at is not None
    stopped = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == "messages_stopped"))
    assert stopped.actor_id == counter.id and stopped.note == "staff"
    assert "Send messages again" in staff.get(page).get_data(as_text=True)
    staff.submit(f"/residents/{request.resident_id}/messages", {"action": "resume"}, form_url=page)
    db.session.refresh(resident)
    assert resident.messages_stopped_at is None
    # Staff of another network cannot reach this resident.
    other = make_user(Role.COORDINATOR, NetworkFactory(postcodes=["2000"]))
    outsider = make_client()
    outsider.login(other)
    token = outsider.csrf_token("/requests?lang=en")
    response = outsider.raw.post(
        f"/residents/{request.resident_id}/messages", data={"action": "stop", "csrf_token": token}
    )
    assert response.status_code == 404


def test_any_other_answer_is_a_note_on_the_request(client, twilio, planned):
    request, _session, _volunteer = planned
    assert reply(client, "Ik kom met mijn dochter, is dat goed?").status_code == 200
    note = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == "resident_reply"))
    assert note.request_id == request.id and note.note == "Ik kom met mijn dochter, is dat goed?"
    assert outbox(kind="reply_noted")[0].channel == MessageChannel.SMS


def test_an_answer_from_an_unknown_number_is_ignored(client, twilio, planned):
    assert reply(client, "1", sender="+32499999999").status_code == 200
    assert outbox(kind="reply_confirmed") == []
    assert db.session.scalar(select(RequestEvent).where(RequestEvent.kind == "resident_reply")) is None
