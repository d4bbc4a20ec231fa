"""The dashboards' roll-ups: every figure's counts per local network and Brussels calendar day, kept up to
date as requests, sessions, outcomes and feedback change (rollups.py), so that a dashboard over any range of
days adds up a few rows per day instead of reading every request and session of the period.

Which day and network a row counts for, and the histogram rules, are in rollup_rules.py."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite autoincrements INTEGER keys only


class _CellCounts:
    """A figure, its categories (k1, k2, k3) and its counts (n1..n8): the columns of day and month cells."""

    figure: Mapped[str] = mapped_column(sa.String(12))
    k1: Mapped[str | None] = mapped_column(sa.String(200))
    k2: Mapped[str | None] = mapped_column(sa.String(40))
    k3: Mapped[str | None] = mapped_column(sa.String(200))
    n1: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    n2: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    n3: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    n4: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    n5: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    n6: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    n7: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    n8: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class RollupCell(_CellCounts, db.Model):
    """The additive counts of one figure for one network and day, per category (k1, k2, k3): which
    categories and which counts (n1..n8) each figure keeps is listed in rollups.CELL_FIGURES."""

    __tablename__ = "rollup_cells"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.Integer)
    day: Mapped[date] = mapped_column(sa.Date)

    __table_args__ = (
        sa.Index("ix_rollup_cells_network_day", "network_id", "day"),
        sa.Index("ix_rollup_cells_day", "day"),
    )


class RollupWait(db.Model):
    """Histogram of the waiting times (whole minutes, rollup_rules.wait_minutes) of the requests a network
    received on a day, per step (first offer, match, first session)."""

    __tablename__ = "rollup_waits"

    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    minutes: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    count: Mapped[int] = mapped_column(sa.Integer)

    __table_args__ = (
        # a range of days of every network (the edge days of the network dashboard), and the minutes of one
        # step within those days (the whole network's quantiles seek them day by day)
        sa.Index("ix_rollup_waits_day_step_minutes", "day", "step", "minutes"),
    )


class RollupWaitHour(db.Model):
    """rollup_waits counted per hour of waiting (the minutes divided by 60, as rollups._key divides them):
    the hours of a range's edge days, read by the quantiles' hour step instead of every minute of those
    days. Kept with the day rows by the same folds."""

    __tablename__ = "rollup_wait_hours"

    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    hour: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    count: Mapped[int] = mapped_column(sa.Integer)

    __table_args__ = (sa.Index("ix_rollup_wait_hours_day_step_hour", "day", "step", "hour"),)


class RollupActive(db.Model):
    """The volunteers who held a session (status done) for a network on a day: active volunteers are the
    distinct ones over the days of a range."""

    __tablename__ = "rollup_active"

    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)

    __table_args__ = (sa.Index("ix_rollup_active_day", "day"),)


class RollupDirty(db.Model):
    """A (network, day) whose roll-ups no longer match the rows: written in the same transaction as the
    change, folded away (the day recomputed from the rows) before a dashboard reads and by the scheduler."""

    __tablename__ = "rollup_dirty"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.Integer)
    day: Mapped[date] = mapped_column(sa.Date)


# Month-level roll-ups: the day rows of each calendar month added up (rollups.py recomputes a month from its
# days whenever one of them changes), so a range reads its whole months from here and only the days of its
# partial edge months from the day tables. `month` is the first day of the month.
class RollupMonthCell(_CellCounts, db.Model):
    """rollup_cells added up over the days of one calendar month."""

    __tablename__ = "rollup_month_cells"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.Integer)
    month: Mapped[date] = mapped_column(sa.Date)

    __table_args__ = (
        sa.Index("ix_rollup_month_cells_network_month", "network_id", "month"),
        sa.Index("ix_rollup_month_cells_month", "month"),
    )


class RollupMonthWait(db.Model):
    """rollup_waits added up over the days of one calendar month (still exact minutes)."""

    __tablename__ = "rollup_month_waits"

    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    minutes: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    count: Mapped[int] = mapped_column(sa.BigInteger)

    __table_args__ = (
        sa.Index("ix_rollup_month_waits_month", "month"),
        # the minutes of one network's step within an hour, over the months: the quantiles' last step reads
        # them from the index alone
        sa.Index(
            "ix_rollup_month_waits_network_step_minutes",
            "network_id",
            "step",
            "minutes",
            postgresql_include=["month", "count"],
        ),
    )


class RollupMonthActive(db.Model):
    """The distinct volunteers of rollup_active over the days of one calendar month, with the days of the
    month they held a session on as a bitmask (bit d - 1 for day d, rollup_rules.day_bits): a range's
    partial months read which volunteers were active on its days of the month from here (distinct counts
    do not add)."""

    __tablename__ = "rollup_month_active"

    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    days: Mapped[int] = mapped_column(sa.Integer)

    __table_args__ = (sa.Index("ix_rollup_month_active_month", "month"),)


class RollupYearActive(db.Model):
    """The months of one calendar year in which a volunteer held a session for a network (rollup_month_active
    of the year), as a bitmask (bit m - 1 for month m): a range's whole months are one row per network,
    volunteer and year, not one per month. Keyed year first: one year of every network, or of one."""

    __tablename__ = "rollup_year_active"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    months: Mapped[int] = mapped_column(sa.Integer)


class RollupMonthWaitBucket(db.Model):
    """rollup_waits of one calendar month counted per coarse bucket of BUCKET_MINUTES minutes (rollups.py):
    a quantile's rank is first located in a bucket, then only that bucket's minutes are read."""

    __tablename__ = "rollup_month_wait_buckets"

    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    bucket: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    count: Mapped[int] = mapped_column(sa.BigInteger)

    __table_args__ = (sa.Index("ix_rollup_month_wait_buckets_month", "month"),)


class RollupMonthWaitHour(db.Model):
    """rollup_waits of one calendar month counted per hour of waiting (rollups.py): between the day-wide
    buckets and the minutes, so that a quantile reads only the hours of its day and the minutes of its hour.
    Keyed network, step and hour first: one network's step and few hours are read over the months."""

    __tablename__ = "rollup_month_wait_hours"

    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    hour: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    count: Mapped[int] = mapped_column(sa.BigInteger)


class RollupMonthWaitTen(db.Model):
    """rollup_waits of one calendar month counted per ten minutes of waiting (rollups.py): between the hours
    and the minutes, so that a quantile reads the six tens of its hour and the ten minutes of its ten, not
    the sixty minutes of its hour in every month. Keyed as the hours are."""

    __tablename__ = "rollup_month_wait_tens"

    network_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    ten: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    count: Mapped[int] = mapped_column(sa.BigInteger)


class _AdviceKeys:
    """What the recruitment advice groups a waiting request by (queries.waiting_counts): the languages the
    resident asked help in, sorted and joined by commas, when nobody spoke them ("" otherwise), a topic of
    the request, the resident's postcode and its municipality's NIS code ("" when not known); and the number
    of requests of the group."""

    languages: Mapped[str] = mapped_column(sa.String(200))
    topic_id: Mapped[int] = mapped_column(sa.Integer)
    postcode: Mapped[str] = mapped_column(sa.String(10))
    municipality: Mapped[str] = mapped_column(sa.String(10))
    requests: Mapped[int] = mapped_column(sa.Integer)


class RollupAdvice(_AdviceKeys, db.Model):
    """The requests a network escalated to its coordinator for the last time on a day (their last escalation
    event), grouped as the recruitment advice counts them: a request escalated since a day is one whose last
    escalation lies on that day or later, so the advice of the last months adds up these rows."""

    __tablename__ = "rollup_advice"

    network_id: Mapped[int] = mapped_column(sa.Integer)
    day: Mapped[date] = mapped_column(sa.Date)

    __table_args__ = (
        sa.PrimaryKeyConstraint("network_id", "day", "languages", "topic_id", "postcode", "municipality"),
        sa.Index("ix_rollup_advice_day", "day"),
    )


class RollupMonthAdvice(_AdviceKeys, db.Model):
    """rollup_advice added up over the days of one calendar month."""

    __tablename__ = "rollup_month_advice"

    network_id: Mapped[int] = mapped_column(sa.Integer)
    month: Mapped[date] = mapped_column(sa.Date)

    __table_args__ = (
        sa.PrimaryKeyConstraint("network_id", "month", "languages", "topic_id", "postcode", "municipality"),
        sa.Index("ix_rollup_month_advice_month", "month"),
    )
