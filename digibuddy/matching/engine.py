"""Scoring and ranking volunteers for a help request.

Pure Python on plain data: imports nothing from Flask or SQLAlchemy, so it is tested on its own and
reused by the web views, the scheduled cascade, the batch proposal and the benchmark alike.

Hard constraints exclude a volunteer and name the first one that failed; the soft score (0-100) is a
weighted sum of components, each also returned as structured explanation parts that the web layer
turns into a translated sentence."""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from ..core.geo import distance_km
from ..network.steering import WEIGHT_DEFAULTS
from ..requests.enums import DAY_PARTS

# Modes (how the resident wants help) and volunteer channels share these names.
LOCATION, HOME, PHONE, VIDEO = "location", "home", "phone", "video"

# Hard-constraint reasons, in the order they are checked (the first failing one is counted).
NOT_ACTIVE = "not_active"
FULL = "full"
LANGUAGE = "language"
MODE = "mode"
DISTANCE = "distance"
TOPIC = "topic"
ALREADY_ASKED = "already_asked"
REASONS = (NOT_ACTIVE, FULL, LANGUAGE, MODE, DISTANCE, TOPIC, ALREADY_ASKED)


def reasons_note(reasons: dict) -> str | None:
    """The reasons a request was escalated as the note of its event log: "distance: 2, language: 3". The
    request's own reasons are cleared once a digibuddy is found; this note keeps them (reasons_from_note)."""
    return ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items())) or None


def reasons_from_note(note: str | None) -> dict:
    """The reasons written by reasons_note, {reason: count}; nothing for any other note."""
    found = {}
    for part in (note or "").split(","):
        name, _sep, count = part.strip().partition(": ")
        if name and count.strip().isdigit():
            found[name] = int(count)
    return found


LANGUAGE_LEVEL_SCORE = {"native": 1.0, "fluent": 0.8, "basic": 0.4}
TOPIC_LEVEL_SCORE = {"experienced": 1.0, "can_explain": 0.7}
MIN_OVERLAP_MINUTES = 60
RECENT_SESSIONS_FULL = 8  # this many sessions in the last 30 days counts as a full workload


@dataclass(frozen=True)
class Weights:
    """How much each component counts (relative: the score divides by their total). The defaults are the
    code's; the central administrator and each network may set others (network.steering)."""

    distance: float = WEIGHT_DEFAULTS["distance"]
    topics: float = WEIGHT_DEFAULTS["topics"]
    language: float = WEIGHT_DEFAULTS["language"]
    time: float = WEIGHT_DEFAULTS["time"]
    continuity: float = WEIGHT_DEFAULTS["continuity"]
    fairness: float = WEIGHT_DEFAULTS["fairness"]
    responsiveness: float = WEIGHT_DEFAULTS["responsiveness"]

    @classmethod
    def from_mapping(cls, values: dict | None) -> "Weights":
        """Weights stored per local network; unknown keys and negative values are ignored."""
        if not values:
            return cls()
        known = {
            name: float(v)
            for name, v in values.items()
            if name in cls.__dataclass_fields__ and isinstance(v, (int, float)) and v >= 0
        }
        weights = cls(**known)
        return weights if weights.total > 0 else cls()

    @cached_property
    def total(self) -> float:
        return sum(getattr(self, name) for name in self.__dataclass_fields__)

    @cached_property
    def in_component_order(self) -> tuple[float, ...]:
        """The weights in COMPONENTS order (the order in which the score adds the components up)."""
        return tuple(getattr(self, name) for name in COMPONENTS)


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    name: str = ""


@dataclass(frozen=True)
class RequestData:
    id: int
    latitude: float
    longitude: float
    mode: str
    topic_ids: frozenset[int]
    languages: frozenset[str]
    time_windows: frozenset[tuple[int, str]] = frozenset()
    resident_id: int | None = None
    already_asked: frozenset[int] = frozenset()  # volunteers who declined, let expire or were offered
    locations: tuple[Point, ...] = ()  # the network's locations, for help at a location


@dataclass(frozen=True)
class VolunteerData:
    id: int
    latitude: float
    longitude: float
    radius_km: float
    active: bool
    vetted: bool
    load: int  # accepted open requests plus pending offers
    max_concurrent: int
    languages: dict[str, str]  # code -> level
    topics: dict[int, str]  # topic id -> level
    channels: frozenset[str]
    availability: tuple[tuple[int, int, int], ...] = ()  # (weekday, start minute, end minute)
    helped_resident_ids: frozenset[int] = frozenset()  # residents they helped with a good outcome
    recent_sessions: int = 0  # sessions in the last 30 days
    helped_this_month: int = 0
    response_rate: float | None = None  # answered in time / offers received
    first_name: str = ""

    @property
    def free_capacity(self) -> int:
        return max(0, self.max_concurrent - self.load)

    @cached_property
    def available_windows(self) -> frozenset[tuple[int, str]]:
        """The (weekday, day part) windows one of their availability slots overlaps long enough."""
        return frozenset(
            (slot[0], part)
            for slot in self.availability
            for part in DAY_PARTS
            if _overlaps(slot, (slot[0], part))
        )


@dataclass
class Candidate:
    volunteer_id: int
    score: float
    components: dict[str, float]  # component -> points (0..weight)
    explanation: list[dict]
    distance_km: float | None


@dataclass
class MatchResult:
    candidates: list[Candidate]
    excluded: list[tuple[int, str]]
    reason_counts: Counter = field(default_factory=Counter)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def _nearest_location(volunteer: VolunteerData, request: RequestData) -> tuple[float, Point] | None:
    best = None
    for point in request.locations:
        km = distance_km(volunteer.latitude, volunteer.longitude, point.latitude, point.longitude)
        if best is None or km < best[0]:
            best = (km, point)
    return best


def travel_distance(
    volunteer: VolunteerData, request: RequestData, nearest_memo: dict | None = None
) -> float | None:
    """The distance that matters for this mode: to the resident's home, or to the nearest location.

    `nearest_memo` (volunteer id -> nearest location, for this request's locations) saves the work when
    many requests of one network are ranked in a row, as in the batch proposal."""
    if request.mode == HOME:
        return distance_km(volunteer.latitude, volunteer.longitude, request.latitude, request.longitude)
    if request.mode == LOCATION:
        if nearest_memo is None:
            nearest = _nearest_location(volunteer, request)
        else:
            nearest = nearest_memo.get(volunteer.id, _UNKNOWN)
            if nearest is _UNKNOWN:
                nearest = nearest_memo[volunteer.id] = _nearest_location(volunteer, request)
        return nearest[0] if nearest else None
    return None


def out_of_reach(request: RequestData, latitude: float, longitude: float, radius_km: float) -> bool:
    """Whether someone living at (latitude, longitude) is too far away for this request's mode."""
    if request.mode not in (HOME, LOCATION):
        return False
    km = travel_distance(Point(latitude, longitude), request)  # uses only the coordinates
    return km is None or km > radius_km


_UNKNOWN = object()
_NOT_NEEDED = object()


def _first_failure(request: RequestData, volunteer: VolunteerData, nearest_memo=None):
    """(the first hard constraint failed or None, the travel distance when it was needed)."""
    if not (volunteer.active and volunteer.vetted):
        return NOT_ACTIVE, _NOT_NEEDED
    if volunteer.free_capacity <= 0:
        return FULL, _NOT_NEEDED
    if not request.languages & volunteer.languages.keys():
        return LANGUAGE, _NOT_NEEDED
    if request.mode not in volunteer.channels:
        return MODE, _NOT_NEEDED
    km = None
    if request.mode in (HOME, LOCATION):
        km = travel_distance(volunteer, request, nearest_memo)
        if km is None or km > volunteer.radius_km:
            return DISTANCE, km
    if not request.topic_ids & volunteer.topics.keys():
        return TOPIC, km
    if volunteer.id in request.already_asked:
        return ALREADY_ASKED, km
    return None, km


def exclusion_reason(request: RequestData, volunteer: VolunteerData) -> str | None:
    """The first hard constraint this volunteer fails for this request, or None if they may be offered it."""
    return _first_failure(request, volunteer)[0]


def _overlaps(slot: tuple[int, int, int], window: tuple[int, str]) -> bool:
    weekday, part = window
    if slot[0] != weekday or part not in DAY_PARTS:
        return False
    start, end = DAY_PARTS[part]
    return min(end, slot[2]) - max(start, slot[1]) >= MIN_OVERLAP_MINUTES


# The soft score's components, in the order their points are added up.
COMPONENTS = ("distance", "language", "topics", "time", "continuity", "fairness", "responsiveness")


def _raw_components(request: RequestData, volunteer: VolunteerData, km, parts: list | None) -> tuple:
    """Each component's value 0..1, in COMPONENTS order, for a volunteer who passed every hard constraint;
    appends the explanation parts to `parts` unless it is None (only the score is wanted)."""
    if km is None:  # phone or video: distance does not matter
        distance = 1.0
    else:
        distance = max(0.0, 1.0 - km / max(volunteer.radius_km, 0.5))
        if parts is not None:
            parts.append({"kind": "distance", "km": round(km, 1)})

    # The best level among the shared languages; of equals, the first by code (not the first the set gives,
    # which hangs on the order the languages were read in and on the process's string hashing).
    spoken = volunteer.languages
    best_language, best_level = None, -1.0
    for code in sorted(request.languages & spoken.keys()):
        level = LANGUAGE_LEVEL_SCORE.get(spoken[code], 0)
        if level > best_level:
            best_language, best_level = code, level
    language = LANGUAGE_LEVEL_SCORE.get(spoken[best_language], 0.4)
    if parts is not None:
        parts.append({"kind": "language", "code": best_language, "level": spoken[best_language]})

    known = volunteer.topics
    covered = [(topic_id, known[topic_id]) for topic_id in sorted(request.topic_ids) if topic_id in known]
    topics = sum(TOPIC_LEVEL_SCORE.get(level, 0.5) for _t, level in covered) / len(request.topic_ids)
    if parts is not None:
        for topic_id, level in covered:
            parts.append({"kind": "topic", "topic_id": topic_id, "level": level})

    if request.time_windows:
        available = volunteer.available_windows
        if parts is None:
            matched = sum(1 for w in request.time_windows if w in available)
        else:
            matching = sorted(w for w in request.time_windows if w in available)
            matched = len(matching)
            if matching:
                parts.append({"kind": "time", "windows": [list(w) for w in matching[:2]]})
        time = matched / len(request.time_windows)
    else:
        time = 1.0

    helped_before = request.resident_id is not None and request.resident_id in volunteer.helped_resident_ids
    continuity = 1.0 if helped_before else 0.0
    if parts is not None:
        if helped_before:
            parts.append({"kind": "continuity"})
        parts.append({"kind": "helped_this_month", "count": volunteer.helped_this_month})

    load_share = volunteer.load / volunteer.max_concurrent if volunteer.max_concurrent else 1.0
    recency = min(1.0, volunteer.recent_sessions / RECENT_SESSIONS_FULL)
    fairness = max(0.0, 1.0 - (0.6 * load_share + 0.4 * recency))

    responsiveness = 0.5 if volunteer.response_rate is None else max(0.0, min(1.0, volunteer.response_rate))
    return distance, language, topics, time, continuity, fairness, responsiveness


def _points(raw: tuple, weights: Weights) -> list[float]:
    """Each component's points: its value times its share of the weights, out of 100, to two decimals."""
    total = weights.total
    return [
        round(weight * value * 100 / total, 2)
        for weight, value in zip(weights.in_component_order, raw, strict=True)
    ]


def score(
    request: RequestData, volunteer: VolunteerData, weights: Weights = Weights(), km=_NOT_NEEDED
) -> Candidate:
    """Score a volunteer who passed every hard constraint; components are 0..1 times their weight.
    `km` is the travel distance when the caller already knows it."""
    if km is _NOT_NEEDED:
        km = travel_distance(volunteer, request)
    parts: list[dict] = []
    points = _points(_raw_components(request, volunteer, km, parts), weights)
    return Candidate(
        volunteer_id=volunteer.id,
        score=round(sum(points), 1),
        components=dict(zip(COMPONENTS, points, strict=True)),
        explanation=parts,
        distance_km=km,
    )


class Scored(NamedTuple):
    """A candidate's score only, for ranking many requests at once (the batch proposal)."""

    volunteer_id: int
    score: float
    distance_km: float | None


def _best_first(candidate) -> tuple:
    return (
        -candidate.score,
        candidate.distance_km if candidate.distance_km is not None else 0,
        candidate.volunteer_id,
    )


def rank(
    request: RequestData,
    volunteers,
    weights: Weights = Weights(),
    limit: int | None = None,
    distance_memo: dict | None = None,
) -> MatchResult:
    """Every volunteer either ranked (best first) or excluded with the hard constraint that excluded them.

    Pass the same `distance_memo` (a dict) when ranking many requests in a row: distances to a set of
    locations are then computed once per volunteer instead of once per request."""
    fitting, excluded = [], []
    counts: Counter = Counter()
    nearest_memo = None
    if distance_memo is not None and request.mode == LOCATION:
        nearest_memo = distance_memo.setdefault(request.locations, {})
    for volunteer in volunteers:
        reason, km = _first_failure(request, volunteer, nearest_memo)
        if reason is None:
            fitting.append((volunteer, km))
        else:
            excluded.append((volunteer.id, reason))
            counts[reason] += 1
    if limit and limit < len(fitting):
        # Only the first `limit` are kept: rank everyone by their score alone, as rank_scores does, and
        # explain only those kept (the same score, so the same order and the same candidates).
        scored = [(_score_only(request, volunteer, weights, km), volunteer) for volunteer, km in fitting]
        scored.sort(key=lambda pair: _best_first(pair[0]))
        candidates = [score(request, volunteer, weights, s.distance_km) for s, volunteer in scored[:limit]]
    else:
        candidates = sorted(
            (score(request, volunteer, weights, km) for volunteer, km in fitting), key=_best_first
        )
    return MatchResult(candidates=candidates, excluded=excluded, reason_counts=counts)


def _score_only(request: RequestData, volunteer: VolunteerData, weights: Weights, km) -> Scored:
    """The score `score` gives this volunteer, without building the explanation."""
    points = _points(_raw_components(request, volunteer, km, None), weights)
    return Scored(volunteer.id, round(sum(points), 1), km)


def rank_scores(
    request: RequestData, volunteers, weights: Weights = Weights(), distance_memo: dict | None = None
) -> list[Scored]:
    """The candidates as `rank` finds them, best first in the same order with the same scores, without the
    explanations and without counting why the others were left out: for the batch proposal, which scores
    every feasible pair."""
    nearest_memo = None
    if distance_memo is not None and request.mode == LOCATION:
        nearest_memo = distance_memo.setdefault(request.locations, {})
    found = []
    for volunteer in volunteers:
        reason, km = _first_failure(request, volunteer, nearest_memo)
        if reason is None:
            found.append(_score_only(request, volunteer, weights, km))
    found.sort(key=_best_first)
    return found


class PoolIndex:
    """A pool of volunteers indexed by language, topic and channel, for ranking many requests against one
    pool.

    `shortlist` keeps only the volunteers who share a language and a topic with the request and offer its
    mode, in pool order: everybody else fails a hard constraint anyway. Use it when only the candidates
    matter (the batch proposal); the exclusion reasons of the others are then not counted."""

    def __init__(self, volunteers):
        self.volunteers = list(volunteers)
        self.by_language: dict[str, set[int]] = {}  # positions in the pool
        self.by_topic: dict[int, set[int]] = {}
        self.by_channel: dict[str, set[int]] = {}
        for position, volunteer in enumerate(self.volunteers):
            for code in volunteer.languages:
                self.by_language.setdefault(code, set()).add(position)
            for topic_id in volunteer.topics:
                self.by_topic.setdefault(topic_id, set()).add(position)
            for channel in volunteer.channels:
                self.by_channel.setdefault(channel, set()).add(position)

    def shortlist(self, request: RequestData) -> list[VolunteerData]:
        offering = self.by_channel.get(request.mode)
        speaking = set().union(*(self.by_language.get(code, ()) for code in request.languages))
        if not speaking or not offering:
            return []
        fitting = speaking & offering
        fitting &= set().union(*(self.by_topic.get(topic_id, ()) for topic_id in request.topic_ids))
        return [self.volunteers[position] for position in sorted(fitting)]


# ----------------------------------------------------------------------------------------------- near misses
# A near miss fails exactly one of these rules; a coordinator may offer or assign the request anyway.
# Vetting and "already asked" are never waived: they protect residents and respect a volunteer's answer.
WAIVABLE = (FULL, LANGUAGE, MODE, DISTANCE, TOPIC)


@dataclass
class NearMiss:
    volunteer_id: int
    reason: str
    detail: dict  # what the sentence needs: {"load": 4, "max": 4}, {"km_over": 3.1}, {"topic_ids": [...]}
    score: float  # the soft score as if the rule were met (0 when no language is shared)
    distance_km: float | None


def failures(request: RequestData, volunteer: VolunteerData) -> list[tuple[str, dict]]:
    """Every hard constraint this volunteer fails, each with the facts that explain it, in checking order."""
    failed = []
    if not (volunteer.active and volunteer.vetted):
        failed.append((NOT_ACTIVE, {}))
    if volunteer.free_capacity <= 0:
        failed.append((FULL, {"load": volunteer.load, "max": volunteer.max_concurrent}))
    if not request.languages & volunteer.languages.keys():
        failed.append((LANGUAGE, {"languages": sorted(request.languages)}))
    if request.mode not in volunteer.channels:
        failed.append((MODE, {"mode": request.mode}))
    km = travel_distance(volunteer, request) if request.mode in (HOME, LOCATION) else None
    if request.mode in (HOME, LOCATION) and (km is None or km > volunteer.radius_km):
        detail = {"radius": volunteer.radius_km}
        if km is not None:
            detail.update(km=round(km, 1), km_over=round(km - volunteer.radius_km, 1))
        failed.append((DISTANCE, detail))
    if not request.topic_ids & volunteer.topics.keys():
        failed.append((TOPIC, {"topic_ids": sorted(request.topic_ids)}))
    if volunteer.id in request.already_asked:
        failed.append((ALREADY_ASKED, {}))
    return failed


def near_misses(
    request: RequestData, volunteers, weights: Weights = Weights(), limit: int = 10
) -> list[NearMiss]:
    """Volunteers who fail exactly one waivable hard rule, best first: the people a coordinator can still
    ask when nobody fits."""
    found = []
    for volunteer in volunteers:
        failed = failures(request, volunteer)
        if len(failed) != 1 or failed[0][0] not in WAIVABLE:
            continue
        reason, detail = failed[0]
        km = travel_distance(volunteer, request)
        points = 0.0
        if request.languages & volunteer.languages.keys() and request.topic_ids:
            points = _score_only(request, volunteer, weights, km).score  # the score, not its explanation
        found.append(NearMiss(volunteer.id, reason, detail, points, km))
    found.sort(key=lambda n: (-n.score, n.distance_km if n.distance_km is not None else 0, n.volunteer_id))
    return found[:limit]
