"""A request a volunteer is helping, with a session that has (or has not yet) taken place."""

from datetime import timedelta

from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.requests.models import HelpMode, RequestStatus
from digibuddy.scheduling.models import HelpSession, PlaceKind, SessionStatus
from tests.factories import LocationFactory
from tests.matching_helpers import helper, make_request


def add_session(
    request, volunteer, *, hours_ago=2, status=SessionStatus.PLANNED, location=None
) -> HelpSession:
    """A session that started `hours_ago` hours ago (negative: in the future)."""
    location = location or LocationFactory(network=request.network)
    starts = utcnow() - timedelta(hours=hours_ago)
    session = HelpSession(
        request_id=request.id,
        volunteer_id=volunteer.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place_kind=PlaceKind.LOCATION,
        location_id=location.id,
        status=status,
    )
    db.session.add(session)
    db.session.commit()
    return session


def helped_request(
    network,
    *,
    volunteer=None,
    status=RequestStatus.SCHEDULED,
    hours_ago=2,
    phone="0470 11 22 33",
    email=None,
    locale="nl",
):
    """(request, session, volunteer): the volunteer accepted the request and a session was planned."""
    volunteer = volunteer or helper(network)
    request = make_request(network, mode=HelpMode.LOCATION)
    request.resident.phone = phone
    request.resident.email = email
    request.resident.locale = locale
    db.session.add(
        Offer(
            request_id=request.id,
            volunteer_id=volunteer.id,
            status=OfferStatus.ACCEPTED,
            responded_at=utcnow(),
        )
    )
    request.status = status
    db.session.commit()
    session = add_session(request, volunteer, hours_ago=hours_ago)
    return request, session, volunteer
