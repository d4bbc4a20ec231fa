"""Resident feedback through each channel: the link sent after completion (public, no personal data, in every
resident language), taken down by staff by phone, and filled in by the resident at the counter."""

import re

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.exceptions import DomainError
from digibuddy.extensions import db
from digibuddy.outcomes import services
from digibuddy.outcomes.models import Feedback, FeedbackChannel
from digibuddy.requests.models import RequestStatus
from digibuddy.scheduling.models import SessionStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.matching_helpers import ITSME, topic
from tests.outcomes_helpers import helped_request


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")


def completed_request(network, **kwargs):
    request, session, volunteer = helped_request(network, **kwargs)
    services.record_outcome(
        session, actor=volunteer.user, result="solved", topic_ids=[topic(ITSME).id], minutes_spent=40
    )
    return request


def test_resident_gives_feedback_through_the_link(client, gent):
    request = completed_request(gent)
    url = f"/feedback/{request.feedback_token}"
    page = text(client.get(url + "?lang=en"))
    assert "How happy are you with the help you got?" in page
    # Five radio buttons drawn as faces, each with its text visible (no JavaScript needed).
    assert len(re.findall(r'<input[^>]*name="satisfaction"[^>]*type="radio"', page)) == 5
    for words in ("Very unhappy", "Unhappy", "So-so", "Happy", "Very happy"):
        assert f'<span class="face-text">{words}</span>' in page
    assert "<script" not in page
    # Nothing personal: not the resident's name, code, phone or the volunteer's name.
    for personal in (request.resident.first_name, request.reference, "0470 11 22 33"):
        assert personal not in page
    response = client.submit(
        url, {"satisfaction": "4", "ease": "3", "trust": "4", "comment": "Heel geduldig uitgelegd."}
    )
    assert response.status_code == 302
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.request_id, feedback.channel, feedback.satisfaction) == (
        request.id,
        FeedbackChannel.LINK,
        4,
    )
    assert feedback.comment == "Heel geduldig uitgelegd." and feedback.recorded_by_id is None
    assert "Thank you for your feedback" in text(client.get(url + "?lang=en"))


def test_feedback_form_requires_a_face(client, gent):
    request = completed_request(gent)
    response = client.submit(
        f"/feedback/{request.feedback_token}?lang=en", {"satisfaction": "", "comment": "x"}
    )
    assert response.status_code == 422 and "Choose one of the faces." in text(response)
    response = client.submit(f"/feedback/{request.feedback_token}?lang=en", {"satisfaction": "9"})
    assert response.status_code == 422
    assert db.session.scalar(select(Feedback.id)) is None


@pytest.mark.parametrize(
    "locale, direction",
    [("nl", "ltr"), ("fr", "ltr"), ("en", "ltr"), ("ar", "rtl"), ("tr", "ltr"), ("uk", "ltr")],
)
def test_feedback_page_is_offered_in_every_resident_language(client, gent, locale, direction):
    request = completed_request(gent)
    page = text(client.get(f"/feedback/{request.feedback_token}?lang={locale}"))
    assert f'<html lang="{locale}" dir="{direction}">' in page
    assert 'hreflang="ar"' in page and 'hreflang="uk"' in page  # the resident language switcher


def test_unknown_or_malformed_tokens_are_not_found(client, gent):
    completed_request(gent)
    for token in ("nope", "x" * 80, "%00"):
        assert client.get(f"/feedback/{token}").status_code == 404


def test_staff_take_down_feedback_by_phone(client, gent):
    request = completed_request(gent)
    staff = make_user(Role.COUNTER, gent)
    client.login(staff)
    url = f"/requests/{request.id}/feedback?lang=en"
    page = text(client.get(url))
    assert "By phone" in page and "At the counter" in page
    response = client.submit(
        url, {"channel": "phone", "satisfaction": "5", "ease": "2", "trust": "3", "comment": ""}
    )
    assert response.status_code == 302
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.channel, feedback.satisfaction, feedback.comment) == (FeedbackChannel.PHONE, 5, None)
    assert feedback.recorded_by_id == staff.id
    overview = text(client.get(f"/requests/{request.id}/outcomes?lang=en"))
    assert "5 / 5 · Very happy" in overview and "By phone" in overview
    # The link no longer asks: one feedback per request.
    assert "Thank you for your feedback" in text(client.get(f"/feedback/{request.feedback_token}?lang=en"))


def test_resident_fills_in_the_faces_at_the_counter_in_their_own_language(client, gent):
    request = completed_request(gent, locale="tr")
    client.login(make_user(Role.COUNTER, gent, locale="nl"))
    url = f"/requests/{request.id}/feedback/resident"
    page = text(client.get(url))
    assert '<html lang="tr"' in page
    assert client.submit(url, {"satisfaction": "3", "ease": "4", "trust": "1"}).status_code == 302
    feedback = db.session.scalar(select(Feedback))
    assert feedback.channel == FeedbackChannel.COUNTER and feedback.satisfaction == 3
    assert '<html lang="tr"' in text(client.get(url))  # the thank-you page, still in Turkish


def test_staff_feedback_is_scoped_to_their_network(make_client, gent):
    request = completed_request(gent)
    stranger = make_client()
    stranger.login(make_user(Role.COUNTER, NetworkFactory(postcodes=["2000"])))
    assert stranger.get(f"/requests/{request.id}/feedback").status_code == 404
    assert stranger.get(f"/requests/{request.id}/feedback/resident").status_code == 404
    volunteer = make_client()
    volunteer.login(helped_request(gent)[2].user)
    assert volunteer.get(f"/requests/{request.id}/feedback").status_code == 403


def test_feedback_rules_in_the_service(app, gent, english):
    request, session, volunteer = helped_request(gent)
    with pytest.raises(DomainError, match="once the help has taken place"):
        services.record_feedback(request, channel="link", satisfaction=4)
    session.status = SessionStatus.DONE
    db.session.commit()
    for bad in (0, 6, "x", None):
        with pytest.raises(DomainError) as error:
            services.record_feedback(request, channel="link", satisfaction=bad)
        assert error.value.field == "satisfaction"
    with pytest.raises(DomainError) as error:
        services.record_feedback(request, channel="phone", satisfaction=4)  # staff must be named
    assert error.value.field == "channel"
    with pytest.raises(DomainError):
        services.record_feedback(request, channel="link", satisfaction=4, comment="x" * 1001)
    services.record_feedback(request, channel="link", satisfaction=2, comment="  ")
    with pytest.raises(DomainError, match="already given"):
        services.record_feedback(request, channel="link", satisfaction=5)
    feedback = db.session.scalar(select(Feedback))
    assert feedback.satisfaction == 2 and feedback.comment is None
    assert request.status == RequestStatus.SCHEDULED  # feedback never changes the request


def test_the_link_asks_how_easy_it_was_and_how_much_the_resident_trusts_it(client, gent):
    request = completed_request(gent)
    url = f"/feedback/{request.feedback_token}"
    page = text(client.get(url + "?lang=en"))
    # Two groups of four radio buttons, each a fieldset with the question as its legend.
    for name, question in (
        ("ease", "How easy was it to get help this way?"),
        ("trust", "How much do you trust this help?"),
    ):
        assert re.search(rf'<fieldset[^>]*id="{name}"[^>]*>\s*<legend>{re.escape(question)}</legend>', page)
    for name in ("ease", "trust"):
        assert len(re.findall(rf'<input[^>]*name="{name}"[^>]*type="radio"', page)) == 4
    for words in ("Very hard", "Rather easy", "Very easy", "Not at all", "Quite a lot", "Completely"):
        assert words in page
    assert client.submit(url, {"satisfaction": "4", "ease": "1", "trust": "3"}).status_code == 302
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.channel, feedback.satisfaction, feedback.ease, feedback.trust) == (
        FeedbackChannel.LINK,
        4,
        1,
        3,
    )


def test_staff_record_ease_and_trust_by_phone_and_the_request_page_shows_them(client, gent):
    request = completed_request(gent)
    client.login(make_user(Role.COUNTER, gent))
    url = f"/requests/{request.id}/feedback?lang=en"
    page = text(client.get(url))
    assert "How easy was it to get help this way?" in page and "How much do you trust this help?" in page
    response = client.submit(url, {"channel": "counter", "satisfaction": "4", "ease": "4", "trust": "2"})
    assert response.status_code == 302
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.channel, feedback.ease, feedback.trust) == (FeedbackChannel.COUNTER, 4, 2)
    overview = text(client.get(f"/requests/{request.id}/outcomes?lang=en"))
    assert "4 / 4 · Very easy" in overview and "2 / 4 · A little" in overview


def test_the_resident_answers_ease_and_trust_at_the_counter_in_their_language(client, gent):
    request = completed_request(gent, locale="ar")
    client.login(make_user(Role.COUNTER, gent, locale="nl"))
    url = f"/requests/{request.id}/feedback/resident"
    page = text(client.get(url))
    assert '<html lang="ar" dir="rtl">' in page
    assert "How easy was it to get help this way?" not in page  # translated, not left in English
    assert len(re.findall(r'<input[^>]*name="trust"[^>]*type="radio"', page)) == 4
    assert client.submit(url, {"satisfaction": "5", "ease": "3", "trust": "4"}).status_code == 302
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.channel, feedback.ease, feedback.trust) == (FeedbackChannel.COUNTER, 3, 4)


@pytest.mark.parametrize("path", ["link", "staff", "counter"])
def test_ease_and_trust_must_be_answered_on_every_path(client, gent, path):
    request = completed_request(gent)
    if path == "link":
        url, extra = f"/feedback/{request.feedback_token}?lang=en", {}
    else:
        client.login(make_user(Role.COUNTER, gent, locale="en"))
        if path == "staff":
            url, extra = f"/requests/{request.id}/feedback?lang=en", {"channel": "phone"}
        else:
            url, extra = f"/requests/{request.id}/feedback/resident?lang=en", {}
    response = client.submit(url, {"satisfaction": "5", "comment": "Goed uitgelegd", **extra})
    page = text(response)
    assert response.status_code == 422
    assert "Choose how easy it was." in page and "Choose how much you trust this help." in page
    # The error summary links to the first answer of each group, and what was typed stays.
    assert 'href="#ease-0"' in page and 'href="#trust-0"' in page
    assert "Goed uitgelegd" in page
    assert re.search(r'<input[^>]*checked[^>]*value="5"|<input[^>]*value="5"[^>]*checked', page)
    # An answer that is not on the scale (an edited form) is refused the same way, never a server error.
    response = client.submit(url, {"satisfaction": "5", "ease": "9", "trust": "0", **extra})
    assert response.status_code == 422
    assert db.session.scalar(select(Feedback.id)) is None


def test_ease_and_trust_rules_in_the_service(app, gent, english):
    request = completed_request(gent)
    for field, bad in (("ease", 0), ("ease", 5), ("trust", "x"), ("trust", 7)):
        with pytest.raises(DomainError) as error:
            services.record_feedback(request, channel="link", satisfaction=4, **{field: bad})
        assert error.value.field == field
    services.record_feedback(request, channel="link", satisfaction=4, ease="2", trust=4)
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.ease, feedback.trust) == (2, 4)
