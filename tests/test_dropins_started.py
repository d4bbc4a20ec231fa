"""A drop-in that has started (or is over) today can no longer be booked: online or at the counter the
resident is told to walk in; the public list says so instead of offering a place."""

from datetime import time

import pytest

from digibuddy.scheduling import dropins
from tests.conftest import text
from tests.dropins_helpers import make_moment, next_date, today
from tests.factories import LocationFactory, NetworkFactory
from tests.test_dropins_residents import booking_form


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])


def test_a_moment_that_has_started_today_cannot_be_booked_but_next_week_can(client, gent):
    library = LocationFactory(network=gent, name="Bibliotheek De Krook")
    moment = make_moment(gent, library, starts=time(0, 0), ends=time(23, 59))  # today, already begun
    assert dropins.has_started(moment, today())
    response = client.submit(f"/drop-in/{moment.id}/{today().isoformat()}?lang=en", booking_form())
    assert response.status_code == 422 and "already started" in text(response)
    listing = text(client.get("/drop-in?postcode=9000&lang=en"))
    assert "It has already started: you cannot book a place any more." in listing
    later = next_date(moment)
    assert not dropins.has_started(moment, later)
    response = client.submit(f"/drop-in/{moment.id}/{later.isoformat()}?lang=en", booking_form())
    assert response.status_code == 302
