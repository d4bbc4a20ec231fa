"""One way to tell a resident: the channel they can use, never after anonymisation or STOP, every
message from a template in their language with local times, and no other code that writes to them."""

import ast
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from digibuddy.core.bidi import LRI, PDI
from digibuddy.core.db import utcnow
from digibuddy.core.i18n import RESIDENT_LOCALES
from digibuddy.extensions import db
from digibuddy.notifications.messages import render_message, tell_resident, tell_volunteer
from digibuddy.notifications.models import MessageChannel, OutboxMessage
from tests.factories import NetworkFactory
from tests.message_samples import Samples, all_messages, resident_messages
from tests.translation_guard import recording_translations, untranslated

ROOT = Path(__file__).resolve().parent.parent
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def samples(app):
    return Samples(NetworkFactory(postcodes=["9000"], phone="09 210 10 10"))


def outbox() -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_every_resident_message_has_an_email_and_an_sms_in_every_language(samples, monkeypatch):
    assert {"request_received", "matched", "session_planned", "reminder", "dropin_booked"} <= set(
        resident_messages()
    )
    with recording_translations(monkeypatch) as seen:
        for message in resident_messages():
            for locale in RESIDENT_LOCALES:
                for channel in (MessageChannel.EMAIL, MessageChannel.SMS):
                    rendered = render_message(message, channel, locale, **samples.context(message))
                    assert rendered.body, (message, locale, channel)
                    if channel == MessageChannel.EMAIL:
                        assert rendered.subject, (message, locale)
    assert {locale for locale, _msgid, _found in seen} == set(RESIDENT_LOCALES)
    assert untranslated(seen) == []


def test_every_message_to_volunteers_renders_in_the_staff_languages(samples, monkeypatch):
    with recording_translations(monkeypatch) as seen:
        for message in set(all_messages()) - set(resident_messages()):
            for locale in ("nl", "fr", "en"):
                rendered = render_message(message, MessageChannel.EMAIL, locale, **samples.context(message))
                assert rendered.subject and rendered.body
    assert untranslated(seen) == []


def test_an_email_when_there_is_one_else_an_sms_to_a_mobile_number(samples):
    resident = samples.resident
    resident.email, resident.phone = "maria@example.org", "+32470112233"
    tell_resident(resident, "request_received", key="k-1", request=samples.request)
    resident.email = None
    tell_resident(resident, "request_received", key="k-2", request=samples.request)
    resident.phone = "+3292101010"  # a landline cannot take an SMS: staff will call
    assert tell_resident(resident, "request_received", key="k-3", request=samples.request) is None
    db.session.commit()
    messages = outbox()
    assert [(m.channel, m.recipient) for m in messages] == [
        (MessageChannel.EMAIL, "maria@example.org"),
        (MessageChannel.SMS, "+32470112233"),
    ]
    assert {(m.resident_id, m.request_id) for m in messages} == {(resident.id, samples.request.id)}


@pytest.mark.parametrize("refusal", ["anonymised_at", "messages_stopped_at"])
def test_an_anonymised_resident_or_one_who_answered_stop_gets_nothing(samples, refusal):
    resident = samples.resident
    resident.email = "maria@example.org"
    setattr(resident, refusal, utcnow())
    for message in resident_messages():
        context = {k: v for k, v in samples.context(message).items() if k not in ("resident", "network")}
        assert tell_resident(resident, message, key=f"k-{message}", **context) is None
    db.session.commit()
    assert outbox() == []


def test_the_same_message_is_never_queued_twice(samples):
    assert tell_resident(samples.resident, "request_received", key="once", request=samples.request)
    assert tell_resident(samples.resident, "request_received", key="once", request=samples.request) is None
    db.session.commit()
    assert len(outbox()) == 1


def test_an_arabic_sms_isolates_the_code_phone_and_time_and_keeps_the_dash(samples):
    samples.request.reference = "K7QXM3PD"
    samples.resident.locale = "ar"
    rendered = render_message(
        "request_received", MessageChannel.SMS, "ar", **samples.context("request_received")
    )
    assert "وصلنا سؤالك" in rendered.body
    assert f"{LRI}K7QX-M3PD{PDI}" in rendered.body
    assert f"{LRI}09 210 10 10{PDI}" in rendered.body
    reminder = render_message("reminder", MessageChannel.SMS, "ar", **samples.context("reminder"))
    local_start = samples.session.starts_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(BRUSSELS)
    assert f"{LRI}{local_start:%H:%M}{PDI}" in reminder.body


def test_a_dutch_sms_has_no_isolation_marks_that_would_halve_its_length(samples):
    samples.request.reference = "K7QXM3PD"
    rendered = render_message("matched", MessageChannel.SMS, "nl", **samples.context("matched"))
    assert "K7QX-M3PD" in rendered.body and LRI not in rendered.body
    assert rendered.body.startswith("digibuddy: Goed nieuws")


def test_times_are_local_to_brussels_for_residents_and_volunteers(samples):
    samples.session.starts_at = datetime(2027, 1, 12, 9, 0)  # 10:00 in Brussels (winter time)
    samples.session.ends_at = datetime(2027, 1, 12, 10, 0)
    samples.offer.expires_at = datetime(2027, 7, 12, 16, 30)  # 18:30 in Brussels (summer time)
    reminder = render_message("reminder", MessageChannel.EMAIL, "fr", **samples.context("reminder"))
    assert "mardi 12 janvier 2027 à 10:00" in reminder.body
    offer = tell_volunteer(samples.volunteer, "volunteer_offer", key="offer-x", offer=samples.offer)
    assert "18:30" in offer.body and "UTC" not in offer.body


def test_no_code_outside_the_one_function_writes_messages_to_the_outbox():
    """queue_sms and queue_email are called only by notifications/messages.py: every message, to a
    resident, a volunteer, staff or an invited address, comes from a template in the recipient's language."""
    callers = set()
    for path in (ROOT / "digibuddy").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"queue_sms", "queue_email"}:
                callers.add(str(path.relative_to(ROOT)))
    assert callers == {"digibuddy/notifications/messages.py"}
