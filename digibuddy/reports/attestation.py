"""A digibuddy's certificate: the training they passed and their hours of help per year.

An hour of help is counted as on the volunteer's home page: the planned length of each help session marked
done, in the year (Europe/Brussels) the session started."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from ..core.time import to_local
from ..extensions import db
from ..scheduling.models import HelpSession, SessionStatus


def minutes_by_year(sessions: list[tuple[datetime, datetime]]) -> dict[int, int]:
    """{year: minutes} for sessions given as (start, end) in UTC, each counted in the local year it started;
    oldest year first."""
    totals: dict[int, float] = defaultdict(float)
    for starts, ends in sessions:
        totals[to_local(starts).year] += max(0.0, (ends - starts).total_seconds()) / 60
    return {year: round(totals[year]) for year in sorted(totals)}


def sessions_done(profile) -> list[tuple[datetime, datetime]]:
    return [
        (row.starts_at, row.ends_at)
        for row in db.session.execute(
            select(HelpSession.starts_at, HelpSession.ends_at).where(
                HelpSession.volunteer_id == profile.id, HelpSession.status == SessionStatus.DONE
            )
        )
    ]


def sessions_per_year(sessions: list[tuple[datetime, datetime]]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for starts, _ends in sessions:
        counts[to_local(starts).year] += 1
    return dict(counts)
