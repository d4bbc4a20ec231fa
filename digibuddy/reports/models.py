"""Saved results of the network dashboard's queries. Over every local network those queries read a year of
requests and sessions (seconds of work on a large network), so the central level is shown the figures of a
recent calculation: one row per date range, refreshed by the scheduler and on request."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import utcnow
from ..extensions import db


class NetworkFiguresSnapshot(db.Model):
    __tablename__ = "network_figures_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    range_start: Mapped[date] = mapped_column(sa.Date)
    range_end: Mapped[date] = mapped_column(sa.Date)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int] = mapped_column(sa.Integer)
    last_viewed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    payload: Mapped[str] = mapped_column(sa.Text)  # each network's figures, as snapshots.encode writes them

    __table_args__ = (
        sa.UniqueConstraint("range_start", "range_end"),
        sa.CheckConstraint("range_end >= range_start", name="range_order"),
        sa.CheckConstraint("duration_ms >= 0", name="duration_not_negative"),
    )
