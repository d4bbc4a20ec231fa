"""The network dashboard's figures, from a recent calculation.

Over every local network the dashboard's queries read the requests and sessions of the whole period (for a
large network and a year, seconds of database work), so their results are kept per date range in
network_figures_snapshots. A load uses the saved results while they are younger than the maximum age and
calculates them again otherwise; an administrator can ask for a new calculation at any time, and the
scheduler recalculates the default period and every period viewed in the last week, so that loads rarely
wait. A coordinator's local dashboard never goes through here: it is always calculated on the spot."""

import dataclasses
import json
import time
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..core.db import utcnow
from ..core.time import to_local
from ..extensions import db
from ..network.models import LocalNetwork
from . import numbers as numbers_
from . import queries, stats
from .models import NetworkFiguresSnapshot

KEEP_UNVIEWED = timedelta(days=7)  # a period nobody opened for this long is no longer recalculated
MAX_REFRESHED = 6  # periods the scheduled job recalculates at most, the most recently viewed first


# ----------------------------------------------------------------------------------------------- encoding
# What is saved is each network's numbers (numbers.NetworkNumbers) and the whole network's, under WHOLE: a
# few hundred numbers per network, so that a page load only reads them back and lays out the tables.
WHOLE = numbers_.WHOLE
FORMAT = 4  # raise when the layout changes: saved figures of another layout are calculated again


class UnreadableSnapshot(ValueError):
    pass


def _encode(value):
    if isinstance(value, dict):
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, queries.SessionCell):
        return {"s": list(dataclasses.astuple(value))}
    if isinstance(value, str):
        return str(value)  # a StrEnum as its plain value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    raise TypeError(f"cannot save a {type(value).__name__}")


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "d" in value:
            return {_decode(k): _decode(v) for k, v in value["d"]}
        if "t" in value:
            return tuple(_decode(v) for v in value["t"])
        return queries.SessionCell(*value["s"])
    return value


def encode(numbers: dict) -> str:
    """{network id or WHOLE: NetworkNumbers} as JSON; dictionaries (with their tuple and None keys), tuples
    and session cells are tagged so that decode gives back equal values."""
    return json.dumps(
        {
            "format": FORMAT,
            "networks": [
                [key, {f.name: _encode(getattr(entry, f.name)) for f in dataclasses.fields(entry)}]
                for key, entry in numbers.items()
            ],
        },
        separators=(",", ":"),
    )


def decode(text: str) -> dict:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UnreadableSnapshot("saved in another layout")
    return {
        key: numbers_.NetworkNumbers(**{name: _decode(value) for name, value in fields.items()})
        for key, fields in data["networks"]
    }


# ----------------------------------------------------------------------------------------------- snapshots
def _snapshot(date_range: stats.DateRange) -> NetworkFiguresSnapshot | None:
    return db.session.scalar(
        select(NetworkFiguresSnapshot).where(
            NetworkFiguresSnapshot.range_start == date_range.start,
            NetworkFiguresSnapshot.range_end == date_range.end,
        )
    )


def calculate(date_range: stats.DateRange, *, viewed: bool) -> tuple[dict, datetime]:
    """Run the queries over every network now and save each network's figures and the whole network's:
    {network id or WHOLE: numbers_.NetworkNumbers}."""
    now = utcnow()
    started = time.perf_counter()
    ids = db.session.scalars(select(LocalNetwork.id).order_by(LocalNetwork.id)).all()
    numbers = numbers_.of_every_network(date_range, now, ids)
    duration_ms = round((time.perf_counter() - started) * 1000)
    payload = encode(numbers)
    for attempt in range(2):
        row = _snapshot(date_range)
        if row is None:
            row = NetworkFiguresSnapshot(
                range_start=date_range.start, range_end=date_range.end, last_viewed_at=now
            )
            db.session.add(row)
        row.computed_at, row.duration_ms, row.payload = now, duration_ms, payload
        if viewed:
            row.last_viewed_at = now
        try:
            db.session.commit()
            break
        except IntegrityError:  # another load saved the same period meanwhile: update theirs
            db.session.rollback()
            if attempt:
                raise
    return numbers, now


def network_figures(date_range: stats.DateRange, *, max_age: timedelta) -> tuple[dict, datetime]:
    """The figures of every network for the period ({network id or WHOLE: numbers_.NetworkNumbers}) and when
    they were calculated: the saved ones while younger than max_age, else calculated now."""
    now = utcnow()
    row = _snapshot(date_range)
    if row is not None and row.computed_at >= now - max_age:
        try:
            found = decode(row.payload)
        except (UnreadableSnapshot, ValueError, KeyError, TypeError):
            found = None  # saved by an earlier version of the app: calculate again
        if found is not None:
            computed_at = row.computed_at
            row.last_viewed_at = now
            db.session.commit()
            return found, computed_at
    return calculate(date_range, viewed=True)


def refresh_viewed(today=None) -> str:
    """The scheduled job: recalculate the default period (the last 12 months) and the periods viewed in
    the last week, the most recently viewed first; forget periods nobody viewed for a week."""
    now = utcnow()
    today = today or to_local(now).date()
    db.session.execute(
        delete(NetworkFiguresSnapshot).where(NetworkFiguresSnapshot.last_viewed_at < now - KEEP_UNVIEWED)
    )
    db.session.commit()
    ranges = [stats.default_range(today)]
    viewed = db.session.execute(
        select(NetworkFiguresSnapshot.range_start, NetworkFiguresSnapshot.range_end)
        .order_by(NetworkFiguresSnapshot.last_viewed_at.desc(), NetworkFiguresSnapshot.id)
        .limit(MAX_REFRESHED)
    ).all()
    for start, end in viewed:
        date_range = stats.DateRange(start, end)
        if date_range not in ranges:
            ranges.append(date_range)
    for date_range in ranges[:MAX_REFRESHED]:
        calculate(date_range, viewed=False)
    return f"{min(len(ranges), MAX_REFRESHED)} periods recalculated"
