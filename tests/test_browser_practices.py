"""In a real browser, without JavaScript: the central administrator publishes a practice, and a coordinator of
another network finds it by searching and marks "we use this"."""

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.practices.models import PracticeUse
from tests.browser import content, log_in
from tests.factories import PASSWORD, NetworkFactory, make_admin, make_user
from tests.test_browser_volunteers import log_out

pytestmark = pytest.mark.browser


def test_the_centre_publishes_a_practice_and_another_network_finds_and_uses_it(page):
    gent = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    mechelen = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    admin = make_admin(name="Kim Centraal", locale="en")
    coordinator = make_user(Role.COORDINATOR, mechelen, name="Lotte Peeters", locale="en")

    log_in(page, admin.email, PASSWORD)
    page.get_by_role("link", name="Good practices").click()
    page.get_by_role("link", name="New practice").click()
    page.get_by_label("Title").fill("Koffie & Formulieren")
    page.get_by_label("Local network it comes from").select_option(str(gent.id))
    page.get_by_label("Summary").fill("Elke dinsdag helpen digibuddy's bij koffie met brieven.")
    page.get_by_label("The practice sheet").fill(
        "## Wat\n\nBewoners komen met een formulier van de overheid."
    )
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("heading", name="Wat").is_visible()
    page.get_by_label("Seniors").check()
    page.get_by_role("button", name="Save and publish").click()
    assert "The practice is published." in content(page)
    log_out(page)

    log_in(page, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Good practices").click()
    page.get_by_role("searchbox", name="Search").fill("formulieren")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Koffie & Formulieren").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Koffie & Formulieren"
    page.get_by_role("button", name="We use this (Digibuddy Mechelen)").click()
    assert "Your network is shown as a user of this practice." in content(page)
    users = page.get_by_role("list").filter(has_text="Digibuddy Mechelen")
    assert users.count() >= 1
    assert db.session.scalar(select(PracticeUse)).network_id == mechelen.id
