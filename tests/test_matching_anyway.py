"""No dead ends: the matching page names the near misses (one rule missed, in words); a coordinator offers
or assigns to one anyway with a reason, which the event log keeps and the volunteer sees."""

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.matching import services
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.requests.models import RequestEvent, RequestStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.matching_helpers import ITSME, TAX, helper, make_request, topic


@pytest.fixture
def gent(app):
    return NetworkFactory(
        name="Digibuddy Gent", postcodes=["9000", "9050"], max_offer_rounds=3, offer_timeout_hours=24
    )


def test_a_request_nobody_fits_shows_its_near_misses_and_is_offered_anyway(client, make_client, gent):
    busy = helper(gent, max_concurrent=1)
    services.start_matching(make_request(gent))  # the pending offer takes busy's only place
    other_topic = helper(gent, topics=(TAX,))
    far = helper(gent, postcode="9300", radius=10)  # Aalst, about 25 km from Gent
    helper(gent, topics=(TAX,), max_concurrent=1, languages=(("nl", "native"),))  # two rules: no near miss
    request = make_request(gent)
    services.start_matching(request)
    assert request.status == RequestStatus.ESCALATED
    coordinator = make_user(Role.COORDINATOR, gent)
    client.login(coordinator)
    url = f"/requests/{request.id}/matching?lang=en"
    page = text(client.get(url))
    assert "Almost a fit" in page
    assert "full: 1 of 1 requests" in page
    assert f"does not list {topic(ITSME).label('en')}" in page
    assert "km outside their radius of 10 km" in page
    names = [busy.user.name, other_topic.user.name, far.user.name]
    assert all(name in page for name in names)
    # Without a reason nothing is sent.
    response = client.submit(
        f"/requests/{request.id}/matching/offer", {"volunteer_id": busy.id}, form_url=url
    )
    assert response.status_code == 302
    assert "Give a reason to ask them anyway" in text(client.get(url))
    assert db.session.scalar(select(Offer).where(Offer.request_id == request.id)) is None
    # With a reason: offered, logged, and the volunteer reads why.
    reason = "Een van haar aanvragen is bijna klaar."
    client.submit(
        f"/requests/{request.id}/matching/offer", {"volunteer_id": busy.id, "reason": reason}, form_url=url
    )
    offer = db.session.scalar(select(Offer).where(Offer.request_id == request.id))
    assert offer.status == OfferStatus.PENDING and request.status == RequestStatus.OFFERED
    event = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == "offered_anyway"))
    assert event.note == f"{busy.user.name}: {reason}" and event.actor_id == coordinator.id
    volunteer = make_client()
    volunteer.login(busy.user)
    offer_page = text(volunteer.get(f"/offers/{offer.id}?lang=en"))
    assert "asked anyway (full: 1 of 1 requests)" in offer_page and reason in offer_page
    log = text(client.get(f"/requests/{request.id}?lang=en"))
    assert "Offered anyway" in log and reason in log


def test_a_near_miss_is_assigned_anyway_with_a_reason(client, gent):
    far = helper(gent, postcode="9300", radius=10)
    request = make_request(gent)
    services.start_matching(request)
    client.login(make_user(Role.COORDINATOR, gent))
    url = f"/requests/{request.id}/matching?lang=en"
    response = client.submit(
        f"/requests/{request.id}/matching/assign",
        {"volunteer_id": far.id, "reason": "Hij komt toch naar Gent voor zijn werk."},
        form_url=url,
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/requests/{request.id}")
    offer = db.session.scalar(select(Offer).where(Offer.request_id == request.id))
    assert offer.status == OfferStatus.ACCEPTED and offer.direct_assignment
    assert offer.explanation[-1]["kind"] == "waived" and offer.explanation[-1]["rule"] == "distance"
    assert request.status == RequestStatus.MATCHED


def test_an_unscreened_volunteer_is_never_a_near_miss_nor_offered(client, gent, english):
    unvetted = helper(gent, vetted=False)
    request = make_request(gent)
    services.start_matching(request)
    assert services.near_misses(request) == []
    with pytest.raises(services.DomainError, match="screening is complete"):
        services.offer_to(request, unvetted, make_user(Role.COORDINATOR, gent), reason="toch")


def test_a_volunteer_of_a_network_that_cannot_take_the_request_is_never_offered(client, gent, english):
    # Mechelen does not take Gent's requests (no overflow): its volunteer fits every rule but that one
    mechelen = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    elsewhere = helper(mechelen, postcode="2800", radius=100)
    nearby = helper(gent)
    request = make_request(gent)
    coordinator = make_user(Role.COORDINATOR, gent)
    with pytest.raises(services.DomainError, match="does not belong to a network"):
        services.offer_to(request, elsewhere, coordinator, reason="toch")
    assert services.check_volunteer_may_help(request, nearby) == []


def test_the_event_log_gives_the_reasons_nobody_fitted_in_words(client, gent):
    helper(gent, languages=(("nl", "native"),))  # does not speak Arabic
    helper(gent, max_concurrent=1)
    services.start_matching(make_request(gent))
    request = make_request(gent)
    services.start_matching(request)
    client.login(make_user(Role.COORDINATOR, gent))
    log = text(client.get(f"/requests/{request.id}?lang=en"))
    log = log[log.index("Event log") :]
    assert "1 does not speak Arabic" in log and "1 is full" in log
    assert "language: 1" not in log and "full: 1" not in log
