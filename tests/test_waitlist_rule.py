"""The waiting-list rule on its own: who goes first, who gets a freed place, who must wait."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from digibuddy.core.waitlist import (
    Joined,
    WaitEnd,
    expired,
    free_places,
    in_order,
    must_wait,
    position_of,
    positions,
    to_promote,
)

NOON = datetime(2026, 3, 3, 12, 0)


@dataclass
class Entry:
    id: int
    joined_at: datetime


def joined(entry: Entry) -> Joined:
    return Joined(entry.joined_at, entry.id)


def queue(*minutes_and_ids):
    return [Entry(entry_id, NOON + timedelta(minutes=minutes)) for minutes, entry_id in minutes_and_ids]


def test_earliest_joined_goes_first_and_ties_go_by_id():
    entries = queue((5, 1), (0, 7), (5, 3), (2, 9))
    assert [entry.id for entry in in_order(entries, joined)] == [7, 9, 1, 3]


def test_free_places_never_negative_when_walk_ins_fill_beyond_capacity():
    assert free_places(8, 3) == 5
    assert free_places(8, 8) == 0
    assert free_places(8, 11) == 0


@pytest.mark.parametrize(
    ("capacity", "taken", "waiting", "waits"),
    [
        (8, 7, 0, False),  # one place free, nobody waiting: book it
        (8, 8, 0, True),  # full
        (8, 10, 0, True),  # beyond capacity through walk-ins
        (8, 7, 1, True),  # the free place belongs to the one already waiting
        (8, 6, 1, False),  # two free, one waiting: one left for the newcomer
        (8, 5, 3, True),
    ],
)
def test_someone_new_waits_unless_more_places_are_free_than_people_waiting(capacity, taken, waiting, waits):
    assert must_wait(capacity, taken, waiting) is waits


def test_one_freed_place_promotes_the_first_in_line_only():
    waiting = in_order(queue((3, 2), (1, 1), (9, 3)), joined)
    assert [entry.id for entry in to_promote(8, 7, waiting)] == [1]


def test_capacity_raised_by_three_promotes_the_first_three():
    waiting = in_order(queue((0, 1), (1, 2), (2, 3), (3, 4), (4, 5)), joined)
    assert [entry.id for entry in to_promote(11, 8, waiting)] == [1, 2, 3]


def test_nobody_promoted_while_full_or_over_capacity():
    waiting = queue((0, 1))
    assert to_promote(8, 8, waiting) == []
    assert to_promote(8, 12, waiting) == []
    assert to_promote(8, 3, []) == []


def test_more_free_places_than_waiting_promotes_everyone():
    waiting = queue((0, 1), (1, 2))
    assert [entry.id for entry in to_promote(8, 0, waiting)] == [1, 2]


def test_positions_count_from_one_in_queue_order():
    waiting = in_order(queue((4, 30), (0, 10), (2, 20)), joined)
    assert positions(waiting, key=lambda entry: entry.id) == {10: 1, 20: 2, 30: 3}
    assert position_of(30, waiting, key=lambda entry: entry.id) == 3
    assert position_of(99, waiting, key=lambda entry: entry.id) is None


def test_positions_move_up_after_a_promotion():
    waiting = in_order(queue((0, 1), (1, 2), (2, 3)), joined)
    promoted = to_promote(8, 7, waiting)
    still_waiting = [entry for entry in waiting if entry not in promoted]
    assert position_of(3, still_waiting, key=lambda entry: entry.id) == 2


def test_waiting_closes_when_the_date_begins():
    assert not expired(NOON, NOON - timedelta(minutes=1))
    assert expired(NOON, NOON)
    assert expired(NOON, NOON + timedelta(days=1))


def test_the_ways_a_wait_ends_are_stored_as_text():
    assert {end.value for end in WaitEnd} == {"promoted", "left", "expired", "cancelled"}
    assert WaitEnd("left") is WaitEnd.LEFT
