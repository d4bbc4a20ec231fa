"""A coordinator changes what a request asks (what, how, in which languages, when): the change is in the
event log in words, offers made for the old request are withdrawn and matching looks again."""

import re

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.matching import services as matching
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.requests.models import HelpMode, RequestEvent, RequestStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.matching_helpers import ITSME, TAX, helper, make_request, topic


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])


@pytest.fixture
def coordinator(gent):
    return make_user(Role.COORDINATOR, gent, locale="en")


def change_form(request, **overrides):
    data = {
        "topics": [t.id for t in request.topics],
        "description": request.description or "",
        "preferred_mode": request.preferred_mode.value,
        "street_address": "",
        "languages": [language.code for language in request.languages],
        "other_language": "",
        "time_windows": [f"{w.weekday}-{w.day_part.value}" for w in request.time_windows],
        "deadline": "",
    }
    data.update(overrides)
    return data


def test_a_request_nobody_fits_is_matched_after_the_coordinator_adds_a_language(client, gent, coordinator):
    # Only a Dutch speaker knows itsme; the resident asked in Arabic only: nobody fits.
    dutch = helper(gent, languages=(("nl", "native"),))
    request = make_request(gent, languages=("ar",))
    matching.start_matching(request)
    assert request.status == RequestStatus.ESCALATED
    client.login(coordinator)
    page = text(client.get(f"/requests/{request.id}/edit?lang=en"))
    # The form starts from the request as it is: Arabic ticked, Dutch not.
    ticked = set(re.findall(r'<input checked[^>]*name="languages"[^>]*value="(\w+)"', page))
    assert ticked == {"ar"}
    response = client.submit(
        f"/requests/{request.id}/edit?lang=en", change_form(request, languages=["ar", "nl"])
    )
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.status == RequestStatus.OFFERED
    assert {language.code for language in request.languages} == {"ar", "nl"}
    offer = db.session.scalar(select(Offer).where(Offer.request_id == request.id))
    assert offer.volunteer_id == dutch.id
    detail = text(client.get(f"/requests/{request.id}?lang=en"))
    assert "The request was changed" in detail and "Changed: the languages" in detail
    event = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == "request_changed"))
    assert event.actor_id == coordinator.id and event.note == "languages"


def test_an_open_offer_for_the_old_request_is_withdrawn(client, gent, coordinator):
    itsme = helper(gent, topics=(ITSME,))
    tax = helper(gent, topics=(TAX,))
    request = make_request(gent, topics=(ITSME,))
    first = matching.start_matching(request)
    assert first.volunteer_id == itsme.id
    client.login(coordinator)
    response = client.submit(f"/requests/{request.id}/edit", change_form(request, topics=[topic(TAX).id]))
    assert response.status_code == 302
    db.session.refresh(first)
    assert first.status == OfferStatus.WITHDRAWN
    offers = db.session.scalars(
        select(Offer).where(Offer.request_id == request.id, Offer.status == "pending")
    )
    assert [o.volunteer_id for o in offers] == [tax.id]


def test_a_wrong_change_is_a_field_error_and_nothing_changes(client, gent, coordinator):
    request = make_request(gent, mode=HelpMode.PHONE, street=None)
    client.login(coordinator)
    url = f"/requests/{request.id}/edit?lang=en"
    response = client.submit(url, change_form(request, topics=[]))
    assert response.status_code == 422 and "Choose at least one thing you want help with." in text(response)
    response = client.submit(url, change_form(request, preferred_mode="home"))
    assert response.status_code == 422
    assert "For a visit at home we need your street and house number." in text(response)
    db.session.refresh(request)
    assert request.preferred_mode == HelpMode.PHONE and len(request.topics) == 1
    assert db.session.scalar(select(RequestEvent).where(RequestEvent.kind == "request_changed")) is None


def test_saving_without_a_change_logs_nothing(client, gent, coordinator):
    request = make_request(gent, mode=HelpMode.PHONE)
    client.login(coordinator)
    response = client.submit(
        f"/requests/{request.id}/edit?lang=en", change_form(request), follow_redirects=True
    )
    assert "Nothing was changed." in text(response)
    assert db.session.scalar(select(RequestEvent).where(RequestEvent.kind == "request_changed")) is None


def test_only_the_networks_coordinator_changes_a_request(client, make_client, gent):
    request = make_request(gent, mode=HelpMode.PHONE)
    other = make_user(Role.COORDINATOR, NetworkFactory(postcodes=["2000"]))
    client.login(other)
    assert client.get(f"/requests/{request.id}/edit").status_code == 404
    counter = make_client()
    counter.login(make_user(Role.COUNTER, gent))
    assert counter.get(f"/requests/{request.id}/edit").status_code in (403, 404)
