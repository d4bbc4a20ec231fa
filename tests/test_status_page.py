"""After the help: the status page shows the feedback link once the help is complete, and lets the
resident ask to move a planned appointment (the volunteer and the coordinator are told)."""

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.outcomes.services import record_feedback
from digibuddy.requests.models import RequestStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.outcomes_helpers import helped_request


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")


def open_status(client, request, lang="en"):
    response = client.submit(
        f"/status?lang={lang}",
        {"reference": request.reference, "postcode": request.resident.postcode_code},
        form_url=f"/status?lang={lang}",
    )
    assert response.status_code == 302
    return text(client.get(f"/status/request?lang={lang}"))


def test_the_feedback_link_shows_once_the_help_is_complete_until_feedback_is_given(client, gent):
    request, _session, _volunteer = helped_request(gent, status=RequestStatus.COMPLETED)
    request.feedback_token = "a-feedback-token-for-this-request"
    db.session.commit()
    page = open_status(client, request)
    assert (
        "Were you happy with the help?" in page
        and 'href="/feedback/a-feedback-token-for-this-request"' in page
    )
    record_feedback(request, channel="link", satisfaction=5)
    assert "/feedback/a-feedback-token" not in open_status(client, request)


def test_a_resident_asks_to_move_the_next_appointment_and_both_are_told(client, gent):
    request, session, volunteer = helped_request(gent, hours_ago=-48)
    coordinator = make_user(Role.COORDINATOR, gent)
    page = open_status(client, request, lang="tr")
    assert "Başka bir zaman isteyin" in page
    token = client.csrf_token("/status/request?lang=tr")
    response = client.raw.post("/status/move", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(session)
    assert session.move_asked_at is not None
    told = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "move_asked")).all()
    assert sorted(told) == sorted([volunteer.user.email, coordinator.email])
    page = open_status(client, request, lang="tr")
    assert "Başka bir zaman istediniz" in page and 'action="/status/move"' not in page
