"""The arithmetic behind the dashboards, on plain data: percentiles, date ranges, small-cell suppression,
grouping and the geometry of the SVG charts.

Pure Python: imports nothing from Flask or SQLAlchemy, so every rule here is tested on its own and the SQL
in `queries.py` can be checked against it."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..core.time import to_utc

# Figures shown to the central level: a count below this is shown as "<5".
SMALL_CELL = 5


# ----------------------------------------------------------------------------------------------- percentiles
def percentile(values, q: float) -> float | None:
    """The q-quantile (0 <= q <= 1) with linear interpolation between the closest ranks.

    The same definition as PostgreSQL's `percentile_cont`: position q * (n - 1) in the sorted values,
    so the median of [1, 2, 3, 4] is 2.5 and its 90th percentile 3.7. None for no values."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    if not 0 <= q <= 1:
        raise ValueError("q must lie between 0 and 1")
    position = q * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values) -> float | None:
    return percentile(values, 0.5)


def interpolate(low_value: float, high_value: float, position: float) -> float:
    """The value at a fractional rank between two neighbouring sorted values (used by the SQL fallback)."""
    return low_value + (high_value - low_value) * (position - math.floor(position))


def mean_of_distribution(counts: dict) -> float | None:
    """The mean of a distribution given as {value: count}; None when empty."""
    total = sum(counts.values())
    if not total:
        return None
    return sum(value * count for value, count in counts.items()) / total


# ----------------------------------------------------------------------------------------------- date ranges
@dataclass(frozen=True)
class DateRange:
    """An inclusive range of calendar days in Europe/Brussels."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[first instant, instant after the last day) as naive UTC, how the database stores time."""
        return local_midnight_utc(self.start), local_midnight_utc(self.end + timedelta(days=1))

    def months(self) -> list[date]:
        """The first day of every calendar month that the range touches."""
        return month_starts(self.start, self.end)


def local_midnight_utc(day: date) -> datetime:
    """Midnight at the start of `day` in Brussels, as naive UTC."""
    return to_utc(datetime.combine(day, time()))


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def default_range(today: date) -> DateRange:
    """The last 12 months up to and including today."""
    return DateRange(add_months(today, -12) + timedelta(days=1), today)


def year_range(year: int) -> DateRange:
    return DateRange(date(year, 1, 1), date(year, 12, 31))


# Error codes of parse_range (the web layer turns them into translated messages).
INVALID_DATE = "invalid_date"
END_BEFORE_START = "end_before_start"
TOO_LONG = "too_long"
OUT_OF_BOUNDS = "out_of_bounds"
MAX_RANGE_YEARS = 10
# The dates a range may use: far enough from date.min and date.max that the UTC bounds, the month before
# and the day after always exist (a year 1 or 9999 date would overflow them).
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)


def parse_range(start_text: str | None, end_text: str | None, today: date) -> tuple[DateRange, dict]:
    """The range asked for in ISO dates (`from`, `to`), with errors per field; on any error the default
    range (the last 12 months). A missing bound takes its default (`to` today, `from` 12 months before, not
    before MIN_DATE). Dates lie between MIN_DATE and MAX_DATE; a range spans at most MAX_RANGE_YEARS years."""
    default = default_range(today)
    errors: dict[str, str] = {}

    def parse(text, name):
        text = (text or "").strip()
        if not text:
            return None
        try:
            day = date.fromisoformat(text)
        except ValueError:
            errors[name] = INVALID_DATE
            return None
        if not MIN_DATE <= day <= MAX_DATE:
            errors[name] = OUT_OF_BOUNDS
            return None
        return day

    start, end = parse(start_text, "from"), parse(end_text, "to")
    if errors:
        return default, errors
    end = end or (min(today, MAX_DATE) if start is None or start <= today else start)
    start = start or max(MIN_DATE, add_months(end, -12) + timedelta(days=1))
    if end < start:
        return default, {"to": END_BEFORE_START}
    if end >= add_months(start, 12 * MAX_RANGE_YEARS):
        return default, {"from": TOO_LONG}
    return DateRange(start, end), {}


def month_starts(start: date, end: date) -> list[date]:
    first = date(start.year, start.month, 1)
    months = []
    while first <= end:
        months.append(first)
        first = add_months(first, 1)
    return months


def month_bounds_utc(months: list[date]) -> list[datetime]:
    """The UTC instants at which each month after the first begins (Brussels midnight): the boundaries the
    SQL uses to put a timestamp in its month without time-zone support in the database."""
    return [local_midnight_utc(m) for m in months[1:]]


# ----------------------------------------------------------------------------------------------- grouping
# The four channels of the Flemish digital-inclusion policy and the intake channels that feed them.
CHANNEL_GROUPS = {"online": "click", "phone": "call", "counter": "face", "outreach": "home"}
CHANNELS = ("click", "call", "face", "home")

# Age of an open request in days: [lower bound, upper bound) per bucket.
AGE_BUCKETS = ((0, 7), (7, 14), (14, 30), (30, None))


def age_bucket(age_days: float) -> int:
    for index, (low, high) in enumerate(AGE_BUCKETS):
        if age_days >= low and (high is None or age_days < high):
            return index
    return 0


# Why a request could not be matched: the engine's hard constraints in checking order, and offer rounds.
UNMATCHED_REASONS = ("rounds", "not_active", "full", "language", "mode", "distance", "topic", "already_asked")


def main_reason(reason_counts: dict | None) -> str | None:
    """The main reason a request could not be matched, from the counts the matching engine stored.

    Offer rounds that ran out ("rounds") win: candidates existed but nobody said yes. Otherwise the hard
    constraint that ruled out the most digibuddies; a tie goes to the constraint checked first."""
    if not reason_counts:
        return None
    if int(reason_counts.get("rounds") or 0) > 0:
        return "rounds"
    best, best_count = None, 0
    for reason in UNMATCHED_REASONS[1:]:
        count = int(reason_counts.get(reason) or 0)
        if count > best_count:
            best, best_count = reason, count
    return best or "other"


def add_counts(*mappings: dict) -> dict:
    """Key-wise sum of {key: number} mappings."""
    total: dict = {}
    for mapping in mappings:
        for key, value in mapping.items():
            total[key] = total.get(key, 0) + (value or 0)
    return total


def top_with_other(counts: dict, keep: int, other_key="other") -> list:
    """The `keep` largest keys (ties by key) and, if more remain, `other_key` for the rest."""
    ordered = sorted(counts, key=lambda k: (-counts[k], str(k)))
    if len(ordered) <= keep + 1:
        return ordered
    return ordered[:keep] + [other_key]


def fold_other(counts: dict, keys: list, other_key="other") -> dict:
    """Counts for `keys`, everything else summed under `other_key`."""
    kept = {k: counts.get(k, 0) for k in keys if k != other_key}
    if other_key in keys:
        kept[other_key] = sum(v for k, v in counts.items() if k not in kept)
    return kept


# ----------------------------------------------------------------------------------------------- suppression
class Suppressed:
    """A cell hidden by small-cell suppression. SUPPRESSED is a count from 1 to below the threshold, shown as
    "<5"; HIDDEN is any other hidden cell (a larger count hidden so that a small one cannot be worked back
    out, or hours, averages and waiting times that stand for a small count), which must never read "<5"."""

    _instances: dict = {}

    def __new__(cls, small: bool = True):
        if small not in cls._instances:
            instance = super().__new__(cls)
            instance.small = small
            cls._instances[small] = instance
        return cls._instances[small]

    def __str__(self):
        return f"<{SMALL_CELL}" if self.small else "hidden"

    __repr__ = __str__

    def __bool__(self):
        return True


SUPPRESSED = Suppressed(small=True)
HIDDEN = Suppressed(small=False)


def is_suppressed(value) -> bool:
    return isinstance(value, Suppressed)


def reads_as_small(value, kind: str = "count") -> bool:
    """Whether a hidden cell may be labelled "<5": only a count that really is below the threshold."""
    return value is SUPPRESSED and kind == "count"


def is_small(value, threshold: int = SMALL_CELL) -> bool:
    """A count that may single someone out: from 1 to below the threshold. Zero singles nobody out: shown."""
    return value is not None and not is_suppressed(value) and 0 < value < threshold


def suppress_count(value, threshold: int = SMALL_CELL):
    """A count from 1 to below the threshold becomes SUPPRESSED; zero and None stay as they are."""
    return SUPPRESSED if is_small(value, threshold) else value


def _hide_secondary(lines, hidden: set, value_of, is_total) -> None:
    """Secondary suppression: while a line (parts and their total) has exactly one hidden cell, which would be
    the total minus the others, hide the smallest visible non-zero cell of that line too (a part before the
    total). Zeros are never hidden: hiding one protects nothing."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for cell in line if cell in hidden) != 1:
                continue
            visible = [cell for cell in line if cell not in hidden and value_of(cell)]
            if not visible:
                continue
            visible.sort(key=lambda c: (is_total(c), value_of(c), c))
            hidden.add(visible[0])
            changed = True


def suppress_matrix(
    cells: list[list[int]],
    *,
    total_row: int | None = None,
    total_col: int | None = None,
    threshold: int = SMALL_CELL,
) -> list[list]:
    """Hide every count from 1 to below the threshold, and enough other counts that no hidden one can be
    recomputed. Zeros are shown.

    `total_col` names the column holding each row's total (the other cells of the row add up to it) and
    `total_row` the row holding each column's total; pass None where cells do not add up (a request that
    counts in several categories). Primary suppression hides the small cells; then, while some line with
    a total has exactly one hidden cell (so that cell is the total minus the others), the smallest
    visible non-zero cell of that line is hidden too (secondary suppression)."""
    hidden = {
        (i, j) for i, row in enumerate(cells) for j, value in enumerate(row) if is_small(value, threshold)
    }
    lines = []
    if total_col is not None:
        lines += [[(i, j) for j in range(len(row))] for i, row in enumerate(cells)]
    if total_row is not None and cells:
        lines += [[(i, j) for i in range(len(cells))] for j in range(len(cells[0]))]
    lines = [[(i, j) for i, j in line if cells[i][j] is not None] for line in lines]
    _hide_secondary(
        lines, hidden, lambda c: cells[c[0]][c[1]], lambda c: c[1] == total_col or c[0] == total_row
    )
    primary = {(i, j) for i, j in hidden if is_small(cells[i][j], threshold)}
    return [
        [
            (SUPPRESSED if (i, j) in primary else HIDDEN) if (i, j) in hidden else value
            for j, value in enumerate(row)
        ]
        for i, row in enumerate(cells)
    ]


def suppress_by_basis(
    values: list, bases: list[int], *, total_index: int | None = None, threshold: int = SMALL_CELL
) -> list:
    """Hide each value (hours, a sum) that stands for a small count (its basis, from 1 to below the
    threshold). When the values add up to the one at `total_index`, hide as many others that no hidden
    value is the total minus the rest. The values are no counts, so they are HIDDEN, never "<5"."""
    hidden = {i for i, basis in enumerate(bases) if is_small(basis, threshold)}
    if total_index is not None:
        _hide_secondary(
            [list(range(len(values)))], hidden, lambda i: values[i] or 0, lambda i: i == total_index
        )
    return [HIDDEN if i in hidden else value for i, value in enumerate(values)]


# ----------------------------------------------------------------------------------------------- tables
@dataclass
class Column:
    key: str
    label: str
    # count | seconds | hours | decimal | percent | text
    kind: str = "count"
    group: str = ""  # a heading shared by neighbouring columns


def column_groups(columns: list[Column]) -> list[tuple[str, int]]:
    """(group heading, number of neighbouring columns) for a two-level table header."""
    groups: list[tuple[str, int]] = []
    for column in columns:
        if groups and groups[-1][0] == column.group:
            groups[-1] = (column.group, groups[-1][1] + 1)
        else:
            groups.append((column.group, 1))
    return groups


@dataclass
class Row:
    key: object
    label: str
    values: list
    total: bool = False
    kinds: list[str] | None = None  # per-cell kinds overriding the columns' (a table of mixed measures)

    def kind(self, index: int, columns: list) -> str:
        return self.kinds[index] if self.kinds else columns[index].kind


@dataclass
class Table:
    """One table of a dashboard: what is shown, exported to CSV and Excel, and drawn as a chart."""

    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    row_header: str = ""
    note: str = ""
    # "bar" or "line". Bars along the rows (one bar per non-total row, values from chart_columns[0]) or
    # along the columns (one bar per column in chart_columns, values from the total row); a line per column.
    chart: str | None = None
    chart_axis: str = "rows"
    chart_columns: list[int] = field(default_factory=lambda: [0])
    suppressed: bool = False

    def chart_items(self) -> list[tuple[str, object]]:
        """(label, value) pairs that a bar chart draws."""
        if self.chart_axis == "columns":
            total = next((r for r in self.rows if r.total), self.rows[-1] if self.rows else None)
            if total is None:
                return []
            return [(self.columns[i].label, total.values[i]) for i in self.chart_columns]
        index = self.chart_columns[0]
        return [(r.label, r.values[index]) for r in self.rows if not r.total]

    def chart_series(self) -> tuple[list[str], list[tuple[str, list]]]:
        """x labels and (label, values) per line for a line chart."""
        rows = [r for r in self.rows if not r.total]
        return [r.label for r in rows], [
            (self.columns[i].label, [r.values[i] for r in rows]) for i in self.chart_columns
        ]

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def value(self, row_key, column_key):
        row = next(r for r in self.rows if r.key == row_key)
        return row.values[self.column_index(column_key)]


# ----------------------------------------------------------------------------------------------- charts
def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum` (steps of 1, 2, 2.5 or 5 times a power of ten)."""
    if maximum is None or maximum <= 0:
        return [0, 1]
    raw = maximum / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    if maximum >= 1 and step < 1:
        step = 1
    ticks, value = [0], 0
    while value < maximum - 1e-9:
        value = round(value + step, 10)
        ticks.append(int(value) if float(value).is_integer() else value)
    return ticks


@dataclass
class Bar:
    label: str
    value: object  # a number, SUPPRESSED or None
    y: float
    length: float


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    bars: list[Bar]
    ticks: list[tuple[float, float]]  # (value, x)


def bar_chart(
    items: list[tuple[str, object]],
    *,
    width: int = 640,
    label_width: int = 220,
    bar_height: int = 22,
    gap: int = 8,
    axis_height: int = 24,
) -> BarChart:
    """Horizontal bars, one per (label, value); hidden (SUPPRESSED) or missing values get no bar."""
    numeric = [v for _label, v in items if isinstance(v, (int, float)) and not isinstance(v, bool)]
    ticks = nice_ticks(max(numeric, default=0))
    plot_width = width - label_width - 60
    scale = plot_width / ticks[-1] if ticks[-1] else 0
    bars = []
    for index, (label, value) in enumerate(items):
        length = value * scale if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
        bars.append(Bar(label, value, gap + index * (bar_height + gap), max(0.0, length)))
    height = gap + len(items) * (bar_height + gap) + axis_height
    return BarChart(
        width,
        height,
        label_width,
        plot_width,
        bar_height,
        bars,
        [(t, label_width + t * scale) for t in ticks],
    )


@dataclass
class Series:
    label: str
    points: list[tuple[float, float] | None]  # None where the value is hidden or missing
    segments: list[list[tuple[float, float]]]


@dataclass
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    x_labels: list[tuple[str, float]]
    ticks: list[tuple[float, float]]  # (value, y)
    series: list[Series]


def line_chart(
    x_labels: list[str],
    series: list[tuple[str, list]],
    *,
    width: int = 640,
    height: int = 260,
    left: int = 56,
    right: int = 40,
    top: int = 16,
    bottom: int = 40,
) -> LineChart:
    """One polyline per series over evenly spaced x positions; hidden values break the line."""
    numbers = [
        v
        for _label, values in series
        for v in values
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    ]
    ticks = nice_ticks(max(numbers, default=0))
    plot_width, plot_height = width - left - right, height - top - bottom
    step = plot_width / max(1, len(x_labels) - 1)
    scale = plot_height / ticks[-1] if ticks[-1] else 0

    def y_of(value):
        return top + plot_height - value * scale

    drawn = []
    for label, values in series:
        points, segments, current = [], [], []
        for index, value in enumerate(values):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                point = (left + index * step, y_of(value))
                points.append(point)
                current.append(point)
            else:
                points.append(None)
                if current:
                    segments.append(current)
                current = []
        if current:
            segments.append(current)
        drawn.append(Series(label, points, segments))
    return LineChart(
        width,
        height,
        left,
        top,
        plot_width,
        plot_height,
        [(label, left + i * step) for i, label in enumerate(x_labels)],
        [(t, y_of(t)) for t in ticks],
        drawn,
    )
