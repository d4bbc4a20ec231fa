"""A matched request with its volunteer and a location that is open on weekdays."""

from datetime import date, datetime, time, timedelta

from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.network.models import OpeningHours
from digibuddy.requests.models import HelpMode, RequestStatus
from tests.factories import LocationFactory
from tests.matching_helpers import helper, make_request


def matched_request(network, *, mode=HelpMode.LOCATION, resident_phone="0470 11 22 33", resident_email=None):
    volunteer = helper(network)
    request = make_request(network, mode=mode)
    request.resident.phone = resident_phone
    request.resident.email = resident_email
    db.session.add(Offer(request_id=request.id, volunteer_id=volunteer.id, status=OfferStatus.ACCEPTED))
    request.status = RequestStatus.MATCHED
    db.session.commit()
    return request, volunteer


def open_location(network, name="Bibliotheek De Krook"):
    location = LocationFactory(
        network=network, name=name, street="Miriam Makebaplein 1", latitude=51.05, longitude=3.72
    )
    location.opening_hours = [OpeningHours(weekday=d, opens=time(9), closes=time(17)) for d in range(5)]
    db.session.commit()
    return location


def next_weekday(weekday=1, weeks_ahead=1) -> date:
    """A date of that weekday at least a week ahead, avoiding Belgian public holidays."""
    from digibuddy.core.time import public_holiday_name

    day = date.today() + timedelta(days=7 * weeks_ahead)
    while day.weekday() != weekday or public_holiday_name(day):
        day += timedelta(days=1)
    return day


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))
