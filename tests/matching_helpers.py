"""Scenario building for matching tests: a network, a request, volunteers who fit or do not."""

from sqlalchemy import select

from digibuddy.extensions import db
from digibuddy.reference.models import Language, Topic
from digibuddy.requests.models import HelpMode, RequestTimeWindow
from digibuddy.volunteers.models import LanguageLevel, VolunteerStatus
from tests.factories import HelpRequestFactory, LocationFactory, make_volunteer

ITSME = "itsme-install"
TAX = "gov-tax-on-web"


def topic(code):
    return db.session.scalar(select(Topic).where(Topic.code == code))


def make_request(
    network,
    *,
    mode=HelpMode.HOME,
    languages=("ar",),
    topics=(ITSME,),
    postcode="9000",
    street="Veldstraat 1",
    **kwargs,
):
    request = HelpRequestFactory(
        resident__network=network,
        resident__postcode_code=postcode,
        resident__street_address=street,
        preferred_mode=mode,
        **kwargs,
    )
    request.topics = [topic(code) for code in topics]
    request.languages = [db.session.get(Language, code) for code in languages]
    request.time_windows = [RequestTimeWindow(weekday=1, day_part="morning")]
    db.session.commit()
    return request


def helper(
    network,
    *,
    languages=(("ar", LanguageLevel.NATIVE), ("nl", LanguageLevel.FLUENT)),
    topics=(ITSME,),
    postcode="9000",
    status=VolunteerStatus.ACTIVE,
    radius=10,
    home=True,
    max_concurrent=2,
    **kwargs,
):
    return make_volunteer(
        network,
        postcode=postcode,
        status=status,
        languages=languages,
        topics=topics,
        travel_radius_km=radius,
        offers_home_visits=home,
        max_concurrent=max_concurrent,
        **kwargs,
    )


def with_location(network, postcode="9000"):
    return LocationFactory(network=network, postcode_code=postcode, latitude=None, longitude=None)
