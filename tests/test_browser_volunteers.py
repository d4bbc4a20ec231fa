"""In a real browser, without JavaScript: someone applies as a digibuddy, the coordinator vets and activates
them, and the new digibuddy sees their home page."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.reference.models import Topic
from digibuddy.volunteers.models import VolunteerProfile, VolunteerStatus
from tests.browser import content, log_in
from tests.factories import PASSWORD, NetworkFactory, make_user

pytestmark = pytest.mark.browser


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_apply_vet_activate_and_see_the_home_page(page):
    network = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    coordinator = make_user(Role.COORDINATOR, network, name="Lotte Peeters", locale="en")

    # Someone reads the public page and applies.
    page.goto("/?lang=en")
    page.get_by_role("link", name="Become a digibuddy").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Become a digibuddy"
    assert "never asks for, types or writes down passwords" in content(page)
    page.get_by_role("link", name="Apply as a digibuddy").click()
    page.get_by_label("Your name").fill("Youssef Benali")
    page.get_by_label("Your e-mail address").fill("youssef@example.org")
    page.get_by_label("Your postcode").fill("9000")
    page.get_by_label("Choose a password").fill("een-veilig-wachtwoord")
    page.get_by_label("Type the password again").fill("een-veilig-wachtwoord")
    page.get_by_role("button", name="Send my application").click()
    # Forgot to accept the rules: the form comes back with the input kept and a linked error.
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Your name").input_value() == "Youssef Benali"
    page.get_by_label("Choose a password").fill("een-veilig-wachtwoord")
    page.get_by_label("Type the password again").fill("een-veilig-wachtwoord")
    page.get_by_label("I have read the rules for digibuddies and I will keep to them.").check()
    page.get_by_role("button", name="Send my application").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My profile"

    # They complete their profile.
    page.get_by_label("Language 1", exact=True).select_option("nl")
    page.get_by_label("Level of language 1").select_option("native")
    page.get_by_label("Language 2", exact=True).select_option("ar")
    page.get_by_label("Level of language 2").select_option("fluent")
    page.get_by_label("Day (row 1)").select_option("1")
    page.get_by_label("From (row 1)").fill("09:00")
    page.get_by_label("Until (row 1)").fill("12:00")
    page.get_by_label("Home visits").check()
    itsme = db.session.scalar(select(Topic).where(Topic.code == "itsme-install"))
    page.locator("details.topic-group", has=page.locator(f"#topic_{itsme.id}")).locator("summary").click()
    page.locator(f"#topic_{itsme.id}").select_option("experienced")
    page.get_by_role("button", name="Save my profile").click()
    assert "Your profile is saved." in content(page)
    log_out(page)

    # The coordinator vets and activates them.
    log_in(page, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Digibuddies", exact=True).click()
    page.get_by_role("link", name="Youssef Benali").click()
    page.get_by_label("New status").select_option("vetting")
    page.get_by_role("button", name="Change the status").click()
    assert page.locator("#volunteer-status").inner_text() == "Being vetted"
    page.get_by_role("button", name="Mark as done: Identity checked").click()
    page.get_by_label("Date of issue of the extract").fill((date.today() - timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Mark as done: Extract from the criminal record (model 2) seen").click()
    page.get_by_role("button", name="Mark as done: Volunteer charter signed").click()
    # Trying too early is refused and explained.
    page.get_by_label("New status").select_option("active")
    page.get_by_role("button", name="Change the status").click()
    assert "This digibuddy cannot be active yet" in content(page)
    page.get_by_role("button", name="Mark as done: Required training done").click()
    page.get_by_label("New status").select_option("active")
    page.get_by_role("button", name="Change the status").click()
    assert page.locator("#volunteer-status").inner_text() == "Active"
    profile = db.session.scalar(select(VolunteerProfile))
    assert profile.status == VolunteerStatus.ACTIVE
    assert (
        db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "volunteer_active")) is not None
    )
    log_out(page)

    # The new digibuddy sees their home page.
    log_in(page, "youssef@example.org", "een-veilig-wachtwoord")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello Youssef"
    assert page.get_by_role("heading", name="My work as a digibuddy").is_visible()
    assert "Your status: Active" in content(page)
    assert page.get_by_role("heading", name="Offers waiting for your answer").is_visible()
