"""On a 320 px phone, in real Chromium: no resident page scrolls sideways in any of the six languages; a
resident files a request with the keyboard alone, Enter sending it; after an invalid submit the focus is
on the error summary, whose links move it to the field (the first input of a group)."""

import pytest
from sqlalchemy import select

from digibuddy.core.i18n import RESIDENT_LOCALES
from digibuddy.extensions import db
from digibuddy.requests.models import HelpRequest, RequestStatus
from tests.browser import content
from tests.dropins_helpers import make_moment, next_date
from tests.factories import NetworkFactory
from tests.outcomes_helpers import helped_request
from tests.scheduling_helpers import open_location

pytestmark = pytest.mark.browser
PHONE = {"width": 320, "height": 640}


@pytest.fixture
def phone(chromium, live_server):
    # Pages carry no script of their own; the test reads the layout through Playwright's evaluate.
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(60000)  # a busy 2-core machine can be slow on the first page
    yield page
    context.close()


@pytest.fixture
def gent(app):
    network = NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    location = open_location(network)
    planned, session, _ = helped_request(network, hours_ago=-50)
    session.location_id = location.id
    completed, _done, _ = helped_request(network, status=RequestStatus.COMPLETED)
    completed.feedback_token = "feedback-token-for-the-phone-test"
    moment = make_moment(network, location)
    db.session.commit()
    return {"planned": planned, "completed": completed, "moment": moment, "day": next_date(moment)}


def sideways(page) -> int:
    """How many pixels the page is wider than the screen (0: no horizontal scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def open_status(page, request):
    page.goto("/status")
    page.fill("#reference", request.reference)
    page.fill("#postcode", request.resident.postcode_code)
    page.locator("main form button[type=submit]").click()


def test_no_resident_page_scrolls_sideways_at_320px_in_any_language(phone, gent):
    moment, day = gent["moment"], gent["day"]
    pages = [
        "/",
        "/help",
        "/help-points?postcode=9000",
        "/drop-in?postcode=9000",
        f"/drop-in/{moment.id}/{day.isoformat()}",
        f"/feedback/{gent['completed'].feedback_token}",
        "/status",
        "/no-such-page",
    ]
    too_wide = []
    for lang in RESIDENT_LOCALES:
        phone.goto(f"/?lang={lang}")
        for url in pages:
            phone.goto(url)
            if sideways(phone) > 0:
                too_wide.append((lang, url, sideways(phone)))
        phone.goto("/help")
        phone.locator("main form button.button[type=submit]").last.click()  # every error shown
        if sideways(phone) > 0:
            too_wide.append((lang, "/help with errors", sideways(phone)))
        open_status(phone, gent["planned"])
        if sideways(phone) > 0:
            too_wide.append((lang, "/status/request", sideways(phone)))
    assert too_wide == [], too_wide


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element is focused, as a keyboard user moves through the page."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def submit_with_enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_resident_files_a_request_with_the_keyboard_alone_and_enter(phone, gent):
    phone.goto("/help?lang=en")
    tab_to(phone, "input[name=topics]")
    phone.keyboard.press("Space")
    tab_to(phone, "input[name=preferred_mode]")
    phone.keyboard.press("Space")  # the first choice: at a location
    tab_to(phone, "#postcode")
    phone.keyboard.type("9000")
    tab_to(phone, "button[name=check_postcode]")
    submit_with_enter(phone)
    assert phone.url.endswith("/help#step-how")  # back where the resident was, not at the top
    assert "Your local network is Digibuddy Gent" in content(phone)
    tab_to(phone, "input[name=languages][value=nl]")
    phone.keyboard.press("Space")
    tab_to(phone, "#first_name")
    phone.keyboard.type("Maria")
    tab_to(phone, "#phone")
    phone.keyboard.type("0470 12 34 56")
    tab_to(phone, "#has_no_email")
    phone.keyboard.press("Space")
    tab_to(phone, "#consent")
    phone.keyboard.press("Space")
    tab_to(phone, "#first_name")
    submit_with_enter(phone)  # Enter in a text field sends the request

    assert phone.url.endswith("/help/confirmation")
    request = db.session.scalar(select(HelpRequest).order_by(HelpRequest.id.desc()))
    assert request.resident.first_name == "Maria" and request.resident.phone == "+32470123456"


def test_after_an_invalid_submit_the_focus_is_on_the_error_summary(phone, gent):
    phone.goto("/help?lang=nl")
    tab_to(phone, "#postcode")
    phone.keyboard.type("9999")
    submit_with_enter(phone)
    assert phone.title().startswith("Fout:")
    assert phone.evaluate("document.activeElement.classList.contains('error-summary')")
    assert phone.locator("#postcode").get_attribute("aria-invalid") == "true"
    assert phone.locator("input[name=topics]").first.get_attribute("aria-invalid") == "true"
    tab_to(phone, ".error-summary a[href^='#topic-']")
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.name") == "topics"
    tab_to(phone, ".error-summary a[href='#postcode']")
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "postcode"
