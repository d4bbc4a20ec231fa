"""The dashboards' tables: query results (queries.py) labelled in the viewer's language and arranged as
tables. A coordinator's own network is shown exactly; everything the central level sees (the network
dashboard, a network's yearly report for the administrator) goes through small-cell suppression
(stats.suppress_matrix, stats.suppress_by_basis): no count from 1 to 4 is shown, nor any figure that would let
one be recomputed (a total minus the other cells, an average next to its hidden count or answers)."""

from dataclasses import dataclass, field, fields
from datetime import date, datetime

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.i18n import language_name
from ..core.labels import label
from ..extensions import db
from ..outcomes.forms import SATISFACTION_LABELS
from ..outcomes.views import referral_label
from ..reference.models import TopicGroup
from ..requests.models import AgeBand
from . import queries, stats
from .stats import SUPPRESSED, Column, Row, Table

OPEN_ORDER = ("new", "matching", "offered", "escalated", "matched", "scheduled")
SESSION_ORDER = ("done", "resident_no_show", "volunteer_no_show", "cancelled", "planned")
RESULT_ORDER = ("solved", "partly_solved", "referred", "not_solved")
FEEDBACK_CHANNELS = ("link", "phone", "counter")
TOP_LANGUAGES = 10
TOP_REFERRALS = 8
OTHER = "other"
WHOLE = "all"  # the key of the whole network's figures next to the networks' ids


@dataclass
class Dashboard:
    title: str
    date_range: stats.DateRange
    tables: list[Table]
    suppressed: bool
    network: object = None
    networks: list = field(default_factory=list)
    computed_at: datetime | None = None  # when the figures were calculated, if not on the spot

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _locale() -> str:
    return str(get_locale() or "nl")


# ----------------------------------------------------------------------------------------------- labels
def age_bucket_labels() -> list[str]:
    return [_("Less than 1 week"), _("1 to 2 weeks"), _("2 to 4 weeks"), _("4 weeks or more")]


def timing_labels() -> dict:
    return {
        "offer": _("Request to first offer"),
        "match": _("Request to a digibuddy found"),
        "session": _("Request to first session"),
    }


def channel_labels() -> dict:
    return {
        "click": _("Click (online)"),
        "call": _("Call (by phone)"),
        "face": _("Face (at a counter)"),
        "home": _("Home (home visit through outreach)"),
    }


def reason_labels() -> dict:
    return {
        "rounds": _("Nobody accepted within the offer rounds"),
        "not_active": _("No active, screened digibuddy"),
        "full": _("The digibuddies were all busy"),
        "language": _("Nobody speaks the language"),
        "mode": _("Nobody helps in the way asked"),
        "distance": _("Nobody lives close enough"),
        "topic": _("Nobody knows the topics"),
        "already_asked": _("Everyone was already asked"),
        "other": _("Other reason"),
    }


def feedback_channel_labels() -> dict:
    return {"link": _("Through the link"), "phone": _("By phone"), "counter": _("At the counter")}


def satisfaction_text(value: int) -> str:
    return f"{value} · {SATISFACTION_LABELS[value]}"


def month_label(month: date) -> str:
    return format_date(month, "MMM yyyy", locale=_locale())


def topic_groups() -> list[TopicGroup]:
    return db.session.scalars(select(TopicGroup).order_by(TopicGroup.position)).all()


# ----------------------------------------------------------------------------------------------- data
@dataclass
class Figures:
    """Every query's result for one scope, fetched once per dashboard."""

    open: dict
    timings: dict
    profile: dict
    topic_groups: dict
    languages: dict
    unmatched: dict
    sessions: dict
    active: dict
    flow: dict
    feedback: dict

    @classmethod
    def empty(cls) -> "Figures":
        return cls(**{f.name: {} for f in fields(cls)})


def scope_for(network_ids, date_range: stats.DateRange) -> queries.Scope:
    start, end = date_range.utc_bounds()
    return queries.Scope(
        tuple(network_ids) if network_ids is not None else None,
        start,
        end,
        tuple(stats.month_bounds_utc(date_range.months())),
    )


def fetch(scope: queries.Scope, now: datetime) -> Figures:
    queries.planner_settings(scope)
    return Figures(
        open=queries.open_requests(scope, now),
        timings=queries.request_timings(scope),
        profile=queries.request_profile(scope),
        topic_groups=queries.requests_by_topic_group(scope),
        languages=queries.requests_by_language(scope),
        unmatched=queries.unmatched_reasons(scope),
        sessions=queries.sessions_and_outcomes(scope),
        active=queries.active_volunteers(scope),
        flow=queries.volunteer_flow(scope),
        feedback=queries.feedback(scope),
    )


def _marginal(counts: dict, position: int) -> dict:
    """Sum a {(a, b, ...): n} mapping down to {key[position]: n}."""
    found: dict = {}
    for key, value in counts.items():
        found[key[position]] = found.get(key[position], 0) + value
    return found


@dataclass
class NetworkNumbers:
    """One entity's (a network's, or the whole network's) figures, as plain dictionaries."""

    open_status: dict
    open_age: dict
    open_matrix: dict
    timings: dict
    channels: dict
    age_bands: dict
    months_requests: dict
    topic_groups: dict
    languages: dict
    unmatched: dict
    session_status: dict
    results: dict
    referrals: dict
    outcome_totals: queries.SessionCell
    months_sessions: dict
    months_minutes: dict
    months_outcomes: dict
    active: int
    flow: dict
    satisfaction: dict
    satisfaction_channel: dict
    months_feedback: dict
    months_satisfaction_sum: dict


def numbers_for(figures: Figures, network_ids: list, whole: bool = False) -> NetworkNumbers:
    """Add the per-network results of `network_ids` together (a single network: just its own). For the
    whole network, figures that do not add up (percentiles, distinct volunteers) come from the query's
    whole-network entry (queries.ALL)."""

    def merged(mapping):
        found: dict = {}
        for network_id in network_ids:
            for key, value in mapping.get(network_id, {}).items():
                found[key] = found.get(key, 0) + value
        return found

    open_matrix = merged(figures.open)
    profile = merged(figures.profile)
    sessions: dict = {}
    for network_id in network_ids:
        for key, cell in figures.sessions.get(network_id, {}).items():
            sessions.setdefault(key, queries.SessionCell()).add(cell)
    feedback = merged(figures.feedback)

    totals = queries.SessionCell()
    session_status, results, referrals = {}, {}, {}
    months_sessions, months_minutes, months_outcomes = {}, {}, {}
    for (status, result, month, referred), cell in sessions.items():
        session_status[status] = session_status.get(status, 0) + cell.sessions
        if result is not None:
            results[result] = results.get(result, 0) + cell.outcomes
            totals.add(cell)
            months_minutes[month] = months_minutes.get(month, 0) + cell.minutes
            months_outcomes[month] = months_outcomes.get(month, 0) + cell.outcomes
        if referred is not None:
            referrals[referred] = referrals.get(referred, 0) + cell.outcomes
        if status == "done":
            months_sessions[month] = months_sessions.get(month, 0) + cell.sessions
    months_satisfaction_sum: dict = {}
    for (satisfaction, _channel, month), count in feedback.items():
        months_satisfaction_sum[month] = months_satisfaction_sum.get(month, 0) + satisfaction * count

    if whole:
        timings = figures.timings.get(queries.ALL, {})
        active = figures.active.get(queries.ALL, 0)
        flow = figures.flow.get(queries.ALL, {})
    else:
        (network_id,) = network_ids
        timings = figures.timings.get(network_id, {})
        active = figures.active.get(network_id, 0)
        flow = figures.flow.get(network_id, {})
    return NetworkNumbers(
        open_status=_marginal(open_matrix, 0),
        open_age=_marginal(open_matrix, 1),
        open_matrix=open_matrix,
        timings=timings,
        channels={stats.CHANNEL_GROUPS.get(k, k): v for k, v in _marginal(profile, 0).items()},
        age_bands=_marginal(profile, 1),
        months_requests=_marginal(profile, 2),
        topic_groups=merged(figures.topic_groups),
        languages=merged(figures.languages),
        unmatched=merged(figures.unmatched),
        session_status=session_status,
        results=results,
        referrals=referrals,
        outcome_totals=totals,
        months_sessions=months_sessions,
        months_minutes=months_minutes,
        months_outcomes=months_outcomes,
        active=active,
        flow={
            "new": flow.get("new", 0),
            "left": flow.get("left", 0),
            "active_status": flow.get("active_status", 0),
        },
        satisfaction=_marginal(feedback, 0),
        satisfaction_channel=_marginal(feedback, 1),
        months_feedback=_marginal(feedback, 2),
        months_satisfaction_sum=months_satisfaction_sum,
    )


# ----------------------------------------------------------------------------------------------- helpers
def _average(total, count, *shown):
    """total / count (None without a count), hidden when any of the shown cells it goes with is hidden: its
    count, or the answers it averages. An average next to a hidden count gives that count away (3.2 times
    the count is a whole number), and next to hidden answers it gives them away (x + y = 5 and 5x + 4y = 23)."""
    if not count:
        return None
    if any(stats.is_suppressed(cell) for cell in shown):
        return SUPPRESSED
    return total / count


def _protect(cells, suppress, *, total_row=None, total_col=None):
    if not suppress:
        return cells
    return stats.suppress_matrix(cells, total_row=total_row, total_col=total_col)


def _tall_counts(
    key,
    title,
    items,
    *,
    suppress,
    total=True,
    additive=True,
    share=True,
    note="",
    row_header="",
    value_label=None,
    chart="bar",
) -> Table:
    """A table of categories (rows) with their count, a total row and, when exact, each row's share."""
    counts = [count for _k, _label, count in items]
    total_value = sum(counts)
    cells = [[c] for c in counts] + ([[total_value]] if total else [])
    cells = _protect(cells, suppress, total_row=len(cells) - 1 if (total and additive) else None)
    columns = [Column("count", value_label or _("Number"))]
    show_share = share and not suppress
    if show_share:
        columns.append(Column("share", _("Share"), "percent"))
    rows = []
    for index, (row_key, row_label, count) in enumerate(items):
        values = [cells[index][0]] + ([count / total_value if total_value else None] if show_share else [])
        rows.append(Row(row_key, row_label, values))
    if total:
        rows.append(
            Row(
                "total",
                _("Total"),
                [cells[-1][0]] + ([1.0 if total_value else None] if show_share else []),
                total=True,
            )
        )
    return Table(
        key, title, columns, rows, row_header=row_header, note=note, chart=chart, suppressed=suppress
    )


def language_keys(languages: dict) -> list:
    return stats.top_with_other(languages, TOP_LANGUAGES, OTHER)


def language_label(code) -> str:
    return _("Other languages") if code == OTHER else language_name(code, _locale())


def referral_counts(referrals: dict, suppress: bool) -> dict:
    """The referrals per organisation. For the central level, an organisation typed in by hand (not one of
    the list) that fewer than 5 outcomes name counts under "Other organisations": its name alone, free text
    written by a digibuddy, could point at someone."""
    if not suppress:
        return referrals
    from ..outcomes.forms import REFERRAL_ORGANISATIONS

    found: dict = {}
    for key, count in referrals.items():
        key = key if key in REFERRAL_ORGANISATIONS or count >= stats.SMALL_CELL else OTHER
        found[key] = found.get(key, 0) + count
    return found


def referral_keys(referrals: dict) -> list:
    keys = stats.top_with_other(referrals, TOP_REFERRALS, OTHER)
    # "Other organisations" last, also when it holds the typed-in names folded by referral_counts.
    return [k for k in keys if k != OTHER] + ([OTHER] if OTHER in keys else [])


def referral_text(value) -> str:
    return _("Other organisations") if value == OTHER else referral_label(value)


def age_band_keys() -> list:
    return [band.value for band in AgeBand] + [None]


def age_band_label(value) -> str:
    return label("age_band", value) if value else _("Not given")


def _duration_note() -> str:
    return _(
        "Median: half of the requests waited less, half longer. 90th percentile: 9 in 10 requests "
        "waited less than this."
    )


# ----------------------------------------------------------------------------------------------- local
def local_tables(
    numbers: NetworkNumbers, date_range: stats.DateRange, *, suppress: bool = False
) -> list[Table]:
    """The tables of one network's dashboard (rows are categories)."""
    tables = []
    # Open requests by status and age (today).
    buckets = age_bucket_labels()
    matrix = [[numbers.open_matrix.get((status, b), 0) for b in range(len(buckets))] for status in OPEN_ORDER]
    matrix = [row + [sum(row)] for row in matrix]
    matrix.append([sum(col) for col in zip(*matrix)] if matrix else [])
    matrix = _protect(matrix, suppress, total_row=len(matrix) - 1, total_col=len(buckets))
    columns = [Column(f"age_{i}", text) for i, text in enumerate(buckets)] + [Column("total", _("Total"))]
    rows = [Row(status, label("request_status", status), matrix[i]) for i, status in enumerate(OPEN_ORDER)]
    rows.append(Row("total", _("Total"), matrix[-1], total=True))
    tables.append(
        Table(
            "open",
            _("Open requests today, by status and age"),
            columns,
            rows,
            row_header=_("Status"),
            chart="bar",
            chart_columns=[len(buckets)],
            suppressed=suppress,
            note=_("The queue as it is now, whatever the dates chosen. Age: days since the request came in."),
        )
    )

    # Waiting times.
    labels = timing_labels()
    rows = []
    for step in queries.TIMINGS:
        count, (p50, p90) = numbers.timings.get(step, (0, [None, None]))
        if suppress and stats.is_small(count):
            rows.append(Row(step, labels[step], [SUPPRESSED, SUPPRESSED, SUPPRESSED]))
        else:
            rows.append(Row(step, labels[step], [count, p50, p90]))
    tables.append(
        Table(
            "timings",
            _("Waiting times for requests that came in during this period"),
            [
                Column("count", _("Requests")),
                Column("median", _("Median"), "seconds"),
                Column("p90", _("90th percentile"), "seconds"),
            ],
            rows,
            row_header=_("From … to …"),
            note=_duration_note(),
            suppressed=suppress,
        )
    )

    channels = channel_labels()
    tables.append(
        _tall_counts(
            "channel",
            _("Requests by channel"),
            [(c, channels[c], numbers.channels.get(c, 0)) for c in stats.CHANNELS],
            suppress=suppress,
            row_header=_("Channel"),
        )
    )
    groups = topic_groups()
    tables.append(
        _tall_counts(
            "topic_group",
            _("Requests by topic group"),
            [(g.code, g.label(_locale()), numbers.topic_groups.get(g.id, 0)) for g in groups],
            suppress=suppress,
            total=False,
            share=False,
            row_header=_("Topic group"),
            note=_("A request about topics of several groups counts in each of them."),
        )
    )
    keys = language_keys(numbers.languages)
    folded = stats.fold_other(numbers.languages, keys, OTHER)
    tables.append(
        _tall_counts(
            "language",
            _("Requests by language"),
            [(k, language_label(k), folded.get(k, 0)) for k in keys],
            suppress=suppress,
            total=False,
            share=False,
            row_header=_("Language"),
            note=_("A request counts once for every language the resident asked help in."),
        )
    )
    tables.append(
        _tall_counts(
            "age_band",
            _("Requests by age of the resident"),
            [(k or "unknown", age_band_label(k), numbers.age_bands.get(k, 0)) for k in age_band_keys()],
            suppress=suppress,
            row_header=_("Age"),
        )
    )

    # Sessions and volunteer hours.
    hours_by_status = {"done": numbers.outcome_totals.minutes / 60}
    cells = [[numbers.session_status.get(s, 0)] for s in SESSION_ORDER]
    cells.append([sum(c[0] for c in cells)])
    cells = _protect(cells, suppress, total_row=len(cells) - 1)
    hours = numbers.outcome_totals.minutes / 60
    hidden_hours = suppress and stats.is_small(numbers.outcome_totals.outcomes)
    rows = [
        Row(
            s,
            label("session_status", s),
            [cells[i][0], (SUPPRESSED if hidden_hours else hours_by_status[s]) if s == "done" else None],
        )
        for i, s in enumerate(SESSION_ORDER)
    ]
    rows.append(Row("total", _("Total"), [cells[-1][0], SUPPRESSED if hidden_hours else hours], total=True))
    tables.append(
        Table(
            "sessions",
            _("Sessions and volunteer hours"),
            [Column("sessions", _("Sessions")), Column("hours", _("Volunteer hours"), "hours")],
            rows,
            row_header=_("Session"),
            chart="bar",
            suppressed=suppress,
            note=_(
                "Sessions that started in this period. Volunteer hours: the minutes the digibuddies "
                "recorded with the outcome."
            ),
        )
    )

    tables.append(
        _tall_counts(
            "outcomes",
            _("Outcomes of sessions"),
            [(r, label("outcome_result", r), numbers.results.get(r, 0)) for r in RESULT_ORDER],
            suppress=suppress,
            row_header=_("Result"),
        )
    )
    tables.append(confidence_table_tall(numbers, suppress))
    referrals = referral_counts(numbers.referrals, suppress)
    keys = referral_keys(referrals)
    folded = stats.fold_other(referrals, keys, OTHER)
    tables.append(
        _tall_counts(
            "referrals",
            _("Referrals, by organisation"),
            [(k, referral_text(k), folded.get(k, 0)) for k in keys],
            suppress=suppress,
            row_header=_("Organisation"),
        )
    )
    tables.append(satisfaction_table_tall(numbers, suppress))
    flow = numbers.flow
    tables.append(
        _tall_counts(
            "volunteers",
            _("Digibuddies"),
            [
                ("active", _("Helped in at least one session"), numbers.active),
                ("new", _("New (applied in this period)"), flow["new"]),
                ("left", _("Left in this period"), flow["left"]),
                ("active_status", _("Active today"), flow["active_status"]),
            ],
            suppress=suppress,
            total=False,
            share=False,
            additive=False,
            row_header=_("Digibuddies"),
        )
    )
    reasons = reason_labels()
    tables.append(
        _tall_counts(
            "unmatched",
            _("Why requests could not be matched"),
            [
                (r, reasons[r], numbers.unmatched.get(r, 0))
                for r in (*stats.UNMATCHED_REASONS, "other")
                if r != "other" or numbers.unmatched.get(r)
            ],
            suppress=suppress,
            row_header=_("Main reason"),
            note=_(
                "Requests of this period for which no digibuddy was found, by the reason that "
                "ruled out the most digibuddies."
            ),
        )
    )
    tables.append(trend_table(numbers, date_range, suppress))
    return tables


def confidence_table_tall(numbers: NetworkNumbers, suppress: bool) -> Table:
    t = numbers.outcome_totals
    answered = t.confidence_answered
    cells = _protect([[answered], [t.more_confident], [t.follow_up]], suppress)
    rows = [
        Row(
            "answered", _("Residents who answered both confidence questions"), [cells[0][0]], kinds=["count"]
        ),
        Row(
            "before",
            _("Average confidence before (1-5)"),
            [_average(t.confidence_before, answered, cells[0][0])],
            kinds=["decimal"],
        ),
        Row(
            "after",
            _("Average confidence after (1-5)"),
            [_average(t.confidence_after, answered, cells[0][0])],
            kinds=["decimal"],
        ),
        Row("more_confident", _("Felt more confident afterwards"), [cells[1][0]], kinds=["count"]),
        Row("follow_up", _("Outcomes that needed a follow-up"), [cells[2][0]], kinds=["count"]),
    ]
    return Table(
        "confidence",
        _("Confidence of residents and follow-ups"),
        [Column("value", _("Value"))],
        rows,
        row_header=_("Measure"),
        suppressed=suppress,
        note=_(
            "Asked in plain words before and after a session: how sure the resident feels about doing "
            "it alone, from 1 (not sure at all) to 5 (very sure)."
        ),
    )


def satisfaction_table_tall(numbers: NetworkNumbers, suppress: bool) -> Table:
    table = _tall_counts(
        "satisfaction",
        _("Satisfaction of residents"),
        [(v, satisfaction_text(v), numbers.satisfaction.get(v, 0)) for v in (5, 4, 3, 2, 1)],
        suppress=suppress,
        row_header=_("Answer"),
        note=_("Feedback given in this period, through the link, by phone or at the counter."),
    )
    total = sum(numbers.satisfaction.values())
    average = _average(
        sum(v * c for v, c in numbers.satisfaction.items()), total, *[row.values[0] for row in table.rows]
    )
    values = [average] + ([None] if len(table.columns) > 1 else [])
    table.rows.append(
        Row(
            "average",
            _("Average (1-5)"),
            values,
            total=True,
            kinds=["decimal"] + (["percent"] if len(table.columns) > 1 else []),
        )
    )
    channels = feedback_channel_labels()
    # The channels add up to the table's total: protected as one more column with that total.
    counts = _protect(
        [[numbers.satisfaction_channel.get(c, 0)] for c in FEEDBACK_CHANNELS] + [[total]],
        suppress,
        total_row=len(FEEDBACK_CHANNELS),
    )
    by_channel = ", ".join(f"{channels[c]}: {counts[i][0]}" for i, c in enumerate(FEEDBACK_CHANNELS))
    table.note = table.note + " " + _("Given %(channels)s.", channels=by_channel)
    return table


def trend_table(numbers: NetworkNumbers, date_range: stats.DateRange, suppress: bool) -> Table:
    months = date_range.months()
    requests = [numbers.months_requests.get(i, 0) for i in range(len(months))]
    sessions = [numbers.months_sessions.get(i, 0) for i in range(len(months))]
    feedback = [numbers.months_feedback.get(i, 0) for i in range(len(months))]
    cells = [[r, s, f] for r, s, f in zip(requests, sessions, feedback)]
    cells.append([sum(requests), sum(sessions), sum(feedback)])
    cells = _protect(cells, suppress, total_row=len(cells) - 1)
    # Volunteer hours stand for the outcomes behind them, and the months add up to the total.
    hours = [numbers.months_minutes.get(i, 0) / 60 for i in range(len(months))]
    hours.append(sum(numbers.months_minutes.values()) / 60)
    if suppress:
        outcomes = [numbers.months_outcomes.get(i, 0) for i in range(len(months))]
        hours = stats.suppress_by_basis(
            hours, outcomes + [sum(numbers.months_outcomes.values())], total_index=len(months)
        )
    rows = []
    for i, month in enumerate(months):
        average = _average(numbers.months_satisfaction_sum.get(i, 0), feedback[i], cells[i][2])
        rows.append(
            Row(
                month.isoformat()[:7],
                month_label(month),
                [cells[i][0], cells[i][1], hours[i], cells[i][2], average],
            )
        )
    rows.append(
        Row(
            "total",
            _("Total"),
            [
                cells[-1][0],
                cells[-1][1],
                hours[-1],
                cells[-1][2],
                _average(sum(numbers.months_satisfaction_sum.values()), sum(feedback), cells[-1][2]),
            ],
            total=True,
        )
    )
    return Table(
        "trend",
        _("Month by month"),
        [
            Column("requests", _("New requests")),
            Column("sessions", _("Sessions held")),
            Column("hours", _("Volunteer hours"), "hours"),
            Column("feedback", _("Feedback")),
            Column("satisfaction", _("Average satisfaction (1-5)"), "decimal"),
        ],
        rows,
        row_header=_("Month"),
        chart="line",
        chart_columns=[0, 1],
        suppressed=suppress,
    )


# ----------------------------------------------------------------------------------------------- network
def _wide(
    key,
    title,
    categories,
    entities,
    values,
    *,
    suppress=True,
    total_col=False,
    rows_additive=True,
    cols_additive=True,
    note="",
    chart="bar",
    extra=None,
) -> Table:
    """A table with one row per network and a last row for the whole network; one column per category
    (and a total column). `values(entity, category)` gives a count; `extra` adds derived columns:
    [(Column, fn(entity, row_cells) -> value)]."""
    cells = [[values(entity, cat) for cat, _label in categories] for entity in entities]
    if total_col:
        cells = [row + [sum(row)] for row in cells]
    cells = _protect(
        cells,
        suppress,
        total_row=len(cells) - 1 if cols_additive else None,
        total_col=len(categories) if (total_col and rows_additive) else None,
    )
    columns = [Column(str(cat), text) for cat, text in categories]
    if total_col:
        columns.append(Column("total", _("Total")))
    rows = []
    for entity, row_cells in zip(entities, cells):
        values_ = list(row_cells)
        for _column, fn in extra or []:
            values_.append(fn(entity, row_cells))
        rows.append(Row(entity.key, entity.label, values_, total=entity.key == WHOLE))
    columns += [column for column, _fn in extra or []]
    return Table(
        key,
        title,
        columns,
        rows,
        row_header=_("Local network"),
        note=note,
        chart=chart,
        chart_axis="columns",
        chart_columns=list(range(len(categories))),
        suppressed=suppress,
    )


@dataclass
class Entity:
    key: object
    label: str
    numbers: NetworkNumbers


def network_tables(
    entities: list[Entity], date_range: stats.DateRange, *, suppress: bool = True
) -> list[Table]:
    """The central dashboard: each figure per local network side by side, the whole network last."""
    tables = []
    tables.append(
        _wide(
            "open",
            _("Open requests today, by status"),
            [(s, label("request_status", s)) for s in OPEN_ORDER],
            entities,
            lambda e, s: e.numbers.open_status.get(s, 0),
            suppress=suppress,
            total_col=True,
            note=_("The queue as it is now, whatever the dates chosen."),
        )
    )
    tables.append(
        _wide(
            "open_age",
            _("Open requests today, by age"),
            list(enumerate(age_bucket_labels())),
            entities,
            lambda e, b: e.numbers.open_age.get(b, 0),
            suppress=suppress,
            total_col=True,
        )
    )

    labels = timing_labels()
    rows_n = _protect(
        [[e.numbers.timings.get(step, (0, [None, None]))[0] for step in queries.TIMINGS] for e in entities],
        suppress,
        total_row=len(entities) - 1,
    )
    columns, rows = [], []
    for step in queries.TIMINGS:
        columns += [
            Column(f"{step}_count", _("Requests"), group=labels[step]),
            Column(f"{step}_median", _("Median"), "seconds", group=labels[step]),
            Column(f"{step}_p90", _("90th percentile"), "seconds", group=labels[step]),
        ]
    for entity, counts in zip(entities, rows_n):
        values = []
        for index, step in enumerate(queries.TIMINGS):
            count, (p50, p90) = entity.numbers.timings.get(step, (0, [None, None]))
            small = suppress and stats.is_small(count)
            values += [counts[index], SUPPRESSED if small else p50, SUPPRESSED if small else p90]
        rows.append(Row(entity.key, entity.label, values, total=entity.key == WHOLE))
    tables.append(
        Table(
            "timings",
            _("Waiting times for requests that came in during this period"),
            columns,
            rows,
            row_header=_("Local network"),
            note=_duration_note(),
            suppressed=suppress,
        )
    )

    channels = channel_labels()
    tables.append(
        _wide(
            "channel",
            _("Requests by channel"),
            [(c, channels[c]) for c in stats.CHANNELS],
            entities,
            lambda e, c: e.numbers.channels.get(c, 0),
            suppress=suppress,
            total_col=True,
        )
    )
    groups = topic_groups()
    tables.append(
        _wide(
            "topic_group",
            _("Requests by topic group"),
            [(g.code, g.label(_locale())) for g in groups],
            entities,
            lambda e, code: e.numbers.topic_groups.get(next(g.id for g in groups if g.code == code), 0),
            suppress=suppress,
            note=_("A request about topics of several groups counts in each of them."),
        )
    )
    whole = entities[-1].numbers
    keys = language_keys(whole.languages)
    tables.append(
        _wide(
            "language",
            _("Requests by language"),
            [(k, language_label(k)) for k in keys],
            entities,
            lambda e, k: stats.fold_other(e.numbers.languages, keys, OTHER).get(k, 0),
            suppress=suppress,
            note=_("A request counts once for every language the resident asked help in."),
        )
    )
    tables.append(
        _wide(
            "age_band",
            _("Requests by age of the resident"),
            [(k or "unknown", age_band_label(k)) for k in age_band_keys()],
            entities,
            lambda e, k: e.numbers.age_bands.get(None if k == "unknown" else k, 0),
            suppress=suppress,
            total_col=True,
        )
    )

    # Each network's hours and the whole network's, which is their sum: protected together.
    hours_shown = [e.numbers.outcome_totals.minutes / 60 for e in entities]
    if suppress:
        hours_shown = stats.suppress_by_basis(
            hours_shown, [e.numbers.outcome_totals.outcomes for e in entities], total_index=len(entities) - 1
        )
    hours_by_entity = {e.key: value for e, value in zip(entities, hours_shown)}

    def hours(entity, _cells):
        return hours_by_entity[entity.key]

    tables.append(
        _wide(
            "sessions",
            _("Sessions and volunteer hours"),
            [(s, label("session_status", s)) for s in SESSION_ORDER],
            entities,
            lambda e, s: e.numbers.session_status.get(s, 0),
            suppress=suppress,
            total_col=True,
            extra=[(Column("hours", _("Volunteer hours"), "hours"), hours)],
            note=_(
                "Sessions that started in this period. Volunteer hours: the minutes the digibuddies "
                "recorded with the outcome."
            ),
        )
    )
    tables.append(
        _wide(
            "outcomes",
            _("Outcomes of sessions"),
            [(r, label("outcome_result", r)) for r in RESULT_ORDER],
            entities,
            lambda e, r: e.numbers.results.get(r, 0),
            suppress=suppress,
            total_col=True,
        )
    )

    def average(attribute):
        def compute(entity, cells):
            t = entity.numbers.outcome_totals
            return _average(getattr(t, attribute), t.confidence_answered, cells[0])

        return compute

    tables.append(
        _wide(
            "confidence",
            _("Confidence of residents and follow-ups"),
            [
                ("answered", _("Answered both questions")),
                ("more_confident", _("More confident afterwards")),
                ("follow_up", _("Needed a follow-up")),
            ],
            entities,
            lambda e, k: {
                "answered": e.numbers.outcome_totals.confidence_answered,
                "more_confident": e.numbers.outcome_totals.more_confident,
                "follow_up": e.numbers.outcome_totals.follow_up,
            }[k],
            suppress=suppress,
            chart=None,
            extra=[
                (Column("before", _("Average before (1-5)"), "decimal"), average("confidence_before")),
                (Column("after", _("Average after (1-5)"), "decimal"), average("confidence_after")),
            ],
        )
    )
    keys = referral_keys(referral_counts(whole.referrals, suppress))
    tables.append(
        _wide(
            "referrals",
            _("Referrals, by organisation"),
            [(k, referral_text(k)) for k in keys],
            entities,
            lambda e, k: stats.fold_other(e.numbers.referrals, keys, OTHER).get(k, 0),
            suppress=suppress,
            total_col=True,
        )
    )

    def satisfaction_average(entity, cells):
        counts = entity.numbers.satisfaction
        return _average(sum(v * c for v, c in counts.items()), sum(counts.values()), *cells)

    tables.append(
        _wide(
            "satisfaction",
            _("Satisfaction of residents"),
            [(v, satisfaction_text(v)) for v in (5, 4, 3, 2, 1)],
            entities,
            lambda e, v: e.numbers.satisfaction.get(v, 0),
            suppress=suppress,
            total_col=True,
            extra=[(Column("average", _("Average (1-5)"), "decimal"), satisfaction_average)],
            note=_("Feedback given in this period, through the link, by phone or at the counter."),
        )
    )
    tables.append(
        _wide(
            "volunteers",
            _("Digibuddies"),
            [
                ("active", _("Helped in at least one session")),
                ("new", _("New (applied in this period)")),
                ("left", _("Left in this period")),
                ("active_status", _("Active today")),
            ],
            entities,
            lambda e, k: e.numbers.active if k == "active" else e.numbers.flow[k],
            suppress=suppress,
            chart=None,
            note=_(
                "The whole network counts each digibuddy once, also one who helps in several local networks."
            ),
        )
    )
    reasons = reason_labels()
    reason_keys = [r for r in (*stats.UNMATCHED_REASONS, "other") if r != "other" or whole.unmatched.get(r)]
    tables.append(
        _wide(
            "unmatched",
            _("Why requests could not be matched"),
            [(r, reasons[r]) for r in reason_keys],
            entities,
            lambda e, r: e.numbers.unmatched.get(r, 0),
            suppress=suppress,
            total_col=True,
            note=_(
                "Requests of this period for which no digibuddy was found, by the reason that ruled "
                "out the most digibuddies."
            ),
        )
    )
    trend = trend_table(whole, date_range, suppress)
    trend.title = _("Whole network, month by month")
    tables.append(trend)
    return tables


# ----------------------------------------------------------------------------------------------- dashboards
def local_dashboard(
    network, date_range: stats.DateRange, now: datetime, *, suppress: bool = False
) -> Dashboard:
    """One network's figures: exact for its coordinators, suppressed when the central level looks at it."""
    figures_ = fetch(scope_for([network.id], date_range), now)
    numbers = numbers_for(figures_, [network.id])
    return Dashboard(
        _("Figures of %(network)s", network=network.name),
        date_range,
        local_tables(numbers, date_range, suppress=suppress),
        suppress,
        network=network,
    )


def network_dashboard(
    networks: list, date_range: stats.DateRange, numbers: dict, computed_at: datetime
) -> Dashboard:
    """Every local network side by side and the whole network, always with small cells suppressed, from
    each network's figures calculated at `computed_at` ({network id or WHOLE: NetworkNumbers}, see
    snapshots.network_figures). A network created since then has no figures yet: it shows zeros."""
    empty = None
    entities = []
    for n in networks:
        if n.id not in numbers and empty is None:
            empty = numbers_for(Figures.empty(), [n.id])
        entities.append(Entity(n.id, n.name, numbers.get(n.id, empty)))
    entities.append(Entity(WHOLE, _("Whole network"), numbers[WHOLE]))
    return Dashboard(
        _("Figures of the whole network"),
        date_range,
        network_tables(entities, date_range, suppress=True),
        True,
        networks=networks,
        computed_at=computed_at,
    )
