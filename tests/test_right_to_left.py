"""On right-to-left pages, phone numbers, reference codes, postcodes and times are isolated left-to-right
(one filter, `ltr`), so an Arabic reader sees "09 210 10 10" and not "10 10 210 09"."""

import pytest

from tests.conftest import text
from tests.dropins_helpers import make_moment
from tests.factories import HelpRequestFactory, NetworkFactory
from tests.requests_helpers import online_form
from tests.scheduling_helpers import open_location

PHONE = '<bdi dir="ltr">09 210 10 10</bdi>'


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")


def test_the_confirmation_and_slip_isolate_the_code_and_the_phone_number(client, gent):
    client.get("/help?lang=ar")
    assert client.submit("/help", online_form()).status_code == 302
    for url in ("/help/confirmation", "/help/slip"):
        page = text(client.get(url))
        assert 'dir="rtl"' in page and PHONE in page
        assert '<bdi dir="ltr">' in page.split('class="reference"', 1)[1][:80], url


def test_the_status_page_isolates_the_code(client, gent):
    HelpRequestFactory(resident__network=gent, reference="K7QXM3PD", resident__postcode_code="9000")
    client.get("/status?lang=ar")
    client.submit("/status", {"reference": "K7QXM3PD", "postcode": "9000"})
    page = text(client.get("/status/request"))
    assert '<bdi dir="ltr">K7QX-M3PD</bdi>' in page and PHONE in page


def test_the_postcode_check_and_the_drop_in_times_are_isolated(client, gent):
    client.get("/help?lang=ar")
    page = text(client.submit("/help", online_form(check_postcode="1")))
    assert '<bdi dir="ltr">9000</bdi>' in page
    make_moment(gent, open_location(gent))
    page = text(client.get("/drop-in?postcode=9000"))
    assert '<bdi dir="ltr">09:30</bdi>' in page and PHONE in page


def test_the_home_page_isolates_every_network_number(client, gent):
    page = text(client.get("/?lang=ar"))
    assert f'<a href="tel:+3292101010">{PHONE}</a>' in page
