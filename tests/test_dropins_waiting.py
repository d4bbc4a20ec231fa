"""The waiting list of a full drop-in date: residents join online or at the counter and see their place in
line; a freed place (a booking cancelled, the capacity raised) goes to the first in line, who is told; they
can leave by their own link; the list closes when the date starts or is cancelled. A waiting resident is
never counted as booked and gets no reminder."""

import re
import threading
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.core.db import utcnow
from digibuddy.core.time import to_utc
from digibuddy.core.waitlist import WaitEnd
from digibuddy.extensions import db
from digibuddy.network.settings import network_settings
from digibuddy.notifications.models import OutboxMessage
from digibuddy.privacy import export
from digibuddy.privacy.retention import apply_retention
from digibuddy.privacy.services import erase_resident
from digibuddy.requests.models import IntakeChannel
from digibuddy.requests.retention import ANONYMOUS
from digibuddy.scheduling import dropins
from digibuddy.scheduling.jobs import send_dropin_reminders
from digibuddy.scheduling.models import BookingKind, DropInBooking, DropInMoment, DropInWaiting
from tests.conftest import text
from tests.dropins_helpers import add_bookings, make_moment, next_date, today, url
from tests.factories import LocationFactory, NetworkFactory, ResidentFactory, make_user

MOBILE = "0470 12 34 56"


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])


@pytest.fixture
def library(gent):
    return LocationFactory(network=gent, name="Bibliotheek De Krook", street="Miriam Makebaplein 1")


@pytest.fixture
def counter(gent):
    return make_user(Role.COUNTER, gent, locale="en", name="Kim Baert")


@pytest.fixture
def full(gent, library):
    """A moment with one place, taken, on its next date."""
    moment = make_moment(gent, library, capacity=1)
    day = next_date(moment)
    add_bookings(
        moment, day, 1, resident=ResidentFactory(network=gent, first_name="Eerste", phone="+32470555555")
    )
    return moment, day


def public_path(moment, day, lang="en"):
    return f"/drop-in/{moment.id}/{day.isoformat()}?lang={lang}"


def join_form(**overrides):
    data = {"first_name": "Maria", "postcode": "9000", "phone": MOBILE, "consent": "y", "waiting": "1"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def waiting_resident(moment, day, name, phone, locale="nl", **extra):
    resident = ResidentFactory(network=moment.network, first_name=name, phone=phone, locale=locale, **extra)
    return dropins.book_slot(moment, day, channel=IntakeChannel.COUNTER, resident=resident, wait_if_full=True)


def active_bookings(moment, day):
    return db.session.scalar(
        select(func.count())
        .select_from(DropInBooking)
        .where(
            DropInBooking.moment_id == moment.id,
            DropInBooking.on_date == day,
            DropInBooking.cancelled_at.is_(None),
        )
    )


def messages(kind):
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ).all()


def link_in(body):
    return re.search(r"/drop-in/waiting/[\w-]+\?lang=\w+", body).group(0)


# ---------------------------------------------------------------------------------------------------------
# Joining


def test_a_full_date_offers_the_waiting_list_and_the_resident_sees_their_number(client, full):
    moment, day = full
    listing = text(client.get("/drop-in?postcode=9000&lang=en"))
    assert "Join the waiting list" in listing
    page = text(client.get(public_path(moment, day)))
    assert "This drop-in is full on this date." in page and "Join the waiting list" in page
    assert 'name="waiting" type="hidden" value="1"' in page and "Your mobile number" in page

    response = client.submit(public_path(moment, day), join_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("/drop-in/waiting")
    page = text(client.get(response.headers["Location"]))
    assert "You are on the waiting list" in page and "You are number 1 on the list." in page
    entry = db.session.scalar(select(DropInWaiting))
    assert entry.waiting and entry.resident.first_name == "Maria" and entry.resident.locale == "en"
    assert entry.resident.consent_channel == IntakeChannel.ONLINE
    assert active_bookings(moment, day) == 1  # still one booked place: waiting is not a booking
    [sms] = messages("dropin_waiting")
    assert sms.recipient == "+32470123456" and "number 1 on the waiting list" in sms.body
    assert "/drop-in/waiting/" in sms.body

    arabic = text(client.get(public_path(moment, day, "ar")))
    assert 'dir="rtl"' in arabic and "انضم إلى قائمة الانتظار" in arabic

    second = client.submit(public_path(moment, day), join_form(first_name="Yusuf", phone="0470 99 88 77"))
    assert second.status_code == 302
    assert "You are number 2 on the list." in text(client.get(second.headers["Location"]))


def test_joining_online_needs_a_mobile_number_and_loses_nothing(client, full):
    moment, day = full
    response = client.submit(public_path(moment, day), join_form(phone=None))
    page = text(response)
    assert response.status_code == 422
    assert "Give a mobile number, so that we can send you a text message when a place is free." in page
    assert 'href="#phone"' in page and 'value="Maria"' in page
    landline = client.submit(public_path(moment, day), join_form(phone="09 210 10 10"))
    assert landline.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(DropInWaiting)) == 0


def test_a_newcomer_cannot_take_a_freed_place_ahead_of_those_waiting(full, english):
    moment, day = full
    first = waiting_resident(moment, day, "Amina", "+32470000001")
    moment.resident_capacity = 2  # raised behind the service's back: the place belongs to Amina
    db.session.commit()
    with pytest.raises(dropins.DomainError, match="full on this date"):
        dropins.book_slot(
            moment,
            day,
            channel=IntakeChannel.ONLINE,
            consent_given=True,
            new_resident=dropins.NewResident(first_name="Late", postcode="9000", phone="+32470000009"),
        )
    assert dropins.waiting_position(first) == 1


def test_counter_puts_a_known_resident_on_the_waiting_list(client, full, counter, gent):
    moment, day = full
    fatima = ResidentFactory(network=gent, first_name="Fatima", phone="+32470112233")
    client.login(counter)
    assert "Put on the waiting list" in text(client.get("/dropins/counter"))
    page = text(client.get(url(moment, day, f"/book?first_name=fatima&phone={fatima.phone}")))
    assert "Put Fatima on the waiting list" in page and 'name="waiting" value="1"' in page
    response = client.submit(url(moment, day, "/book"), {"resident_id": fatima.id, "waiting": "1"})
    assert response.status_code == 302, text(response)[:2000]
    day_list = text(client.get(response.headers["Location"]))
    assert "Fatima is number 1 on the waiting list" in day_list
    assert "Waiting list" in day_list and "Take off the list" in day_list
    again = client.submit(url(moment, day, "/book"), {"resident_id": fatima.id, "waiting": "1"})
    assert again.status_code == 422 and "Fatima is already on the waiting list for this date." in text(again)
    unreachable = ResidentFactory(network=gent, first_name="Jan", phone=None, email=None)
    refused = client.submit(url(moment, day, "/book"), {"resident_id": unreachable.id, "waiting": "1"})
    assert refused.status_code == 422 and "We cannot reach Jan" in text(refused)


# ---------------------------------------------------------------------------------------------------------
# Promotion


def test_a_cancelled_booking_goes_to_the_first_in_line_who_is_told_in_their_language(client, full, counter):
    moment, day = full
    first = waiting_resident(moment, day, "Amina", "+32470000001", locale="ar")
    second = waiting_resident(moment, day, "Olena", "+32470000002", locale="uk")
    booked = db.session.scalar(select(DropInBooking).where(DropInBooking.cancelled_at.is_(None)))
    client.login(counter)
    response = client.submit(
        f"/dropins/bookings/{booked.id}/cancel", {}, form_url=url(moment, day, "/day-list")
    )
    page = text(client.get(response.headers["Location"]))
    assert "The place went to Amina from the waiting list." in page

    db.session.expire_all()
    assert first.ended_as == WaitEnd.PROMOTED and first.booking.resident_id == first.resident_id
    assert first.booking.kind == BookingKind.BOOKED and first.booking.cancelled_at is None
    assert second.waiting and dropins.waiting_position(second) == 1
    assert active_bookings(moment, day) == 1
    [told] = messages("dropin_promoted")
    assert told.recipient == "+32470000001" and told.locale == "ar"
    assert "Bibliotheek De Krook" in told.body and "Good news" not in told.body  # written in Arabic


def test_raising_the_capacity_promotes_as_many_as_there_are_new_places(full, gent, library):
    moment, day = full
    waiting = [waiting_resident(moment, day, f"R{n}", f"+3247000010{n}") for n in range(3)]
    details = dropins.MomentDetails(
        title=moment.title,
        location=library,
        recurrence=moment.recurrence,
        weekday=moment.weekday,
        starts=moment.starts,
        ends=moment.ends,
        first_date=moment.first_date,
        resident_capacity=3,
        volunteers_needed=moment.volunteers_needed,
        skip_public_holidays=moment.skip_public_holidays,
    )
    dropins.save_moment(moment, details)
    db.session.expire_all()
    assert [entry.ended_as for entry in waiting] == [WaitEnd.PROMOTED, WaitEnd.PROMOTED, None]
    assert active_bookings(moment, day) == 3
    assert len(messages("dropin_promoted")) == 2
    figures = dropins.occurrence_on(moment, day)
    assert (figures.booked, figures.waiting, figures.is_full) == (3, 1, True)


def test_nobody_is_promoted_into_a_date_that_has_started(gent, library):
    moment = make_moment(gent, library, capacity=1, starts=time(0, 0), ends=time(23, 59))
    day = today()
    entry = DropInWaiting(moment_id=moment.id, on_date=day, resident_id=ResidentFactory(network=gent).id)
    db.session.add(entry)
    add_bookings(moment, day, 1)
    booking = db.session.scalar(select(DropInBooking))
    assert dropins.cancel_booking(booking) == []
    assert entry.waiting and active_bookings(moment, day) == 0


def test_no_overbooking_when_places_free_while_others_book(app, gent, library):
    """Two places free at once while four newcomers ask for one: the two waiting get them, the newcomers
    all join the list, and the date never holds more than its capacity."""
    moment = make_moment(gent, library, capacity=3)
    day = next_date(moment)
    for n in range(3):
        add_bookings(moment, day, 1, resident=ResidentFactory(network=gent, first_name=f"B{n}"))
    early = [waiting_resident(moment, day, f"W{n}", f"+3247000020{n}").id for n in range(2)]
    booking_ids = db.session.scalars(select(DropInBooking.id).order_by(DropInBooking.id)).all()[:2]
    moment_id = moment.id
    db.session.remove()
    racers = 6
    barrier = threading.Barrier(racers)
    outcomes = [None] * racers

    def race(index):
        with app.test_request_context("/"):
            try:
                target = db.session.get(DropInMoment, moment_id)
                booking = db.session.get(DropInBooking, booking_ids[index]) if index < 2 else None
                barrier.wait()
                if booking is not None:
                    dropins.cancel_booking(booking)
                    outcomes[index] = "freed"
                else:
                    result = dropins.book_slot(
                        target,
                        day,
                        channel=IntakeChannel.ONLINE,
                        consent_given=True,
                        wait_if_full=True,
                        new_resident=dropins.NewResident(
                            first_name=f"N{index}", postcode="9000", phone=f"+3247000030{index}"
                        ),
                    )
                    outcomes[index] = "waiting" if isinstance(result, DropInWaiting) else "booked"
            except Exception as error:  # pragma: no cover - shown in the assertion
                outcomes[index] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Each freed place goes to one who waited; the newcomers find nothing free and join the list.
    assert sorted(outcomes) == ["freed"] * 2 + ["waiting"] * 4, outcomes
    moment = db.session.get(DropInMoment, moment_id)
    assert active_bookings(moment, day) == 3
    promoted = db.session.scalars(
        select(DropInWaiting.id).where(DropInWaiting.ended_as == WaitEnd.PROMOTED).order_by(DropInWaiting.id)
    ).all()
    assert promoted == early
    assert dropins.occurrence_on(moment, day).waiting == 4
    assert len(messages("dropin_promoted")) == 2


# ---------------------------------------------------------------------------------------------------------
# Leaving and closing


def test_the_resident_leaves_by_the_link_in_their_message(client, make_client, full):
    moment, day = full
    client.submit(public_path(moment, day), join_form())
    link = link_in(messages("dropin_waiting")[0].body)
    stranger = make_client()
    page = text(stranger.get(link))
    assert "You are number 1 on the list." in page and "I no longer want to wait" in page
    response = stranger.submit(link.split("?")[0] + "/leave", {}, form_url=link)
    assert response.status_code == 302
    page = text(stranger.get(response.headers["Location"]))
    assert "You are no longer on the waiting list" in page and "I no longer want to wait" not in page
    entry = db.session.scalar(select(DropInWaiting))
    assert entry.ended_as == WaitEnd.LEFT
    assert stranger.get("/drop-in/waiting/" + "x" * 40).status_code == 404
    assert stranger.get("/drop-in/waiting/" + "x" * 200).status_code == 404


def test_the_link_says_where_a_promoted_resident_stands(client, make_client, full):
    moment, day = full
    client.submit(public_path(moment, day), join_form())
    link = link_in(messages("dropin_waiting")[0].body)
    first = db.session.scalar(select(DropInBooking).where(DropInBooking.cancelled_at.is_(None)))
    dropins.cancel_booking(first)  # a place frees: Maria gets it
    resident = make_client()
    page = text(resident.get(link))
    assert "You have a place" in page and "I no longer want to wait" not in page
    dropins.cancel_booking(db.session.scalar(select(DropInWaiting)).booking)  # she cancels by phone
    page = text(resident.get(link))
    assert "You have a place" not in page and "You are no longer on the waiting list" in page


def test_staff_take_a_resident_off_the_list(client, full, counter):
    moment, day = full
    entry = waiting_resident(moment, day, "Amina", "+32470000001")
    client.login(counter)
    response = client.submit(f"/dropins/waiting/{entry.id}/leave", {}, form_url=url(moment, day, "/day-list"))
    assert "Amina is no longer on the waiting list." in text(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert entry.ended_as == WaitEnd.LEFT


def test_a_cancelled_date_closes_its_waiting_list_and_tells_those_waiting(full):
    moment, day = full
    entry = waiting_resident(moment, day, "Amina", "+32470000001")
    dropins.cancel_occurrence(moment, day, "Bibliotheek dicht")
    db.session.expire_all()
    assert entry.ended_as == WaitEnd.CANCELLED
    assert [m.recipient for m in messages("dropin_cancelled")].count("+32470000001") == 1


def test_the_job_closes_waiting_lists_once_the_date_starts(full):
    moment, day = full
    entry = waiting_resident(moment, day, "Amina", "+32470000001")
    before = to_utc(datetime.combine(day, moment.starts) - timedelta(minutes=1))
    assert dropins.close_waiting_lists(before) == 0 and entry.waiting
    assert dropins.close_waiting_lists(to_utc(datetime.combine(day, moment.starts))) == 1
    assert entry.ended_as == WaitEnd.EXPIRED
    assert dropins.close_waiting_lists(to_utc(datetime.combine(day, moment.ends))) == 0


# ---------------------------------------------------------------------------------------------------------
# Counting, reminding, scoping


def test_waiting_residents_get_no_reminder_and_no_figure_counts_them(full):
    moment, day = full
    waiting_resident(moment, day, "Amina", "+32470000001")
    waiting_resident(moment, day, "Olena", "+32470000002")
    figures = dropins.occurrence_on(moment, day)
    assert (figures.booked, figures.walk_ins, figures.residents, figures.places_left) == (1, 0, 1, 0)
    assert figures.waiting == 2
    [overview] = dropins.occurrence_overview([moment], day, day)
    assert (overview.booked, overview.residents, overview.waiting) == (1, 1, 2)
    the_day_before = to_utc(datetime.combine(day - timedelta(days=1), time(10)))
    assert send_dropin_reminders(the_day_before) == 1
    assert [m.recipient for m in messages("dropin_reminder")] == ["+32470555555"]


def test_another_networks_staff_get_404_and_the_day_list_shows_only_this_network(client, full, gent):
    moment, day = full
    entry = waiting_resident(moment, day, "Amina", "+32470000001")
    elsewhere = NetworkFactory(postcodes=["2800"])
    client.login(make_user(Role.COORDINATOR, elsewhere))
    assert client.get(url(moment, day, "/day-list")).status_code == 404
    token = client.csrf_token("/dropins")
    assert client.post(f"/dropins/waiting/{entry.id}/leave", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert entry.waiting
    client.logout()
    client.login(make_user(Role.COORDINATOR, gent, locale="en"))
    page = text(client.get(url(moment, day, "/day-list")))
    assert "Amina" in page and "Waiting list" in page
    assert "1 on the waiting list" in text(client.get(f"/dropins/{moment.id}"))


# ---------------------------------------------------------------------------------------------------------
# Privacy: export, erasure, retention


def test_the_residents_export_holds_their_places_on_waiting_lists(client, full, gent):
    moment, day = full
    entry = waiting_resident(moment, day, "Amina", "+32470000001")
    record = export.resident_record(entry.resident)
    [exported] = record["dropin_waiting_lists"]
    assert (exported["moment"], exported["on_date"], exported["ended_as"]) == (moment.title, day, None)
    client.login(make_user(Role.COORDINATOR, gent, locale="en"))
    page = text(client.get(f"/residents/{entry.resident_id}/data"))
    assert "Waiting lists" in page and "on the list since" in page


def test_erasure_ends_the_wait_and_the_link_opens_nothing(client, full, gent):
    moment, day = full
    client.submit(public_path(moment, day), join_form())
    link = link_in(messages("dropin_waiting")[0].body)
    entry = db.session.scalar(select(DropInWaiting))
    erase_resident(entry.resident, make_user(Role.COORDINATOR, gent), "Asked at the counter")
    db.session.expire_all()
    assert entry.ended_as == WaitEnd.LEFT and entry.token_hash is None
    assert entry.resident.first_name == ANONYMOUS
    assert client.get(link).status_code == 404


def test_retention_anonymises_a_resident_known_only_by_an_old_wait(full, gent):
    moment, day = full
    long_ago = utcnow() - timedelta(days=30 * network_settings(gent).retention_months + 10)

    def waited(name, when):
        resident = ResidentFactory(network=gent, first_name=name, phone="+32470000001", created_at=when)
        db.session.add(
            DropInWaiting(
                moment_id=moment.id,
                on_date=when.date(),
                resident_id=resident.id,
                joined_at=when,
                ended_at=when,
                ended_as=WaitEnd.EXPIRED,
            )
        )
        db.session.commit()
        return resident

    old, recent = waited("Old", long_ago), waited("Recent", utcnow() - timedelta(days=20))
    apply_retention()
    db.session.expire_all()
    assert old.first_name == ANONYMOUS and old.phone is None
    assert recent.first_name == "Recent"
