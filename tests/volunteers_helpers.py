"""Building volunteer-form data the way a volunteer fills it in, and the objects the dashboard shows."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.reference.models import Topic
from digibuddy.scheduling.models import (
    DropInMoment,
    DropInShift,
    HelpSession,
    PlaceKind,
    Recurrence,
    SessionStatus,
)
from digibuddy.volunteers.models import VettingCheck, VettingItem
from tests.factories import HelpRequestFactory, LocationFactory


def topic_id(code: str) -> int:
    return db.session.scalar(select(Topic.id).where(Topic.code == code))


def some_topic_codes(count=2) -> list[str]:
    return db.session.scalars(select(Topic.code).order_by(Topic.id).limit(count)).all()


def application(**overrides) -> dict:
    data = {
        "name": "Fatima El Amrani",
        "email": "fatima@example.org",
        "phone": "0470 11 22 33",
        "postcode": "9000",
        "motivation": "Ik help graag mensen met hun smartphone.",
        "password": "een-lang-wachtwoord",
        "password_again": "een-lang-wachtwoord",
        "rules": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def profile_form(**overrides) -> dict:
    """A complete profile: Dutch and Arabic, two topics, two time slots, at a location and by phone."""
    first, second = some_topic_codes(2)
    data = {
        "name": "Fatima El Amrani",
        "phone": "0470 11 22 33",
        "home_postcode": "9000",
        "travel_radius_km": "12",
        "max_concurrent": "3",
        "channels": ["location", "phone"],
        "language_0": "nl",
        "language_level_0": "fluent",
        "language_1": "ar",
        "language_level_1": "native",
        f"topic_{topic_id(first)}": "experienced",
        f"topic_{topic_id(second)}": "can_explain",
        "slot_0_weekday": "1",
        "slot_0_starts": "09:00",
        "slot_0_ends": "12:00",
        "slot_1_weekday": "3",
        "slot_1_starts": "13:30",
        "slot_1_ends": "17:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def tick_all(volunteer, document_date=None, checked_by=None):
    """Every checklist item done (the extract issued `document_date`, default a month ago)."""
    for item in VettingItem:
        db.session.merge(
            VettingCheck(
                volunteer_id=volunteer.id,
                item=item,
                checked_by_id=getattr(checked_by, "id", None),
                checked_at=utcnow(),
                document_date=(document_date or date.today() - timedelta(days=30))
                if item == VettingItem.CRIMINAL_RECORD
                else None,
            )
        )
    db.session.commit()


def make_offer(
    network, volunteer, *, status=OfferStatus.PENDING, expires_in=timedelta(hours=20), **request_kwargs
):
    request = HelpRequestFactory(resident__network=network, **request_kwargs)
    offer = Offer(
        request_id=request.id,
        volunteer_id=volunteer.id,
        status=status,
        expires_at=utcnow() + expires_in if expires_in is not None else None,
    )
    db.session.add(offer)
    db.session.commit()
    return offer


def make_session(
    network,
    volunteer,
    starts_at: datetime,
    *,
    minutes=60,
    status=SessionStatus.PLANNED,
    location=None,
    **request_kwargs,
):
    request = HelpRequestFactory(resident__network=network, **request_kwargs)
    session = HelpSession(
        request_id=request.id,
        volunteer_id=volunteer.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        status=status,
        place_kind=PlaceKind.LOCATION if location else PlaceKind.PHONE,
        location_id=location.id if location else None,
    )
    db.session.add(session)
    db.session.commit()
    return session


def make_shift(
    network, volunteer, on_date: date, *, starts=time(9, 30), ends=time(11, 30), title="Koffie & Formulieren"
):
    location = LocationFactory(network=network, name="Bibliotheek De Krook")
    moment = DropInMoment(
        network_id=network.id,
        location_id=location.id,
        title=title,
        recurrence=Recurrence.WEEKLY,
        weekday=on_date.weekday(),
        starts=starts,
        ends=ends,
        first_date=on_date - timedelta(days=7),
    )
    db.session.add(moment)
    db.session.flush()
    shift = DropInShift(moment_id=moment.id, on_date=on_date, volunteer_id=volunteer.id)
    db.session.add(shift)
    db.session.commit()
    return shift
