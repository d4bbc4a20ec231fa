"""The rules a help session must keep. Pure Python (no Flask, no SQLAlchemy), on local wall-clock times
in Europe/Brussels. Each rule returns a problem code; some may be overridden by a coordinator with a
reason."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..core.time import public_holiday_name
from ..requests.enums import DAY_PARTS

PAST = "past"
ENDS_BEFORE_START = "ends_before_start"
TOO_LONG = "too_long"
DOUBLE_BOOKED = "double_booked"
OUTSIDE_OPENING_HOURS = "outside_opening_hours"
PUBLIC_HOLIDAY = "public_holiday"
OVERRIDABLE = frozenset({OUTSIDE_OPENING_HOURS, PUBLIC_HOLIDAY})
MAX_SESSION_HOURS = 8


@dataclass(frozen=True)
class Problem:
    code: str
    detail: str = ""

    @property
    def overridable(self) -> bool:
        return self.code in OVERRIDABLE


def check_session(
    start: datetime,
    end: datetime,
    *,
    now_local: datetime,
    other_sessions: list[tuple[datetime, datetime]] = (),
    opening_hours: list[tuple[int, time, time]] | None = None,
) -> list[Problem]:
    """Problems with a session from `start` to `end` (local times). `other_sessions` are the volunteer's
    planned sessions; `opening_hours` the location's (weekday, opens, closes), None when not at a location."""
    problems = []
    if end <= start:
        return [Problem(ENDS_BEFORE_START)]
    if (end - start).total_seconds() > MAX_SESSION_HOURS * 3600:
        problems.append(Problem(TOO_LONG))
    if start < now_local:
        problems.append(Problem(PAST))
    for other_start, other_end in other_sessions:
        if start < other_end and other_start < end:
            problems.append(Problem(DOUBLE_BOOKED, f"{other_start:%H:%M}-{other_end:%H:%M}"))
            break
    if opening_hours is not None:
        open_that_day = [(o, c) for weekday, o, c in opening_hours if weekday == start.weekday()]
        if start.date() != end.date() or not any(
            o <= start.time() and end.time() <= c for o, c in open_that_day
        ):
            problems.append(Problem(OUTSIDE_OPENING_HOURS))
    holiday = public_holiday_name(start.date())
    if holiday:
        problems.append(Problem(PUBLIC_HOLIDAY, holiday))
    return problems


def blocking(problems: list[Problem], override_reason: str | None) -> list[Problem]:
    """The problems that still stop the session: overridable ones are accepted with a reason."""
    reason = (override_reason or "").strip()
    return [p for p in problems if not (p.overridable and reason)]


# ----------------------------------------------------------------------------------------------- proposals
Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class DayFacts:
    """What a planner must see for one day (local times): when the location is open (None: not at a
    location), the resident's preferred windows and the volunteer's availability (None: they gave no times
    at all, so they do not restrict), the volunteer's appointments and a public holiday."""

    day: date
    opening: list[Interval] | None
    resident: list[Interval] | None
    volunteer: list[Interval] | None
    busy: list[Interval]
    holiday: str | None


def _on(day: date, start: time, end: time) -> Interval:
    return datetime.combine(day, start), datetime.combine(day, end)


def _intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    result = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                result.append((start, end))
    return sorted(result)


def day_facts(
    day: date,
    *,
    opening_hours: list[tuple[int, time, time]] | None,
    resident_windows: list[tuple[int, str]],
    availability: list[tuple[int, time, time]],
    busy: list[Interval],
    language: str | None = None,
) -> DayFacts:
    """The facts of `day`: `opening_hours` (weekday, opens, closes) or None when not at a location;
    `resident_windows` (weekday, day part) as chosen on the request form; `availability` the volunteer's
    weekly slots (weekday, starts, ends); `busy` the volunteer's planned sessions."""
    weekday = day.weekday()
    windows = []
    for window_day, part in resident_windows:
        if window_day == weekday and part in DAY_PARTS:
            first, last = DAY_PARTS[part]
            windows.append(_on(day, time(first // 60, first % 60), time(last // 60, last % 60)))
    return DayFacts(
        day=day,
        opening=None
        if opening_hours is None
        else sorted(_on(day, o, c) for d, o, c in opening_hours if d == weekday),
        resident=_merge(windows) if resident_windows else None,
        volunteer=sorted(_on(day, s, e) for d, s, e in availability if d == weekday)
        if availability
        else None,
        busy=sorted((s, e) for s, e in busy if s.date() <= day <= e.date()),
        holiday=public_holiday_name(day, language),
    )


def _merge(intervals: list[Interval]) -> list[Interval]:
    """Touching windows (morning 8-12 and afternoon 12-17) become one: a session may run across noon."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def free_intervals(facts: DayFacts) -> list[Interval]:
    """Where every fact allows a session on that day. A volunteer or resident who gave no times at all
    does not restrict; a location's closed day and a public holiday leave nothing."""
    if facts.holiday:
        return []
    free = [_on(facts.day, time(8), time(21))]
    for allowed in (facts.opening, facts.volunteer, facts.resident):
        if allowed is not None:
            free = _intersect(free, allowed)
    return free


def _round_up(moment: datetime, step: timedelta) -> datetime:
    minutes = moment.hour * 60 + moment.minute + (1 if moment.second or moment.microsecond else 0)
    step_minutes = int(step.total_seconds() // 60)
    rounded = -(-minutes // step_minutes) * step_minutes
    return datetime.combine(moment.date(), time()) + timedelta(minutes=rounded)


def first_free_moment(
    facts: DayFacts, duration: timedelta, now_local: datetime, step: timedelta = timedelta(minutes=30)
) -> Interval | None:
    """The earliest start on that day, on a `step` boundary, where a session of `duration` fits every
    fact and overlaps none of the volunteer's appointments."""
    for free_start, free_end in free_intervals(facts):
        start = _round_up(max(free_start, now_local), step)
        while start + duration <= free_end:
            end = start + duration
            clash = next((b_end for b_start, b_end in facts.busy if start < b_end and b_start < end), None)
            if clash is None:
                return start, end
            start = _round_up(clash, step)
    return None


def propose_moments(
    facts_by_day: list[DayFacts],
    duration: timedelta,
    now_local: datetime,
    count: int = 3,
) -> list[Interval]:
    """The first `count` free moments, at most one a day so that the resident has a real choice."""
    proposals = []
    for facts in sorted(facts_by_day, key=lambda f: f.day):
        moment = first_free_moment(facts, duration, now_local)
        if moment is not None:
            proposals.append(moment)
            if len(proposals) == count:
                break
    return proposals
