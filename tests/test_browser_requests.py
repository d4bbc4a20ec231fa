"""In real Chromium without JavaScript: a resident asks for help online in Arabic and finds the request back
with the status page; counter staff register a walk-in and get the printable slip."""

import re

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.requests.models import HelpRequest, IntakeChannel
from tests.browser import content
from tests.factories import PASSWORD, LocationFactory, NetworkFactory, make_user
from tests.requests_helpers import any_topic_ids

pytestmark = pytest.mark.browser


def test_resident_asks_for_help_in_arabic_and_checks_the_status(page):
    NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    first_topic = any_topic_ids(1)[0]
    page.goto("/help?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.check(f"#topic-{first_topic}")
    page.fill("#description", "أريد أن أتعلم استخدام itsme")
    page.check("input[name=preferred_mode][value=location]")
    page.fill("#postcode", "9000")
    page.check("input[name=languages][value=ar]")
    page.check("#window-1-morning")
    page.fill("#first_name", "Fatima")
    page.fill("#phone", "0470 12 34 56")
    page.check("#has_no_email")
    page.check("#consent")
    page.locator("form button[type=submit]:not([name=check_postcode])").click()

    assert page.url.endswith("/help/confirmation")
    code = page.locator("#reference-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert page.locator("html").get_attribute("lang") == "ar"

    page.goto("/status")
    page.fill("#reference", code.lower())
    page.fill("#postcode", "9000")
    page.locator("form button[type=submit]").click()
    assert page.url.endswith("/status/request")
    assert code in content(page)
    request = db.session.scalar(select(HelpRequest))
    assert request.resident.locale == "ar" and request.intake_channel == IntakeChannel.ONLINE


def test_counter_staff_register_a_walk_in_and_print_the_slip(page):
    gent = NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    LocationFactory(network=gent, name="Bibliotheek De Krook", street="Miriam Makebaplein 1")
    counter = make_user(Role.COUNTER, gent, locale="en")
    page.goto("/login?lang=en")
    page.get_by_label("E-mail address").fill(counter.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Register a request").first.click()
    page.get_by_label("First name").fill("Jozef")
    page.get_by_label("Postcode").fill("9000")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_text("Nobody found with these details.").is_visible()
    page.get_by_role("link", name="Register a new resident").click()

    page.get_by_label("At the counter").check()
    page.get_by_label("Where are you?").select_option(label="Bibliotheek De Krook")
    page.get_by_label("Language for the slip and messages").select_option("nl")
    page.locator("input[name=topics]").first.check()
    page.get_by_label("At a location").check()
    page.get_by_label("Your postcode").fill("9000")
    page.locator("input[name=languages][value=nl]").check()
    page.get_by_label("Your first name (or a name we can use)").fill("Jozef")
    page.get_by_label("The resident agrees that we store these details to help them.").check()
    page.get_by_role("button", name="Save and print the slip").click()

    assert "/slip" in page.url
    assert page.locator("html").get_attribute("lang") == "nl"
    request = db.session.scalar(select(HelpRequest))
    html = content(page)
    assert f"{request.reference[:4]}-{request.reference[4:]}" in html
    assert "Bibliotheek De Krook" in html and "09 210 10 10" in html
    assert request.intake_channel == IntakeChannel.COUNTER and request.created_by_id == counter.id
