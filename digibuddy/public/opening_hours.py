"""Opening hours as people read them and as machines exchange them. Pure Python: no Flask, no SQLAlchemy.

The machine form is OpenStreetMap's `opening_hours` syntax ("Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-12:00"),
which map and municipal websites already understand."""

from collections.abc import Iterable
from datetime import time

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

Span = tuple[time, time]


def by_weekday(hours: Iterable[tuple[int, time, time]]) -> dict[int, list[Span]]:
    """{weekday: [(opens, closes), ...]} for every day of the week (closed days get an empty list)."""
    week: dict[int, list[Span]] = {day: [] for day in range(7)}
    for weekday, opens, closes in hours:
        week[weekday].append((opens, closes))
    return {day: sorted(spans) for day, spans in week.items()}


def _spans_text(spans: list[Span]) -> str:
    return ",".join(f"{opens:%H:%M}-{closes:%H:%M}" for opens, closes in spans)


def osm_opening_hours(hours: Iterable[tuple[int, time, time]]) -> str:
    """The week in OSM syntax; days with the same hours in a row are written as a range (Mo-Fr)."""
    week = by_weekday(hours)
    parts, day = [], 0
    while day < 7:
        spans = week[day]
        last = day
        while last + 1 < 7 and week[last + 1] == spans:
            last += 1
        if spans:
            days = OSM_DAYS[day] if last == day else f"{OSM_DAYS[day]}-{OSM_DAYS[last]}"
            if last == day + 1:
                days = f"{OSM_DAYS[day]},{OSM_DAYS[last]}"
            parts.append(f"{days} {_spans_text(spans)}")
        day = last + 1
    return "; ".join(parts)


def is_open_at(hours: Iterable[tuple[int, time, time]], weekday: int, moment: time) -> bool:
    return any(opens <= moment < closes for opens, closes in by_weekday(hours)[weekday])
