"""Anyone with the code and the postcode sees the status in plain words and can cancel; guessing is
rate-limited."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.requests.models import RequestStatus
from digibuddy.scheduling.models import HelpSession, PlaceKind, SessionStatus
from tests.conftest import text
from tests.factories import HelpRequestFactory, LocationFactory, NetworkFactory, make_volunteer


@pytest.fixture
def request_in_gent(app):
    network = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    return HelpRequestFactory(resident__network=network, reference="K7QXM3PD", resident__postcode_code="9000")


def lookup(client, code, postcode, lang="en"):
    return client.submit(
        f"/status?lang={lang}", {"reference": code, "postcode": postcode}, form_url=f"/status?lang={lang}"
    )


@pytest.mark.parametrize("typed", ["K7QXM3PD", "k7qx-m3pd", " K7QX M3PD "])
def test_right_code_and_postcode_show_the_status(client, request_in_gent, typed):
    response = lookup(client, typed, "9000")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "K7QX-M3PD" in page
    assert "We received your question. We are looking for a digibuddy for you." in page


def test_every_wrong_combination_gets_the_same_answer(client, request_in_gent):
    HelpRequestFactory(
        resident__network=request_in_gent.network, reference="ABCDEFGH", resident__postcode_code="9050"
    )
    answers = set()
    for code, postcode in (
        ("K7QXM3PD", "9050"),
        ("ABCDEFGH", "9000"),
        ("ZZZZZZZZ", "9000"),
        ("K7QX", "9000"),
        ("K7QXM3PD", "abcd"),
        ("O0I1O0I1", "9000"),
    ):
        response = lookup(client, code, postcode)
        assert response.status_code == 422
        page = text(response)
        start = page.index('class="error-summary"')
        answers.add(page[start : page.index("</div>", start)])
    assert len(answers) == 1


def test_lookups_are_rate_limited_per_client(app, request_in_gent):
    app.config["STATUS_LOOKUP_LIMIT"] = "5 per 15 minutes"
    from tests.conftest import Client

    client = Client(app.test_client())
    for _ in range(5):
        assert lookup(client, "ZZZZZZZZ", "9000").status_code == 422
    blocked = lookup(client, "K7QXM3PD", "9000")  # even the right answer is refused now
    assert blocked.status_code == 429
    assert "Too many attempts" in text(blocked)
    other_client = Client(app.test_client())
    other = other_client.submit(
        "/status", {"reference": "K7QXM3PD", "postcode": "9000"}, environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert other.status_code == 302


def test_matched_request_shows_volunteer_first_name_and_next_session(client, request_in_gent):
    network = request_in_gent.network
    volunteer = make_volunteer(network)
    volunteer.user.name = "Yasmina El Idrissi"
    location = LocationFactory(network=network, name="Bibliotheek De Krook", street="Miriam Makebaplein 1")
    db.session.add(
        Offer(request_id=request_in_gent.id, volunteer_id=volunteer.id, status=OfferStatus.ACCEPTED)
    )
    starts = utcnow() + timedelta(days=3)
    db.session.add(
        HelpSession(
            request_id=request_in_gent.id,
            volunteer_id=volunteer.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            place_kind=PlaceKind.LOCATION,
            location_id=location.id,
            status=SessionStatus.PLANNED,
        )
    )
    request_in_gent.status = RequestStatus.SCHEDULED
    db.session.commit()
    lookup(client, "K7QXM3PD", "9000")
    page = text(client.get("/status/request"))
    assert "You have an appointment with your digibuddy." in page
    assert "Yasmina" in page and "El Idrissi" not in page
    assert "Bibliotheek De Krook, Miriam Makebaplein 1, 9000 Gent" in page


def test_resident_cancels_their_request(client, request_in_gent):
    volunteer = make_volunteer(request_in_gent.network)
    db.session.add(
        Offer(request_id=request_in_gent.id, volunteer_id=volunteer.id, status=OfferStatus.PENDING)
    )
    request_in_gent.status = RequestStatus.OFFERED
    db.session.commit()
    lookup(client, "K7QXM3PD", "9000")
    response = client.submit(
        "/status/cancel", {"reason": "Mijn kleinzoon helpt me al."}, form_url="/status/request"
    )
    assert response.status_code == 302
    db.session.refresh(request_in_gent)
    assert request_in_gent.status == RequestStatus.CANCELLED
    assert request_in_gent.events[-1].note == "Mijn kleinzoon helpt me al."
    assert db.session.scalar(select(Offer.status)) == OfferStatus.WITHDRAWN
    page = text(client.get("/status/request?lang=en"))
    assert "This request was cancelled." in page and "Cancel my request" not in page


def test_cancelling_twice_is_refused_kindly(client, request_in_gent):
    lookup(client, "K7QXM3PD", "9000")
    token = client.csrf_token("/status/request")
    assert client.post("/status/cancel", data={"csrf_token": token}).status_code == 302
    response = client.post("/status/cancel?lang=en", data={"csrf_token": token})
    assert response.status_code == 422 and "can no longer be cancelled" in text(response)


def test_status_pages_need_a_successful_lookup(client, request_in_gent):
    assert client.get("/status/request").status_code == 404
    token = client.csrf_token("/status")
    assert client.post("/status/cancel", data={"csrf_token": token}).status_code == 404
