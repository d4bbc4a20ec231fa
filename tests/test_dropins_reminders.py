"""The day before a drop-in, from 9:00: a reminder to each volunteer with a shift and each resident with a
booked place, once; not for a cancelled booking, not in the night."""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from digibuddy.core.db import utcnow
from digibuddy.core.time import to_utc
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.scheduling.jobs import send_dropin_reminders
from digibuddy.scheduling.models import BookingKind, DropInBooking
from tests.dropins_helpers import add_shift, make_moment, next_date
from tests.factories import LocationFactory, NetworkFactory, ResidentFactory, make_volunteer


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])


def test_shift_volunteers_and_booked_residents_are_reminded_the_day_before_once(gent):
    moment = make_moment(gent, LocationFactory(network=gent, name="Bibliotheek De Krook"))
    day = next_date(moment)
    volunteer = make_volunteer(gent)
    add_shift(moment, day, volunteer)
    maria = ResidentFactory(network=gent, first_name="Maria", phone="+32470123456", email=None)
    ahmed = ResidentFactory(network=gent, first_name="Ahmed", phone="+32470999888", email=None)
    db.session.add(
        DropInBooking(moment_id=moment.id, on_date=day, kind=BookingKind.BOOKED, resident_id=maria.id)
    )
    db.session.add(
        DropInBooking(
            moment_id=moment.id,
            on_date=day,
            kind=BookingKind.BOOKED,
            resident_id=ahmed.id,
            cancelled_at=utcnow(),
        )
    )
    db.session.commit()
    the_day_before = day - timedelta(days=1)
    assert (
        send_dropin_reminders(to_utc(datetime.combine(the_day_before, time(7, 30)))) == 0
    )  # not in the night
    assert send_dropin_reminders(to_utc(datetime.combine(the_day_before, time(10, 0)))) == 2
    assert send_dropin_reminders(to_utc(datetime.combine(the_day_before, time(10, 30)))) == 0  # once
    kinds = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(kinds) == {volunteer.user.email, "+32470123456"}
    assert "Koffie & Formulieren" in kinds[volunteer.user.email].subject
    assert kinds["+32470123456"].channel == "sms" and "Bibliotheek De Krook" in kinds["+32470123456"].body
    # Two days before: nothing yet.
    assert send_dropin_reminders(to_utc(datetime.combine(day - timedelta(days=2), time(12)))) == 0
