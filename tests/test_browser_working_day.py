"""In real Chromium without JavaScript: a coordinator resolves a request that had no candidate by offering
it to a near miss with a reason; the volunteer accepts and plans the session from a proposed moment."""

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.time import to_local
from digibuddy.extensions import db
from digibuddy.matching import services
from digibuddy.requests.models import HelpMode, RequestStatus
from digibuddy.requests.references import display_reference
from digibuddy.scheduling.models import HelpSession, SessionStatus
from tests.browser import content, log_in
from tests.factories import NetworkFactory, make_user
from tests.matching_helpers import helper, make_request
from tests.scheduling_helpers import open_location

pytestmark = pytest.mark.browser


def test_a_near_miss_is_asked_anyway_accepts_and_plans_from_a_proposed_moment(page, chromium, live_server):
    gent = NetworkFactory(name="Digibuddy Gent", postcodes=["9000", "9050"], max_offer_rounds=3)
    open_location(gent)
    # Sara fits everything but lives just outside her radius (Aalst, about 25 km away, radius 10 km).
    sara = helper(gent, postcode="9300", radius=10)
    sara.user.locale = "en"
    request = make_request(gent, mode=HelpMode.LOCATION)
    services.start_matching(request)
    assert request.status == RequestStatus.ESCALATED
    coordinator = make_user(Role.COORDINATOR, gent, locale="en")
    db.session.commit()

    log_in(page, coordinator)
    page.goto(f"/requests/{request.id}/matching?lang=en")
    near = page.locator("#near-misses + p + table")
    assert "km outside their radius of 10 km" in near.inner_text()
    page.get_by_label(f"Why do you ask {sara.user.first_name} anyway?").fill(
        "Ze werkt in Gent, vlak bij de bib."
    )
    page.get_by_role("button", name="Offer anyway").click()
    assert "The offer is sent." in content(page)
    page.get_by_role("button", name="Log out").click()

    volunteer_page = chromium.new_context(base_url=live_server.url, java_script_enabled=False).new_page()
    log_in(volunteer_page, sara.user)
    volunteer_page.goto("/home?lang=en")
    volunteer_page.get_by_role("link", name=f"Request {display_reference(request.reference)}").click()
    assert "Ze werkt in Gent, vlak bij de bib." in content(volunteer_page)
    volunteer_page.get_by_role("button", name="Yes, I will help").click()
    volunteer_page.get_by_role("link", name="Plan a session").click()
    proposal = volunteer_page.locator("ul.proposals button").first
    label = proposal.inner_text()
    assert label.startswith("Plan on ")
    proposal.click()
    assert "The session is planned." in content(volunteer_page)
    db.session.expire_all()
    session = db.session.scalar(select(HelpSession).where(HelpSession.request_id == request.id))
    assert session.status == SessionStatus.PLANNED and session.location_id is not None
    start = to_local(session.starts_at)
    assert start.weekday() == 1 and start.hour == 9  # Tuesday morning: the resident's window and Sara's time
    assert request.status == RequestStatus.SCHEDULED
