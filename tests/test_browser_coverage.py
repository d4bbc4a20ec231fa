"""The coverage page on a 320 px phone, in real Chromium: the map fits the screen, nothing scrolls sideways
but the tables inside their own box, and the legend shows each shape beside its words."""

import pytest

from digibuddy.network.coverage import count_uncovered_attempt
from tests.browser import log_in
from tests.factories import NetworkFactory, make_admin

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(60000)
    yield page
    context.close()


def test_the_coverage_page_fits_a_320px_phone_in_each_staff_language(phone):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    count_uncovered_attempt("8000")
    log_in(phone, make_admin())
    for lang in ("nl", "fr", "en"):
        phone.goto(f"/admin/coverage?lang={lang}")
        sideways = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways == 0, lang
        box = phone.locator("svg.coverage-map").bounding_box()
        assert 200 < box["width"] <= 320 and box["height"] > 100, (lang, box)
        assert phone.locator("svg.coverage-map .municipality").count() == 285
        # Each legend shape is drawn, at the size of the text beside it.
        for state in ("covered", "uncovered", "attempted"):
            symbol = phone.locator(f".legend svg .{state}").bounding_box()
            assert symbol and 4 < symbol["width"] < 40, (lang, state)
