"""On which dates a recurring drop-in moment takes place. Pure Python: no Flask, no SQLAlchemy.

A moment recurs on one weekday every `every_weeks` weeks, counted from its first occurrence (the first
date on or after `first_date` that falls on that weekday), until `last_date` if it has one; or, with
`week_of_month`, on the first, second, third or fourth (1-4) or the last (-1) such weekday of every month.
Belgian public holidays (from the maintained `holidays` package) and one-off cancellations (`skip_dates`)
are left out.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from ..core.time import public_holidays

WEEKS_OF_MONTH = (1, 2, 3, 4, -1)  # first, second, third, fourth, last


def _check(weekday: int, every_weeks: int, week_of_month: int | None = None) -> None:
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday}")
    if every_weeks < 1:
        raise ValueError(f"every_weeks must be 1 or more, not {every_weeks}")
    if week_of_month is not None and week_of_month not in WEEKS_OF_MONTH:
        raise ValueError(f"week_of_month must be one of {WEEKS_OF_MONTH}, not {week_of_month}")


def nth_weekday_of_month(year: int, month: int, weekday: int, week_of_month: int) -> date:
    """The first (1) ... fourth (4) or last (-1) `weekday` of that month."""
    if week_of_month == -1:
        following = date(year + month // 12, month % 12 + 1, 1)
        last_day = following - timedelta(days=1)
        return last_day - timedelta(days=(last_day.weekday() - weekday) % 7)
    return first_on_or_after(date(year, month, 1), weekday) + timedelta(weeks=week_of_month - 1)


def _monthly_dates(first_date: date, weekday: int, week_of_month: int, start: date, end: date) -> list[date]:
    start = max(start, first_date)
    year, month = start.year, start.month
    found = []
    while date(year, month, 1) <= end:
        day = nth_weekday_of_month(year, month, weekday, week_of_month)
        if start <= day <= end:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def first_on_or_after(day: date, weekday: int) -> date:
    """The first date on or after `day` that falls on `weekday` (0 = Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def pattern_dates(
    first_date: date,
    last_date: date | None,
    weekday: int,
    every_weeks: int,
    start: date,
    end: date,
    *,
    week_of_month: int | None = None,
) -> list[date]:
    """Every date of the pattern between `start` and `end` (inclusive), holidays and cancellations
    included."""
    _check(weekday, every_weeks, week_of_month)
    if last_date is not None:
        end = min(end, last_date)
    if week_of_month is not None:
        return _monthly_dates(first_date, weekday, week_of_month, start, end)
    anchor = first_on_or_after(first_date, weekday)
    start = max(start, anchor)
    if start > end:
        return []
    step = 7 * every_weeks
    steps_to_start = -(-(start - anchor).days // step)  # ceiling division
    first = anchor + timedelta(days=steps_to_start * step)
    if first > end:
        return []
    return [first + timedelta(days=n * step) for n in range((end - first).days // step + 1)]


def occurrences(
    first_date: date,
    last_date: date | None,
    weekday: int,
    every_weeks: int,
    start: date,
    end: date,
    skip_dates: Iterable[date] = (),
    *,
    skip_public_holidays: bool = True,
    week_of_month: int | None = None,
) -> list[date]:
    """The dates between `start` and `end` (inclusive) on which the moment takes place."""
    dates = pattern_dates(
        first_date, last_date, weekday, every_weeks, start, end, week_of_month=week_of_month
    )
    skipped = set(skip_dates)
    if skip_public_holidays and dates:
        skipped |= public_holidays(dates[0].year, dates[-1].year).keys()
    return [day for day in dates if day not in skipped]


def is_occurrence(
    day: date,
    first_date: date,
    last_date: date | None,
    weekday: int,
    every_weeks: int,
    skip_dates: Iterable[date] = (),
    *,
    skip_public_holidays: bool = True,
    week_of_month: int | None = None,
) -> bool:
    """Whether the moment takes place on `day`."""
    return occurrences(
        first_date,
        last_date,
        weekday,
        every_weeks,
        day,
        day,
        skip_dates,
        skip_public_holidays=skip_public_holidays,
        week_of_month=week_of_month,
    ) == [day]


def is_pattern_date(
    day: date,
    first_date: date,
    last_date: date | None,
    weekday: int,
    every_weeks: int,
    *,
    week_of_month: int | None = None,
) -> bool:
    """Whether `day` belongs to the pattern, even if it is skipped for a holiday or a cancellation."""
    return pattern_dates(
        first_date, last_date, weekday, every_weeks, day, day, week_of_month=week_of_month
    ) == [day]
