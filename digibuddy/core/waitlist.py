"""The waiting-list rule shared by everything with a limited number of places (drop-in dates, learning
network events). Pure Python: no Flask, no SQLAlchemy. The callers hold the lock that serialises the
places of one date or event; this module only says what must happen.

The rule:
- people on the waiting list go first, in the order they joined (earliest first, ties by id);
- someone new gets a place only when there are more free places than people waiting, otherwise they join
  the end of the list;
- whenever places are free and people wait, the first ones are promoted, as many as there are free places;
- a waiting entry ends in one way only: promoted to a place, left by the person, closed because the date
  or event has started or passed, or closed because it was cancelled.
"""

import enum
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

Entry = TypeVar("Entry")


class WaitEnd(enum.StrEnum):
    """How a waiting entry ended (stored as text by the areas that keep waiting lists)."""

    PROMOTED = "promoted"  # a place freed and the entry got it
    LEFT = "left"  # the person took themselves off the list (or staff did for them)
    EXPIRED = "expired"  # the date or event started or passed while they were still waiting
    CANCELLED = "cancelled"  # the date or event was cancelled


@dataclass(frozen=True)
class Joined:
    """The two facts that order a waiting list: when an entry joined and its id (the tie-breaker)."""

    joined_at: datetime
    id: int


def in_order(entries: Iterable[Entry], joined: Callable[[Entry], Joined]) -> list[Entry]:
    """The entries in waiting-list order: earliest joined first, ties by id."""

    def order(entry: Entry) -> tuple[datetime, int]:
        stamp = joined(entry)
        return stamp.joined_at, stamp.id

    return sorted(entries, key=order)


def free_places(capacity: int, taken: int) -> int:
    """Places still free; never negative (walk-ins may take a date beyond its capacity)."""
    return max(0, capacity - taken)


def must_wait(capacity: int, taken: int, waiting: int) -> bool:
    """Whether someone asking now joins the waiting list instead of getting a place: those already waiting
    have the first claim on every free place."""
    return free_places(capacity, taken) <= waiting


def to_promote(capacity: int, taken: int, waiting: Sequence[Entry]) -> list[Entry]:
    """The waiting entries (already in waiting-list order) that get a place now: the first ones, as many
    as there are free places."""
    return list(waiting[: free_places(capacity, taken)])


def positions(waiting: Sequence[Entry], key: Callable[[Entry], Hashable]) -> dict[Hashable, int]:
    """Each waiting entry's place in the queue, 1 for the first, keyed by `key(entry)`."""
    return {key(entry): number for number, entry in enumerate(waiting, start=1)}


def position_of(
    entry_key: Hashable, waiting: Sequence[Entry], key: Callable[[Entry], Hashable]
) -> int | None:
    """One entry's place in the queue (1 for the first), or None when it is not waiting."""
    return positions(waiting, key).get(entry_key)


def expired(starts_at: datetime, now: datetime) -> bool:
    """A waiting entry is closed once the date or event has begun: nobody is promoted into a place they
    could no longer take in time."""
    return starts_at <= now
