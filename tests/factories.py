"""factory_boy factories for the models the tests need, committing like the app does."""

from datetime import date, time, timedelta

import factory
from sqlalchemy import select

from digibuddy.accounts.models import Membership, Role, User
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.network.models import LocalNetwork, Location, LocationKind, NetworkMunicipality
from digibuddy.reference.models import Municipality, Postcode, Topic
from digibuddy.requests.models import HelpMode, HelpRequest, IntakeChannel, RequestStatus, Resident
from digibuddy.volunteers.models import (
    AvailabilitySlot,
    LanguageLevel,
    TopicLevel,
    VettingCheck,
    VettingItem,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    VolunteerTopic,
)

PASSWORD = "password-123456"
_HASH_CACHE = {}


def password_hash() -> str:
    if "hash" not in _HASH_CACHE:
        user = User(email="x", name="x")
        user.set_password(PASSWORD)
        _HASH_CACHE["hash"] = user.password_hash
    return _HASH_CACHE["hash"]


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


def municipality_by_postcode(code: str) -> Municipality:
    return db.session.get(Postcode, code).municipality


class NetworkFactory(Base):
    class Meta:
        model = LocalNetwork

    name = factory.Sequence(lambda n: f"Netwerk {n}")
    slug = factory.Sequence(lambda n: f"netwerk-{n}")
    phone = factory.Sequence(lambda n: f"09 210 {n:02d} {n:02d}")
    email = factory.Sequence(lambda n: f"info{n}@netwerk.example")

    @factory.post_generation
    def postcodes(self, create, extracted, **kwargs):
        """NetworkFactory(postcodes=["9000"]) covers the municipalities of those postcodes."""
        for code in extracted or []:
            nis = db.session.get(Postcode, code).municipality_nis
            exists = db.session.get(NetworkMunicipality, (self.id, nis))
            if not exists:
                db.session.add(NetworkMunicipality(network_id=self.id, municipality_nis=nis))
        db.session.commit()


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"Sam Janssens{n}")
    password_hash = factory.LazyFunction(password_hash)
    locale = "nl"


def make_user(role: Role | None = None, network: LocalNetwork | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    if role is not None:
        db.session.add(Membership(user_id=user.id, network_id=network.id, role=role))
        db.session.commit()
    return user


def make_admin(**kwargs) -> User:
    return UserFactory(is_admin=True, **kwargs)


class LocationFactory(Base):
    class Meta:
        model = Location

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Bibliotheek {n}")
    kind = LocationKind.LIBRARY
    street = "Kerkstraat 1"
    postcode_code = "9000"


def make_volunteer(
    network: LocalNetwork,
    *,
    postcode="9000",
    status=VolunteerStatus.ACTIVE,
    languages=(("nl", LanguageLevel.NATIVE),),
    topics=(),
    vetted=True,
    **profile,
) -> VolunteerProfile:
    user = make_user(Role.VOLUNTEER, network)
    profile.setdefault("offers_location", True)
    volunteer = VolunteerProfile(user_id=user.id, home_postcode_code=postcode, status=status, **profile)
    db.session.add(volunteer)
    db.session.flush()
    for code, level in languages:
        db.session.add(VolunteerLanguage(volunteer_id=volunteer.id, language_code=code, level=level))
    for topic_code in topics:
        topic = db.session.scalar(select(Topic).where(Topic.code == topic_code))
        db.session.add(
            VolunteerTopic(volunteer_id=volunteer.id, topic_id=topic.id, level=TopicLevel.EXPERIENCED)
        )
    if vetted:
        for item in VettingItem:
            db.session.add(
                VettingCheck(
                    volunteer_id=volunteer.id,
                    item=item,
                    document_date=date.today() - timedelta(days=30)
                    if item == VettingItem.CRIMINAL_RECORD
                    else None,
                )
            )
    db.session.add(AvailabilitySlot(volunteer_id=volunteer.id, weekday=1, starts=time(9), ends=time(12)))
    db.session.commit()
    return volunteer


class ResidentFactory(Base):
    class Meta:
        model = Resident

    network = factory.SubFactory(NetworkFactory)
    first_name = factory.Sequence(lambda n: f"Maria{n}")
    postcode_code = "9000"
    has_no_email = True
    consent_at = factory.LazyFunction(utcnow)
    consent_channel = IntakeChannel.ONLINE
    consent_version = "2026-01"


class HelpRequestFactory(Base):
    class Meta:
        model = HelpRequest

    resident = factory.SubFactory(ResidentFactory)
    network = factory.SelfAttribute("resident.network")
    reference = factory.Sequence(lambda n: f"TST{n:05d}".replace("0", "A").replace("1", "B"))
    intake_channel = IntakeChannel.ONLINE
    preferred_mode = HelpMode.LOCATION
    status = RequestStatus.NEW
    description = "Ik wil leren werken met itsme."
