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
    response = client.submit(url, {"satisfaction": "4", "comment": "Heel geduldig uitgelegd."})
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
    response = client.submit(url, {"channel": "phone", "satisfaction": "5", "comment": ""})
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
    assert client.submit(url, {"satisfaction": "3"}).status_code == 302
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
