"""In a real browser, without JavaScript: the home page in Dutch, the switcher, and each role's log-in."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from digibuddy.accounts.models import Role
from tests.browser import content, log_in
from tests.factories import NetworkFactory, make_admin, make_user

pytestmark = pytest.mark.browser


def test_resident_reads_the_home_page_and_switches_language(page):
    NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "09 210 10 10" in content(page)
    page.get_by_role("link", name="français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name="العربية").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    # Nothing sticks out sideways: a right-to-left page must not scroll horizontally.
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")


def test_coordinator_logs_in_reaches_home_and_logs_out(page):
    network = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    coordinator = make_user(Role.COORDINATOR, network, name="Lotte Peeters", locale="en")
    log_in(page, coordinator)
    assert page.get_by_role("heading", level=1).inner_text() == "Hello Lotte"
    assert page.get_by_role("heading", name="Coordinator of Digibuddy Mechelen").is_visible()
    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("link", name="Log in").is_visible()


def test_admin_creates_a_network_in_the_browser(page):
    admin = make_admin(locale="en")
    log_in(page, admin)
    page.goto("/admin/networks/new")
    page.get_by_label("Name", exact=True).fill("Digibuddy Brugge")
    page.get_by_label("Municipalities covered").select_option(["31005"])
    page.get_by_label("Contact phone number").fill("050 44 80 00")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Digibuddy Brugge"


def test_coordinator_sets_up_the_second_step_and_logs_in_with_a_code(page):
    network = NetworkFactory(name="Digibuddy Leuven", postcodes=["3000"])
    coordinator = make_user(Role.COORDINATOR, network, name="Jef Claeys", locale="en")
    log_in(page, coordinator)
    page.get_by_role("link", name="Log-in security").click()
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from your app").fill(totp.now())
    page.get_by_role("button", name="Turn on the second step").click()
    assert "The second step is on." in content(page)
    page.get_by_role("button", name="Log out").click()
    log_in(page, coordinator)
    assert page.get_by_role("heading", level=1).inner_text() == "Code from your app"
    page.get_by_label("Code from your app").fill(totp.at(datetime.now(UTC) + timedelta(seconds=30)))
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hello Jef"
