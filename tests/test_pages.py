"""The public home page, each role's home page with real counts, and no 500 for edited URLs."""

import pytest

from digibuddy.accounts.models import Role
from digibuddy.requests.models import RequestStatus
from digibuddy.volunteers.models import VolunteerStatus
from tests.conftest import text
from tests.factories import (
    HelpRequestFactory,
    LocationFactory,
    NetworkFactory,
    make_admin,
    make_user,
    make_volunteer,
)


def test_home_page_lists_contact_numbers_of_the_networks(client):
    NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    page = text(client.get("/"))
    assert "Digibuddy Gent" in page and "09 210 10 10" in page and 'href="tel:+3292101010"' in page
    assert "Gent" in page


def test_base_layout_is_accessible(client):
    page = text(client.get("/"))
    assert 'class="skip-link" href="#main"' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page
    assert page.count("<h1") == 1


def test_coordinator_home_shows_counts_from_the_database(client):
    network = NetworkFactory(postcodes=["9000"])
    for status in (RequestStatus.NEW, RequestStatus.NEW, RequestStatus.ESCALATED, RequestStatus.COMPLETED):
        HelpRequestFactory(resident__network=network, status=status)
    make_volunteer(network, status=VolunteerStatus.APPLIED)
    LocationFactory(network=network)
    client.login(make_user(Role.COORDINATOR, network))
    page = text(client.get("/home?lang=en"))
    assert '<span class="figure">3</span> open requests' in page
    assert '<span class="figure">1</span> requests need you' in page
    assert '<span class="figure">1</span> locations' in page
    assert "<td>Applied</td><td>1</td>" in page


def test_counter_and_volunteer_and_admin_homes(client, make_client):
    network = NetworkFactory(postcodes=["9000"])
    HelpRequestFactory(resident__network=network, status=RequestStatus.MATCHING)
    client.login(make_user(Role.COUNTER, network))
    assert '<span class="figure">1</span> requests waiting for a digibuddy' in text(
        client.get("/home?lang=en")
    )

    volunteer = make_volunteer(network)
    other = make_client()
    other.login(volunteer.user)
    assert "Your status: Active" in text(other.get("/home?lang=en"))

    admin = make_client()
    admin.login(make_admin())
    page = text(admin.get("/home?lang=en"))
    assert '<span class="figure">1</span> local networks' in page


@pytest.mark.parametrize(
    "url",
    [
        "/nothing-here",
        "/admin/networks/999999",
        "/admin/networks/abc",
        "/network/locations/999999",
        "/network/locations/%00",
        "/invitation/" + "x" * 500,
        "/login?next=//evil.example",
        "/?lang=xx",
        "/home?lang=<script>",
        "/feedback/%00",
        "/requests?status=%00",
        "/reports/local?from=%00",
        "/sessions/99999999999999999999/move",
    ],
)
def test_edited_urls_never_give_a_server_error(client, url):
    client.login(make_user(Role.COORDINATOR, NetworkFactory()))
    assert client.get(url).status_code < 500


def test_admin_pages_404_for_missing_objects(client):
    client.login(make_admin())
    assert client.get("/admin/networks/999999").status_code == 404
    assert client.get("/admin/networks/999999/edit").status_code == 404


def test_a_nul_character_in_a_url_gets_a_translated_page(client):
    assert client.get("/feedback/abc%00def").status_code == 404
    response = client.get("/help?lang=%00")
    assert response.status_code == 400 and "Er ging iets mis met je verzoek" in text(response)
