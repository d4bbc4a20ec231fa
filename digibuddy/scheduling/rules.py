"""The rules a help session must keep. Pure Python (no Flask, no SQLAlchemy), on local wall-clock times
in Europe/Brussels. Each rule returns a problem code; some may be overridden by a coordinator with a
reason."""

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

import holidays

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


@lru_cache(maxsize=64)
def _belgian_holidays(year: int, language: str | None):
    try:
        return holidays.country_holidays("BE", years=year, language=language)
    except (NotImplementedError, ValueError):
        return holidays.country_holidays("BE", years=year)


def public_holiday_name(day: date, language: str | None = None) -> str | None:
    """The Belgian public holiday on this day (from the `holidays` package), or None; named in `language`
    when the package has it (nl, fr, en_US, de, uk)."""
    language = {"en": "en_US"}.get(language, language)
    return _belgian_holidays(day.year, language).get(day)


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
