"""Screens that point to the next action: home cards link to the filtered queue, statuses in pipeline
order, the queue oldest first with waiting time and mode, offers that say what and where, numbers by Babel."""

import re
from datetime import timedelta

import pytest

from digibuddy.accounts.models import Role
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.requests.models import HelpMode, RequestStatus
from digibuddy.requests.references import display_reference
from digibuddy.scheduling.models import SessionStatus
from digibuddy.volunteers.models import VolunteerStatus
from tests.conftest import text
from tests.factories import HelpRequestFactory, NetworkFactory, make_user, make_volunteer
from tests.matching_helpers import ITSME, topic
from tests.volunteers_helpers import make_offer, make_session


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])


def test_coordinator_cards_link_to_the_filtered_queue_and_statuses_follow_the_pipeline(client, gent):
    for status in (
        RequestStatus.COMPLETED,
        RequestStatus.ESCALATED,
        RequestStatus.NEW,
        RequestStatus.MATCHED,
    ):
        HelpRequestFactory(resident__network=gent, status=status)
    client.login(make_user(Role.COORDINATOR, gent))
    page = text(client.get("/home?lang=en"))
    escalated = '<a href="/requests?status=escalated&amp;sort=waiting"><span class="figure">1</span>'
    assert f"{escalated} requests need you" in page
    assert (
        '<a href="/requests?status=open&amp;sort=waiting"><span class="figure">3</span> open requests' in page
    )
    order = [page.index(name) for name in ("New", "Needs the coordinator", "Digibuddy found", "Completed")]
    assert order == sorted(order)


def test_the_queue_puts_the_longest_wait_first_with_waiting_time_and_mode(client, gent):
    recent = HelpRequestFactory(resident__network=gent, preferred_mode=HelpMode.PHONE)
    old = HelpRequestFactory(resident__network=gent, preferred_mode=HelpMode.HOME)
    old.created_at = utcnow() - timedelta(days=9)
    db.session.commit()
    client.login(make_user(Role.COORDINATOR, gent))
    page = text(client.get("/requests?lang=en"))
    first, second = (page.index(display_reference(r.reference)) for r in (old, recent))
    assert first < second
    assert "Waiting for" in page and "9 days" in page and "At home" in page and "By phone" in page
    assert f'<th scope="row" class="nowrap"><a href="/requests/{old.id}">' in page
    page = text(client.get("/requests?sort=newest&lang=en"))
    assert page.index(display_reference(recent.reference)) < page.index(display_reference(old.reference))
    assert client.get("/requests?sort=bogus&lang=en").status_code == 200


def test_an_offer_on_the_volunteers_home_page_says_what_how_where_and_until_when(client, gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE)
    volunteer.user.locale = "en"
    offer = make_offer(gent, volunteer, expires_in=timedelta(hours=20), preferred_mode=HelpMode.HOME)
    offer.request.topics = [topic(ITSME)]
    db.session.commit()
    client.login(volunteer.user)
    page = text(client.get("/home?lang=en"))
    item = page[page.index(f'href="/offers/{offer.id}"') :]
    item = item[: item.index("</li>")]
    assert topic(ITSME).label("en") in item and "At home" in item and "(9000)" in item
    assert "asked on" in item and "answer before" in item


def test_hours_are_written_the_way_the_language_writes_numbers(client, gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE)
    start = utcnow().replace(month=1, day=1, hour=9, minute=0, second=0, microsecond=0)
    make_session(gent, volunteer, start, minutes=480, status=SessionStatus.DONE)
    client.login(volunteer.user)
    assert re.search(r'<span class="figure">8,0</span>\s*uren dit jaar', text(client.get("/home?lang=nl")))
    assert '<span class="figure">8.0</span> hours this year' in text(client.get("/home?lang=en"))
