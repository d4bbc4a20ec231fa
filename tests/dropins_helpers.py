"""Scenario building for drop-in tests: moments on dates relative to today (in Brussels)."""

from datetime import date, time, timedelta

import holidays

from digibuddy.extensions import db
from digibuddy.scheduling.dropins import local_today, moment_dates
from digibuddy.scheduling.models import BookingKind, DropInBooking, DropInMoment, DropInShift, Recurrence
from tests.factories import LocationFactory


def today() -> date:
    return local_today()


def make_moment(
    network,
    location=None,
    *,
    weekday=None,
    recurrence=Recurrence.WEEKLY,
    first_date=None,
    capacity=8,
    needed=2,
    skip_public_holidays=False,
    title="Koffie & Formulieren",
    starts=time(9, 30),
    ends=time(11, 30),
    **kwargs,
) -> DropInMoment:
    """A moment that (by default) takes place every week on today's weekday, from today, holidays included,
    so that tests do not depend on the calendar."""
    location = location or LocationFactory(network=network)
    first_date = first_date or today()
    moment = DropInMoment(
        network_id=network.id,
        location_id=location.id,
        title=title,
        recurrence=recurrence,
        weekday=first_date.weekday() if weekday is None else weekday,
        starts=starts,
        ends=ends,
        first_date=first_date,
        resident_capacity=capacity,
        volunteers_needed=needed,
        skip_public_holidays=skip_public_holidays,
        **kwargs,
    )
    db.session.add(moment)
    db.session.commit()
    return moment


def upcoming_dates(moment, weeks=8, start=None) -> list[date]:
    start = start or today()
    return moment_dates(moment, start, start + timedelta(weeks=weeks))


def next_date(moment) -> date:
    """The first date after today on which the moment takes place."""
    return upcoming_dates(moment, start=today() + timedelta(days=1))[0]


def add_shift(moment, day, volunteer):
    db.session.add(DropInShift(moment_id=moment.id, on_date=day, volunteer_id=volunteer.id))
    db.session.commit()


def add_bookings(moment, day, count, kind=BookingKind.BOOKED, resident=None):
    for _ in range(count):
        db.session.add(
            DropInBooking(
                moment_id=moment.id, on_date=day, kind=kind, resident_id=resident.id if resident else None
            )
        )
    db.session.commit()


def next_public_holiday(after: date) -> date:
    found = holidays.country_holidays("BE", years=[after.year, after.year + 1])
    return min(day for day in found if day > after)


def url(moment, day, suffix="") -> str:
    return f"/dropins/{moment.id}/{day.isoformat()}{suffix}"
