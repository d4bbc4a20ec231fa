"""Loading requests and volunteers as plain data for the engine, with a cheap SQL pre-filter first.

The pre-filter keeps only volunteers of the request's network(s) who are active and vetted, have free
capacity, share a language, offer the mode, know a requested topic and live inside a latitude/longitude
box around the resident (or the network's locations); the engine then applies the exact rules."""

import math
import operator
from collections import Counter
from datetime import timedelta
from functools import reduce

from sqlalchemy import Date, Float, Integer, String, Time, and_, bindparam, case, func, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ..accounts.models import Membership, Role
from ..core.db import built, in_ids, in_param, tagged_union, utcnow
from ..core.geo import distance_km
from ..core.time import local_today
from ..extensions import db
from ..network.models import LocalNetwork, Location, NetworkMunicipality
from ..network.settings import network_settings
from ..network.steering import NetworkSettings
from ..reference.models import Postcode
from ..requests.models import (
    HelpRequest,
    RequestStatus,
    RequestTimeWindow,
    Resident,
    request_languages,
    request_topics,
)
from ..volunteers.models import (
    CHANNEL_ATTRIBUTES,
    AvailabilitySlot,
    VettingCheck,
    VettingItem,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    VolunteerTopic,
)
from ..volunteers.training import overdue_volunteer_ids
from . import engine
from .engine import HOME, LOCATION, Point, RequestData, VolunteerData
from .models import Offer, OfferStatus
from .signals import volunteer_history

KM_PER_DEGREE_LAT = 111.2
OVERFLOW_KM = 20  # neighbouring networks: those covering a postcode within this distance
ENGAGED = (RequestStatus.MATCHED, RequestStatus.SCHEDULED)


# What the engine needs of one request, as rows of one statement (core.db.tagged_union).
REQUEST_COLUMNS = {"number": Integer(), "text": String(), "latitude": Float(), "longitude": Float()}


def _request_facts():
    request_id = bindparam("request", type_=Integer)
    return tagged_union(
        REQUEST_COLUMNS,
        {
            "place": (
                {"latitude": Postcode.latitude, "longitude": Postcode.longitude},
                [
                    Resident.id == bindparam("resident", type_=Integer),
                    Postcode.code == Resident.postcode_code,
                ],
            ),
            "location": (
                {
                    "number": Location.id,
                    "text": Location.name,
                    "latitude": Location.latitude,
                    "longitude": Location.longitude,
                },
                [
                    Location.network_id == bindparam("network", type_=Integer),
                    Location.active.is_(True),
                    Location.latitude.is_not(None),
                ],
            ),
            "topic": ({"number": request_topics.c.topic_id}, [request_topics.c.request_id == request_id]),
            "language": (
                {"text": request_languages.c.language_code},
                [request_languages.c.request_id == request_id],
            ),
            "window": (
                {"number": RequestTimeWindow.weekday, "text": RequestTimeWindow.day_part},
                [RequestTimeWindow.request_id == request_id],
            ),
            "asked": ({"number": Offer.volunteer_id}, [Offer.request_id == request_id]),
        },
    )


def request_data(help_request: HelpRequest) -> RequestData:
    """The engine's view of one request, read in one statement: where the resident lives, the topics,
    languages and time windows asked, who was offered it already, and the network's locations (by id)."""
    found: dict[str, list] = {
        "place": [],
        "location": [],
        "topic": [],
        "language": [],
        "window": [],
        "asked": [],
    }
    params = {
        "request": help_request.id,
        "resident": help_request.resident_id,
        "network": help_request.network_id,
    }
    for tag, number, text, latitude, longitude in db.session.execute(
        built("request facts", _request_facts), params
    ):
        found[tag].append((number, text, latitude, longitude))
    (_n, _t, latitude, longitude), *_ = found["place"]
    return RequestData(
        id=help_request.id,
        latitude=latitude,
        longitude=longitude,
        mode=help_request.preferred_mode.value,
        topic_ids=frozenset(number for number, *_ in found["topic"]),
        languages=frozenset(text for _n, text, *_ in found["language"]),
        time_windows=frozenset((number, text) for number, text, *_ in found["window"]),
        resident_id=help_request.resident_id,
        already_asked=frozenset(number for number, *_ in found["asked"]),
        locations=tuple(Point(lat, lon, name) for _id, name, lat, lon in sorted(found["location"])),
    )


def _as_data(help_request: HelpRequest, postcode: Postcode, asked, locations) -> RequestData:
    """The engine's view of a request: where the resident lives, what they ask, whom it was offered to
    already and the network's locations."""
    return RequestData(
        id=help_request.id,
        latitude=postcode.latitude,
        longitude=postcode.longitude,
        mode=help_request.preferred_mode.value,
        topic_ids=frozenset(t.id for t in help_request.topics),
        languages=frozenset(lang.code for lang in help_request.languages),
        time_windows=frozenset((w.weekday, w.day_part.value) for w in help_request.time_windows),
        resident_id=help_request.resident_id,
        already_asked=frozenset(asked),
        locations=tuple(locations),
    )


def candidate_network_ids(
    network: LocalNetwork, latitude: float, longitude: float, settings: NetworkSettings | None = None
) -> list[int]:
    """The request's own network, plus neighbouring networks when its setting allows overflow (`settings`:
    the network's, when the caller has them already)."""
    if not (settings or network_settings(network)).allow_overflow:
        return [network.id]
    lat_min, lat_max = latitude - OVERFLOW_KM / KM_PER_DEGREE_LAT, latitude + OVERFLOW_KM / KM_PER_DEGREE_LAT
    rows = db.session.execute(
        select(NetworkMunicipality.network_id, Postcode.latitude, Postcode.longitude)
        .join(Postcode, Postcode.municipality_nis == NetworkMunicipality.municipality_nis)
        .join(LocalNetwork, LocalNetwork.id == NetworkMunicipality.network_id)
        .where(LocalNetwork.active.is_(True), Postcode.latitude.between(lat_min, lat_max))
    ).all()
    ids = {network.id}
    ids.update(n for n, lat, lon in rows if distance_km(latitude, longitude, lat, lon) <= OVERFLOW_KM)
    return sorted(ids)


def load_subquery():
    """Per volunteer: pending offers plus accepted offers of requests still being helped."""
    return (
        select(Offer.volunteer_id.label("volunteer_id"), func.count().label("load"))
        .join(HelpRequest, HelpRequest.id == Offer.request_id)
        .where(
            or_(
                Offer.status == OfferStatus.PENDING,
                and_(Offer.status == OfferStatus.ACCEPTED, HelpRequest.status.in_(ENGAGED)),
            )
        )
        .group_by(Offer.volunteer_id)
        .subquery()
    )


def _vetted_ids():
    """Fully vetted and not past the date to pass a changed required training module again."""
    return (
        select(VettingCheck.volunteer_id)
        .where(VettingCheck.volunteer_id.not_in(overdue_volunteer_ids()))
        .group_by(VettingCheck.volunteer_id)
        .having(func.count() >= len(VettingItem))
    )


def _members_of(network_ids):
    """The volunteers' users of the networks (`network_ids`: ids, or a condition on Membership.network_id)."""
    in_networks = network_ids
    if not isinstance(network_ids, ColumnElement):
        in_networks = Membership.network_id.in_(network_ids)
    return select(Membership.user_id).where(in_networks, Membership.role == Role.VOLUNTEER)


VOLUNTEER_COLUMNS = (
    VolunteerProfile.id,
    VolunteerProfile.status,
    VolunteerProfile.travel_radius_km,
    VolunteerProfile.max_concurrent,
    *(VolunteerProfile.offers_column(channel) for channel in CHANNEL_ATTRIBUTES),
)


def _network_volunteers(network_ids, *columns):
    """A SELECT of `columns` over the volunteers of the networks, joined to their home postcode."""
    return (
        select(*columns)
        .join(Postcode, Postcode.code == VolunteerProfile.home_postcode_code)
        .where(VolunteerProfile.user_id.in_(_members_of(network_ids)))
    )


def _base_query(network_ids, load):
    columns = (*VOLUNTEER_COLUMNS, Postcode.latitude, Postcode.longitude, func.coalesce(load.c.load, 0))
    joined = _network_volunteers(network_ids, *columns)
    return joined.outerjoin(load, load.c.volunteer_id == VolunteerProfile.id)


def _correlated_load():
    """This volunteer's load as a correlated subquery (uses the index on offers.volunteer_id)."""
    return (
        select(func.count())
        .select_from(Offer)
        .join(HelpRequest, HelpRequest.id == Offer.request_id)
        .where(
            Offer.volunteer_id == VolunteerProfile.id,
            or_(
                Offer.status == OfferStatus.PENDING,
                and_(Offer.status == OfferStatus.ACCEPTED, HelpRequest.status.in_(ENGAGED)),
            ),
        )
        .correlate(VolunteerProfile)
        .scalar_subquery()
    )


def _fully_vetted():
    """Every item of the vetting checklist ticked: the volunteer's checks of those items counted in one
    look-up of their rows (one row per volunteer and item)."""
    ticked = (
        select(func.count())
        .select_from(VettingCheck)
        .where(VettingCheck.volunteer_id == VolunteerProfile.id, VettingCheck.item.in_(list(VettingItem)))
        .correlate(VolunteerProfile)
        .scalar_subquery()
    )
    return ticked >= len(VettingItem)


def _has_any(column, parameter: str, item_type):
    """Whether the volunteer has a row of `column`'s table (languages, topics) with one of the values of the
    bound list `parameter`. A correlated look-up rather than EXISTS: PostgreSQL checks it on each volunteer
    who passed the cheaper conditions instead of joining it in, so the pre-filter stays a plain walk over the
    network's members with a few index look-ups each (joining the languages, topics and four vetting items
    in made a dozen relations to plan: about 10 ms of planning on every request)."""
    owner = column.class_.volunteer_id
    found = (
        select(owner)
        .where(owner == VolunteerProfile.id, in_param(column, parameter, item_type))
        .limit(1)
        .correlate(VolunteerProfile)
        .scalar_subquery()
    )
    return found.is_not(None)


def _prefilter(data: RequestData, load) -> list[tuple[str, object]]:
    """The pre-filter as (engine reason, SQL condition), in the order the engine checks them: a volunteer
    passes when every condition holds, and is left out for the first one that does not. The distance is
    a latitude/longitude box around the resident or the network's locations, wider than the exact
    radius, which the engine checks afterwards.

    The conditions hold bound parameters only (their values: _prefilter_params), so that requests of the
    same shape (mode, whether anyone was asked already) share one statement."""
    conditions = [
        (
            engine.NOT_ACTIVE,
            and_(
                VolunteerProfile.status == VolunteerStatus.ACTIVE,
                _fully_vetted(),
                VolunteerProfile.id.not_in(overdue_volunteer_ids(bindparam("today", type_=Date))),
            ),
        ),
        (engine.FULL, load < VolunteerProfile.max_concurrent),
        (engine.LANGUAGE, _has_any(VolunteerLanguage.language_code, "languages", String)),
        (engine.MODE, VolunteerProfile.offers_column(data.mode).is_(True)),
    ]
    if _bounding_points(data) is not None:
        radius_lat = VolunteerProfile.travel_radius_km / KM_PER_DEGREE_LAT
        radius_lon = VolunteerProfile.travel_radius_km / bindparam("km_lon", type_=Float)
        conditions.append(
            (
                engine.DISTANCE,
                and_(
                    Postcode.latitude >= bindparam("lat_min", type_=Float) - radius_lat,
                    Postcode.latitude <= bindparam("lat_max", type_=Float) + radius_lat,
                    Postcode.longitude >= bindparam("lon_min", type_=Float) - radius_lon,
                    Postcode.longitude <= bindparam("lon_max", type_=Float) + radius_lon,
                ),
            )
        )
    conditions.append((engine.TOPIC, _has_any(VolunteerTopic.topic_id, "topics", Integer)))
    if data.already_asked:
        conditions.append((engine.ALREADY_ASKED, not_(in_param(VolunteerProfile.id, "asked"))))
    return conditions


# The order in which the pre-filter's WHERE names its conditions: the plain columns first, then the look-ups
# that leave out the most volunteers (a requested topic is rarer than a shared language), the vetting and the
# load last. Where PostgreSQL finds them equally costly, it checks them in this order.
_CHEAPEST_FIRST = (
    engine.MODE,
    engine.ALREADY_ASKED,
    engine.DISTANCE,
    engine.TOPIC,
    engine.LANGUAGE,
    engine.NOT_ACTIVE,
    engine.FULL,
)


def _prefilter_params(data: RequestData) -> dict:
    """The request's values for the pre-filter's parameters."""
    params = {"today": local_today(), "languages": sorted(data.languages), "topics": sorted(data.topic_ids)}
    box = _bounding_points(data)
    if box is not None:
        lat_min, lat_max, lon_min, lon_max, cos_lat = box
        params.update(lat_min=lat_min, lat_max=lat_max, lon_min=lon_min, lon_max=lon_max)
        params["km_lon"] = KM_PER_DEGREE_LAT * cos_lat
    if data.already_asked:
        params["asked"] = sorted(data.already_asked)
    return params


def prefiltered_volunteers(data: RequestData, network_ids) -> list[VolunteerData]:
    """The volunteers of the networks who pass every pre-filter condition, as plain data for the engine."""

    def build():
        load = _correlated_load()
        conditions = _prefilter(data, load)
        columns = (*VOLUNTEER_COLUMNS, Postcode.latitude, Postcode.longitude, load)
        ordered = sorted(conditions, key=lambda pair: _CHEAPEST_FIRST.index(pair[0]))
        stmt = _network_volunteers(in_param(Membership.network_id, "networks"), *columns)
        return stmt.where(*(condition for _reason, condition in ordered))

    # One statement per request shape.
    stmt = built(("pre-filter", data.mode, bool(data.already_asked)), build)
    params = {**_prefilter_params(data), "networks": list(network_ids)}
    return _volunteer_data(db.session.execute(stmt, params).all(), data, all_vetted=True)


def within_one_rule(data: RequestData, network_ids) -> tuple[list[VolunteerData], list[VolunteerData]]:
    """(the pre-filtered volunteers, those and the ones who fail exactly one of the pre-filter's waivable
    conditions), as plain data for the engine, read in one statement: the volunteers of the networks who are
    active, vetted and not asked yet (never waived) and fail at most one of engine.WAIVABLE as the pre-filter
    expresses them. The distance being a box wider than the radius, the second list holds every near miss
    (engine.near_misses checks the exact rules); the first is what prefiltered_volunteers reads."""

    def build():
        load = _correlated_load()
        conditions = _prefilter(data, load)
        kept = [condition for reason, condition in conditions if reason not in engine.WAIVABLE]
        waivable = [condition for reason, condition in conditions if reason in engine.WAIVABLE]
        # A condition counts as met only when it is true, as in the pre-filter's WHERE.
        missed = reduce(operator.add, (case((condition, 0), else_=1) for condition in waivable))
        columns = (missed, *VOLUNTEER_COLUMNS, Postcode.latitude, Postcode.longitude, load)
        stmt = _network_volunteers(in_param(Membership.network_id, "networks"), *columns)
        return stmt.where(*kept, missed <= 1)

    stmt = built(("within one rule", data.mode, bool(data.already_asked)), build)
    params = {**_prefilter_params(data), "networks": list(network_ids)}
    rows = db.session.execute(stmt, params).all()
    volunteers = _volunteer_data([row[1:] for row in rows], data, all_vetted=True)
    passing = [volunteer for volunteer, row in zip(volunteers, rows, strict=True) if row[0] == 0]
    return passing, volunteers


def prefilter_reasons(data: RequestData, network_ids) -> Counter:
    """Why the volunteers the pre-filter leaves out cannot help, counted by the first hard constraint
    they fail, exactly as the engine would count them (those it lets through the engine counts itself)."""

    def build():
        conditions = _prefilter(data, _correlated_load())
        first_failure = case(*((not_(condition), reason) for reason, condition in conditions), else_=None)
        columns = (first_failure, Postcode.latitude, Postcode.longitude, VolunteerProfile.travel_radius_km)
        return _network_volunteers(in_param(Membership.network_id, "networks"), *columns)

    # One statement per request shape, as the pre-filter's.
    stmt = built(("pre-filter reasons", data.mode, bool(data.already_asked)), build)
    params = {**_prefilter_params(data), "networks": list(network_ids)}
    rows = db.session.execute(stmt, params).all()
    counts: Counter = Counter()
    for reason, latitude, longitude, radius_km in rows:
        if reason is None:
            continue
        # The box passed, but a later condition failed: the engine checks the exact distance first.
        if reason in (engine.TOPIC, engine.ALREADY_ASKED) and engine.out_of_reach(
            data, latitude, longitude, radius_km
        ):
            reason = engine.DISTANCE
        counts[reason] += 1
    return counts


def _bounding_points(data: RequestData):
    if data.mode == HOME:
        points = [(data.latitude, data.longitude)]
    elif data.mode == LOCATION:
        points = [(p.latitude, p.longitude) for p in data.locations]
        if not points:
            return (0.0, -1.0, 0.0, -1.0, 1.0)  # no location: nobody can help at one
    else:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    cos_lat = max(0.1, math.cos(math.radians(max(abs(min(lats)), abs(max(lats))))))
    return min(lats), max(lats), min(lons), max(lons), cos_lat


def all_volunteers(network_ids, data: RequestData | None = None, volunteer_id: int | None = None):
    """Every volunteer of the networks, unfiltered, as a list of VolunteerData: to count why nobody fits;
    with `volunteer_id` only that one (none when they are not a volunteer of the networks)."""
    load = load_subquery()
    stmt = _base_query(network_ids, load)
    if volunteer_id is not None:
        stmt = stmt.where(VolunteerProfile.id == volunteer_id)
    return _volunteer_data(db.session.execute(stmt).all(), data)


def every_volunteer(network_ids, resident_ids=()) -> list[VolunteerData]:
    """Every volunteer of the networks, unfiltered, knowing which of `resident_ids` each helped well before
    (to rank many requests of those residents against one pool)."""
    load = load_subquery()
    return build_volunteer_data(db.session.execute(_base_query(network_ids, load)).all(), resident_ids)


def _volunteer_data(rows, data: RequestData | None, all_vetted: bool = False) -> list[VolunteerData]:
    resident_ids = [data.resident_id] if data is not None and data.resident_id is not None else []
    return build_volunteer_data(rows, resident_ids, all_vetted)


# The volunteers' languages, topics and availability slots as rows of one statement (core.db.tagged_union):
# the levels as their stored text, which is what the engine compares.
DETAIL_COLUMNS = {
    "volunteer_id": Integer(),
    "code": String(),
    "number": Integer(),
    "level": String(),
    "starts": Time(),
    "ends": Time(),
}
# Volunteers whose details one statement reads: SQLite expands the ids into separate parameters, three times
# (at most 250,000 a statement here; the batch proposal for all of Belgium loads some 85,000 volunteers).
DETAILS_AT_ONCE = 20_000


def _details():
    return tagged_union(
        DETAIL_COLUMNS,
        {
            "language": (
                {
                    "volunteer_id": VolunteerLanguage.volunteer_id,
                    "code": VolunteerLanguage.language_code,
                    "level": VolunteerLanguage.level,
                },
                [in_param(VolunteerLanguage.volunteer_id, "ids")],
            ),
            "topic": (
                {
                    "volunteer_id": VolunteerTopic.volunteer_id,
                    "number": VolunteerTopic.topic_id,
                    "level": VolunteerTopic.level,
                },
                [in_param(VolunteerTopic.volunteer_id, "ids")],
            ),
            "slot": (
                {
                    "volunteer_id": AvailabilitySlot.volunteer_id,
                    "number": AvailabilitySlot.weekday,
                    "starts": AvailabilitySlot.starts,
                    "ends": AvailabilitySlot.ends,
                },
                [in_param(AvailabilitySlot.volunteer_id, "ids")],
            ),
        },
    )


def _details_of(ids):
    """The volunteers' languages, topics and availability slots, as rows of one statement
    (core.db.tagged_union) per DETAILS_AT_ONCE volunteers: (tag, volunteer id, language code, topic id or
    weekday, level, start, end)."""
    statement = built("volunteer details", _details)
    for chunk in _in_chunks(ids, DETAILS_AT_ONCE):
        yield from db.session.execute(statement, {"ids": chunk}).all()  # one fetch, not one per row


def build_volunteer_data(rows, resident_ids=(), all_vetted: bool = False) -> list[VolunteerData]:
    """Plain VolunteerData for rows of VOLUNTEER_COLUMNS + (lat, lon, load), loaded in a few batched queries.
    `helped_resident_ids` holds those of `resident_ids` the volunteer helped well before."""
    if not rows:
        return []
    ids = [row[0] for row in rows]
    languages: dict[int, dict] = {i: {} for i in ids}
    topics: dict[int, dict] = {i: {} for i in ids}
    availability: dict[int, list] = {i: [] for i in ids}
    for tag, vid, code, number, level, starts, ends in _details_of(ids):
        if tag == "language":
            languages[vid][code] = level
        elif tag == "topic":
            topics[vid][number] = level
        else:
            availability[vid].append((number, starts.hour * 60 + starts.minute, ends.hour * 60 + ends.minute))
    vetted = (
        set(ids)
        if all_vetted
        else set(db.session.scalars(_vetted_ids().where(in_ids(VettingCheck.volunteer_id, ids))))
    )
    stats = volunteer_statistics(ids, resident_ids)

    result = []
    for vid, status, radius, max_concurrent, *offered, lat, lon, load in rows:
        channels = frozenset(channel for channel, yes in zip(CHANNEL_ATTRIBUTES, offered, strict=True) if yes)
        result.append(
            VolunteerData(
                id=vid,
                latitude=lat,
                longitude=lon,
                radius_km=radius,
                active=status == VolunteerStatus.ACTIVE,
                vetted=vid in vetted,
                load=int(load),
                max_concurrent=max_concurrent,
                languages=languages[vid],
                topics=topics[vid],
                channels=channels,
                availability=tuple(availability[vid]),
                helped_resident_ids=frozenset(stats["helped"].get(vid, ())),
                recent_sessions=stats["recent"].get(vid, 0),
                helped_this_month=stats["month"].get(vid, 0),
                response_rate=stats["response"].get(vid),
            )
        )
    return result


def _in_chunks(values, size=900):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def volunteer_statistics(ids, resident_ids=()) -> dict:
    """What the engine weighs of each volunteer's past: their answers to offers (here), their sessions
    ("recent", "month": scheduling) and whom they helped ("helped": outcomes), the last two through the
    volunteer_history signal."""
    ids, now = list(ids), utcnow()
    stats = {"recent": {}, "month": {}, "helped": {}}
    for _receiver, known in volunteer_history.send(ids, resident_ids=resident_ids, now=now):
        stats.update(known)
    response = {}
    for vid, answered, total in db.session.execute(
        select(
            Offer.volunteer_id,
            func.sum(case((Offer.status.in_((OfferStatus.ACCEPTED, OfferStatus.DECLINED)), 1), else_=0)),
            func.count(),
        )
        .where(
            in_ids(Offer.volunteer_id, ids),
            Offer.direct_assignment.is_(False),
            Offer.status.in_((OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED)),
            Offer.created_at >= now - timedelta(days=180),
        )
        .group_by(Offer.volunteer_id)
    ):
        response[vid] = (answered or 0) / total if total else None
    stats["response"] = response
    return stats


def free_capacity(volunteer_ids) -> dict[int, int]:
    load = load_subquery()
    rows = db.session.execute(
        select(VolunteerProfile.id, VolunteerProfile.max_concurrent, func.coalesce(load.c.load, 0))
        .outerjoin(load, load.c.volunteer_id == VolunteerProfile.id)
        .where(in_ids(VolunteerProfile.id, volunteer_ids))
    ).all()
    return {vid: max(0, cap - int(used)) for vid, cap, used in rows}


def bulk_request_data(help_requests) -> dict[int, RequestData]:
    """RequestData for many requests with a handful of queries (the batch proposal)."""
    from sqlalchemy.orm import selectinload

    ids = [r.id for r in help_requests]
    if not ids:
        return {}
    loaded = db.session.scalars(
        select(HelpRequest)
        .where(HelpRequest.id.in_(ids))
        .options(
            selectinload(HelpRequest.topics),
            selectinload(HelpRequest.languages),
            selectinload(HelpRequest.time_windows),
            selectinload(HelpRequest.resident),
        )
    ).all()
    postcodes = {
        p.code: p
        for p in db.session.scalars(
            select(Postcode).where(Postcode.code.in_({r.resident.postcode_code for r in loaded}))
        )
    }
    asked: dict[int, set] = {}
    for chunk in _in_chunks(ids):
        for request_id, volunteer_id in db.session.execute(
            select(Offer.request_id, Offer.volunteer_id).where(Offer.request_id.in_(chunk))
        ):
            asked.setdefault(request_id, set()).add(volunteer_id)
    locations: dict[int, list] = {}
    for network_id, lat, lon, name in db.session.execute(
        select(Location.network_id, Location.latitude, Location.longitude, Location.name).where(
            Location.network_id.in_({r.network_id for r in loaded}),
            Location.active.is_(True),
            Location.latitude.is_not(None),
        )
    ):
        locations.setdefault(network_id, []).append(Point(lat, lon, name))
    return {
        r.id: _as_data(
            r, postcodes[r.resident.postcode_code], asked.get(r.id, ()), locations.get(r.network_id, ())
        )
        for r in loaded
    }


def volunteers_by_network(network_ids, resident_ids=()) -> dict[int, list[VolunteerData]]:
    """Every active, vetted volunteer with free capacity, grouped by the networks they belong to."""
    load = load_subquery()
    rows = db.session.execute(
        select(*VOLUNTEER_COLUMNS, Postcode.latitude, Postcode.longitude, func.coalesce(load.c.load, 0))
        .join(Postcode, Postcode.code == VolunteerProfile.home_postcode_code)
        .outerjoin(load, load.c.volunteer_id == VolunteerProfile.id)
        .where(
            VolunteerProfile.status == VolunteerStatus.ACTIVE,
            VolunteerProfile.id.in_(_vetted_ids()),
            func.coalesce(load.c.load, 0) < VolunteerProfile.max_concurrent,
            VolunteerProfile.user_id.in_(_members_of(network_ids)),
        )
    ).all()
    data = {v.id: v for v in build_volunteer_data(rows, resident_ids)}
    grouped: dict[int, list[VolunteerData]] = {}
    for volunteer_id, network_id in db.session.execute(
        select(VolunteerProfile.id, Membership.network_id)
        .join(Membership, Membership.user_id == VolunteerProfile.user_id)
        .where(Membership.role == Role.VOLUNTEER, Membership.network_id.in_(network_ids))
    ):
        if volunteer_id in data:
            grouped.setdefault(network_id, []).append(data[volunteer_id])
    return grouped
