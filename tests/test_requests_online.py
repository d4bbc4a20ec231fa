"""A resident asks for help online: in every resident language, with field errors that keep the input."""

import re

import pytest
from sqlalchemy import func, select

from digibuddy.extensions import db
from digibuddy.notifications.models import MessageChannel, OutboxMessage
from digibuddy.requests.models import HelpRequest, IntakeChannel, RequestStatus, Resident
from digibuddy.requests.references import ALPHABET
from tests.conftest import text
from tests.factories import NetworkFactory
from tests.requests_helpers import online_form

REFERENCE_RE = re.compile(r'id="reference-code"><bdi dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})<')


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])


def ask(client, **overrides):
    return client.submit("/help", online_form(**overrides))


@pytest.mark.parametrize(
    "locale, heading",
    [
        ("nl", "Vraag een digibuddy om hulp"),
        ("fr", "Demandez de l'aide à un digibuddy"),
        ("en", "Ask a digibuddy for help"),
        ("ar", "اطلب المساعدة من digibuddy"),
        ("tr", "Bir digibuddy'den yardım isteyin"),
        ("uk", "Попросіть digibuddy про допомогу"),
    ],
)
def test_online_request_in_each_resident_language(client, gent, locale, heading):
    form_page = text(client.get(f"/help?lang={locale}"))
    assert heading in form_page and f'<html lang="{locale}"' in form_page
    response = ask(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/help/confirmation")
    confirmation = text(client.get("/help/confirmation"))
    code = REFERENCE_RE.search(confirmation).group(1).replace("-", "")
    request = db.session.scalar(select(HelpRequest).where(HelpRequest.reference == code))
    assert request.network_id == gent.id
    assert request.intake_channel == IntakeChannel.ONLINE and request.status == RequestStatus.NEW
    assert request.resident.locale == locale and request.resident.consent_version == "2026-01"
    assert [e.kind for e in request.events] == ["created"]
    assert "09 210 10 10" in confirmation


def test_reference_codes_are_unambiguous(client, gent):
    codes = set()
    for _ in range(5):
        ask(client)
        codes.add(REFERENCE_RE.search(text(client.get("/help/confirmation"))).group(1).replace("-", ""))
    assert len(codes) == 5
    for code in codes:
        assert len(code) == 8 and not set(code) & set("0O1I") and set(code) <= set(ALPHABET)


def test_the_request_records_what_the_resident_chose(client, gent):
    ask(
        client,
        other_language="ti",
        languages=["ar"],
        preferred_mode="home",
        street_address="Veldstraat 10",
        deadline="2099-05-01",
        age_band="65_74",
        needs=["low_vision"],
    )
    request = db.session.scalar(select(HelpRequest))
    assert {lang.code for lang in request.languages} == {"ar", "ti"}
    assert request.preferred_mode == "home" and request.resident.street_address == "Veldstraat 10"
    assert str(request.deadline) == "2099-05-01"
    assert [(w.weekday, w.day_part) for w in request.time_windows] == [(1, "morning"), (3, "afternoon")]
    assert request.resident.needs_low_vision and request.resident.age_band == "65_74"
    assert request.resident.has_no_email and request.resident.email is None


def test_confirmation_is_queued_by_sms_when_there_is_no_email(client, gent):
    ask(client)
    message = db.session.scalar(select(OutboxMessage))
    assert message.channel == MessageChannel.SMS and message.recipient == "+32470123456"
    request = db.session.scalar(select(HelpRequest))
    assert request.reference[:4] in message.body


def test_confirmation_email_is_in_the_residents_language(client, gent):
    client.get("/help?lang=fr")
    ask(client, email="maria@example.org", has_no_email=None)
    message = db.session.scalar(select(OutboxMessage))
    assert message.channel == MessageChannel.EMAIL and message.locale == "fr"
    assert "Votre code" in message.body or "votre code" in message.body


def _assert_kept_with_summary(page, field_id):
    assert 'class="error-summary"' in page and f'href="#{field_id}' in page
    assert "Ik wil mijn belastingaangifte doen via Tax-on-web." in page  # input kept
    if field_id != "first_name":
        assert 'value="Maria"' in page


@pytest.mark.parametrize(
    "overrides, field_id, message",
    [
        ({"postcode": "9999"}, "postcode", "We do not know the postcode 9999"),
        ({"postcode": "90x0"}, "postcode", "A Belgian postcode has 4 digits"),
        ({"consent": None}, "consent", "We can only help you if you agree"),
        ({"topics": None}, "topic-", "Choose at least one thing you want help with."),
        ({"languages": None}, "languages-0", "Choose at least one language you speak."),
        ({"preferred_mode": "home"}, "street_address", "For a visit at home we need your street"),
        ({"phone": "call me"}, "phone", "This is not a phone number we can call"),
        ({"email": "maria@", "has_no_email": None}, "email", "This e-mail address is not complete."),
        (
            {"email": "maria@example.org"},
            "has_no_email",
            "You wrote an e-mail address and ticked that you have none",
        ),
        ({"deadline": "2001-01-01"}, "deadline", "This date has already passed."),
        ({"first_name": ""}, "first_name", "Fill in a name we can use."),
    ],
)
def test_every_field_error_reshows_the_form_with_input_kept(client, gent, overrides, field_id, message):
    response = client.submit("/help?lang=en", online_form(**overrides), form_url="/help?lang=en")
    page = text(response)
    assert response.status_code == 422
    assert message in page
    _assert_kept_with_summary(page, field_id)
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_uncovered_postcode_explains_how_to_get_help_anyway(client, gent):
    response = client.submit("/help?lang=en", online_form(postcode="8000"), form_url="/help?lang=en")
    page = text(response)
    assert response.status_code == 422
    assert "There is no digibuddy network in Brugge yet" in page and 'href="#postcode"' in page
    assert 'id="uncovered-help"' in page and "Digibuddy Gent" in page and "09 210 10 10" in page
    _assert_kept_with_summary(page, "postcode")


def test_checking_the_postcode_shows_the_municipality_without_other_errors(client, gent):
    response = client.submit(
        "/help?lang=en", {"postcode": "9000", "check_postcode": "1"}, form_url="/help?lang=en"
    )
    page = text(response)
    assert (
        'Postcode <bdi dir="ltr">9000</bdi>: Gent.' in page
        and "Your local network is Digibuddy Gent." in page
    )
    assert 'class="error-summary"' not in page


def test_language_list_names_each_language_twice_most_common_first(client, gent):
    page = text(client.get("/help?lang=nl"))
    assert 'Arabisch — <span lang="ar" dir="auto">العربية</span>' in page
    assert 'Oekraïens — <span lang="uk" dir="auto">українська</span>' in page
    assert page.index('value="nl"') < page.index('value="ar"')
    other = page[page.index('id="other_language"') :]
    assert ">Tigrinya<" in other  # the long list in the page's language only


def test_confirmation_needs_a_request_in_this_session(client, gent):
    assert client.get("/help/confirmation").status_code == 404
    assert client.get("/help/slip").status_code == 404


def test_nothing_a_resident_types_gives_a_server_error(client, gent):
    nasty = {
        "topics": ["x", "-1", "99999999"],
        "preferred_mode": "boat",
        "postcode": "9" * 500,
        "languages": ["zz", "'; drop table"],
        "other_language": "<script>",
        "time_windows": ["9-night", "x"],
        "deadline": "31/02/2030",
        "first_name": "A" * 5000,
        "phone": "+" * 40,
        "email": "@" * 300,
        "age_band": "old",
        "needs": ["flying"],
        "consent": "y",
        "description": "é" * 5000,
    }
    response = client.submit("/help", nasty)
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Resident)) == 0
