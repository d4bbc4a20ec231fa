"""The batch proposal's exact assignment, checked against the independent linear program."""

import random

import pytest

from digibuddy.matching.batch import optimum_by_linear_programming, propose


def random_instance(rnd: random.Random, parts: int, requests: int, volunteers: int):
    """Independent groups of requests and volunteers (as networks without overflow), plus pairs of
    score 0 or below (never assigned) and volunteers without a free place."""
    scores: dict[int, dict[int, float]] = {}
    capacity: dict[int, int] = {}
    for part in range(parts):
        volunteer_ids = [part * 1000 + v for v in range(volunteers)]
        capacity.update({v: rnd.choice([0, 1, 1, 2, 3]) for v in volunteer_ids})
        for r in range(requests):
            pairs = {v: round(rnd.uniform(-5, 100), 1) for v in rnd.sample(volunteer_ids, rnd.randint(0, 6))}
            scores[part * 1000 + r] = pairs
    return scores, capacity


@pytest.mark.parametrize("seed", range(8))
def test_the_proposal_reaches_the_linear_programs_optimum(seed):
    rnd = random.Random(seed)
    scores, capacity = random_instance(
        rnd, parts=rnd.randint(1, 6), requests=rnd.randint(1, 25), volunteers=8
    )
    proposal = propose(scores, capacity)
    assert proposal.total_score == pytest.approx(optimum_by_linear_programming(scores, capacity), abs=1e-6)
    used: dict[int, int] = {}
    for request_id, volunteer_id in proposal.assignments.items():
        assert scores[request_id][volunteer_id] > 0
        used[volunteer_id] = used.get(volunteer_id, 0) + 1
    assert all(count <= capacity[v] for v, count in used.items())
    assert proposal.total_score == pytest.approx(sum(scores[r][v] for r, v in proposal.assignments.items()))


def test_parts_that_share_a_volunteer_are_solved_together():
    # Two requests of different networks both best served by volunteer 1 (overflow), who has one place.
    scores = {1: {1: 90.0, 2: 50.0}, 2: {1: 80.0, 3: 10.0}}
    proposal = propose(scores, {1: 1, 2: 1, 3: 1})
    assert proposal.assignments == {1: 2, 2: 1} and proposal.total_score == 130.0


def test_nothing_to_propose():
    assert propose({}, {}).assignments == {}
    assert propose({1: {}, 2: {5: 0.0}}, {5: 1}).assignments == {}
