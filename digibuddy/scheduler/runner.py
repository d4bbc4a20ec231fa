"""Running jobs exactly once per due time, whichever scheduler process fires first.

A job run is claimed by inserting (job, due key) into job_runs: the unique constraint lets exactly one
process win. On PostgreSQL an advisory lock per job also keeps two long runs of the same job from
overlapping. A job function is idempotent on its own too, so a missed due time is caught up next time."""

import hashlib
import logging
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ..core.db import utcnow
from ..extensions import db
from .models import JobRun

log = logging.getLogger("digibuddy.scheduler")


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    every: timedelta | None = None  # interval jobs
    cron: dict | None = (
        None  # e.g. {"hour": 3} daily, {"day_of_week": "mon", "hour": 7} weekly (Brussels time)
    )

    def due_key(self, now: datetime, scale: float = 1.0) -> str:
        """The due time this run belongs to: the start of its interval (or day, or ISO week)."""
        if self.every is not None:
            seconds = max(1, int(self.every.total_seconds() * scale))
            return str(int(now.timestamp()) // seconds * seconds)
        if self.cron and "day_of_week" in self.cron:
            year, week, _ = now.isocalendar()
            return f"{year}-W{week:02d}"
        return now.strftime("%Y-%m-%d")


def _lock_id(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def run_job(job: Job, now: datetime | None = None, scale: float = 1.0, host: str | None = None) -> bool:
    """Run the job for the current due time unless some process already did; True if it ran here."""
    now = now or utcnow()
    host = host or socket.gethostname()
    postgres = db.engine.dialect.name == "postgresql"
    connection = None
    if postgres:
        connection = db.engine.connect()
        if not connection.execute(
            text("SELECT pg_try_advisory_lock(:id)"), {"id": _lock_id(job.name)}
        ).scalar():
            connection.close()
            return False
    try:
        run = JobRun(job=job.name, due_key=job.due_key(now, scale), host=host[:120], started_at=utcnow())
        db.session.add(run)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return False
        try:
            result = job.func()
            run.succeeded = True
            run.result = str(result)[:500] if result is not None else None
        except Exception:  # noqa: BLE001 - a failing job is recorded, the scheduler goes on
            db.session.rollback()
            run = db.session.get(JobRun, run.id)
            run.succeeded = False
            run.result = traceback.format_exc()[-500:]
            log.exception("Job %s failed", job.name)
        run.finished_at = utcnow()
        db.session.commit()
        return True
    finally:
        if connection is not None:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _lock_id(job.name)})
            connection.close()
