"""Residents at drop-in moments: the public list per postcode, online booking without an account, booking
at the counter, walk-ins registered on the day, the printable day list, and capacity."""

import threading
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import AuditEntry
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.reference.models import Topic
from digibuddy.requests.models import IntakeChannel, Resident
from digibuddy.requests.services import CONSENT_VERSION
from digibuddy.scheduling import dropins
from digibuddy.scheduling.models import BookingKind, DropInBooking, DropInMoment
from tests.conftest import text
from tests.dropins_helpers import add_bookings, add_shift, make_moment, next_date, today, upcoming_dates, url
from tests.factories import LocationFactory, NetworkFactory, ResidentFactory, make_user, make_volunteer
from tests.requests_helpers import topic_id


def en(day, width="full"):
    return format_date(day, width, locale="en")


def count_bookings(**where):
    stmt = select(func.count()).select_from(DropInBooking).where(DropInBooking.cancelled_at.is_(None))
    for name, value in where.items():
        stmt = stmt.where(getattr(DropInBooking, name) == value)
    return db.session.scalar(stmt)


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])


@pytest.fixture
def library(gent):
    return LocationFactory(
        network=gent,
        name="Bibliotheek De Krook",
        street="Miriam Makebaplein 1",
        accessibility_notes="Toegankelijk met rolstoel",
    )


@pytest.fixture
def counter(gent):
    return make_user(Role.COUNTER, gent, locale="en", name="Kim Baert")


def booking_form(**overrides):
    data = {
        "first_name": "Maria",
        "postcode": "9000",
        "phone": "0470 12 34 56",
        "topic_id": topic_id("gov-tax-on-web"),
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------------------------------------------------
# The public list


def test_residents_find_the_drop_ins_of_their_postcode(client, gent, library):
    moment = make_moment(gent, library, capacity=3)
    moment.topics = [db.session.get(Topic, topic_id("gov-tax-on-web"))]
    db.session.commit()
    day = next_date(moment)
    add_bookings(moment, day, 1)
    add_bookings(moment, day, 1, kind=BookingKind.WALK_IN)
    elsewhere = NetworkFactory(postcodes=["2800"])
    make_moment(elsewhere, LocationFactory(network=elsewhere, postcode_code="2800"), title="Elders")

    page = text(client.get("/drop-in?lang=en"))
    assert "Drop-in moments near you" in page and "Koffie" not in page
    page = text(client.get("/drop-in?postcode=9000&lang=en"))
    assert "Drop-in moments of Digibuddy Gent" in page
    assert "Koffie &amp; Formulieren" in page and "Elders" not in page
    assert en(day) in page
    assert 'From <bdi dir="ltr">09:30</bdi> to <bdi dir="ltr">11:30</bdi>' in page  # the 24-hour clock
    assert "Miriam Makebaplein 1" in page and "Toegankelijk met rolstoel" in page
    assert "1 place left" in page
    assert f'href="/drop-in/{moment.id}/{day.isoformat()}"' in page
    assert "Call " in page and '<bdi dir="ltr">09 210 10 10</bdi>' in page


def test_unknown_or_uncovered_postcodes_get_a_plain_message(client, gent):
    page = text(client.get("/drop-in?postcode=12&lang=en"))
    assert "A Belgian postcode has 4 digits" in page
    page = text(client.get("/drop-in?postcode=2800&lang=en"))
    assert "There are no drop-in moments for this postcode yet." in page


def test_the_public_pages_speak_the_residents_language(client, gent, library):
    moment = make_moment(gent, library)
    assert '<html lang="ar" dir="rtl">' in text(client.get("/drop-in?postcode=9000&lang=ar"))
    assert '<html lang="tr"' in text(
        client.get(f"/drop-in/{moment.id}/{next_date(moment).isoformat()}?lang=tr")
    )


# ---------------------------------------------------------------------------------------------------------
# Online booking


def test_resident_books_a_place_online_without_an_account(client, gent, library):
    moment = make_moment(gent, library)
    day = next_date(moment)
    response = client.submit(f"/drop-in/{moment.id}/{day.isoformat()}?lang=en", booking_form())
    assert response.status_code == 302, text(response)[:3000]
    booking = db.session.scalar(select(DropInBooking))
    assert (booking.moment_id, booking.on_date, booking.kind) == (moment.id, day, BookingKind.BOOKED)
    assert booking.created_by_id is None and booking.topic_id == topic_id("gov-tax-on-web")
    resident = booking.resident
    assert (resident.first_name, resident.postcode_code, resident.phone) == ("Maria", "9000", "+32470123456")
    assert resident.network_id == gent.id and resident.email is None
    assert resident.consent_at is not None and resident.consent_channel == IntakeChannel.ONLINE
    assert resident.consent_version == CONSENT_VERSION and resident.locale == "en"

    page = text(client.get(response.headers["Location"]))
    assert "You have a place" in page and "Hello Maria," in page and en(day) in page
    assert "Bibliotheek De Krook" in page and '<bdi dir="ltr">09 210 10 10</bdi>' in page
    sms = db.session.scalar(select(OutboxMessage))
    assert (sms.kind, sms.recipient) == ("dropin_booked", "+32470123456")
    assert "Bibliotheek De Krook" in sms.body


def test_online_booking_needs_consent_a_name_and_a_postcode(client, gent, library):
    moment = make_moment(gent, library)
    path = f"/drop-in/{moment.id}/{next_date(moment).isoformat()}?lang=en"
    response = client.submit(path, booking_form(consent=None, first_name="  ", postcode="12"))
    page = text(response)
    assert response.status_code == 422
    assert "We can only help you if you agree that we store these details." in page
    assert "Fill in a name we can use." in page and "A Belgian postcode has 4 digits" in page
    assert 'href="#consent"' in page  # the error summary links to the field
    response = client.submit(path, booking_form(phone="call me", topic_id="abc"))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Resident)) == 0
    assert count_bookings() == 0


def test_online_booking_is_refused_when_full(client, make_client, gent, library):
    moment = make_moment(gent, library, capacity=2)
    day = next_date(moment)
    path = f"/drop-in/{moment.id}/{day.isoformat()}?lang=en"
    late = make_client()
    form_page = late.csrf_token(path)  # the late resident opens the form while one place is left
    assert client.submit(path, booking_form()).status_code == 302
    add_bookings(moment, day, 1)  # the last place goes at the counter
    response = late.post(path, data={**booking_form(first_name="Late"), "csrf_token": form_page})
    assert response.status_code == 422
    page = text(response)
    assert "This drop-in is full on this date. You can join the waiting list, or choose another date." in page
    assert 'value="Late"' in page  # nothing typed is lost: the same form now joins the waiting list
    assert "Join the waiting list" in page and 'name="waiting" type="hidden" value="1"' in page
    assert count_bookings() == 2
    page = text(late.get(path))
    assert "This drop-in is full on this date." in page and "Join the waiting list" in page


@pytest.mark.parametrize("case", ["past", "not_a_date", "cancelled", "stopped", "beyond_horizon", "garbage"])
def test_online_booking_pages_404_for_dates_that_cannot_be_booked(client, gent, library, case):
    moment = make_moment(gent, library, first_date=today() - timedelta(days=28))
    day = next_date(moment)
    if case == "past":
        day = today() - timedelta(days=7)
    elif case == "not_a_date":
        day = day + timedelta(days=1)
    elif case == "cancelled":
        dropins.cancel_occurrence(moment, day, "dicht")
    elif case == "stopped":
        moment.active = False
        db.session.commit()
    elif case == "beyond_horizon":
        day = upcoming_dates(moment, weeks=dropins.BOOKING_HORIZON_WEEKS + 3)[-1]
    path = (
        f"/drop-in/{moment.id}/{day.isoformat()}" if case != "garbage" else f"/drop-in/{moment.id}/tomorrow"
    )
    assert client.get(path).status_code == 404
    bookable = make_moment(gent, library, title="Open")
    token = client.csrf_token(f"/drop-in/{bookable.id}/{next_date(bookable).isoformat()}")
    assert client.post(path, data={**booking_form(), "csrf_token": token}).status_code == 404
    assert count_bookings() == 0


def test_booking_confirmation_is_only_for_the_resident_who_booked(client, make_client, gent, library):
    moment = make_moment(gent, library)
    client.submit(f"/drop-in/{moment.id}/{next_date(moment).isoformat()}", booking_form())
    assert client.get("/drop-in/booked").status_code == 200
    assert make_client().get("/drop-in/booked").status_code == 404


def test_two_residents_racing_for_the_last_place_cannot_both_get_it(app, gent, library):
    moment = make_moment(gent, library, capacity=3)
    day = next_date(moment)
    add_bookings(moment, day, 2)
    moment_id = moment.id
    db.session.remove()
    racers = 4
    barrier = threading.Barrier(racers)
    outcomes = [None] * racers

    def book(index):
        with app.test_request_context("/"):
            try:
                target = db.session.get(DropInMoment, moment_id)
                barrier.wait()
                dropins.book_slot(
                    target,
                    day,
                    channel=IntakeChannel.ONLINE,
                    consent_given=True,
                    new_resident=dropins.NewResident(first_name=f"R{index}", postcode="9000"),
                )
                outcomes[index] = "won"
            except dropins.DomainError:
                outcomes[index] = "full"
            except Exception as error:  # pragma: no cover - shown in the assertion
                outcomes[index] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["full"] * (racers - 1) + ["won"], outcomes
    assert count_bookings(moment_id=moment_id, on_date=day) == 3


# ---------------------------------------------------------------------------------------------------------
# At the counter


def test_counter_books_a_place_for_a_known_resident(client, gent, library, counter):
    moment = make_moment(gent, library)
    day = next_date(moment)
    known = ResidentFactory(network=gent, first_name="Fatima", postcode_code="9000", phone="0470 11 22 33")
    ResidentFactory(network=NetworkFactory(postcodes=["2800"]), first_name="Fatima", postcode_code="9000")
    client.login(counter)
    page = text(client.get(url(moment, day, "/book?first_name=fatima&postcode=9000")))
    assert page.count('name="resident_id" value="') == 1  # the one match of this network
    assert f'name="resident_id" value="{known.id}"' in page

    response = client.submit(url(moment, day, "/book"), {"resident_id": known.id})
    assert response.status_code == 302, text(response)[:3000]
    booking = db.session.scalar(select(DropInBooking))
    assert (booking.resident_id, booking.created_by_id, booking.kind) == (
        known.id,
        counter.id,
        BookingKind.BOOKED,
    )
    assert "Fatima has a place on" in text(client.get(response.headers["Location"]))

    response = client.submit(url(moment, day, "/book"), {"resident_id": known.id})
    assert response.status_code == 422 and "Fatima already has a place on this date." in text(response)
    assert count_bookings() == 1


def test_counter_registers_a_new_resident_with_consent(client, gent, library, counter):
    moment = make_moment(gent, library)
    day = next_date(moment)
    client.login(counter)
    response = client.submit(url(moment, day, "/book"), {"first_name": "Ahmed", "postcode": "9000"})
    assert response.status_code == 422
    assert "Ask the resident for permission to store these details." in text(response)
    response = client.submit(
        url(moment, day, "/book"),
        {"first_name": "Ahmed", "postcode": "9000", "consent": "y", "locale": "ar", "language_code": "ar"},
    )
    assert response.status_code == 302, text(response)[:3000]
    resident = db.session.scalar(select(Resident))
    assert resident.consent_channel == IntakeChannel.COUNTER and resident.created_by_id == counter.id
    assert resident.locale == "ar" and resident.network_id == gent.id
    assert db.session.scalar(select(DropInBooking.language_code)) == "ar"


def test_counter_booking_is_refused_when_full_and_for_another_networks_resident(
    client, gent, library, counter
):
    moment = make_moment(gent, library, capacity=1)
    day = next_date(moment)
    add_bookings(moment, day, 1)
    client.login(counter)
    page = text(client.get(url(moment, day, "/book")))
    assert "This drop-in is full on this date." in page
    response = client.submit(
        url(moment, day, "/book"), {"first_name": "Ahmed", "postcode": "9000", "consent": "y"}
    )
    assert response.status_code == 422 and "This drop-in is full on this date." in text(response)
    stranger = ResidentFactory(network=NetworkFactory(postcodes=["2800"]), postcode_code="2800")
    assert client.submit(url(moment, day, "/book"), {"resident_id": stranger.id}).status_code == 404
    assert count_bookings() == 1 and db.session.scalar(select(func.count()).select_from(Resident)) == 1


def test_walk_ins_are_registered_on_the_day_and_counted(client, gent, library, counter):
    moment = make_moment(gent, library, capacity=2)
    add_bookings(moment, today(), 1)
    client.login(counter)
    page = text(client.get("/dropins/counter"))
    assert "1 of 2 places taken: 1 booked, 0 walk-ins." in page

    response = client.submit(
        url(moment, today(), "/walk-in"),
        {"topic_id": topic_id("gov-tax-on-web"), "language_code": "ar", "next": "/dropins/counter"},
        form_url="/dropins/counter",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/dropins/counter")
    walk_in = db.session.scalar(select(DropInBooking).where(DropInBooking.kind == BookingKind.WALK_IN))
    assert (
        walk_in.resident_id is None and walk_in.language_code == "ar" and walk_in.created_by_id == counter.id
    )
    page = text(client.get("/dropins/counter"))
    assert "Walk-in registered for Koffie &amp; Formulieren: 2 residents today." in page
    assert "2 of 2 places taken: 1 booked, 1 walk-ins." in page and "There are more residents" not in page

    # Beyond the capacity: still registered (the resident is there), with a warning.
    client.submit(
        url(moment, today(), "/walk-in"), {"next": "https://evil.example/"}, form_url="/dropins/counter"
    )
    page = text(client.get("/dropins/counter"))
    assert "There are more residents (3) than places (2)." in page
    assert count_bookings(kind=BookingKind.WALK_IN) == 2
    occurrence = dropins.occurrence_on(moment, today())
    assert (occurrence.booked, occurrence.walk_ins, occurrence.residents, occurrence.is_full) == (
        1,
        2,
        3,
        True,
    )

    # Walk-ins count for the capacity: nobody can book today's drop-in any more.
    response = client.submit(f"/drop-in/{moment.id}/{today().isoformat()}?lang=en", booking_form())
    assert response.status_code == 422


def test_walk_ins_cannot_be_registered_on_another_day(client, gent, library, counter):
    moment = make_moment(gent, library, first_date=today() - timedelta(days=7))
    client.login(counter)
    for day in (today() - timedelta(days=7), next_date(moment)):
        client.submit(url(moment, day, "/walk-in"), {}, form_url="/dropins/counter")
        assert "Walk-ins can only be registered on the day itself." in text(client.get("/dropins/counter"))
    other_day = make_moment(gent, library, weekday=(today().weekday() + 1) % 7, title="Morgen")
    client.submit(url(other_day, today(), "/walk-in"), {}, form_url="/dropins/counter")
    assert "There is no drop-in on this date." in text(client.get("/dropins/counter"))
    client.submit(url(moment, today(), "/walk-in"), {"topic_id": "abc"}, form_url="/dropins/counter")
    assert "This did not work." in text(client.get("/dropins/counter"))
    assert count_bookings() == 0


# ---------------------------------------------------------------------------------------------------------
# The printable day list


def test_day_list_shows_everyone_of_the_day_and_is_audited(client, make_client, gent, library, counter):
    moment = make_moment(gent, library, capacity=6, needed=2)
    day = today()
    volunteer = make_volunteer(gent)
    volunteer.user.phone = "0499 00 00 01"
    add_shift(moment, day, volunteer)
    maria = ResidentFactory(network=gent, first_name="Maria", phone="0470 12 34 56")
    booking = DropInBooking(
        moment_id=moment.id,
        on_date=day,
        kind=BookingKind.BOOKED,
        resident_id=maria.id,
        topic_id=topic_id("gov-tax-on-web"),
        language_code="tr",
        created_by_id=counter.id,
    )
    db.session.add(booking)
    db.session.commit()
    add_bookings(moment, day, 1, kind=BookingKind.WALK_IN)

    client.login(counter)
    page = text(client.get(url(moment, day, "/day-list")))
    assert "Koffie &amp; Formulieren" in page and en(day) in page and "Bibliotheek De Krook" in page
    assert volunteer.user.name in page and "0499 00 00 01" in page
    assert "Maria" in page and "0470 12 34 56" in page and "Turkish" in page and "at the counter" in page
    assert "2 of 6 places taken: 1 booked, 1 walk-ins." in page and "Digibuddies: 1 of 2." in page
    assert 'class="no-print"' in page and "Register a walk-in" in page
    assert page.count('<tr class="blank">') == 4  # places left for walk-ins written on paper
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "dropin_day_list"))
    assert (audit.user_id, audit.object_id, audit.detail) == (counter.id, moment.id, day.isoformat())

    # Freeing a place from the day list
    client.submit(f"/dropins/bookings/{booking.id}/cancel", {}, form_url=url(moment, day, "/day-list"))
    db.session.refresh(booking)
    assert booking.cancelled_at is not None
    page = text(client.get(url(moment, day, "/day-list")))
    assert "<s>Maria</s> (cancelled)" in page and "1 of 6 places taken" in page
    client.submit(f"/dropins/bookings/{booking.id}/cancel", {}, form_url=url(moment, day, "/day-list"))
    assert "This booking is already cancelled." in text(client.get(url(moment, day, "/day-list")))

    volunteer_client = make_client()
    volunteer_client.login(volunteer.user)
    assert volunteer_client.get(url(moment, day, "/day-list")).status_code == 403  # personal data: staff only


def test_day_list_of_a_cancelled_date_still_shows_who_was_booked(client, gent, library, counter):
    moment = make_moment(gent, library)
    day = next_date(moment)
    add_bookings(moment, day, 1, resident=ResidentFactory(network=gent, first_name="Jan"))
    dropins.cancel_occurrence(moment, day, "Staking")
    client.login(counter)
    page = text(client.get(url(moment, day, "/day-list")))
    assert "This date is cancelled." in page and "Staking" in page and "<s>Jan</s>" in page
    assert client.get(url(moment, day + timedelta(days=1), "/day-list")).status_code == 404
