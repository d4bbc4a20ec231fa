"""The public finder of help points: nearest places for a postcode with today's and this week's opening
hours, accessibility, free drop-in places and a phone number; and the same data as open data."""

import csv
import io
import json
from datetime import time

import pytest

from digibuddy.extensions import db
from digibuddy.network.models import LocationKind, OpeningHours
from digibuddy.public.opening_hours import by_weekday, is_open_at, osm_opening_hours
from digibuddy.scheduling.dropins import local_today
from tests.conftest import text
from tests.dropins_helpers import add_bookings, make_moment
from tests.factories import LocationFactory, NetworkFactory


def test_opening_hours_in_openstreetmap_syntax():
    week = [(d, time(9), time(12)) for d in range(5)] + [(d, time(13), time(17)) for d in range(4)]
    week += [(5, time(10), time(12)), (6, time(10), time(12))]
    assert osm_opening_hours(week) == "Mo-Th 09:00-12:00,13:00-17:00; Fr 09:00-12:00; Sa,Su 10:00-12:00"
    assert osm_opening_hours([(2, time(14), time(16))]) == "We 14:00-16:00"
    assert osm_opening_hours([]) == ""
    assert by_weekday([(0, time(13), time(17)), (0, time(9), time(12))])[0] == [
        (time(9), time(12)),
        (time(13), time(17)),
    ]
    assert is_open_at(week, 0, time(9, 30)) and not is_open_at(week, 0, time(12, 30))


@pytest.fixture
def places(app):
    gent = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")
    brugge = NetworkFactory(name="Digibuddy Brugge", postcodes=["8000"], phone="050 44 80 00")
    library = LocationFactory(
        network=gent,
        name="Bibliotheek De Krook",
        latitude=51.0485,
        longitude=3.7272,
        accessibility_notes="Lift to every floor",
        phone="09 323 68 00",
    )
    room = LocationFactory(
        network=gent,
        name="Computerklas Ledeberg",
        kind=LocationKind.COMPUTER_ROOM,
        latitude=51.0375,
        longitude=3.7436,
    )
    far = LocationFactory(
        network=brugge, name="Biekorf", postcode_code="8000", latitude=51.2094, longitude=3.2247
    )
    today = local_today()
    library.opening_hours = [OpeningHours(weekday=today.weekday(), opens=time(9), closes=time(17))]
    room.opening_hours = [OpeningHours(weekday=(today.weekday() + 1) % 7, opens=time(13), closes=time(16))]
    db.session.commit()
    open_moment = make_moment(gent, library, title="Koffie & Formulieren", capacity=8)
    full_moment = make_moment(gent, room, title="Vol moment", capacity=2)
    add_bookings(full_moment, today, 2)
    return {"library": library, "room": room, "far": far, "open": open_moment, "full": full_moment}


def test_the_nearest_help_points_for_a_postcode(client, places):
    page = text(client.get("/help-points?postcode=9000&lang=en"))
    assert page.index("Bibliotheek De Krook") < page.index("Computerklas Ledeberg")
    assert "Biekorf" not in page  # Brugge is about 39 km away: too far to be "near"
    cards = {card.split('"', 1)[0]: card for card in page.split('id="help-point-')[1:]}
    library, room = cards[str(places["library"].id)], cards[str(places["room"].id)]
    assert "Open today: " in library and "09:00" in library and "17:00" in library
    assert "Lift to every floor" in library and "Koffie &amp; Formulieren" in library
    assert "8 places left" in library and 'href="tel:+3293236800"' in library
    full_today = f'href="/drop-in/{places["full"].id}/{local_today().isoformat()}"'
    assert (
        "Closed today" in room and full_today not in room and "Vol moment" in room
    )  # full today, not next week
    assert 'href="tel:+3292101010"' in room  # no phone of its own: the network's
    assert "Your local network is Digibuddy Gent" in page


def test_the_finder_in_arabic_isolates_times_and_postcodes(client, places):
    page = text(client.get("/help-points?postcode=9000&lang=ar"))
    assert '<html lang="ar" dir="rtl">' in page
    assert '<bdi dir="ltr">09:00</bdi>' in page and '<bdi dir="ltr">9000</bdi>' in page


@pytest.mark.parametrize("typed", ["99", "9999", "abcd"])
def test_a_wrong_postcode_is_a_clear_error(client, places, typed):
    response = client.get(f"/help-points?postcode={typed}&lang=en")
    assert response.status_code == 422 and 'class="error-summary"' in text(response)


def test_the_open_data_json_reads_back(client, places):
    response = client.get("/help-points.json")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.get_data(as_text=True))
    by_name = {p["name"]: p for p in data["help_points"]}
    assert set(by_name) == {"Bibliotheek De Krook", "Computerklas Ledeberg", "Biekorf"}
    library = by_name["Bibliotheek De Krook"]
    assert library["phone"] == "+3293236800" and library["postcode"] == "9000"
    assert library["opening_hours"].endswith("09:00-17:00")
    assert [d["title"] for d in library["next_dropins"]][:1] == ["Koffie & Formulieren"]
    assert by_name["Computerklas Ledeberg"]["kind"] == "computer_room"
    near = json.loads(client.get("/help-points.json?postcode=9000").get_data(as_text=True))
    assert (
        near["help_points"][0]["name"] == "Bibliotheek De Krook" and "distance_km" in near["help_points"][0]
    )
    assert client.get("/help-points.json?postcode=12").status_code == 400


def test_the_open_data_csv_reads_back(client, places):
    response = client.get("/help-points.csv?postcode=9000")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["name"] == "Bibliotheek De Krook" and rows[0]["phone"] == "+3293236800"
    assert rows[0]["next_dropin_date"] == local_today().isoformat() or rows[0]["next_dropin_date"]
    assert rows[0]["next_dropin_places_left"] == "8"


def test_the_home_page_leads_to_the_finder(client, places):
    page = text(client.get("/"))
    assert 'action="/help-points"' in page and 'href="/help-points"' in page
