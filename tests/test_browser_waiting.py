"""In real Chromium on a 320 px phone, without JavaScript: a resident finds a full drop-in date, joins its
waiting list in Arabic (right to left), sees their number, and leaves by the link in their text message;
no page scrolls sideways in any resident language, and the waiting-list pages meet WCAG 2.1 AA."""

import re

import pytest
from sqlalchemy import select

from digibuddy.core.i18n import RESIDENT_LOCALES
from digibuddy.core.waitlist import WaitEnd
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.scheduling.models import DropInWaiting
from tests.dropins_helpers import add_bookings, make_moment, next_date
from tests.factories import LocationFactory, NetworkFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 320, "height": 640}
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def full(app):
    network = NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    location = LocationFactory(network=network, name="Bibliotheek De Krook", street="Miriam Makebaplein 1")
    moment = make_moment(network, location, capacity=1, title="Itsme-spreekuur")
    day = next_date(moment)
    add_bookings(moment, day, 1)
    return moment, day


def _context(chromium, live_server, **options):
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-BE", **options)
    page = context.new_page()
    page.set_default_timeout(60000)  # a busy 2-core machine can be slow on the first page
    return context, page


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_a_resident_joins_and_leaves_the_waiting_list_on_a_phone_without_javascript(
    chromium, live_server, full
):
    moment, day = full
    context, page = _context(chromium, live_server, java_script_enabled=False)
    path = f"/drop-in/{moment.id}/{day.isoformat()}"
    too_wide = []
    for lang in RESIDENT_LOCALES:
        for url in (f"/drop-in?postcode=9000&lang={lang}", f"{path}?lang={lang}"):
            page.goto(url)
            if sideways(page) > 0:
                too_wide.append((lang, url, sideways(page)))
    assert too_wide == []

    page.goto(f"{path}?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("main form button[type=submit]").click()  # empty: every error shown, still 320 px
    assert page.locator(".error-summary, [role=alert]").first.is_visible() and sideways(page) == 0
    page.fill("#first_name", "Amina")
    page.fill("#postcode", "9000")
    page.fill("#phone", "0470 12 34 56")
    page.check("#consent")
    page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/drop-in/waiting")
    assert "أنت رقم 1 في القائمة." in page.inner_text("main") and sideways(page) == 0

    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "dropin_waiting"))
    link = re.search(r"/drop-in/waiting/[\w-]+\?lang=ar", body).group(0)
    page.goto(link)
    assert sideways(page) == 0
    page.locator("main form button[type=submit]").click()
    assert "لم تعد في قائمة الانتظار" in page.inner_text("main")
    assert db.session.scalar(select(DropInWaiting.ended_as)) == WaitEnd.LEFT
    context.close()


def test_the_waiting_list_pages_meet_wcag_aa(chromium, live_server, full):
    from axe_playwright_python.sync_playwright import Axe

    moment, day = full
    context, page = _context(chromium, live_server)
    for lang in ("nl", "ar"):
        page.goto(f"/drop-in/{moment.id}/{day.isoformat()}?lang={lang}")
        assert Axe().run(page, options=WCAG).response["violations"] == [], lang
    page.fill("#first_name", "Amina")
    page.fill("#postcode", "9000")
    page.fill("#phone", "0470 12 34 56")
    page.check("#consent")
    page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/drop-in/waiting")
    assert Axe().run(page, options=WCAG).response["violations"] == []
    context.close()
