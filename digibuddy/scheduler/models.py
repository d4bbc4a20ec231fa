"""One row per job and due time: the unique key is what makes a job run exactly once per due time,
however many scheduler processes share the database."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import utcnow
from ..extensions import db


class JobRun(db.Model):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(60))
    due_key: Mapped[str] = mapped_column(sa.String(40))
    host: Mapped[str] = mapped_column(sa.String(120))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    succeeded: Mapped[bool | None] = mapped_column(sa.Boolean)
    result: Mapped[str | None] = mapped_column(sa.String(500))

    __table_args__ = (sa.UniqueConstraint("job", "due_key"), sa.Index("ix_job_runs_started_at", "started_at"))
