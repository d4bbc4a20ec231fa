"""Near misses on plain data: volunteers who fail exactly one waivable hard rule, with the facts that
explain it; vetting and an earlier answer are never waived."""

from digibuddy.matching import engine
from digibuddy.matching.engine import failures, near_misses
from tests.test_matching_engine import FAR, request, volunteer

SLIGHTLY_FAR = (51.1600, 3.7174)  # about 11.8 km north of the resident: 1.8 km outside a 10 km radius


def test_every_failed_rule_is_listed_with_its_facts():
    full_and_far = volunteer(load=2, where=SLIGHTLY_FAR)
    assert [reason for reason, _d in failures(request(), full_and_far)] == [engine.FULL, engine.DISTANCE]
    (full, far) = failures(request(), full_and_far)
    assert full[1] == {"load": 2, "max": 2}
    assert far[1]["radius"] == 10 and 1.5 < far[1]["km_over"] < 2.1 and far[1]["km"] > 10
    assert failures(request(), volunteer()) == []
    assert failures(request(), volunteer(topics={11: "experienced"})) == [(engine.TOPIC, {"topic_ids": [10]})]


def test_near_misses_fail_exactly_one_waivable_rule():
    pool = [
        volunteer(1, load=2),  # full: a near miss
        volunteer(2, where=SLIGHTLY_FAR),  # just outside the radius: a near miss
        volunteer(3, topics={11: "experienced"}),  # lacks the topic: a near miss
        volunteer(4, load=2, where=FAR),  # two rules: not a near miss
        volunteer(5, vetted=False),  # not vetted: never waived
        volunteer(6),  # fits: a candidate, not a near miss
        volunteer(7, languages={"nl": "native"}),  # no shared language: a near miss, scored 0
    ]
    found = near_misses(request(already_asked=frozenset({8})), pool + [volunteer(8)])
    assert {n.volunteer_id: n.reason for n in found} == {
        1: engine.FULL,
        2: engine.DISTANCE,
        3: engine.TOPIC,
        7: engine.LANGUAGE,
    }
    assert found[-1].volunteer_id == 7 and found[-1].score == 0
    assert all(n.score > 0 for n in found[:-1])
    assert next(n for n in found if n.volunteer_id == 1).detail == {"load": 2, "max": 2}
    # A volunteer who declined this request already is never a near miss (8 fits otherwise).
    assert 8 not in {n.volunteer_id for n in found}
    assert len(near_misses(request(), pool, limit=2)) == 2


def test_a_volunteer_without_the_mode_is_a_near_miss_for_that_mode():
    phone_only = volunteer(channels=frozenset({"phone"}))
    (miss,) = near_misses(request(mode="home"), [phone_only])
    assert miss.reason == engine.MODE and miss.detail == {"mode": "home"}
    assert near_misses(request(mode="phone"), [phone_only]) == []
