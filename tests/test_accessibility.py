"""WCAG 2.1 A and AA checks with axe-core in real Chromium on the main pages, for residents and staff,
in a left-to-right and a right-to-left language."""

import pytest

from digibuddy.accounts.models import Role
from tests.factories import (
    PASSWORD,
    HelpRequestFactory,
    LocationFactory,
    NetworkFactory,
    make_admin,
    make_user,
)

pytestmark = pytest.mark.browser
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def axe_page(chromium, live_server):
    # axe-core runs as a script inside the page; the pages themselves need no JavaScript.
    context = chromium.new_context(base_url=live_server.url, locale="nl-BE")
    yield context.new_page()
    context.close()


def violations(page, url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    results = Axe().run(page, options=WCAG)
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
    ]


def login(page, user):
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()


def test_resident_pages_meet_wcag_aa(axe_page):
    NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    for url in ("/", "/help", "/help?lang=ar", "/status", "/status?lang=uk", "/login", "/nothing-here"):
        assert violations(axe_page, url) == [], url
    # A form with errors: the error summary and the marked fields must be accessible too.
    axe_page.goto("/help?lang=en")
    axe_page.fill("#postcode", "9999")
    axe_page.locator("form button[type=submit]:not([name=check_postcode])").click()
    from axe_playwright_python.sync_playwright import Axe

    assert Axe().run(axe_page, options=WCAG).response["violations"] == []


def test_staff_pages_meet_wcag_aa(axe_page):
    network = NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    LocationFactory(network=network)
    request = HelpRequestFactory(resident__network=network)
    login(axe_page, make_user(Role.COORDINATOR, network))
    for url in (
        "/home",
        "/requests",
        f"/requests/{request.id}",
        f"/requests/{request.id}/matching",
        "/intake",
        "/intake/new",
        "/network/locations",
        "/network/staff",
        "/network/coverage",
        "/matching/batch",
        "/outbox/",
    ):
        assert violations(axe_page, url) == [], url


def test_admin_pages_meet_wcag_aa(axe_page):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    login(axe_page, make_admin())
    for url in ("/home", "/admin/networks", "/admin/networks/new", "/admin/coverage"):
        assert violations(axe_page, url) == [], url
