"""The dashboards' roll-ups (models.py): kept up to date as the rows change, and read by every dashboard.

Keeping them exact under concurrent writers (several hosts on one PostgreSQL):
- Every change to a row a figure counts (a request, its resident's age band, its topics and languages, an
  offer, a status event, a session, an outcome, feedback, a topic's group) writes a mark "this (network,
  day) changed" into rollup_dirty, in the SAME transaction as the change: one flush listener for the ORM and
  one statement listener for bulk UPDATE, DELETE and INSERT statements. A mark is written for the day the
  row counted on before the change (read before the flush or statement) and after it, so a row that moves to
  another day or network, and a deleted row, leave both days marked.
- Folding (fold()) takes the marks away and recomputes those (network, day)s from the rows, set-based, under
  one transaction-level advisory lock (PostgreSQL), so two folds never recompute the same day at once. The
  marks it takes were committed together with their changes, so the recomputation (a later statement,
  with a later snapshot) sees those changes; a change committed meanwhile leaves its own mark for the next
  fold. A dashboard folds before it reads, and the scheduler folds every minute.
- rebuild() recomputes everything from the rows (the migration's backfill and `flask reports
  rebuild-rollups`), with the same statements as a fold.

Which day a row counts on: its Brussels calendar day (rollup_rules.local_day), computed in SQL by adding the
offsets rollup_rules.offset_changes lists. What each roll-up holds is what queries.py calculates from the raw
rows; the dashboards read only the roll-ups (read()). Each calendar month's day rows are also kept added up
(the month tables, recomputed from the days whenever a fold recomputes one of its days), and a range reads
its whole months from those and only the days of its partial edge months from the day tables, or such a
month's row less the days outside the range when those are fewer (_spans(), _rows()). The month tables of
the waiting times also hold the whole network's months (WHOLE_NETWORK), kept by difference as a fold replaces
a network's months, so the whole network's quantiles read its own rows and every network's edge days. The
active volunteers' month rows hold their days as a bitmask and rollup_year_active their months of each year
(recomputed from the month rows after them), so a range's distinct volunteers are read from one row per
network, volunteer and year and those of its partial months (_active()). rollup_wait_hours keeps each day's
waits per hour too (the edge days' buckets and hours read those). The recruitment advice counts each
escalated request once, on the day of its last escalation (rollup_advice and its months; waiting_counts())."""

import json
from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import case, delete, event, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from ..core.db import built, rows_in_parts
from ..extensions import db
from ..matching.models import Offer
from ..outcomes.models import Feedback, Outcome
from ..reference.models import Topic
from ..requests.models import HelpRequest, RequestEvent, Resident, request_languages, request_topics
from ..scheduling.models import HelpSession, SessionStatus
from . import queries, stats
from . import rollup_rules as rules
from .models import (
    RollupActive,
    RollupAdvice,
    RollupCell,
    RollupDirty,
    RollupMonthActive,
    RollupMonthAdvice,
    RollupMonthCell,
    RollupMonthWait,
    RollupMonthWaitBucket,
    RollupMonthWaitHour,
    RollupMonthWaitTen,
    RollupWait,
    RollupWaitHour,
    RollupYearActive,
)

CELLS, WAITS, ACTIVE, DIRTY = (m.__table__ for m in (RollupCell, RollupWait, RollupActive, RollupDirty))
ADVICE, MONTH_ADVICE = RollupAdvice.__table__, RollupMonthAdvice.__table__
# The hours of the day rows of the waiting times (what the quantiles' hour step reads of the edge days).
WAIT_HOURS = RollupWaitHour.__table__
ROLLUP_TABLES = (CELLS, WAITS, ACTIVE, ADVICE, WAIT_HOURS)
# The columns the recruitment advice groups by: "" where a value is not known or not counted.
ADVICE_KEYS = ["languages", "topic_id", "postcode", "municipality"]
MONTH_CELLS, MONTH_WAITS, MONTH_ACTIVE = (
    m.__table__ for m in (RollupMonthCell, RollupMonthWait, RollupMonthActive)
)
# Each day table, its month table, and the columns besides network and day/month the month adds up by (keys)
# and sums (counts; "days": the bits of the days, _bit, whose sum over a volunteer's distinct days is the
# bitmask of those days).
MONTH_TABLES = (
    (CELLS, MONTH_CELLS, ["figure", "k1", "k2", "k3"], [f"n{i}" for i in range(1, 9)]),
    (WAITS, MONTH_WAITS, ["step", "minutes"], ["count"]),
    (ACTIVE, MONTH_ACTIVE, ["volunteer_id"], ["days"]),
    (WAITS, RollupMonthWaitBucket.__table__, ["step", "bucket"], ["count"]),
    (WAITS, RollupMonthWaitHour.__table__, ["step", "hour"], ["count"]),
    (WAITS, RollupMonthWaitTen.__table__, ["step", "ten"], ["count"]),
    (ADVICE, MONTH_ADVICE, ADVICE_KEYS, ["requests"]),
)
MONTH_WAIT_BUCKETS = RollupMonthWaitBucket.__table__
MONTH_WAIT_HOURS = RollupMonthWaitHour.__table__
MONTH_WAIT_TENS = RollupMonthWaitTen.__table__
# The whole network's waiting times per month, kept beside each network's rows in the same month tables
# under a network id no network has (ids start at 1; the roll-up tables have no foreign key): the sums of
# every network's month rows, so the whole network's quantiles read one network's rows, not every network's.
WHOLE_NETWORK = 0
WHOLE_TABLES = (MONTH_WAITS, MONTH_WAIT_BUCKETS, MONTH_WAIT_HOURS, MONTH_WAIT_TENS)
# The months of each year a volunteer was active in, kept from MONTH_ACTIVE (_recompute_years).
YEAR_ACTIVE = RollupYearActive.__table__
# The widths in minutes of the coarse levels of the waiting times: a day-wide bucket, an hour, ten minutes.
WIDTHS = {"bucket": 1440, "hour": 60, "ten": 10}


def _key(table, name: str):
    """A day table's column, or ("bucket", "hour", "ten") the day-wide bucket, the hour or the ten minutes of
    its minutes: integer division, the same expression wherever one is computed, and never decreasing as the
    minutes grow, so each level keeps the minutes' order; ("days") the bit of its day of the month."""
    if name in WIDTHS:
        if table is WAIT_HOURS:  # truncated twice is truncated once by the product (bucket: hour // 24)
            return table.c.hour // sa.literal_column(str(WIDTHS[name] // WIDTHS["hour"]), sa.Integer)
        return table.c.minutes // sa.literal_column(str(WIDTHS[name]), sa.Integer)
    if name == "days":
        return _bit(sa.extract("day", table.c.day))
    return table.c[name]


def _bit(number):
    """1 << (number - 1) for a day of the month (1..31) or a month of the year (1..12): its bit in the masks
    of rollup_rules.day_bits and month_bits. Written inline (a bound 1 could be a smallint)."""
    one = sa.literal_column("1", sa.Integer)
    return one.op("<<")(sa.cast(number, sa.Integer) - one)


def _counted(column):
    """The sum of a roll-up count (BIGINT), each value read as an INTEGER: PostgreSQL adds INTEGERs in a
    64-bit integer, BIGINTs in a NUMERIC (several times slower over a dashboard's 100,000 rows, and a Decimal
    in Python). A roll-up row's count (a day's or a month's, of a network or the whole network) stays far
    below 2^31; were one to reach it, the cast would fail rather than add up wrong."""
    return func.sum(sa.cast(column, sa.Integer))


def _any_bit(column, mask: int):
    """The rows whose bitmask `column` shares a bit with `mask`."""
    return column.op("&")(sa.literal_column(str(int(mask)), sa.Integer)) != 0


LOCK_KEY = 0x726F6C6C  # the advisory lock of folding and rebuilding ("roll")
CHUNK = 100  # (network, day range)s recomputed per statement

# The figures kept in rollup_cells, their categories (k1, k2, k3) and counts (n1...):
CELL_FIGURES = {
    "profile": ("intake channel", "age band"),  # n1 requests created
    "topic": ("topic group id",),  # n1 requests created with a topic of the group
    "language": ("language code",),  # n1 requests created in the language
    "unmatched": ("main reason",),  # n1 requests created and escalated, by main reason
    "sessions": ("status", "result", "referred to"),  # n1..n8 the counts of a queries.SessionCell
    "feedback": ("satisfaction", "channel"),  # n1 feedback given
    "answers": ("intake channel",),  # n1 feedback with ease and trust, n2 sum of ease, n3 sum of trust
}


# ----------------------------------------------------------------------------------------------- SQL pieces
def _dialect(connection) -> str:
    return connection.dialect.name


def _local_day(column, span: tuple[date, date], dialect: str):
    """The Brussels day of a naive UTC timestamp column, for timestamps within the days of `span`."""
    start, changes = rules.offset_changes(*span)

    def shifted(hours):
        if dialect == "postgresql":
            return sa.cast(column + sa.literal_column(f"interval '{hours} hours'"), sa.Date)
        return func.date(column, f"+{hours} hours")

    whens, current = [], start
    for at, offset in changes:
        whens.append((column < at, shifted(current)))
        current = offset
    return case(*whens, else_=shifted(current)) if whens else shifted(current)


def _within(network_column, ts_column, intervals):
    """The rows counted on one of `intervals` ([(network id, first day, last day)]; None: every row)."""
    if intervals is None:
        return sa.true()
    return sa.or_(
        *[
            sa.and_(
                network_column == network_id,
                ts_column >= stats.local_midnight_utc(first),
                ts_column < stats.local_midnight_utc(last + timedelta(days=1)),
            )
            for network_id, first, last in intervals
        ]
    )


def _text(column):
    return sa.cast(column, sa.String)


def _cell_insert(figure: str, source, keys: list, counts: list):
    """INSERT INTO rollup_cells the rows of `source` (a subquery with network_id and day) grouped by network,
    day and `keys`, with `counts` (aggregates) as n1..."""
    columns = [source.c.network_id, source.c.day, sa.literal(figure, sa.String)]
    columns += [_text(key) if key is not None else sa.cast(sa.null(), sa.String) for key in keys]
    columns += [sa.cast(sa.null(), sa.String)] * (3 - len(keys))
    columns += counts + [sa.literal(0, sa.BigInteger)] * (8 - len(counts))
    names = ["network_id", "day", "figure", "k1", "k2", "k3"] + [f"n{i}" for i in range(1, 9)]
    stmt = (
        select(*columns)
        .group_by(source.c.network_id, source.c.day, *[k for k in keys if k is not None])
        # written in the order dashboards read them: a network's days lie together on disk
        .order_by(source.c.network_id, source.c.day)
    )
    return insert(CELLS).from_select(names, stmt)


def _statements(intervals, span, dialect) -> list:
    """The INSERT ... SELECT statements that fill the roll-ups of `intervals` (None: all) from the rows."""

    def day(column):
        return _local_day(column, span, dialect).label("day")

    def requests(*columns, joins=()):
        stmt = select(HelpRequest.network_id.label("network_id"), day(HelpRequest.created_at), *columns)
        for target, on in joins:
            stmt = stmt.join(target, on)
        return stmt.where(_within(HelpRequest.network_id, HelpRequest.created_at, intervals))

    found = []
    profile = requests(
        HelpRequest.intake_channel.label("channel"),
        Resident.age_band.label("age_band"),
        joins=[(Resident, Resident.id == HelpRequest.resident_id)],
    ).subquery()
    found.append(_cell_insert("profile", profile, [profile.c.channel, profile.c.age_band], [func.count()]))

    topic = (
        requests(
            Topic.group_id.label("group_id"),
            HelpRequest.id.label("request_id"),
            joins=[
                (request_topics, request_topics.c.request_id == HelpRequest.id),
                (Topic, Topic.id == request_topics.c.topic_id),
            ],
        )
        .distinct()
        .subquery()
    )
    found.append(_cell_insert("topic", topic, [topic.c.group_id], [func.count()]))

    language = requests(
        request_languages.c.language_code.label("code"),
        joins=[(request_languages, request_languages.c.request_id == HelpRequest.id)],
    ).subquery()
    found.append(_cell_insert("language", language, [language.c.code], [func.count()]))

    reasons = (
        requests(*[queries._reason_count(r).label(f"n_{r}") for r in stats.UNMATCHED_REASONS])
        .where(queries._has_reasons())
        .subquery()
    )
    main = queries.main_reason_expression({r: reasons.c[f"n_{r}"] for r in stats.UNMATCHED_REASONS})
    unmatched = select(reasons.c.network_id, reasons.c.day, main.label("reason")).subquery()
    found.append(_cell_insert("unmatched", unmatched, [unmatched.c.reason], [func.count()]))

    sessions = (
        select(
            HelpRequest.network_id.label("network_id"),
            day(HelpSession.starts_at),
            *[column.label(name) for name, column in queries.SESSION_COLUMNS.items()],
        )
        .select_from(HelpSession)
        .join(HelpRequest, HelpRequest.id == HelpSession.request_id)
        .outerjoin(Outcome, Outcome.session_id == HelpSession.id)
        .where(_within(HelpRequest.network_id, HelpSession.starts_at, intervals))
        .subquery()
    )
    found.append(
        _cell_insert(
            "sessions",
            sessions,
            [sessions.c.status, sessions.c.result, queries.session_referral(sessions.c)],
            queries.session_sums(sessions.c),
        )
    )

    def feedback(*columns, conditions=()):
        return (
            select(HelpRequest.network_id.label("network_id"), day(Feedback.created_at), *columns)
            .select_from(Feedback)
            .join(HelpRequest, HelpRequest.id == Feedback.request_id)
            .where(_within(HelpRequest.network_id, Feedback.created_at, intervals), *conditions)
            .subquery()
        )

    given = feedback(Feedback.satisfaction.label("satisfaction"), Feedback.channel.label("channel"))
    found.append(_cell_insert("feedback", given, [given.c.satisfaction, given.c.channel], [func.count()]))
    answers = feedback(
        HelpRequest.intake_channel.label("channel"),
        Feedback.ease.label("ease"),
        Feedback.trust.label("trust"),
        conditions=(Feedback.ease.is_not(None), Feedback.trust.is_not(None)),
    )
    found.append(
        _cell_insert(
            "answers",
            answers,
            [answers.c.channel],
            [func.count(), func.sum(answers.c.ease), func.sum(answers.c.trust)],
        )
    )

    waits = (
        requests(*[column.label(step) for step, column in queries.timing_lookups(dialect).items()])
        .offset(0)
        .subquery("waits")
    )
    # One pass over the requests (their look-ups run once), each crossed with the three steps.
    steps = sa.union_all(
        *[select(sa.literal(step, sa.String).label("step")) for step in queries.TIMINGS]
    ).subquery("steps")
    minutes = case(*[(steps.c.step == step, waits.c[step]) for step in queries.TIMINGS]).label("minutes")
    per_step = (
        select(waits.c.network_id, waits.c.day, steps.c.step, minutes, func.count().label("count"))
        .select_from(waits)
        .join(steps, sa.true())
        .where(minutes.is_not(None))
        .group_by(waits.c.network_id, waits.c.day, steps.c.step, minutes)
        .order_by(waits.c.network_id, waits.c.day)
    )
    found.append(insert(WAITS).from_select(["network_id", "day", "step", "minutes", "count"], per_step))

    active = (
        select(HelpRequest.network_id, day(HelpSession.starts_at), HelpSession.volunteer_id)
        .select_from(HelpSession)
        .join(HelpRequest, HelpRequest.id == HelpSession.request_id)
        .where(
            HelpSession.status == SessionStatus.DONE,
            _within(HelpRequest.network_id, HelpSession.starts_at, intervals),
        )
        .distinct()
    )
    found.append(insert(ACTIVE).from_select(["network_id", "day", "volunteer_id"], active))
    return found


def _recompute(connection, intervals, *, months: bool = True) -> None:
    """Replace the roll-ups of `intervals` ([(network id, first day, last day)]; None: all) with what the
    rows hold now, set-based, and then the month roll-ups of their months (months=False: the day roll-ups
    of cells, waits and active volunteers only, for migration 0026 which ran before the month tables and
    the advice's existed)."""
    dialect = _dialect(connection)
    if intervals is None:
        span = _data_span(connection)
        for table in ROLLUP_TABLES if months else (CELLS, WAITS, ACTIVE):
            connection.execute(delete(table))
        if months:
            for table in _derived_tables():
                connection.execute(delete(table))
        if span is None:
            return
        for stmt in _statements(None, span, dialect):
            connection.execute(stmt)
        if months:
            _fill_wait_hours(connection, None)
            _fill_advice(connection, None, span, dialect)
            _recompute_months(connection, None)
        return
    for start in range(0, len(intervals), CHUNK):
        chunk = intervals[start : start + CHUNK]
        span = (min(first for _n, first, _l in chunk), max(last for _n, _f, last in chunk))
        for table in ROLLUP_TABLES:
            connection.execute(delete(table).where(_of_days(table, chunk)))
        for stmt in _statements(chunk, span, dialect):
            connection.execute(stmt)
        _fill_wait_hours(connection, chunk)
        _fill_advice(connection, chunk, span, dialect)
    months = sorted({(n, month) for n, first, last in intervals for month in stats.month_starts(first, last)})
    _recompute_months(connection, months)


def _of_days(table, intervals):
    """The rows of a day table that lie on `intervals` ([(network id, first day, last day)]; None: all)."""
    if intervals is None:
        return sa.true()
    return sa.or_(
        *[
            sa.and_(table.c.network_id == n, table.c.day >= first, table.c.day <= last)
            for n, first, last in intervals
        ]
    )


def _fill_wait_hours(connection, intervals) -> None:
    """Fill rollup_wait_hours for `intervals` (None: all, the table being empty) from rollup_waits (after its
    rows of those days were recomputed, in the same transaction)."""
    hour = _key(WAITS, "hour")
    keys = (WAITS.c.network_id, WAITS.c.day, WAITS.c.step, hour)
    stmt = (
        select(*keys, func.sum(WAITS.c.count))
        .where(_of_days(WAITS, intervals))
        .group_by(*keys)
        .order_by(WAITS.c.network_id, WAITS.c.day)
    )
    connection.execute(insert(WAIT_HOURS).from_select(["network_id", "day", "step", "hour", "count"], stmt))


ADVICE_ROWS = 10000  # rows of rollup_advice written per statement


def _fill_advice(connection, intervals, span, dialect: str) -> None:
    """Fill rollup_advice for `intervals` (None: all, the table being empty) from the rows: each request
    whose last escalation event lies on one of their days (the latest by time, then by id), on that day,
    grouped as the recruitment advice counts it (queries.waiting_groups). The requests whose reasons are gone
    come back one by one and are grouped by their escalation notes (queries.grouped), so the rows are
    written from Python."""
    later = aliased(RequestEvent)
    last = (
        select(RequestEvent.request_id.label("id"), _local_day(RequestEvent.at, span, dialect).label("day"))
        .join(HelpRequest, HelpRequest.id == RequestEvent.request_id)
        .where(
            RequestEvent.to_status == queries.ESCALATED,
            _within(HelpRequest.network_id, RequestEvent.at, intervals),
            ~select(later.id)
            .where(
                later.request_id == RequestEvent.request_id,
                later.to_status == queries.ESCALATED,
                sa.or_(
                    later.at > RequestEvent.at,
                    sa.and_(later.at == RequestEvent.at, later.id > RequestEvent.id),
                ),
            )
            .exists(),
        )
        .subquery("last")
    )
    rows = rows_in_parts(connection.execute(queries.waiting_groups(last, last.c.day)))
    groups = queries.grouped(connection.execute, rows, days=True)
    values = [
        {
            "network_id": network_id,
            "day": day if isinstance(day, date) else date.fromisoformat(day),
            "languages": ",".join(languages),
            "topic_id": topic_id,
            "postcode": postcode or "",
            "municipality": municipality or "",
            "requests": count,
        }
        for network_id in sorted(groups)
        for (day, languages, topic_id, postcode, municipality), count in sorted(
            groups[network_id].items(), key=lambda item: str(item[0][0])
        )
    ]
    for start in range(0, len(values), ADVICE_ROWS):
        connection.execute(insert(ADVICE), values[start : start + ADVICE_ROWS])


def _month_start(column, dialect: str):
    """The first day of the month of a date column."""
    if dialect == "postgresql":
        return sa.cast(func.date_trunc("month", column), sa.Date)
    return func.date(column, "start of month")


def _of_months(table, months):
    """The rows of `months` ([(network id, first day of the month)]) of a month table."""
    return sa.or_(*[sa.and_(table.c.network_id == n, table.c.month == month) for n, month in months])


def _recompute_months(connection, months, names=None) -> None:
    """Replace the month roll-ups of `months` ([(network id, first day of the month)]; None: all) with the
    sums of their day rows, set-based (after the days were recomputed, in the same transaction); `names`:
    only those month tables (None: all). The whole network's rows of the waiting times (WHOLE_TABLES) follow
    by difference: the months' old rows are taken off them before, their new rows added after (None: the
    whole network's rows are filled from every network's, the tables being empty)."""
    dialect = _dialect(connection)
    chunks = [None] if months is None else [months[i : i + CHUNK] for i in range(0, len(months), CHUNK)]
    for chunk in chunks:
        for day_table, month_table, keys, counts in MONTH_TABLES:
            if names is not None and month_table.name not in names:
                continue
            whole = month_table in WHOLE_TABLES
            if chunk is not None:
                if whole:
                    _take_from_whole(connection, month_table, keys, chunk)
                connection.execute(delete(month_table).where(_of_months(month_table, chunk)))
            month = _month_start(day_table.c.day, dialect)
            columns = [day_table.c.network_id, month, *[_key(day_table, k) for k in keys]]
            stmt = select(*columns, *[func.sum(_key(day_table, c)) for c in counts])
            if chunk is not None:
                stmt = stmt.where(
                    sa.or_(
                        *[
                            sa.and_(
                                day_table.c.network_id == n,
                                day_table.c.day >= m,
                                day_table.c.day < stats.add_months(m, 1),
                            )
                            for n, m in chunk
                        ]
                    )
                )
            stmt = stmt.group_by(*columns).order_by(day_table.c.network_id, month)
            filled = ["network_id", "month", *keys, *counts]
            connection.execute(insert(month_table).from_select(filled, stmt))
            if whole:
                _add_to_whole(connection, month_table, keys, chunk)

    if names is None or YEAR_ACTIVE.name in names:
        _recompute_years(connection, None if months is None else sorted({(n, m.year) for n, m in months}))


def _month_sums(table, keys, chunk):
    """A month table's rows of `chunk` ([(network id, month)]; None: every network's) added up per month
    and `keys`, as the whole network's: (network_id WHOLE_NETWORK, month, *keys, count)."""
    columns = [table.c.month, *[table.c[k] for k in keys]]
    where = table.c.network_id != WHOLE_NETWORK if chunk is None else _of_months(table, chunk)
    whole = sa.literal_column(str(WHOLE_NETWORK), sa.Integer).label("network_id")
    return select(whole, *columns, func.sum(table.c.count).label("count")).where(where).group_by(*columns)


def _take_from_whole(connection, table, keys, chunk) -> None:
    """Subtract the month rows of `chunk` from the whole network's (before they are replaced; every value
    they hold is in the whole network's rows, the sums of every network's), and drop the whole network's
    rows that came to 0 (a rebuild writes none; _add_to_whole writes those the new rows hold again)."""
    old = _month_sums(table.alias("old"), keys, chunk).subquery("old")
    matched = [table.c.network_id == WHOLE_NETWORK, table.c.month == old.c.month]
    matched += [table.c[k] == old.c[k] for k in keys]
    columns = [table.c.month, *[table.c[k] for k in keys]]
    update = sa.update(table).where(*matched).values(count=table.c.count - old.c.count)
    emptied = [
        tuple(row[:-1])
        for row in connection.execute(update.returning(*columns, table.c.count))
        if not row[-1]
    ]
    for start in range(0, len(emptied), CHUNK):
        connection.execute(
            delete(table).where(
                table.c.network_id == WHOLE_NETWORK, sa.tuple_(*columns).in_(emptied[start : start + CHUNK])
            )
        )


def _add_to_whole(connection, table, keys, chunk) -> None:
    """Add the month rows of `chunk` (None: every network's, into a table without whole-network rows) to
    the whole network's."""
    filled = ["network_id", "month", *keys, "count"]
    sums = _month_sums(table.alias("new"), keys, chunk)
    if chunk is None:
        connection.execute(insert(table).from_select(filled, sums))
        return
    dialect = postgresql if _dialect(connection) == "postgresql" else sqlite
    upsert = dialect.insert(table).from_select(filled, sums)
    upsert = upsert.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key],
        set_={"count": table.c.count + upsert.excluded.count},
    )
    connection.execute(upsert)


def _recompute_years(connection, years) -> None:
    """Replace the rows of rollup_year_active of `years` ([(network id, year)]; None: all) with the months of
    rollup_month_active (after those were recomputed, in the same transaction)."""
    chunks = [None] if years is None else [years[i : i + CHUNK] for i in range(0, len(years), CHUNK)]
    month = MONTH_ACTIVE.c.month
    year = sa.cast(sa.extract("year", month), sa.Integer)
    for chunk in chunks:
        stmt = select(
            year,
            MONTH_ACTIVE.c.network_id,
            MONTH_ACTIVE.c.volunteer_id,
            func.sum(_bit(sa.extract("month", month))),
        )
        if chunk is not None:
            connection.execute(
                delete(YEAR_ACTIVE).where(
                    sa.or_(
                        *[sa.and_(YEAR_ACTIVE.c.network_id == n, YEAR_ACTIVE.c.year == y) for n, y in chunk]
                    )
                )
            )
            stmt = stmt.where(
                sa.or_(
                    *[
                        sa.and_(
                            MONTH_ACTIVE.c.network_id == n, month >= date(y, 1, 1), month < date(y + 1, 1, 1)
                        )
                        for n, y in chunk
                    ]
                )
            )
        keys = (year, MONTH_ACTIVE.c.network_id, MONTH_ACTIVE.c.volunteer_id)
        # written in key order: a year's rows lie together on disk in the order its index reads them
        stmt = stmt.group_by(*keys).order_by(*keys)
        filled = ["year", "network_id", "volunteer_id", "months"]
        connection.execute(insert(YEAR_ACTIVE).from_select(filled, stmt))


def _derived_tables() -> list:
    """The tables kept from the day roll-ups: the month tables and the active volunteers' years."""
    return [month_table for _d, month_table, _k, _c in MONTH_TABLES] + [YEAR_ACTIVE]


def _data_span(connection) -> tuple[date, date] | None:
    """The first and last Brussels day any counted row falls on (None: no rows)."""
    bounds = []
    for column, where in (
        (HelpRequest.created_at, sa.true()),
        (HelpSession.starts_at, sa.true()),
        (Feedback.created_at, sa.true()),
        (RequestEvent.at, RequestEvent.to_status == queries.ESCALATED),
    ):
        stmt = select(func.min(column), func.max(column)).where(where)
        bounds += [v for v in connection.execute(stmt).first() if v]
    if not bounds:
        return None
    return rules.local_day(min(bounds)) - timedelta(days=1), rules.local_day(max(bounds)) + timedelta(days=1)


def _lock(connection) -> None:
    if _dialect(connection) == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


# ----------------------------------------------------------------------------------------------- maintenance
def rebuild_with(connection, *, months: bool = True) -> None:
    """Recompute every roll-up from the rows on `connection` (in its transaction) and drop every mark
    (months=False: leave the month roll-ups out, see _recompute)."""
    _lock(connection)
    connection.execute(delete(DIRTY))
    _recompute(connection, None, months=months)


def rebuild_months_with(connection, names) -> None:
    """Recompute the month roll-ups `names` (table names; rollup_year_active too) from the day roll-ups on
    `connection` (the backfill of the migrations that created them)."""
    _lock(connection)
    for table in _derived_tables():
        if table.name in names:
            connection.execute(delete(table))
    _recompute_months(connection, None, names)


def rebuild_whole_with(connection, names) -> None:
    """Recompute the whole network's month rows of the waiting times' month tables `names` (table names of
    WHOLE_TABLES) from every network's on `connection` (the backfill of migration 0031)."""
    _lock(connection)
    for _day_table, month_table, keys, _counts in MONTH_TABLES:
        if month_table in WHOLE_TABLES and month_table.name in names:
            connection.execute(delete(month_table).where(month_table.c.network_id == WHOLE_NETWORK))
            _add_to_whole(connection, month_table, keys, None)


def rebuild_advice_with(connection) -> None:
    """Fill the recruitment advice's roll-ups, day and month, from the rows on `connection` (the backfill of
    migration 0034 that created them)."""
    _lock(connection)
    connection.execute(delete(MONTH_ADVICE))
    connection.execute(delete(ADVICE))
    span = _data_span(connection)
    if span is not None:
        _fill_advice(connection, None, span, _dialect(connection))
        _recompute_months(connection, None, (MONTH_ADVICE.name,))


def rebuild_wait_hours_with(connection) -> None:
    """Fill rollup_wait_hours from rollup_waits on `connection` (the backfill of migration 0036)."""
    _lock(connection)
    connection.execute(delete(WAIT_HOURS))
    _fill_wait_hours(connection, None)


def rebuild() -> None:
    """Recompute every roll-up from the rows, set-based, and commit (`flask reports rebuild-rollups`)."""
    rebuild_with(db.session.connection())
    db.session.commit()


def fold_with(connection) -> int:
    """Take the marks away and recompute their (network, day)s from the rows. The number of (network, day)s
    recomputed."""
    if connection.execute(select(DIRTY.c.id).limit(1)).first() is None:
        return 0
    _lock(connection)
    marked = connection.execute(delete(DIRTY).returning(DIRTY.c.network_id, DIRTY.c.day)).all()
    days = defaultdict(set)
    for network_id, day in marked:
        days[network_id].add(day)
    intervals = [
        (network_id, first, last)
        for network_id in sorted(days)
        for first, last in rules.day_intervals(days[network_id])
    ]
    _recompute(connection, intervals)
    return sum(len(d) for d in days.values())


def fold() -> int:
    """Bring the roll-ups up to date (before a dashboard reads them; the scheduled job) and commit when
    there was anything to fold."""
    folded = fold_with(db.session.connection())
    if folded:
        db.session.commit()
    return folded


def folded_job() -> str:
    return f"{fold()} network days recomputed"


# ----------------------------------------------------------------------------------------------- marking
def _positions(connection, request_ids) -> set[tuple[int, date]]:
    """The (network, day)s every row of these requests counts on: the request, its sessions, its feedback,
    its escalations (the recruitment advice counts a request on the day of its last one)."""
    if not request_ids:
        return set()
    ids = sorted(request_ids)
    stmt = sa.union_all(
        select(HelpRequest.network_id, HelpRequest.created_at.label("at")).where(HelpRequest.id.in_(ids)),
        select(HelpRequest.network_id, HelpSession.starts_at)
        .join(HelpRequest, HelpRequest.id == HelpSession.request_id)
        .where(HelpSession.request_id.in_(ids)),
        select(HelpRequest.network_id, Feedback.created_at)
        .join(HelpRequest, HelpRequest.id == Feedback.request_id)
        .where(Feedback.request_id.in_(ids)),
        select(HelpRequest.network_id, RequestEvent.at)
        .join(HelpRequest, HelpRequest.id == RequestEvent.request_id)
        .where(RequestEvent.request_id.in_(ids), RequestEvent.to_status == queries.ESCALATED),
    )
    return {(network_id, rules.local_day(at)) for network_id, at in connection.execute(stmt) if at}


def _mark(connection, request_ids) -> None:
    positions = _positions(connection, request_ids)
    if positions:
        connection.execute(
            insert(DIRTY),
            [{"network_id": n, "day": d} for n, d in sorted(positions, key=lambda p: (p[0], p[1]))],
        )


# The attributes a figure reads, per model: a change to any other attribute leaves the roll-ups as they are.
RELEVANT = {
    HelpRequest: {"network_id", "created_at", "intake_channel", "resident_id", "escalation_reasons", "topics"}
    | {"languages"},
    Resident: {"age_band", "postcode_code"},
    Offer: {"request_id", "created_at"},
    RequestEvent: {"request_id", "at", "to_status", "note"},
    HelpSession: {"request_id", "starts_at", "status", "volunteer_id"},
    Outcome: {"session_id", "result", "referred_to", "minutes_spent", "confidence_before"}
    | {"confidence_after", "follow_up_needed"},
    Feedback: {"request_id", "created_at", "satisfaction", "channel", "ease", "trust"},
    Topic: {"group_id"},
}


def _changed(obj) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in RELEVANT[type(obj)])


def _values(obj, name, unknown: list) -> set:
    """An attribute's value now and before the flush, as the object knows them. An object expired by a
    commit has no history until its attributes are loaded again: when the attribute was not read since, or
    was set since without its old value known, the object's state goes to `unknown` and its row's value is
    read with the others' (_row_values; before the flush the row still holds the old value)."""
    state = sa.inspect(obj)
    if state.key is not None and name in state.unloaded:
        unknown.append(state)
        return set()
    history = state.attrs[name].history
    if state.key is not None and history.added and not (history.unchanged or history.deleted):
        unknown.append(state)
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def _row_values(connection, states, name) -> set:
    """The column `name` of the rows of these persistent objects: one statement per model, by id."""
    by_mapper = defaultdict(list)
    for state in states:
        by_mapper[state.mapper].append(state.key[1][0])
    found: set = set()
    for mapper, ids in by_mapper.items():
        (key,) = mapper.primary_key
        found |= set(connection.scalars(select(mapper.columns[name]).where(key.in_(sorted(ids)))))
    return found - {None}


def _request_ids(connection, objects) -> set[int]:
    """The requests whose rows count differently when `objects` change."""
    found: set[int] = set()
    sessions, residents, topics = set(), set(), set()
    unknown_requests, unknown_sessions = [], []
    for obj in objects:
        if isinstance(obj, HelpRequest):
            found |= {obj.id} if obj.id is not None else set()
        elif isinstance(obj, Offer | RequestEvent | HelpSession | Feedback):
            found |= _values(obj, "request_id", unknown_requests)
        elif isinstance(obj, Outcome):
            sessions |= _values(obj, "session_id", unknown_sessions)
        elif isinstance(obj, Resident):
            residents |= {obj.id} if obj.id is not None else set()
        elif isinstance(obj, Topic):
            topics |= {obj.id} if obj.id is not None else set()
    found |= _row_values(connection, unknown_requests, "request_id")
    sessions |= _row_values(connection, unknown_sessions, "session_id")
    if sessions:
        found |= set(connection.scalars(select(HelpSession.request_id).where(HelpSession.id.in_(sessions))))
    if residents:
        found |= set(connection.scalars(select(HelpRequest.id).where(HelpRequest.resident_id.in_(residents))))
    if topics:
        found |= set(
            connection.scalars(
                select(request_topics.c.request_id).where(request_topics.c.topic_id.in_(topics))
            )
        )
    return found


def _watched(session, collection, *, changed_only: bool) -> list:
    return [obj for obj in collection if type(obj) in RELEVANT and (not changed_only or _changed(obj))]


@event.listens_for(Session, "before_flush")
def _mark_before_flush(session, _context, _instances):
    """The days the changed and deleted rows counted on before the change (still in the database)."""
    objects = _watched(session, session.dirty, changed_only=True) + _watched(
        session, session.deleted, changed_only=False
    )
    if objects:
        connection = session.connection()
        _mark(connection, _request_ids(connection, objects))


@event.listens_for(Session, "after_flush")
def _mark_after_flush(session, _context):
    """The days the new and changed rows count on now."""
    objects = _watched(session, session.new, changed_only=False) + _watched(
        session, session.dirty, changed_only=True
    )
    if objects:
        connection = session.connection()
        _mark(connection, _request_ids(connection, objects))


# Bulk statements on the tables a figure reads: how to find the requests of the rows a WHERE picks.
_BULK_REQUESTS = {
    "help_requests": lambda t: t.c.id,
    "offers": lambda t: t.c.request_id,
    "request_events": lambda t: t.c.request_id,
    "help_sessions": lambda t: t.c.request_id,
    "feedback": lambda t: t.c.request_id,
    "request_topics": lambda t: t.c.request_id,
    "request_languages": lambda t: t.c.request_id,
}


def _bulk_request_ids(connection, table, whereclause) -> set[int]:
    condition = whereclause if whereclause is not None else sa.true()
    if table.name in _BULK_REQUESTS:
        return set(connection.scalars(select(_BULK_REQUESTS[table.name](table)).where(condition)))
    if table.name == "outcomes":
        chosen = select(table.c.session_id).where(condition)
        return set(connection.scalars(select(HelpSession.request_id).where(HelpSession.id.in_(chosen))))
    if table.name == "residents":
        chosen = select(table.c.id).where(condition)
        return set(connection.scalars(select(HelpRequest.id).where(HelpRequest.resident_id.in_(chosen))))
    if table.name == "topics":
        chosen = select(table.c.id).where(condition)
        return set(
            connection.scalars(
                select(request_topics.c.request_id).where(request_topics.c.topic_id.in_(chosen))
            )
        )
    return set()


WATCHED_TABLES = set(_BULK_REQUESTS) | {"outcomes", "residents", "topics"}


@event.listens_for(Session, "do_orm_execute")
def _mark_bulk(state):
    """Bulk UPDATE and DELETE mark the days of the rows they pick before and (UPDATE) after; a bulk INSERT
    of rows that name their request marks that request's days after."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return None
    table = getattr(state.statement, "table", None)
    if table is None or getattr(table, "name", None) not in WATCHED_TABLES:
        return None
    connection = state.session.connection()
    if state.is_insert:
        result = state.invoke_statement()
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        ids = {row.get("request_id") for row in rows if isinstance(row, dict)} - {None}
        _mark(connection, ids)
        return result
    ids = _bulk_request_ids(connection, table, state.statement.whereclause)
    _mark(connection, ids)
    result = state.invoke_statement()
    if state.is_update:
        _mark(connection, ids)
    return result


# ----------------------------------------------------------------------------------------------- reading
def _days(scope: queries.Scope) -> tuple[date, date, list[date]]:
    """The scope's first day, the day after its last, and the day each month after the first starts."""
    return (
        rules.local_day(scope.start),
        rules.local_day(scope.end),
        [rules.local_day(bound) for bound in scope.month_bounds],
    )


def _month_of(day_column, month_starts: list[date]):
    if not month_starts:
        return sa.literal(0)
    return case(
        *[(day_column < start, index) for index, start in enumerate(month_starts)], else_=len(month_starts)
    )


def _whole_months(first: date, end: date) -> tuple[date, date] | None:
    """The first day of the first whole calendar month within the days first..end (end excluded) and the
    day after the last whole month; None when no whole month lies within."""
    start = first if first.day == 1 else stats.add_months(first.replace(day=1), 1)
    stop = end.replace(day=1)
    return (start, stop) if start < stop else None


def _spans(first: date, end: date, subtract: bool) -> list[tuple[str, date, date, int]]:
    """How the days first..end (end excluded) are read, as (source, low, high, sign): ("months", first
    month, the month after the last, 1) for whole calendar months from a month table, ("days", low, high,
    1) for days from the day table. With `subtract` (for counts, which add up; not for distinct
    volunteers) a partial month with fewer of its days outside the range than inside is read as its month
    row less (sign -1) the days outside: the first partial month of the last 12 months is then its month
    row and a day or two, not four weeks of day rows. Months read whole that follow one another are one
    span (one range of months read through the month table's indexes, not one statement part each)."""
    whole = _whole_months(first, end)
    spans = [("months", *whole, 1)] if whole is not None else []
    month = first.replace(day=1)
    while month < end:
        following = stats.add_months(month, 1)
        if whole is None or not whole[0] <= month < whole[1]:
            low, high = max(first, month), min(end, following)
            outside = [(a, b) for a, b in ((month, low), (high, following)) if a < b]
            if subtract and sum((b - a).days for a, b in outside) < (high - low).days:
                spans.append(("months", month, following, 1))
                spans += [("days", a, b, -1) for a, b in outside]
            else:
                spans.append(("days", low, high, 1))
        month = following
    months = sorted((low, high) for source, low, high, _sign in spans if source == "months")
    joined: list[list[date]] = []
    for low, high in months:
        if joined and joined[-1][1] == low:
            joined[-1][1] = high
        else:
            joined.append([low, high])
    return [("months", low, high, 1) for low, high in joined] + [span for span in spans if span[0] == "days"]


def _rows(day_table, scope, first: date, end: date, columns: list, month_table=None, counts=(), whole=False):
    """A subquery (network_id, day, *columns) of the roll-up rows of the scope's days first..end (end
    excluded), as _spans reads them: whole calendar months from the month table (day: the month's first
    day; by default the day table's first month table), days from the day table. `counts`: the columns
    that add up; given, a partial month may be read as its month row less the days outside the range (those
    rows' counts negated), so the sums over the rows are those of the range's days (a category whose
    counts all come to 0 has no row in the range). `whole` (the scope of every network, a month table of
    WHOLE_TABLES): every day row is read a second time as the whole network's (WHOLE_NETWORK), whose month
    rows the month table holds, so the whole network comes out as one more network."""
    if month_table is None:
        month_table = next(m for d, m, _k, _c in MONTH_TABLES if d is day_table)
    parts = []
    for source, low, high, sign in _spans(first, end, bool(counts)):
        if source == "months":
            table, when = month_table, month_table.c.month
            values = [month_table.c[c] for c in columns]
        else:
            table, when = day_table, day_table.c.day
            values = [_key(day_table, c) for c in columns]
        values = [-v if sign < 0 and c in counts else v for c, v in zip(columns, values, strict=True)]
        labelled = [v.label(c) for c, v in zip(columns, values, strict=True)]
        networks = [table.c.network_id]
        if whole and source == "days":
            networks.append(sa.literal_column(str(WHOLE_NETWORK), sa.Integer))
        parts += [
            select(network.label("network_id"), when.label("day"), *labelled).where(
                when >= low, when < high, scope.networks(table.c.network_id)
            )
            for network in networks
        ]
    return (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()


# The statements of the reading functions below are built once for each scope and kept (core.db.built; the
# dashboards of a day all read the same range): building one costs more CPU than SQLite takes to run it on a
# network's roll-up rows. What the data decides (the quantiles' probes) is given as parameters at execution.
_WITHOUT_MONTHS = ("topic", "language", "unmatched")


def _cells_statement(scope: queries.Scope):
    first, end, month_starts = _days(scope)
    counted = [f"n{i}" for i in range(1, 9)]
    cells = _rows(CELLS, scope, first, end, ["figure", "k1", "k2", "k3", *counted], counts=counted)
    # the figures without months are added up over the range's months in SQL
    month = case((cells.c.figure.in_(_WITHOUT_MONTHS), 0), else_=_month_of(cells.c.day, month_starts))
    month = month.label("month")
    sums = [_counted(cells.c[f"n{i}"]) for i in range(1, 9)]
    stmt = select(
        cells.c.network_id, cells.c.figure, cells.c.k1, cells.c.k2, cells.c.k3, month, *sums
    ).group_by(cells.c.network_id, cells.c.figure, cells.c.k1, cells.c.k2, cells.c.k3, month)
    # n1 counts the rows of every figure (requests, sessions, feedback): 0 when none lie in the range
    return stmt.having(sums[0] != 0)


def read(scope: queries.Scope) -> dict:
    """Every roll-up figure of the scope, in the shapes the queries of queries.py return them: {"timings",
    "profile", "topic_groups", "languages", "unmatched", "sessions", "active", "feedback", "answers"}."""
    names = ("profile", "topic_groups", "languages", "unmatched", "sessions", "feedback", "answers")
    # {network id: {categories: counts}} per figure; a network's entry made when its first row comes
    by_network: dict = {name: defaultdict(dict) for name in names}
    profile, sessions, feedback = by_network["profile"], by_network["sessions"], by_network["feedback"]
    stmt = built(("roll-up cells", scope), lambda: _cells_statement(scope))
    # Each (network, figure, categories, month) comes once; the sessions' counts are a tuple in the order of
    # queries.SessionCell's fields (queries.sessions_and_outcomes).
    # The figures with the most rows (42,000 in all at 1,000,000 sessions) are tested for first.
    for network_id, figure, k1, k2, k3, month, n1, n2, n3, n4, n5, n6, n7, n8 in rows_in_parts(
        db.session.execute(stmt)
    ):
        if figure == "profile":
            entry, key = profile[network_id], (k1, k2, month)
        elif figure == "sessions":
            sessions[network_id][(k1, k2, month, k3)] = (n1, n2, n3, n4, n5, n6, n7, n8)
            continue
        elif figure == "feedback":
            entry, key = feedback[network_id], (int(k1), k2, month)
        elif figure == "topic":
            entry, key = by_network["topic_groups"][network_id], int(k1)
        elif figure in ("language", "unmatched"):
            entry, key = by_network["languages" if figure == "language" else "unmatched"][network_id], k1
        else:  # answers
            entry = by_network["answers"][network_id]
            for measure, value in zip(queries.ANSWER_MEASURES, (n1, n2, n3), strict=True):
                entry[(k1, month, measure)] = entry.get((k1, month, measure), 0) + value
            continue
        entry[key] = entry.get(key, 0) + n1
    found: dict = {name: dict(by_network[name]) for name in names}
    dialect = _dialect(db.session.get_bind())
    found["timings"] = _timings(scope, dialect)
    found["active"] = _active(scope, dialect)
    return found


def _near_ranks(source, value: str, groupings: tuple, quantiles: tuple):
    """From `source` (network_id, step, `value`, count), merged per network (grouping True) and for the
    whole scope (False: g -1), per step, one statement of the (g, step, value, first rank, count, total)
    rows holding the ranks around each quantile (window sums over the merged counts in value order)."""
    parts = []
    for per_network in groupings:
        group = source.c.network_id if per_network else sa.literal_column("-1")
        parts.append(
            select(
                group.label("g"),
                source.c.step,
                source.c[value].label("v"),
                _counted(source.c.count).label("n"),
            )
            .group_by(*([group] if per_network else []), source.c.step, source.c[value])
            .having(_counted(source.c.count) != 0)
        )
    merged = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    partition = (merged.c.g, merged.c.step)
    ranked = select(
        merged.c.g,
        merged.c.step,
        merged.c.v,
        (func.sum(merged.c.n).over(partition_by=partition, order_by=merged.c.v) - merged.c.n).label("first"),
        merged.c.n,
        func.sum(merged.c.n).over(partition_by=partition).label("total"),
    ).subquery()
    near = []
    for q in quantiles:
        position = sa.cast(q * (ranked.c.total - 1), sa.Float)
        near.append(sa.and_(ranked.c.first <= position + 1, ranked.c.first + ranked.c.n - 1 >= position - 1))
    stmt = select(ranked.c.g, ranked.c.step, ranked.c.v, ranked.c.first, ranked.c.n, ranked.c.total)
    return stmt.where(sa.or_(*near))


def _buckets_statement(scope: queries.Scope, groupings: tuple, quantiles: tuple):
    """_near_ranks of the scope's day-wide buckets of waiting (month bucket rows, edge days' hours put in
    their buckets; the scope of every network with the whole network as one more network)."""
    first, end, _months = _days(scope)
    every = scope.network_ids is None
    # the edge days' buckets from their hours (a twentieth of their minutes' rows)
    buckets = _rows(
        WAIT_HOURS, scope, first, end, ["step", "bucket", "count"], MONTH_WAIT_BUCKETS, ["count"], whole=every
    )
    return _near_ranks(buckets, "bucket", groupings, quantiles)


def _listed(name: str, columns: list, dialect: str):
    """A FROM of rows given at execution (_listed_values): [(column name, type)]. On PostgreSQL one array
    parameter per column, unnested side by side (hashed or probed through an index like a table), elsewhere
    (SQLite) one JSON array of the rows, read by json_each: either way one parameter whatever the number of
    rows, so the statement is built and compiled once."""
    if dialect == "postgresql":
        arrays = [sa.bindparam(f"{name}_{n}", type_=postgresql.ARRAY(t)) for n, t in columns]
        return func.unnest(*arrays).table_valued(*[sa.column(n, t) for n, t in columns]).render_derived(name)
    rows = func.json_each(sa.bindparam(name, type_=sa.String)).table_valued("value").alias(f"{name}_rows")
    picked = [
        sa.type_coerce(func.json_extract(rows.c.value, f"$[{i}]"), t).label(n)
        for i, (n, t) in enumerate(columns)
    ]
    return select(*picked).subquery(name)


def _listed_values(name: str, columns: list, rows: list, dialect: str) -> dict:
    """The execution parameters of _listed(name, columns, dialect) holding `rows`."""
    if dialect == "postgresql":
        return {f"{name}_{n}": [row[i] for row in rows] for i, (n, _t) in enumerate(columns)}
    return {name: json.dumps([list(row) for row in rows])}


# The finer levels of the waiting times after the day-wide buckets: (name of the level's value, its month
# table, how many of its values one value of the level above holds).
_FINER = (
    ("hour", MONTH_WAIT_HOURS, WIDTHS["bucket"] // WIDTHS["hour"]),
    ("ten", MONTH_WAIT_TENS, WIDTHS["hour"] // WIDTHS["ten"]),
    ("minutes", MONTH_WAITS, WIDTHS["ten"]),
)


def _truncated(value: int, by: int) -> int:
    """Integer division as SQL does it (_key): truncated toward zero."""
    quotient = abs(value) // by
    return -quotient if value < 0 else quotient


def _finer_range(above: int, per_value: int) -> tuple[int, int]:
    """The [low, high) of the finer values whose truncated division by `per_value` is `above` (the one at
    zero holds the values on both sides of it)."""
    if above > 0:
        return above * per_value, (above + 1) * per_value
    if above < 0:
        return (above - 1) * per_value + 1, above * per_value + 1
    return 1 - per_value, per_value


_PROBES = [("g", sa.Integer), ("n", sa.Integer), ("s", sa.String), ("lo", sa.Integer), ("hi", sa.Integer)]


def _refine_statement(first: date, end: date, level: int, lists: frozenset, dialect: str):
    """The statement of _refine: the level's (g, step, value, count) rows, in value order, of the probes
    each list in `lists` names ("all": every probe, "networks": a network's, "whole": the whole
    network's), given at execution (_listed)."""
    name, month_table, _per_value = _FINER[level]
    listed = {key: _listed(f"chosen_{key}", _PROBES, dialect) for key in lists}
    parts = []
    for source, low, high, sign in _spans(first, end, True):
        if source == "months":  # the whole network's month rows are its own
            table, when, value = month_table, month_table.c.month, month_table.c[name]
            probes = [("all", True)]
        elif name == "hour":  # the whole network's days are every network's; their hours are kept
            table, when, value = WAIT_HOURS, WAIT_HOURS.c.day, WAIT_HOURS.c.hour
            probes = [("networks", True), ("whole", False)]
        else:
            table, when, value = WAITS, WAITS.c.day, _key(WAITS, name)
            probes = [("networks", True), ("whole", False)]
        for key, by_id in probes:
            if key not in listed:
                continue
            chosen = listed[key]
            on = [table.c.step == chosen.c.s, value >= chosen.c.lo, value < chosen.c.hi]
            on += [table.c.network_id == chosen.c.n] if by_id else []
            if table is WAITS and name in WIDTHS:
                # The minutes around the level's values too, which their index can seek (a value is the
                # minutes divided by the width, truncated: these bounds hold every such minute).
                width = sa.literal_column(str(WIDTHS[name]), sa.Integer)
                on += [
                    table.c.minutes > chosen.c.lo * width - width,
                    table.c.minutes < chosen.c.hi * width + width,
                ]
            if source == "months" and dialect == "postgresql":
                # Each probe adds up its own months as the month table's key orders them (network, step,
                # value, month), a few dozen sums each, instead of every probe's month rows sorted together
                # to be added up (90,000 rows for the hours at 1,000,000 sessions). SQLite has no LATERAL.
                sums = (
                    select(value.label("v"), _counted(table.c.count).label("count"))
                    .where(*on, when >= low, when < high)
                    .group_by(value)
                    .lateral(f"{key}_months")
                )
                parts.append(
                    select(chosen.c.g, chosen.c.s.label("step"), sums.c.v, sums.c.count).select_from(
                        chosen.join(sums, sa.true())
                    )
                )
                continue
            # added up per probe and value here (a hash of a few thousand sums), not sorted row by row with
            # every part's rows (the edge days of 59 networks: 200,000 rows for the hours at 10,000,000)
            v = value.label("v")
            parts.append(
                select(chosen.c.g, table.c.step, v, func.sum(table.c.count * sign).label("count"))
                .select_from(table.join(chosen, sa.and_(*on)))
                # the days one by one, so that their index seeks each day's step and minutes
                .where(when.in_([low + timedelta(days=d) for d in range((high - low).days)]))
                .group_by(chosen.c.g, table.c.step, v)
            )
    rows = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    return (
        select(rows.c.g, rows.c.step, rows.c.v, _counted(rows.c.count))
        .group_by(rows.c.g, rows.c.step, rows.c.v)
        .having(_counted(rows.c.count) != 0)
        .order_by(rows.c.g, rows.c.step, rows.c.v)
    )


def _refine(scope, level: int, holding: dict, networks: list, dialect: str) -> list:
    """The (g, step, value, first rank, count) rows of the level (an index of _FINER) within the values of
    the level above that `holding` names ({(g, step, value above): its first rank}), in value order: each
    network's own (g: the network) and the whole scope's (g -1: the networks of a scope of some networks,
    read network by network; g WHOLE_NETWORK: every network's, from the whole network's month rows and every
    network's edge days). The month table's rows are probed by network, step and value range over the
    months; the edge days' rows (their hours for the hour step) are sought day by day."""
    first, end, _months = _days(scope)
    per_value = _FINER[level][2]
    by_network, whole = [], []
    for g, step, above in sorted(holding):
        low, high = _finer_range(above, per_value)
        if g == WHOLE_NETWORK:
            whole.append((g, g, step, low, high))
        else:
            by_network += [(g, network_id, step, low, high) for network_id in (networks if g == -1 else [g])]
    every = (("all", by_network + whole), ("networks", by_network), ("whole", whole))
    lists = {key: rows for key, rows in every if rows}
    key = ("roll-up refinement", first, end, level, frozenset(lists))
    stmt = built(key, lambda: _refine_statement(first, end, level, key[-1], dialect))
    values: dict = {}
    for key, rows in lists.items():
        values.update(_listed_values(f"chosen_{key}", _PROBES, rows, dialect))
    found, seen = [], dict(holding)
    for g, step, value, n in rows_in_parts(db.session.execute(stmt, values)):
        above = (g, step, _truncated(value, per_value))
        found.append((g, step, value, seen[above], n))
        seen[above] += n
    return found


def _quantile(cumulative, total: int, q: float) -> float | None:
    """rollup_rules.quantile_from_ranks, or None when the levels do not hold the ranks: only when roll-ups
    were written around the folds (one level's rows deleted or changed behind their back); no figure then,
    rather than a wrong one or an error page."""
    try:
        return rules.quantile_from_ranks(cumulative, total, q)
    except ValueError:
        return None


def _timings(scope, dialect: str, quantiles=(0.5, 0.9)) -> dict:
    """queries.request_timings from the histograms, exactly, per network and for the whole scope, in four
    steps that each read only around the quantiles' ranks: the day-wide bucket counts (month bucket rows,
    edge days' hours put in their buckets) locate the buckets holding the two ranks around each quantile;
    then the hours of those buckets are read (month hour rows, edge days' hour rows), ranked
    from the bucket's first rank, to locate the hours; then the tens of minutes of those hours, the same way;
    then the minutes of those tens."""
    found: dict = {}
    # Every network: the whole network is read as one more network (WHOLE_NETWORK, _rows); a single
    # network is its own whole; some networks are merged (g -1).
    every = scope.network_ids is None
    groupings = (True,) if every or len(scope.network_ids) == 1 else (True, False)
    located = [
        (g, step, int(v), int(first), int(n), int(total))
        for g, step, v, first, n, total in db.session.execute(
            built(
                ("roll-up buckets", scope, quantiles), lambda: _buckets_statement(scope, groupings, quantiles)
            )
        )
    ]
    totals = {(g, step): total for g, step, _v, _f, _n, total in located}
    ranks = {
        key: {rank for q in quantiles for rank in rules.quantile_ranks(total, q)[1:]}
        for key, total in totals.items()
    }
    networks = sorted({g for g, *_ in located if g not in (-1, WHOLE_NETWORK)})

    def holding(rows):
        # a plain loop, not any() over a generator per row: some 12,000 rows at 1,000,000 sessions
        found = {}
        for g, step, value, first_rank, n in rows:
            last = first_rank + n
            for rank in ranks[(g, step)]:
                if first_rank <= rank < last:
                    found[(g, step, value)] = first_rank
                    break
        return found

    chosen = holding([(g, step, v, first_rank, n) for g, step, v, first_rank, n, _t in located])
    rows: list = []
    for level in range(len(_FINER)):
        if not chosen:
            break
        rows = _refine(scope, level, chosen, networks, dialect)
        chosen = holding(rows)
    by_group: dict = {}
    for g, step, minutes, first_rank, n in rows:
        by_group.setdefault((g, step), []).append((minutes, first_rank, first_rank + n - 1))
    for (g, step), cumulative in by_group.items():
        key = queries.ALL if g in (-1, WHOLE_NETWORK) else g
        values = [rules.minutes_as_seconds(_quantile(cumulative, totals[(g, step)], q)) for q in quantiles]
        found.setdefault(key, {})[step] = (totals[(g, step)], values)
    if not every and len(groupings) == 1:
        (network_id,) = scope.network_ids
        if network_id in found:
            found[queries.ALL] = found[network_id]
    for entry in found.values():
        for step in queries.TIMINGS:
            entry.setdefault(step, (0, [None] * len(quantiles)))
    return found


def _active_statement(scope: queries.Scope, dialect: str):
    """The statement of _active: (network_id, distinct volunteers) per network and, for more than one
    network, for the whole (network_id NULL)."""
    first, end, _months = _days(scope)
    months_of: dict[int, list[date]] = {}  # the whole months, by year
    partial = []
    for source, low, high, _sign in _spans(first, end, False):
        if source == "months":
            for month in stats.month_starts(low, high - timedelta(days=1)):
                months_of.setdefault(month.year, []).append(month)
        else:
            partial.append((low.replace(day=1), rules.day_bits(low, high)))
    parts = []
    for year, months in ((y, rules.month_bits(m)) for y, m in months_of.items()):
        chosen = [YEAR_ACTIVE.c.year == year, scope.networks(YEAR_ACTIVE.c.network_id)]
        if months != rules.ALL_MONTHS:
            chosen.append(_any_bit(YEAR_ACTIVE.c.months, months))
        parts.append(select(YEAR_ACTIVE.c.network_id, YEAR_ACTIVE.c.volunteer_id).where(*chosen))
    for month, days in partial:
        parts.append(
            select(MONTH_ACTIVE.c.network_id, MONTH_ACTIVE.c.volunteer_id).where(
                MONTH_ACTIVE.c.month == month,
                scope.networks(MONTH_ACTIVE.c.network_id),
                _any_bit(MONTH_ACTIVE.c.days, days),
            )
        )
    rows = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    volunteers = func.count(sa.distinct(rows.c.volunteer_id))
    per_network = select(rows.c.network_id, volunteers)
    if scope.network_ids is not None and len(scope.network_ids) == 1:
        return per_network.group_by(rows.c.network_id)
    if dialect == "postgresql":
        # one pass: the networks' and the whole's (network_id NULL) distinct volunteers
        return per_network.group_by(func.grouping_sets(sa.tuple_(rows.c.network_id), sa.tuple_()))
    whole = select(sa.cast(sa.null(), sa.Integer), volunteers)
    return sa.union_all(per_network.group_by(rows.c.network_id), whole)


def _active(scope, dialect: str) -> dict:
    """queries.active_volunteers from the bitmasks: the range's whole calendar months from rollup_year_active
    (one row per network, volunteer and year, its months sharing a bit with the range's), its partial months
    from rollup_month_active (its days sharing a bit with the range's days of the month); the distinct
    volunteers counted in SQL per network and, for more than one network, for the whole (a volunteer who
    helps in two networks counts once there): about 60 rows come back, not every (network, volunteer)."""
    single = scope.network_ids is not None and len(scope.network_ids) == 1
    counted = {
        network_id: int(n)
        for network_id, n in db.session.execute(
            built(("roll-up active", scope), lambda: _active_statement(scope, dialect))
        )
    }
    found = {network_id: n for network_id, n in counted.items() if network_id is not None}
    found[queries.ALL] = sum(found.values()) if single else counted[None]
    return found


def _advice_statement(network_ids, first: date):
    """queries.waiting_groups' rows for the requests of `network_ids` (None: every network) that waited
    since `first`: those escalated for the last time on `first` or later from the roll-ups (no day, no
    request id; the month rows from `first`'s month on, with no end: a request escalated since counts
    whenever its last escalation lies, and `first`'s month read as _spans reads a partial month: its month
    row less the days before `first` when those are fewer than the days after, else those days from the day
    table), and from the rows the requests still waiting that were not escalated since."""
    month = first.replace(day=1)
    following = stats.add_months(month, 1)

    def part(table, when, low, high=None, sign=1):
        requests = table.c.requests if sign > 0 else -table.c.requests
        conditions = [when >= low] + ([when < high] if high is not None else [])
        if network_ids is not None:
            conditions.append(table.c.network_id.in_(list(network_ids)))
        columns = [table.c.network_id, *[table.c[k] for k in ADVICE_KEYS], requests.label("requests")]
        return select(*columns).where(*conditions)

    if (first - month).days < (following - first).days:
        parts = [part(MONTH_ADVICE, MONTH_ADVICE.c.month, month)]
        if first > month:
            parts.append(part(ADVICE, ADVICE.c.day, month, first, sign=-1))
    else:
        parts = [
            part(MONTH_ADVICE, MONTH_ADVICE.c.month, following),
            part(ADVICE, ADVICE.c.day, first, following),
        ]
    rows = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery("advice")
    keys = [rows.c.network_id, *[rows.c[k] for k in ADVICE_KEYS]]
    total = _counted(rows.c.requests)
    nothing = sa.null()
    rolled = select(keys[0], nothing, *keys[1:], nothing, total).group_by(*keys).having(total != 0)
    return sa.union_all(queries.waiting_statement(network_ids, escalated=False), rolled)


def waiting_counts(network_ids, since, now, wait) -> dict:
    """queries.waiting_counts from the roll-ups (read after a fold, as the dashboards fold before they
    read), in one statement (_advice_statement)."""
    first = rules.local_day(since)
    if stats.local_midnight_utc(first) != since:
        raise ValueError(f"the advice is kept per day: {since} is not a Brussels midnight")
    key = None if network_ids is None else tuple(sorted(network_ids))
    stmt = built(("advice", key, first), lambda: _advice_statement(key, first))
    rows = rows_in_parts(db.session.execute(stmt, {"since": since, "waited": now - wait}))
    return queries.grouped(db.session.execute, rows)
