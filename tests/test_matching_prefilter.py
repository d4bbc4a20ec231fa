"""The single request's ranking (a SQL pre-filter leaves out whom the engine would reject, then the engine
scores the rest) against the engine's ranking of every volunteer read here from the ORM objects, on random
networks: the same candidates in the same order with the same scores, components, explanations and
distances, and the same reasons counted for the others."""

import random
from collections import Counter
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching import candidates, services
from digibuddy.matching.engine import WAIVABLE, Point, RequestData, VolunteerData, near_misses, rank
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.matching.signals import volunteer_history
from digibuddy.network.models import Location
from digibuddy.reference.models import Language, Postcode, Topic
from digibuddy.requests.models import HelpMode, HelpRequest, RequestStatus, RequestTimeWindow
from digibuddy.volunteers.models import (
    AvailabilitySlot,
    LanguageLevel,
    TopicLevel,
    VettingCheck,
    VettingItem,
    VolunteerProfile,
    VolunteerStatus,
    VolunteerTopic,
)
from tests.factories import HelpRequestFactory, LocationFactory, NetworkFactory, make_volunteer

POSTCODES = ("9000", "9030", "9031", "9040", "9050", "9052", "9070", "9820", "9520", "9840", "9880", "9990")
LANGUAGES = ("nl", "ar", "fr", "en", "tr")
MODES = (HelpMode.HOME, HelpMode.LOCATION, HelpMode.PHONE, HelpMode.VIDEO)
CHANNELS = ("offers_home_visits", "offers_location", "offers_phone", "offers_video")


def _random_volunteer(rnd, network, topic_ids):
    status = rnd.choice([VolunteerStatus.ACTIVE] * 6 + [VolunteerStatus.PAUSED, VolunteerStatus.VETTING])
    languages = rnd.sample(LANGUAGES, rnd.randint(1, 3))
    volunteer = make_volunteer(
        network,
        postcode=rnd.choice(POSTCODES),
        status=status,
        languages=[(code, rnd.choice(list(LanguageLevel))) for code in languages],
        vetted=False,
        travel_radius_km=rnd.choice([1, 3, 5, 8, 10, 15, 25]),
        max_concurrent=rnd.randint(1, 3),
        **{channel: rnd.random() < 0.6 for channel in CHANNELS},
    )
    for topic_id in rnd.sample(topic_ids, rnd.randint(1, 4)):
        db.session.add(
            VolunteerTopic(volunteer_id=volunteer.id, topic_id=topic_id, level=rnd.choice(list(TopicLevel)))
        )
    # Most are fully vetted; some miss one item of the checklist.
    items = list(VettingItem) if rnd.random() < 0.85 else rnd.sample(list(VettingItem), len(VettingItem) - 1)
    for item in items:
        db.session.add(VettingCheck(volunteer_id=volunteer.id, item=item))
    db.session.query(AvailabilitySlot).filter_by(volunteer_id=volunteer.id).delete()
    for weekday in rnd.sample(range(7), rnd.randint(0, 3)):
        starts = rnd.choice([8, 9, 10, 13, 14, 17])
        db.session.add(
            AvailabilitySlot(
                volunteer_id=volunteer.id,
                weekday=weekday,
                starts=time(starts, rnd.choice([0, 30])),
                ends=time(starts + rnd.randint(1, 4)),
            )
        )
    return volunteer


def _random_request(rnd, network, topic_ids):
    request = HelpRequestFactory(
        resident__network=network,
        resident__postcode_code=rnd.choice(POSTCODES[:7]),
        preferred_mode=rnd.choice(MODES),
    )
    request.topics = [db.session.get(Topic, t) for t in rnd.sample(topic_ids, rnd.randint(1, 3))]
    request.languages = [db.session.get(Language, c) for c in rnd.sample(LANGUAGES[:3], rnd.randint(1, 2))]
    request.time_windows = [
        RequestTimeWindow(weekday=weekday, day_part=rnd.choice(["morning", "afternoon", "evening"]))
        for weekday in rnd.sample(range(7), rnd.randint(0, 3))
    ]
    return request


@pytest.fixture(params=[1, 2, 3])
def world(app, request):
    """Two networks (the first lets requests overflow to the second), random volunteers, requests, and
    offers that fill places (some volunteers' every place), were declined or answered (the response rate)
    or let expire."""
    rnd = random.Random(request.param)
    gent = NetworkFactory(postcodes=["9000", "9050"], allow_overflow=rnd.random() < 0.7)
    merelbeke = NetworkFactory(postcodes=["9820"])
    for network, postcode in ((gent, "9000"), (gent, "9040"), (merelbeke, "9820")):
        place = db.session.get(Postcode, postcode)
        LocationFactory(
            network=network, postcode_code=postcode, latitude=place.latitude, longitude=place.longitude
        )
    topic_ids = db.session.scalars(select(Topic.id).order_by(Topic.id)).all()[:6]
    volunteers = [_random_volunteer(rnd, rnd.choice([gent, gent, merelbeke]), topic_ids) for _ in range(45)]
    requests = [_random_request(rnd, gent, topic_ids) for _ in range(12)]
    db.session.flush()
    now = utcnow()
    statuses = [OfferStatus.PENDING, OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.ACCEPTED]
    asked = set()
    for help_request in requests:
        for n, volunteer in enumerate(rnd.sample(volunteers, rnd.randint(0, 3))):
            asked.add((help_request.id, volunteer.id))
            db.session.add(
                Offer(
                    request_id=help_request.id,
                    volunteer_id=volunteer.id,
                    status=rnd.choice(statuses if n == 0 else statuses[:3]),  # one accepted offer at most
                    created_at=now - timedelta(days=rnd.randint(0, 300)),
                )
            )
    # Some volunteers are full: as many pending offers of other requests as they have places.
    for volunteer in rnd.sample(volunteers, 8):
        others = [r for r in requests if (r.id, volunteer.id) not in asked]
        for help_request in rnd.sample(others, volunteer.max_concurrent):
            db.session.add(
                Offer(
                    request_id=help_request.id,
                    volunteer_id=volunteer.id,
                    status=OfferStatus.PENDING,
                    created_at=now - timedelta(days=rnd.randint(0, 30)),
                )
            )
    # An accepted offer fills a place only while the request is being helped.
    for help_request in rnd.sample(requests, 3):
        help_request.status = RequestStatus.MATCHED
    db.session.commit()
    return [r.id for r in requests if r.status != RequestStatus.MATCHED]


def _minutes(moment) -> int:
    return moment.hour * 60 + moment.minute


def _reference_request(help_request: HelpRequest) -> RequestData:
    postcode = help_request.resident.postcode
    locations = db.session.scalars(
        select(Location).where(Location.network_id == help_request.network_id, Location.active.is_(True))
    ).all()
    return RequestData(
        id=help_request.id,
        latitude=postcode.latitude,
        longitude=postcode.longitude,
        mode=help_request.preferred_mode.value,
        topic_ids=frozenset(t.id for t in help_request.topics),
        languages=frozenset(lang.code for lang in help_request.languages),
        time_windows=frozenset((w.weekday, w.day_part.value) for w in help_request.time_windows),
        resident_id=help_request.resident_id,
        already_asked=frozenset(
            db.session.scalars(select(Offer.volunteer_id).where(Offer.request_id == help_request.id))
        ),
        locations=tuple(Point(p.latitude, p.longitude, p.name) for p in locations if p.latitude is not None),
    )


def _reference_volunteers(network_ids, resident_id) -> list[VolunteerData]:
    """Every volunteer of the networks, read from the ORM objects and their offers one by one."""
    profiles = db.session.scalars(
        select(VolunteerProfile)
        .where(VolunteerProfile.in_networks(network_ids))
        .order_by(VolunteerProfile.id)
    ).all()
    ids = [p.id for p in profiles]
    now = utcnow()
    history = {"recent": {}, "month": {}, "helped": {}}
    for _receiver, known in volunteer_history.send(ids, resident_ids=[resident_id], now=now):
        history.update(known)
    found = []
    for profile in profiles:
        offers = db.session.scalars(select(Offer).where(Offer.volunteer_id == profile.id)).all()
        engaged = (RequestStatus.MATCHED, RequestStatus.SCHEDULED)
        load = sum(
            o.status == OfferStatus.PENDING
            or (o.status == OfferStatus.ACCEPTED and o.request.status in engaged)
            for o in offers
        )
        recent = [
            o
            for o in offers
            if not o.direct_assignment
            and o.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED)
            and o.created_at >= now - timedelta(days=180)
        ]
        answered = sum(o.status != OfferStatus.EXPIRED for o in recent)
        checked = {
            c.item
            for c in db.session.scalars(select(VettingCheck).where(VettingCheck.volunteer_id == profile.id))
        }
        found.append(
            VolunteerData(
                id=profile.id,
                latitude=profile.home_postcode.latitude,
                longitude=profile.home_postcode.longitude,
                radius_km=profile.travel_radius_km,
                active=profile.status == VolunteerStatus.ACTIVE,
                vetted=checked == set(VettingItem),
                load=load,
                max_concurrent=profile.max_concurrent,
                languages={lang.language_code: lang.level.value for lang in profile.languages},
                topics={t.topic_id: t.level.value for t in profile.topics},
                channels=frozenset(profile.channels),
                availability=tuple(
                    (slot.weekday, _minutes(slot.starts), _minutes(slot.ends))
                    for slot in db.session.scalars(
                        select(AvailabilitySlot).where(AvailabilitySlot.volunteer_id == profile.id)
                    )
                ),
                helped_resident_ids=frozenset(history["helped"].get(profile.id, ())),
                recent_sessions=history["recent"].get(profile.id, 0),
                helped_this_month=history["month"].get(profile.id, 0),
                response_rate=answered / len(recent) if recent else None,
            )
        )
    return found


def _as_compared(found):
    return [(c.volunteer_id, c.score, c.components, c.explanation, c.distance_km) for c in found]


@pytest.mark.parametrize("details_at_once", [candidates.DETAILS_AT_ONCE, 3])
def test_the_pre_filtered_ranking_is_the_engines_ranking_of_everyone(world, details_at_once, monkeypatch):
    # Also with the volunteers' details read a few at a time, as the batch for all of Belgium reads them.
    monkeypatch.setattr(candidates, "DETAILS_AT_ONCE", details_at_once)
    compared, missed = 0, Counter()
    for request_id in world:
        db.session.expunge_all()
        help_request = db.session.get(HelpRequest, request_id)
        data = _reference_request(help_request)
        network_ids = candidates.candidate_network_ids(help_request.network, data.latitude, data.longitude)
        everyone = _reference_volunteers(network_ids, data.resident_id)
        weights = services.weights_for(help_request.network)
        expected = rank(data, everyone, weights)
        db.session.expunge_all()
        help_request = db.session.get(HelpRequest, request_id)

        result = services.suggestions(help_request, limit=None)
        assert _as_compared(result.candidates) == _as_compared(expected.candidates)
        assert result.reason_counts == expected.reason_counts
        assert _as_compared(services.suggestions(help_request, limit=2).candidates) == _as_compared(
            expected.candidates[:2]
        )
        # The coordinator's page: the same candidates and reasons, and the near misses of everyone (read
        # from those who fail at most one waivable rule of the pre-filter), the first ten and all of them.
        page, misses = services.suggestions_and_near_misses(help_request, limit=20, near_limit=10)
        assert _as_compared(page.candidates) == _as_compared(expected.candidates[:20])
        assert page.reason_counts == expected.reason_counts
        assert misses == near_misses(data, everyone, weights, 10)
        every_miss = near_misses(data, everyone, weights, len(everyone))
        _page, all_misses = services.suggestions_and_near_misses(help_request, near_limit=len(everyone))
        assert all_misses == every_miss
        assert services.near_misses(help_request, limit=len(everyone)) == every_miss
        # As the page found them before: the engine on every volunteer the networks' load reads.
        loaded = candidates.all_volunteers(network_ids, data)
        assert _as_compared(page.candidates) == _as_compared(rank(data, loaded, weights, limit=20).candidates)
        assert page.reason_counts == rank(data, loaded, weights).reason_counts
        assert all_misses == near_misses(data, loaded, weights, len(loaded))
        compared += len(expected.candidates)
        missed.update(m.reason for m in every_miss)
    assert compared > 0  # the random world has candidates to compare
    # and near misses of every rule a coordinator may waive, which the page must not leave out
    assert set(missed) == set(WAIVABLE), missed
