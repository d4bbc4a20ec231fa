"""Drop-in moments for coordinators and volunteers: defining a recurring moment, holidays and one-off
cancellations, shift sign-up with its limits, the "lacking volunteers" overview, and scoping."""

from datetime import timedelta

import holidays
import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.scheduling import dropins
from digibuddy.scheduling.models import (
    BookingKind,
    DropInBooking,
    DropInException,
    DropInMoment,
    DropInShift,
    Recurrence,
)
from digibuddy.volunteers.models import VolunteerStatus
from tests.conftest import text
from tests.dropins_helpers import (
    add_bookings,
    add_shift,
    make_moment,
    next_date,
    next_public_holiday,
    today,
    upcoming_dates,
    url,
)
from tests.factories import LocationFactory, NetworkFactory, ResidentFactory, make_user, make_volunteer
from tests.requests_helpers import topic_id


def en(day, width="full"):
    return format_date(day, width, locale="en")


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])


@pytest.fixture
def coordinator(gent):
    return make_user(Role.COORDINATOR, gent, locale="en")


@pytest.fixture
def library(gent):
    return LocationFactory(network=gent, name="Bibliotheek De Krook")


def moment_form(location, **overrides):
    data = {
        "title": "Koffie & Formulieren",
        "location_id": location.id,
        "recurrence": "weekly",
        "weekday": today().weekday(),
        "starts": "09:30",
        "ends": "11:30",
        "first_date": today().isoformat(),
        "last_date": "",
        "resident_capacity": "8",
        "volunteers_needed": "2",
        "skip_public_holidays": "y",
        "topics": [topic_id("gov-tax-on-web")],
        "languages": ["nl", "ar"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------------------------------------------------
# Defining moments


def test_coordinator_defines_a_two_weekly_moment(client, coordinator, library):
    client.login(coordinator)
    weekday = (today().weekday() + 1) % 7  # tomorrow's weekday: the first date moves to tomorrow
    response = client.submit(
        "/dropins/new",
        moment_form(
            library,
            recurrence="biweekly",
            weekday=weekday,
            skip_public_holidays=None,
            resident_capacity="6",
            volunteers_needed="3",
        ),
    )
    assert response.status_code == 302, text(response)[:3000]
    moment = db.session.scalar(select(DropInMoment))
    assert moment.recurrence == Recurrence.BIWEEKLY and moment.weekday == weekday
    assert moment.first_date == today() + timedelta(days=1)
    assert (moment.resident_capacity, moment.volunteers_needed, moment.skip_public_holidays) == (6, 3, False)
    assert [t.code for t in moment.topics] == ["gov-tax-on-web"]
    assert sorted(lang.code for lang in moment.languages) == ["ar", "nl"]
    assert moment.network_id == library.network_id

    page = text(client.get(response.headers["Location"]))
    first = moment.first_date
    assert en(first) in page and en(first + timedelta(days=14)) in page
    assert en(first + timedelta(days=7)) not in page
    assert "Every two weeks" in page and "Bibliotheek De Krook" in page


def test_coordinator_defines_a_moment_on_the_first_tuesday_of_every_month(client, coordinator, library):
    from digibuddy.scheduling import dropins
    from digibuddy.scheduling.recurrence import nth_weekday_of_month

    client.login(coordinator)
    response = client.submit(
        "/dropins/new?lang=en",
        moment_form(library, recurrence="monthly", weekday=1, week_of_month="1", skip_public_holidays=None),
    )
    assert response.status_code == 302, text(response)[:3000]
    moment = db.session.scalar(select(DropInMoment))
    assert moment.recurrence == Recurrence.MONTHLY and moment.week_of_month == 1
    start = today()
    dates = dropins.moment_dates(moment, start, start + timedelta(days=120))
    assert dates and all(day.weekday() == 1 and day.day <= 7 for day in dates)
    month = (
        (start.year, start.month) if nth_weekday_of_month(start.year, start.month, 1, 1) >= start else None
    )
    assert len(dates) >= 3 and (month is None or dates[0].month == start.month)
    page = text(client.get(response.headers["Location"]))
    assert "Every month: the first Tuesday" in page
    # The last Friday, edited later: the same moment, other dates.
    edit = f"/dropins/{moment.id}/edit?lang=en"
    assert '<option selected value="1">The first</option>' in text(client.get(edit))
    response = client.submit(edit, moment_form(library, recurrence="monthly", weekday=4, week_of_month="-1"))
    assert response.status_code == 302, text(response)[:3000]
    db.session.refresh(moment)
    last_fridays = dropins.moment_dates(moment, start, start + timedelta(days=120))
    assert all(day.weekday() == 4 and (day + timedelta(days=7)).month != day.month for day in last_fridays)


def test_a_monthly_moment_needs_its_week_of_the_month(client, coordinator, library):
    client.login(coordinator)
    response = client.submit(
        "/dropins/new?lang=en", moment_form(library, recurrence="monthly", week_of_month="0")
    )
    assert response.status_code == 422 and "Choose which week of the month." in text(response)
    response = client.submit(
        "/dropins/new?lang=en", moment_form(library, recurrence="monthly", week_of_month="7")
    )
    assert response.status_code == 422 and "Not a valid choice" in text(response)
    assert db.session.scalar(select(DropInMoment)) is None


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"ends": "09:00"}, "The end must be after the start."),
        ({"resident_capacity": "0"}, "Number must be between 1 and 200."),
        ({"resident_capacity": "many"}, "Not a valid integer value."),
        ({"volunteers_needed": "51"}, "Number must be between 0 and 50."),
        ({"weekday": "9"}, "Not a valid choice."),
        ({"weekday": "x"}, "Invalid Choice: could not coerce."),
        ({"recurrence": "daily"}, "Not a valid choice."),
        ({"first_date": "2026-02-30"}, "Fill in a date."),
        ({"starts": "25:00"}, "Fill in a time, for example 09:30."),
        ({"title": ""}, "This field is required."),
        ({"topics": ["abc"]}, "Invalid choice(s)"),
        ({"languages": ["xx-not-a-language"]}, "is not a valid choice for this field"),
    ],
)
def test_invalid_moment_forms_are_refused_with_a_message(client, coordinator, library, overrides, message):
    client.login(coordinator)
    response = client.submit("/dropins/new?lang=en", moment_form(library, **overrides))
    assert response.status_code == 422
    assert message in text(response)
    assert db.session.scalar(select(func.count()).select_from(DropInMoment)) == 0


def test_last_date_before_the_first_drop_in_is_refused(client, coordinator, library):
    client.login(coordinator)
    response = client.submit(
        "/dropins/new", moment_form(library, last_date=(today() - timedelta(days=1)).isoformat())
    )
    assert response.status_code == 422
    assert "The last date must be on or after the first drop-in" in text(response)


def test_a_location_of_another_network_cannot_be_chosen(client, coordinator, library):
    other = LocationFactory(network=NetworkFactory(postcodes=["2800"]), postcode_code="2800")
    client.login(coordinator)
    page = text(client.get("/dropins/new"))
    assert other.name not in page and library.name in page
    response = client.submit("/dropins/new", moment_form(other))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(DropInMoment)) == 0


def test_editing_a_moment(client, coordinator, gent, library):
    moment = make_moment(gent, library)
    client.login(coordinator)
    form = text(client.get(f"/dropins/{moment.id}/edit"))
    assert 'value="Koffie &amp; Formulieren"' in form and 'value="09:30"' in form
    response = client.submit(
        f"/dropins/{moment.id}/edit",
        moment_form(
            library, title="Digitaal Café", resident_capacity="12", active="y", skip_public_holidays=None
        ),
    )
    assert response.status_code == 302, text(response)[:3000]
    db.session.refresh(moment)
    assert (moment.title, moment.resident_capacity) == ("Digitaal Café", 12)


def test_a_change_that_drops_a_date_with_sign_ups_is_refused(client, coordinator, gent, library):
    moment = make_moment(gent, library)
    day = next_date(moment)
    add_bookings(moment, day, 1)
    client.login(coordinator)
    response = client.submit(
        f"/dropins/{moment.id}/edit",
        moment_form(library, weekday=(moment.weekday + 1) % 7, active="y", skip_public_holidays=None),
    )
    assert response.status_code == 422
    assert "Cancel those dates first" in text(response)
    response = client.submit(f"/dropins/{moment.id}/edit", moment_form(library, skip_public_holidays=None))
    assert response.status_code == 422  # unticking "takes place" would drop the date too
    db.session.refresh(moment)
    assert moment.active


# ---------------------------------------------------------------------------------------------------------
# Holidays and one-off cancellations


def test_belgian_public_holidays_are_skipped_unless_the_location_opens(client, gent, library):
    holiday = next_public_holiday(today())
    moment = make_moment(
        gent,
        library,
        weekday=holiday.weekday(),
        skip_public_holidays=True,
        first_date=holiday - timedelta(days=14),
    )
    around = dropins.occurrence_overview([moment], holiday - timedelta(days=7), holiday + timedelta(days=7))
    belgian = holidays.country_holidays("BE", years=[holiday.year - 1, holiday.year, holiday.year + 1])
    neighbours = [holiday - timedelta(days=7), holiday + timedelta(days=7)]
    assert [o.day for o in around] == [day for day in neighbours if day not in belgian]  # 25 Dec, 1 Jan
    assert not dropins.takes_place(moment, holiday)

    volunteer = make_volunteer(gent)
    client.login(volunteer.user)
    client.submit(url(moment, holiday, "/shift"), {}, form_url="/dropins/shifts")
    assert db.session.scalar(select(func.count()).select_from(DropInShift)) == 0
    assert client.get(f"/drop-in/{moment.id}/{holiday.isoformat()}").status_code == 404

    moment.skip_public_holidays = False
    db.session.commit()
    assert dropins.takes_place(moment, holiday)


def test_the_moment_page_names_skipped_holidays(client, coordinator, gent, library):
    holiday = next_public_holiday(today())
    moment = make_moment(
        gent,
        library,
        weekday=holiday.weekday(),
        skip_public_holidays=True,
        first_date=holiday - timedelta(days=7),
    )
    client.login(coordinator)
    if holiday <= today() + timedelta(weeks=12):
        page = text(client.get(f"/dropins/{moment.id}"))
        assert f"{en(holiday)}:" in page and "public holiday (" in page
    day_list = text(client.get(url(moment, holiday, "/day-list")))
    assert "No drop-in: public holiday" in day_list


def test_coordinator_cancels_one_date_and_everyone_signed_up_is_told(client, coordinator, gent, library):
    moment = make_moment(gent, library)
    day, later = upcoming_dates(moment, start=today() + timedelta(days=1))[:2]
    by_sms = ResidentFactory(network=gent, first_name="Fatima", phone="0470 12 34 56", locale="ar")
    by_mail = ResidentFactory(network=gent, first_name="Jan", email="jan@example.org")
    add_bookings(moment, day, 1, resident=by_sms)
    add_bookings(moment, day, 1, resident=by_mail)
    add_bookings(moment, later, 1, resident=by_mail)
    volunteer = make_volunteer(gent)
    add_shift(moment, day, volunteer)

    client.login(coordinator)
    form = text(client.get(url(moment, day, "/cancel")))
    assert "2 residents have a place and 1 digibuddies are signed up" in form
    response = client.submit(url(moment, day, "/cancel"), {"reason": "Bibliotheek dicht: inventaris"})
    assert response.status_code == 302
    exception = db.session.scalar(select(DropInException))
    assert (exception.on_date, exception.reason) == (day, "Bibliotheek dicht: inventaris")
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(DropInBooking)
            .where(DropInBooking.on_date == day, DropInBooking.cancelled_at.is_(None))
        )
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(DropInBooking)
            .where(DropInBooking.on_date == later, DropInBooking.cancelled_at.is_(None))
        )
        == 1
    )
    assert db.session.scalar(select(func.count()).select_from(DropInShift)) == 0
    kinds = sorted(db.session.execute(select(OutboxMessage.kind, OutboxMessage.recipient)).all())
    assert kinds == [
        ("dropin_cancelled", "+32470123456"),
        ("dropin_cancelled", "jan@example.org"),
        ("dropin_shift_cancelled", volunteer.user.email),
    ]

    page = text(client.get(f"/dropins/{moment.id}"))
    assert "cancelled (Bibliotheek dicht: inventaris)" in page
    assert f'id="date-{day.isoformat()}"' not in page and f'id="date-{later.isoformat()}"' in page
    assert not dropins.takes_place(moment, day)

    # A second cancellation of the same date, and booking or signing up for it, are refused.
    response = client.submit(url(moment, day, "/cancel"), {"reason": ""})
    assert response.status_code == 422 and "There is no drop-in on this date." in text(response)

    client.submit(url(moment, day, "/restore"), {}, form_url=f"/dropins/{moment.id}")
    db.session.expire_all()
    assert dropins.takes_place(moment, day)
    assert db.session.scalar(select(func.count()).select_from(DropInException)) == 0


def test_past_dates_and_non_dates_cannot_be_cancelled(client, coordinator, gent, library):
    moment = make_moment(gent, library, first_date=today() - timedelta(days=21))
    client.login(coordinator)
    past = today() - timedelta(days=7)
    response = client.submit(url(moment, past, "/cancel"), {"reason": ""})
    assert response.status_code == 422 and "This date has already passed." in text(response)
    assert client.get(url(moment, today() + timedelta(days=1), "/cancel")).status_code == 404
    assert client.get(f"/dropins/{moment.id}/not-a-date/cancel").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(DropInException)) == 0


# ---------------------------------------------------------------------------------------------------------
# Volunteers' shifts


def test_volunteer_signs_up_and_withdraws(client, gent, library):
    moment = make_moment(gent, library, needed=2)
    day = next_date(moment)
    volunteer = make_volunteer(gent)
    volunteer.user.locale = "en"
    db.session.commit()
    client.login(volunteer.user)
    page = text(client.get("/dropins/shifts"))
    assert "Koffie &amp; Formulieren" in page and en(day) in page and "0 of 2" in page

    response = client.submit(url(moment, day, "/shift"), {}, form_url="/dropins/shifts")
    assert response.status_code == 302
    shift = db.session.scalar(select(DropInShift))
    assert (shift.moment_id, shift.on_date, shift.volunteer_id) == (moment.id, day, volunteer.id)
    page = text(client.get("/dropins/shifts"))
    assert "You are signed up for Koffie &amp; Formulieren" in page and "1 of 2" in page
    assert "You are signed up." in page

    # Twice for the same date: refused
    client.submit(url(moment, day, "/shift"), {}, form_url="/dropins/shifts")
    assert "You are already signed up for this date." in text(client.get("/dropins/shifts"))
    assert db.session.scalar(select(func.count()).select_from(DropInShift)) == 1

    client.submit(url(moment, day, "/shift/withdraw"), {}, form_url="/dropins/shifts")
    assert db.session.scalar(select(func.count()).select_from(DropInShift)) == 0
    client.submit(url(moment, day, "/shift/withdraw"), {}, form_url="/dropins/shifts")
    assert "You are not signed up for this date." in text(client.get("/dropins/shifts"))


def test_sign_up_is_open_to_needed_plus_two_and_then_refused(client, gent, library):
    moment = make_moment(gent, library, needed=1)
    day = next_date(moment)
    for _ in range(dropins.SHIFT_SURPLUS + 1):
        add_shift(moment, day, make_volunteer(gent))
    late = make_volunteer(gent)
    late.user.locale = "en"
    db.session.commit()
    client.login(late.user)
    assert "Enough digibuddies" in text(client.get("/dropins/shifts"))
    client.submit(url(moment, day, "/shift"), {}, form_url="/dropins/shifts")
    assert "Enough digibuddies have signed up for this date." in text(client.get("/dropins/shifts"))
    assert db.session.scalar(select(func.count()).select_from(DropInShift)) == 3


def test_past_dates_non_dates_and_inactive_volunteers_are_refused(client, gent, library):
    moment = make_moment(gent, library, first_date=today() - timedelta(days=14))
    volunteer = make_volunteer(gent)
    for day in (today() - timedelta(days=7), today() + timedelta(days=1), today() + timedelta(days=3650)):
        with pytest.raises(dropins.DomainError):
            dropins.sign_up_shift(moment, day, volunteer)
    paused = make_volunteer(gent, status=VolunteerStatus.PAUSED)
    paused.user.locale = "en"
    db.session.commit()
    client.login(paused.user)
    page = text(client.get("/dropins/shifts"))
    assert "Only active digibuddies can sign up for a shift." in page and ">Sign up<" not in page
    client.submit(url(moment, next_date(moment), "/shift"), {}, form_url="/dropins/shifts")
    assert db.session.scalar(select(func.count()).select_from(DropInShift)) == 0
    # The date was refused for the right reason, through the page too
    client.logout()
    volunteer.user.locale = "en"
    db.session.commit()
    client.login(volunteer.user)
    client.submit(url(moment, today() - timedelta(days=7), "/shift"), {}, form_url="/dropins/shifts")
    assert "This date has already passed." in text(client.get("/dropins/shifts"))
    client.submit(url(moment, today() + timedelta(days=1), "/shift"), {}, form_url="/dropins/shifts")
    assert "There is no drop-in on this date." in text(client.get("/dropins/shifts"))


def test_staff_without_a_volunteer_membership_do_not_see_shifts(client, gent, coordinator):
    client.login(coordinator)
    assert client.get("/dropins/shifts").status_code == 403


# ---------------------------------------------------------------------------------------------------------
# The coordinator's overview of moments lacking volunteers


def test_overview_lists_dates_lacking_volunteers(client, coordinator, gent, library):
    short = make_moment(gent, library, title="Digitaal Café", needed=2)
    full = make_moment(gent, library, title="Itsme-spreekuur", needed=1)
    make_moment(gent, library, title="Gestopt", needed=3, active=False)
    first = next_date(short)
    add_shift(short, first, make_volunteer(gent))
    for day in upcoming_dates(full, weeks=13):
        add_shift(full, day, make_volunteer(gent))
    client.login(coordinator)

    page = text(client.get("/dropins?weeks=2"))
    lacking = page.split('class="lacking">')[1].split("</table>")[0]
    assert "Digitaal Café" in lacking and "Itsme-spreekuur" not in lacking and "Gestopt" not in lacking
    assert en(first) in lacking and "1 of 2" in lacking
    assert all(
        en(day) in lacking for day in upcoming_dates(short, weeks=2) if day < today() + timedelta(weeks=2)
    )
    assert en(today() + timedelta(weeks=3)) not in lacking
    assert "Gestopt" in page  # listed among all moments, marked stopped
    assert "Stopped" in page

    wider = text(client.get("/dropins?weeks=8"))
    assert en(today() + timedelta(weeks=7)) in wider
    for weeks in ("abc", "-3", "99999999999999999999", ""):
        assert client.get(f"/dropins?weeks={weeks}").status_code == 200


def test_overview_says_when_nothing_is_lacking(client, coordinator, gent, library):
    make_moment(gent, library, needed=0)
    client.login(coordinator)
    assert "has enough digibuddies" in text(client.get("/dropins"))


# ---------------------------------------------------------------------------------------------------------
# Scoping


@pytest.fixture
def other_network_moment(app):
    antwerpen = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    moment = make_moment(antwerpen, LocationFactory(network=antwerpen, postcode_code="2800"), title="Elders")
    booking = DropInBooking(
        moment_id=moment.id,
        on_date=next_date(moment),
        kind=BookingKind.BOOKED,
        resident_id=ResidentFactory(network=antwerpen, postcode_code="2800").id,
    )
    db.session.add(booking)
    db.session.commit()
    return moment, booking


def test_coordinator_of_another_network_gets_404(client, coordinator, gent, library, other_network_moment):
    moment, booking = other_network_moment
    own = make_moment(gent, library)
    day = next_date(moment)
    client.login(coordinator)
    assert "Elders" not in text(client.get("/dropins"))
    assert client.get(f"/dropins/{own.id}").status_code == 200
    for path in (
        f"/dropins/{moment.id}",
        f"/dropins/{moment.id}/edit",
        url(moment, day, "/cancel"),
        url(moment, day, "/day-list"),
        url(moment, day, "/book"),
    ):
        assert client.get(path).status_code == 404, path
    token = client.csrf_token(f"/dropins/{own.id}")
    for path in (
        f"/dropins/{moment.id}/edit",
        url(moment, day, "/cancel"),
        url(moment, day, "/restore"),
        url(moment, day, "/walk-in"),
        url(moment, day, "/book"),
        f"/dropins/bookings/{booking.id}/cancel",
    ):
        assert (
            client.post(path, data={"csrf_token": token, "title": "Hacked", "reason": "x"}).status_code == 404
        ), path
    db.session.expire_all()
    assert db.session.get(DropInMoment, moment.id).title == "Elders"
    assert db.session.scalar(select(func.count()).select_from(DropInException)) == 0
    assert db.session.get(DropInBooking, booking.id).cancelled_at is None


def test_volunteers_and_counter_staff_of_another_network_get_404(
    client, make_client, gent, other_network_moment
):
    moment, booking = other_network_moment
    day = next_date(moment)
    volunteer = make_volunteer(gent)
    client.login(volunteer.user)
    assert "Elders" not in text(client.get("/dropins/shifts"))
    token = client.csrf_token("/dropins/shifts")
    assert client.post(url(moment, day, "/shift"), data={"csrf_token": token}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(DropInShift)) == 0

    counter = make_client()
    counter.login(make_user(Role.COUNTER, gent))
    assert "Elders" not in text(counter.get("/dropins/counter"))
    assert counter.get(url(moment, day, "/day-list")).status_code == 404
    token = counter.csrf_token("/dropins/counter")
    assert (
        counter.post(url(moment, dropins.local_today(), "/walk-in"), data={"csrf_token": token}).status_code
        == 404
    )
    assert (
        counter.post(f"/dropins/bookings/{booking.id}/cancel", data={"csrf_token": token}).status_code == 404
    )
    assert counter.get("/dropins").status_code == 403  # the moments themselves are the coordinator's


@pytest.mark.parametrize(
    "path",
    [
        "/dropins/abc",
        "/dropins/999999",
        "/dropins/99999999999999999999999",
        "/dropins/%00/edit",
        "/dropins/{id}/2026-02-30/day-list",
        "/dropins/{id}/yesterday/day-list",
        "/dropins/{id}/9999-12-31/day-list",
        "/dropins/{id}/0001-01-01/cancel",
        "/dropins/{id}/{day}/cancel?x=%ff",
        "/dropins/{id}/{day}/book?first_name=a&postcode=<b>",
        "/dropins/{id}/{day}/book?phone=%27%3B--",
        "/dropins?weeks=%00",
        "/dropins/bookings/abc/cancel",
        "/drop-in/{id}/{day}x",
        "/drop-in/abc/2026-01-01",
        "/drop-in/99999999999999999999999/{day}",
        "/dropins/bookings/99999999999999999999999/cancel",
        "/dropins/99999999999999999999999/{day}/shift",
        "/drop-in/{id}/99999-01-01",
        "/drop-in?postcode=%00",
        "/drop-in?postcode=99999",
        "/drop-in?postcode=abcd",
        "/drop-in?postcode=1000",
        "/drop-in/booked",
    ],
)
def test_edited_urls_never_give_a_server_error(client, coordinator, gent, library, path):
    moment = make_moment(gent, library)
    client.login(coordinator)
    path = path.replace("{id}", str(moment.id)).replace("{day}", next_date(moment).isoformat())
    assert client.get(path).status_code < 500
    token = client.csrf_token(f"/dropins/{moment.id}")
    assert (
        client.post(
            path, data={"csrf_token": token, "resident_id": "x", "topic_id": "abc", "first_date": "x"}
        ).status_code
        < 500
    )
