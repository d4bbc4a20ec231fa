"""The pure matching engine: every hard constraint and every score component on its own."""

import subprocess
import sys

import pytest

from digibuddy.matching import engine
from digibuddy.matching.engine import (
    Point,
    RequestData,
    VolunteerData,
    Weights,
    exclusion_reason,
    rank,
    rank_scores,
    score,
)

GENT = (51.0543, 3.7174)
NEAR = (51.0700, 3.7300)  # about 2 km from GENT
FAR = (51.2194, 4.4025)  # Antwerpen, about 50 km


def request(**overrides) -> RequestData:
    values = {
        "id": 1,
        "latitude": GENT[0],
        "longitude": GENT[1],
        "mode": "home",
        "topic_ids": frozenset({10}),
        "languages": frozenset({"ar"}),
        "resident_id": 7,
        "locations": (Point(GENT[0], GENT[1], "Bibliotheek"),),
    }
    values.update(overrides)
    return RequestData(**values)


def volunteer(id=1, where=NEAR, **overrides) -> VolunteerData:
    values = {
        "id": id,
        "latitude": where[0],
        "longitude": where[1],
        "radius_km": 10,
        "active": True,
        "vetted": True,
        "load": 0,
        "max_concurrent": 2,
        "languages": {"ar": "native", "nl": "fluent"},
        "topics": {10: "experienced"},
        "channels": frozenset({"home", "location", "phone", "video"}),
    }
    values.update(overrides)
    return VolunteerData(**values)


def test_engine_imports_neither_flask_nor_sqlalchemy():
    code = (
        "import sys, digibuddy.matching.engine, digibuddy.matching.batch; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_fitting_volunteer_is_a_candidate():
    assert exclusion_reason(request(), volunteer()) is None


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"active": False}, engine.NOT_ACTIVE),
        ({"vetted": False}, engine.NOT_ACTIVE),
        ({"load": 2}, engine.FULL),
        ({"languages": {"nl": "native"}}, engine.LANGUAGE),
        ({"channels": frozenset({"phone"})}, engine.MODE),
        ({"where": FAR}, engine.DISTANCE),
        ({"topics": {11: "experienced"}}, engine.TOPIC),
    ],
)
def test_each_hard_constraint_excludes_with_its_reason(changes, reason):
    where = changes.pop("where", NEAR)
    assert exclusion_reason(request(), volunteer(where=where, **changes)) == reason


def test_already_asked_volunteer_is_excluded():
    assert exclusion_reason(request(already_asked=frozenset({1})), volunteer()) == engine.ALREADY_ASKED


def test_home_visit_uses_the_resident_distance_and_radius():
    assert exclusion_reason(request(), volunteer(radius_km=1)) == engine.DISTANCE
    assert exclusion_reason(request(), volunteer(radius_km=3)) is None


def test_location_help_needs_a_network_location_within_the_radius():
    far_location = request(mode="location", locations=(Point(FAR[0], FAR[1], "Antwerpen"),))
    assert exclusion_reason(far_location, volunteer()) == engine.DISTANCE
    assert exclusion_reason(request(mode="location", locations=()), volunteer()) == engine.DISTANCE
    assert exclusion_reason(request(mode="location"), volunteer()) is None


def test_phone_and_video_ignore_distance():
    assert exclusion_reason(request(mode="phone"), volunteer(where=FAR)) is None
    assert score(request(mode="video"), volunteer(where=FAR)).distance_km is None


def test_distance_component_prefers_the_closer_volunteer():
    weights = Weights(distance=1, topics=0, language=0, time=0, continuity=0, fairness=0, responsiveness=0)
    near = score(request(), volunteer(where=NEAR), weights)
    nearer = score(request(), volunteer(where=(51.056, 3.719)), weights)
    assert nearer.score > near.score > 0
    assert near.explanation[0] == {"kind": "distance", "km": pytest.approx(1.9, abs=0.3)}


def only(component):
    return Weights(**{name: (1 if name == component else 0) for name in Weights.__dataclass_fields__})


def test_topic_component_counts_coverage_and_level():
    two_topics = request(topic_ids=frozenset({10, 11}))
    both = score(two_topics, volunteer(topics={10: "experienced", 11: "experienced"}), only("topics"))
    one = score(two_topics, volunteer(topics={10: "experienced"}), only("topics"))
    explains = score(two_topics, volunteer(topics={10: "can_explain"}), only("topics"))
    assert both.score == 100 and one.score == 50 and explains.score == 35


def test_language_component_uses_the_best_shared_level():
    assert score(request(), volunteer(languages={"ar": "native"}), only("language")).score == 100
    assert score(request(), volunteer(languages={"ar": "basic"}), only("language")).score == 40
    multi = request(languages=frozenset({"ar", "fr"}))
    best = score(multi, volunteer(languages={"ar": "basic", "fr": "native"}), only("language"))
    assert best.score == 100 and {"kind": "language", "code": "fr", "level": "native"} in best.explanation


def test_of_equally_spoken_languages_the_explanation_names_the_first_by_code():
    """Not the first the set gives, which hangs on the order the languages were read in and on the string
    hashing of the process: the same request explains the same on every page and in every worker."""
    codes = ["uk", "tr", "nl", "fr", "en", "de", "ar"]
    for order in (codes, codes[::-1], codes[3:] + codes[:3]):
        asked = request(languages=frozenset(order))
        found = score(asked, volunteer(languages=dict.fromkeys(reversed(order), "fluent")))
        assert {"kind": "language", "code": "ar", "level": "fluent"} in found.explanation


def test_time_component_is_the_share_of_the_residents_windows_covered():
    windows = frozenset({(1, "morning"), (3, "afternoon")})
    tuesday_morning = ((1, 9 * 60, 12 * 60),)
    half = score(request(time_windows=windows), volunteer(availability=tuesday_morning), only("time"))
    assert half.score == 50
    assert {"kind": "time", "windows": [[1, "morning"]]} in half.explanation
    short = ((1, 11 * 60 + 30, 12 * 60),)  # only 30 minutes overlap: not enough
    assert score(request(time_windows=windows), volunteer(availability=short), only("time")).score == 0
    assert score(request(), volunteer(), only("time")).score == 100  # no windows given: any time


def test_continuity_component_rewards_having_helped_this_resident():
    assert score(request(), volunteer(helped_resident_ids=frozenset({7})), only("continuity")).score == 100
    assert score(request(), volunteer(), only("continuity")).score == 0


def test_fairness_component_prefers_fewer_active_requests_and_recent_sessions():
    idle = score(request(), volunteer(load=0, recent_sessions=0), only("fairness")).score
    busy = score(request(), volunteer(load=1, recent_sessions=4), only("fairness")).score
    assert idle == 100 and busy < idle


def test_responsiveness_component():
    assert score(request(), volunteer(response_rate=1.0), only("responsiveness")).score == 100
    assert score(request(), volunteer(response_rate=None), only("responsiveness")).score == 50


def test_score_is_between_0_and_100_and_components_add_up():
    candidate = score(
        request(time_windows=frozenset({(1, "morning")})),
        volunteer(availability=((1, 540, 720),), helped_resident_ids=frozenset({7}), response_rate=1),
    )
    assert 0 <= candidate.score <= 100
    assert candidate.score == pytest.approx(sum(candidate.components.values()), abs=0.1)


def test_rank_orders_candidates_and_counts_reasons():
    volunteers = [
        volunteer(1, where=NEAR),
        volunteer(2, where=(51.056, 3.719)),
        volunteer(3, where=FAR),
        volunteer(4, languages={"nl": "native"}),
        volunteer(5, languages={"fr": "native"}),
        volunteer(6, load=2),
    ]
    result = rank(request(), volunteers)
    assert [c.volunteer_id for c in result.candidates] == [2, 1]
    assert result.reason_counts == {engine.LANGUAGE: 2, engine.DISTANCE: 1, engine.FULL: 1}
    assert sorted(result.excluded) == [
        (3, engine.DISTANCE),
        (4, engine.LANGUAGE),
        (5, engine.LANGUAGE),
        (6, engine.FULL),
    ]


def test_weights_come_from_network_settings_safely():
    assert Weights.from_mapping({"distance": 50, "bogus": 3, "topics": -1}).distance == 50
    assert Weights.from_mapping({"distance": 50, "topics": -1}).topics == Weights().topics
    zero = dict.fromkeys(Weights.__dataclass_fields__, 0)
    assert Weights.from_mapping(zero) == Weights()


def test_a_shared_distance_memo_changes_no_result():
    """The batch proposal reuses distances to a network's locations across requests: same outcome."""
    locations = (Point(GENT[0], GENT[1], "Bibliotheek"), Point(FAR[0], FAR[1], "Stadhuis"))
    pool = [
        volunteer(1),
        volunteer(2, where=FAR),
        volunteer(3, where=(51.5, 5.0)),
        volunteer(4, radius_km=1),
        volunteer(5, channels=frozenset({"phone"})),
    ]
    requests = [
        request(id=n, mode=mode, locations=locations, topic_ids=frozenset({10}))
        for n, mode in enumerate(["location", "location", "home", "phone", "location"], start=1)
    ]
    memo: dict = {}
    for one in requests:
        alone, shared = rank(one, pool), rank(one, pool, distance_memo=memo)
        assert [(c.volunteer_id, c.score, c.distance_km) for c in shared.candidates] == [
            (c.volunteer_id, c.score, c.distance_km) for c in alone.candidates
        ]
        assert shared.excluded == alone.excluded
    assert set(memo) == {locations} and set(memo[locations]) == {1, 2, 3, 4}


def test_the_shortlist_keeps_every_candidate_and_drops_only_those_who_cannot_fit():
    pool = [
        volunteer(1),
        volunteer(2, languages={"nl": "native"}),
        volunteer(3, topics={11: "experienced"}),
        volunteer(4, languages={"ar": "basic"}, topics={10: "can_explain", 12: "experienced"}),
        volunteer(5, where=FAR),
        volunteer(6, channels=frozenset({"phone"})),
    ]
    index = engine.PoolIndex(pool)
    for one in (
        request(),
        request(mode="phone"),
        request(languages=frozenset({"nl", "ar"})),
        request(topic_ids=frozenset({11, 12})),
        request(languages=frozenset({"ti"})),
    ):
        shortlisted = index.shortlist(one)
        assert [c.volunteer_id for c in rank(one, shortlisted).candidates] == [
            c.volunteer_id for c in rank(one, pool).candidates
        ]
        dropped = {v.id for v in pool} - {v.id for v in shortlisted}
        for v in pool:
            if v.id in dropped:  # never a candidate: no shared language or topic, or not the mode
                assert exclusion_reason(one, v) is not None
                assert (
                    not (one.languages & v.languages.keys())
                    or not (one.topic_ids & v.topics.keys())
                    or one.mode not in v.channels
                )
    assert [v.id for v in index.shortlist(request(topic_ids=frozenset({11, 12})))] == [3, 4]
    assert [v.id for v in index.shortlist(request(mode="phone"))] == [1, 4, 5, 6]
    assert [v.id for v in index.shortlist(request(mode="video"))] == [1, 4, 5]


def test_rank_scores_finds_the_candidates_of_rank_in_its_order_with_its_scores():
    """The batch proposal scores without explanations: the same candidates, scores and order as rank; so does
    rank itself when only its first candidates are wanted."""
    import random

    rnd = random.Random(12)
    locations = (Point(GENT[0], GENT[1], "Bibliotheek"), Point(51.1, 3.8, "Dienstencentrum"))
    levels = ["native", "fluent", "basic"]
    pool = []
    for n in range(1, 121):
        pool.append(
            volunteer(
                n,
                where=(GENT[0] + rnd.uniform(-0.15, 0.15), GENT[1] + rnd.uniform(-0.2, 0.2)),
                radius_km=rnd.choice([3, 5, 10, 20]),
                load=rnd.randint(0, 2),
                max_concurrent=rnd.randint(1, 3),
                languages={code: rnd.choice(levels) for code in rnd.sample(["ar", "nl", "fr", "tr"], 2)},
                topics={t: rnd.choice(["can_explain", "experienced"]) for t in rnd.sample(range(10, 16), 3)},
                channels=frozenset(rnd.sample(["home", "location", "phone", "video"], rnd.randint(1, 4))),
                availability=((rnd.randrange(7), 9 * 60, 12 * 60), (rnd.randrange(7), 13 * 60, 17 * 60)),
                helped_resident_ids=frozenset({7}) if n % 9 == 0 else frozenset(),
                recent_sessions=rnd.randint(0, 10),
                response_rate=rnd.choice([None, 0.3, 1.0]),
                active=n % 17 != 0,
            )
        )
    weights = Weights(distance=3, topics=2, language=1, time=1, continuity=2, fairness=1, responsiveness=1)
    memo: dict = {}
    for n in range(60):
        one = request(
            id=n,
            mode=rnd.choice(["home", "location", "phone", "video"]),
            languages=frozenset(rnd.sample(["ar", "nl", "fr"], rnd.randint(1, 2))),
            topic_ids=frozenset(rnd.sample(range(10, 16), rnd.randint(1, 3))),
            time_windows=frozenset({(rnd.randrange(7), "morning"), (rnd.randrange(7), "afternoon")}),
            already_asked=frozenset({3, 4}),
            locations=locations,
        )
        for w in (Weights(), weights):
            ranked = rank(one, pool, w)
            expected = [(c.volunteer_id, c.score, c.distance_km) for c in ranked.candidates]
            assert [tuple(s) for s in rank_scores(one, pool, w, distance_memo=memo)] == expected
            # With a limit, rank explains only the candidates it keeps: the first ones of all, the same in
            # every field (components, explanation).
            for limit in (1, 3):
                first = rank(one, pool, w, limit=limit)
                assert first.candidates == ranked.candidates[:limit]
                assert (first.excluded, first.reason_counts) == (ranked.excluded, ranked.reason_counts)
            assert [tuple(s) for s in rank_scores(one, pool, w)] == expected
