"""The rules of the dashboards' roll-ups, on plain data: which bucket a row belongs to (its network and its
Brussels calendar day), waiting times at minute resolution, histograms and their exact quantiles, and how a
set of changed days becomes a few ranges to recompute.

Pure Python: imports nothing from Flask or SQLAlchemy. rollups.py keeps the roll-up tables with these rules
and queries.py calculates the same figures from the raw rows with the same definitions, so both agree
exactly (tests/test_rollups.py compares them on random data)."""

import calendar
import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from ..core.time import to_local
from . import stats


# ----------------------------------------------------------------------------------------------- buckets
def local_day(utc: datetime) -> date:
    """The Brussels calendar day of a naive UTC instant: the day a row is counted on."""
    return to_local(utc).date()


def offset_changes(first: date, last: date) -> tuple[int, list[tuple[datetime, int]]]:
    """Brussels' offset from UTC, in hours, for the instants of the days first..last: (the offset at the
    start, [(UTC instant from which the offset changes, new offset)]). The database has no time zones
    (SQLite), so the SQL that puts a timestamp on its local day adds these offsets piecewise."""
    start = stats.local_midnight_utc(first)

    def offset(utc: datetime) -> int:
        return round((to_local(utc) - utc) / timedelta(hours=1))

    current = offset(start)
    changes = []
    day = start
    end = stats.local_midnight_utc(last + timedelta(days=1))
    while day < end:
        following = day + timedelta(days=1)
        if offset(following) != current:
            hour = day
            while offset(hour) == current:
                hour += timedelta(hours=1)
            current = offset(hour)
            changes.append((hour, current))
        day = following
    return offset(start), changes


def minute_index(utc: datetime) -> int:
    """Whole minutes since 1970 of a naive UTC instant (seconds and their fractions dropped)."""
    return calendar.timegm(utc.timetuple()) // 60


def wait_minutes(later: datetime | None, earlier: datetime) -> int | None:
    """A waiting time at minute resolution: the minutes from the minute of `earlier` to the minute of
    `later` (both truncated to the minute). None when the step was not reached."""
    if later is None:
        return None
    return minute_index(later) - minute_index(earlier)


def day_intervals(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days merged into inclusive ranges [(first, last)], in order."""
    found: list[list[date]] = []
    for day in sorted(set(days)):
        if found and day == found[-1][1] + timedelta(days=1):
            found[-1][1] = day
        else:
            found.append([day, day])
    return [(first, last) for first, last in found]


def month_index(day: date, month_starts: list[date]) -> int:
    """0-based index of the calendar month of the range (`month_starts`: the first day of every month it
    touches) that holds `day`."""
    index = 0
    for position, start in enumerate(month_starts[1:], start=1):
        if day >= start:
            index = position
    return index


# ----------------------------------------------------------------------------------------------- bitmasks
# Which days of a month, and which months of a year, a volunteer was active in: bit d - 1 for day d of the
# month (at most 31 bits), bit m - 1 for month m of the year (12 bits).
ALL_MONTHS = (1 << 12) - 1


def day_bits(low: date, high: date) -> int:
    """The bitmask of the days low..high (high excluded) of one month."""
    return sum(1 << (day - 1) for day in range(low.day, low.day + (high - low).days))


def month_bits(months: Iterable[date]) -> int:
    """The bitmask of the months (of one year) of these days."""
    return sum({1 << (day.month - 1) for day in months})


# ----------------------------------------------------------------------------------------------- histograms
def merge_histograms(*histograms: dict) -> dict:
    """{value: count} histograms added together (the histogram of the union of their values)."""
    found: dict = {}
    for histogram in histograms:
        for value, count in histogram.items():
            if count:
                found[value] = found.get(value, 0) + count
    return found


def quantile_ranks(total: int, q: float) -> tuple[float, int, int]:
    """Where the q-quantile of `total` sorted values lies: (position q * (total - 1), the rank below, the
    rank above), ranks 0-based. The definition of stats.percentile (PostgreSQL's percentile_cont)."""
    position = q * (total - 1)
    return position, math.floor(position), math.ceil(position)


def value_at_rank(cumulative: list[tuple[int, int, int]], rank: int) -> int:
    """The value of 0-based `rank` from [(value, first rank, last rank)] rows of a sorted histogram."""
    for value, first, last in cumulative:
        if first <= rank <= last:
            return value
    raise ValueError(f"rank {rank} is not covered")


def quantile_from_ranks(cumulative: list[tuple[int, int, int]], total: int, q: float) -> float | None:
    """The q-quantile of a histogram given as [(value, first rank, last rank)] rows (at least those holding
    the two ranks around the quantile); None for no values."""
    if not total:
        return None
    position, low, high = quantile_ranks(total, q)
    return stats.interpolate(value_at_rank(cumulative, low), value_at_rank(cumulative, high), position)


def cumulative(histogram: dict) -> list[tuple[int, int, int]]:
    """A {value: count} histogram as [(value, first rank, last rank)] rows in value order."""
    rows, seen = [], 0
    for value in sorted(histogram):
        count = histogram[value]
        if count:
            rows.append((value, seen, seen + count - 1))
            seen += count
    return rows


def histogram_quantile(histogram: dict, q: float) -> float | None:
    """The exact q-quantile of the values a {value: count} histogram holds, as stats.percentile gives it
    for the values themselves."""
    return quantile_from_ranks(cumulative(histogram), sum(histogram.values()), q)


def minutes_as_seconds(minutes: float | None) -> float | None:
    """A waiting time (or its quantile) in minutes as the seconds the figures show."""
    return None if minutes is None else minutes * 60.0
