"""What a dashboard figure is, and how one declaration becomes every table that shows it.

A figure is declared once (definitions.py): its key, title, note, categories, the measures shown per category
and how its cells are read from an entity's numbers (numbers.NetworkNumbers). From that declaration:
- `tall` lays out one network's figure, categories as rows (a coordinator's dashboard, the yearly report);
- `wide` lays it out for the central level, one row per local network and the whole network last, categories
  as columns (the network dashboard);
- the exports take exactly these tables (exports.py).

Small-cell protection is applied here, the same way in both layouts, whenever the central level looks: no
count from 1 to 4 is shown, nor any value that would let one be recomputed (a total minus the other cells, an
average next to its hidden count or its hidden answers, hours next to few outcomes). See stats.suppress_matrix
and stats.suppress_by_basis. A coordinator's own network is shown exactly."""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..core.i18n import gettext as _
from . import stats
from .numbers import WHOLE, NetworkNumbers
from .stats import SUPPRESSED, Column, Row, Table

TOTAL = "total"


@dataclass(frozen=True)
class View:
    """What a layout is made for: the numbers that choose data-dependent categories (one network's own, or
    the whole network's on the network dashboard), whether small cells are hidden, and the months of the
    period (for figures month by month)."""

    basis: NetworkNumbers
    suppress: bool
    months: list[date] = field(default_factory=list)


@dataclass
class Entity:
    """One row of a wide table: a local network (key: its id) or the whole network (key: WHOLE)."""

    key: object
    label: str
    numbers: NetworkNumbers


# ----------------------------------------------------------------------------------------------- measures
@dataclass(frozen=True)
class Count:
    """A number of requests, sessions, answers or people. Its cell is an int."""

    key: str
    label: object
    kind: str = "count"


@dataclass(frozen=True)
class Average:
    """The mean of answers: its cell is the sum of the answers, divided by the count of measure `of` in the
    same row. Hidden with that count, and shown as "—" without answers."""

    key: str
    label: object
    of: str
    kind: str = "decimal"


@dataclass(frozen=True)
class Quantile:
    """A median or percentile of waiting times, in seconds; hidden when the count of measure `of` is small.
    Unlike an average it gives its count away neither way: it stays when that count is hidden only because a
    total would reveal another one."""

    key: str
    label: object
    of: str
    kind: str = "seconds"


@dataclass(frozen=True)
class Hours:
    """Volunteer hours: its cell is (minutes, the number of outcomes they were recorded with), hidden when
    that number is small, and where the hours add up to a total that would give them away."""

    key: str
    label: object
    kind: str = "hours"


def _average(total, count, *shown):
    """total / count (None without a count), hidden when any of the shown cells it goes with is hidden: its
    count, or the answers it averages. An average next to a hidden count gives that count away (3.2 times
    the count is a whole number), and next to hidden answers it gives them away (x + y = 5 and
    5x + 4y = 23)."""
    if not count:
        return None
    if any(stats.is_suppressed(cell) for cell in shown):
        return SUPPRESSED
    return total / count


def _protect(cells, suppress, *, total_row=None, total_col=None):
    if not suppress:
        return cells
    return stats.suppress_matrix(cells, total_row=total_row, total_col=total_col)


def _add(measure, cells: list):
    """The total of a column of raw cells (a total row)."""
    if isinstance(measure, Hours):
        return (sum(c[0] for c in cells), sum(c[1] for c in cells))
    if isinstance(measure, Quantile):
        raise ValueError("percentiles do not add up: a figure with a total row has none")
    return sum(cells)


def _empty(measure):
    if isinstance(measure, Hours):
        return (0, 0)
    if isinstance(measure, Quantile):
        return None
    return 0


def protect_grid(raw: list[list], measures, suppress: bool, total_index: int | None) -> list[list]:
    """The shown values of a grid of raw cells (rows x measures): counts protected down each column (the
    row at `total_index`, if any, is their total), hours by their basis, averages with their count and
    percentiles with a small count."""
    shown = [[None] * len(measures) for _row in raw]
    counts = [j for j, m in enumerate(measures) if isinstance(m, Count)]
    if counts:
        protected = _protect([[row[j] for j in counts] for row in raw], suppress, total_row=total_index)
        for i, row in enumerate(protected):
            for j, value in zip(counts, row, strict=True):
                shown[i][j] = value
    index = {m.key: j for j, m in enumerate(measures)}
    for j, measure in enumerate(measures):
        if isinstance(measure, Hours):
            values = [row[j][0] / 60 for row in raw]
            if suppress:
                values = stats.suppress_by_basis(values, [row[j][1] for row in raw], total_index=total_index)
            for i, value in enumerate(values):
                shown[i][j] = value
        elif isinstance(measure, Average):
            of = index[measure.of]
            for i, row in enumerate(raw):
                shown[i][j] = _average(row[j], row[of], shown[i][of])
        elif isinstance(measure, Quantile):
            of = index[measure.of]
            for i, row in enumerate(raw):
                shown[i][j] = SUPPRESSED if suppress and stats.is_small(row[of]) else row[j]
    return shown


# ----------------------------------------------------------------------------------------------- summaries
@dataclass(frozen=True)
class Summary:
    """A value of the whole figure next to its counts (the volunteer hours of the sessions, an average
    answer): a row below the counts on one network's dashboard, a column after them on the network dashboard.
    `kind` "hours": value(numbers) gives (minutes, outcomes), hidden with few outcomes; "decimal": an average,
    value(numbers) gives (sum, count), hidden when any of the category counts in `depends` is (all of them,
    total included, by default)."""

    key: str
    label: object
    kind: str
    value: Callable[[NetworkNumbers], tuple]
    depends: tuple = ()


def _summary_values(summary: Summary, raws: list, shown_rows: list[dict], suppress, total_index):
    """The summary's shown value for each entity; `shown_rows` are each entity's shown category cells."""
    if summary.kind == "hours":
        values = [minutes / 60 for minutes, _basis in raws]
        if suppress:
            values = stats.suppress_by_basis(values, [b for _m, b in raws], total_index=total_index)
        return values
    found = []
    for (total, count), shown in zip(raws, shown_rows, strict=True):
        cells = [shown[k] for k in summary.depends] if summary.depends else list(shown.values())
        found.append(_average(total, count, *cells))
    return found


# ----------------------------------------------------------------------------------------------- figures
@dataclass(frozen=True, kw_only=True)
class Figure(ABC):
    """A figure of the dashboards; each kind lays itself out for one network (tall) and for every network
    side by side (wide)."""

    key: str
    title: object
    note: object = ""
    row_header: object = ""  # the heading of the categories' column on one network's dashboard
    chart: str | None = "bar"

    @abstractmethod
    def tall(self, numbers: NetworkNumbers, view: View) -> list[Table]: ...

    @abstractmethod
    def wide(self, entities: list[Entity], view: View) -> list[Table]: ...

    def _note(self) -> str:
        return str(self.note) if self.note else ""

    def _wide_table(self, columns, entities, rows, view, *, chart, categories: int) -> Table:
        """A table with a row per entity (the whole network last, as the total) and the first `categories`
        columns drawn as bars of the whole network."""
        return Table(
            self.key,
            str(self.title),
            columns,
            [
                Row(e.key, e.label, values, total=e.key == WHOLE)
                for e, values in zip(entities, rows, strict=True)
            ],
            row_header=_("Local network"),
            note=self._note(),
            chart=chart,
            chart_axis="columns",
            chart_columns=list(range(categories)),
            suppressed=view.suppress,
        )


@dataclass(frozen=True, kw_only=True)
class Counts(Figure):
    """One count per category: requests by channel, sessions by status, answers by satisfaction.

    `categories(view)` gives [(key, label)]; `counts(numbers, keys)` gives {key: count}. With `total` the
    categories add up to a total (a row, or a column on the network dashboard) and one network's exact
    dashboard also shows each category's share. `summaries` come after the counts. `detail(numbers, suppress)`
    adds a sentence to the note of one network's dashboard."""

    categories: Callable[[View], list]
    counts: Callable[[NetworkNumbers, list], dict]
    total: bool = True
    share: bool = True
    value_label: object = None
    summaries: tuple[Summary, ...] = ()
    detail: Callable[[NetworkNumbers, bool], str] | None = None

    def _cells(self, numbers, keys) -> list:
        found = self.counts(numbers, keys)
        return [found.get(k, 0) for k in keys]

    def tall(self, numbers: NetworkNumbers, view: View) -> list[Table]:
        categories = self.categories(view)
        keys = [k for k, _label in categories]
        counts = self._cells(numbers, keys)
        total = sum(counts)
        cells = [[c] for c in counts] + ([[total]] if self.total else [])
        cells = _protect(cells, view.suppress, total_row=len(counts) if self.total else None)
        shown = {k: cells[i][0] for i, k in enumerate(keys)}
        if self.total:
            shown[TOTAL] = cells[-1][0]
        show_share = self.share and self.total and not view.suppress
        columns = [Column("count", str(self.value_label or _("Number")))]
        if show_share:
            columns.append(Column("share", _("Share"), "percent"))

        def share(count):
            return [count / total if total else None] if show_share else []

        rows = [
            Row(k, str(text), [shown[k]] + share(c)) for (k, text), c in zip(categories, counts, strict=True)
        ]
        if self.total:
            rows.append(Row(TOTAL, _("Total"), [shown[TOTAL]] + share(total), total=True))
        for summary in self.summaries:
            (value,) = _summary_values(
                summary, [summary.value(numbers)], [shown], view.suppress, total_index=None
            )
            rows.append(
                Row(
                    summary.key,
                    str(summary.label),
                    [value] + ([None] if show_share else []),
                    total=True,
                    kinds=[summary.kind] + (["percent"] if show_share else []),
                )
            )
        note = self._note()
        if self.detail is not None:
            note = f"{note} {self.detail(numbers, view.suppress)}".strip()
        return [
            Table(
                self.key,
                str(self.title),
                columns,
                rows,
                row_header=str(self.row_header),
                note=note,
                chart=self.chart,
                suppressed=view.suppress,
            )
        ]

    def wide(self, entities: list[Entity], view: View) -> list[Table]:
        categories = self.categories(view)
        keys = [k for k, _label in categories]
        cells = [self._cells(e.numbers, keys) for e in entities]
        if self.total:
            cells = [row + [sum(row)] for row in cells]
        cells = _protect(
            cells,
            view.suppress,
            total_row=len(cells) - 1,
            total_col=len(keys) if self.total else None,
        )
        columns = [Column(str(k), str(text)) for k, text in categories]
        if self.total:
            columns.append(Column(TOTAL, _("Total")))
        shown = [dict(zip(keys + ([TOTAL] if self.total else []), row, strict=True)) for row in cells]
        rows = [list(row) for row in cells]
        for summary in self.summaries:
            values = _summary_values(
                summary,
                [summary.value(e.numbers) for e in entities],
                shown,
                view.suppress,
                total_index=len(entities) - 1,
            )
            for row, value in zip(rows, values, strict=True):
                row.append(value)
            columns.append(Column(summary.key, str(summary.label), summary.kind))
        return [self._wide_table(columns, entities, rows, view, chart=self.chart, categories=len(keys))]


@dataclass(frozen=True, kw_only=True)
class Grid(Figure):
    """Several measures per category: waiting times (count, median, 90th percentile per step), or month by
    month (requests, sessions, hours, feedback and its average per month).

    `cells(numbers, keys)` gives {category key: {measure key: raw cell}} (see the measures for what a raw cell
    is). With `total` the categories add up to a total row. One network's dashboard shows categories as rows
    and measures as columns; the network dashboard a row per network with each category's measures under a
    shared heading, or, with `whole_only`, only the whole network's table (under `network_title`)."""

    categories: Callable[[View], list]
    measures: tuple
    cells: Callable[[NetworkNumbers, list], dict]
    total: bool = False
    whole_only: bool = False
    network_title: object = None
    chart_measures: tuple = ()

    def _raw(self, numbers, keys) -> list[list]:
        found = self.cells(numbers, keys)
        return [[found.get(k, {}).get(m.key, _empty(m)) for m in self.measures] for k in keys]

    def tall(self, numbers: NetworkNumbers, view: View, title=None) -> list[Table]:
        categories = self.categories(view)
        raw = self._raw(numbers, [k for k, _label in categories])
        if self.total:
            raw.append([_add(m, [row[j] for row in raw]) for j, m in enumerate(self.measures)])
        shown = protect_grid(raw, self.measures, view.suppress, len(categories) if self.total else None)
        rows = [
            Row(k, str(text), values)
            for (k, text), values in zip(categories, shown[: len(categories)], strict=True)
        ]
        if self.total:
            rows.append(Row(TOTAL, _("Total"), shown[-1], total=True))
        index = {m.key: j for j, m in enumerate(self.measures)}
        return [
            Table(
                self.key,
                str(title or self.title),
                [Column(m.key, str(m.label), m.kind) for m in self.measures],
                rows,
                row_header=str(self.row_header),
                note=self._note(),
                chart=self.chart,
                chart_columns=[index[k] for k in self.chart_measures] or [0],
                suppressed=view.suppress,
            )
        ]

    def wide(self, entities: list[Entity], view: View) -> list[Table]:
        if self.whole_only:
            return self.tall(entities[-1].numbers, view, title=self.network_title)
        categories = self.categories(view)
        keys = [k for k, _label in categories]
        raws = [self._raw(e.numbers, keys) for e in entities]
        grouped = len(self.measures) > 1
        columns = []
        rows = [[] for _entity in entities]
        for c, (key, text) in enumerate(categories):
            shown = protect_grid(
                [raw[c] for raw in raws], self.measures, view.suppress, total_index=len(entities) - 1
            )
            for row, values in zip(rows, shown, strict=True):
                row.extend(values)
            for m in self.measures:
                label, group = (str(m.label), str(text)) if grouped else (str(text), "")
                columns.append(Column(f"{key}_{m.key}" if grouped else str(key), label, m.kind, group=group))
        chart = None if grouped else self.chart
        return [self._wide_table(columns, entities, rows, view, chart=chart, categories=len(keys))]


@dataclass(frozen=True, kw_only=True)
class Cross(Figure):
    """Counts over two dimensions (open requests by status and by age): one network's dashboard shows the
    whole matrix with totals; the network dashboard one table per dimension (`by_rows`, `by_columns`: each a
    (key, title) of its own)."""

    categories: Callable[[View], list]
    columns: Callable[[View], list]
    counts: Callable[[NetworkNumbers], dict]  # {(row key, column key): count}
    by_rows: tuple
    by_columns: tuple

    def tall(self, numbers: NetworkNumbers, view: View) -> list[Table]:
        rows_, columns_ = self.categories(view), self.columns(view)
        found = self.counts(numbers)
        matrix = [[found.get((r, c), 0) for c, _label in columns_] for r, _text in rows_]
        matrix = [row + [sum(row)] for row in matrix]
        matrix.append([sum(col) for col in zip(*matrix, strict=True)])
        matrix = _protect(matrix, view.suppress, total_row=len(rows_), total_col=len(columns_))
        rows = [Row(k, str(text), matrix[i]) for i, (k, text) in enumerate(rows_)]
        rows.append(Row(TOTAL, _("Total"), matrix[-1], total=True))
        return [
            Table(
                self.key,
                str(self.title),
                [Column(str(k), str(text)) for k, text in columns_] + [Column(TOTAL, _("Total"))],
                rows,
                row_header=str(self.row_header),
                note=self._note(),
                chart=self.chart,
                chart_columns=[len(columns_)],
                suppressed=view.suppress,
            )
        ]

    def _marginal(self, position: int) -> Callable:
        def counts(numbers, _keys):
            found: dict = {}
            for key, value in self.counts(numbers).items():
                found[key[position]] = found.get(key[position], 0) + value
            return found

        return counts

    def wide(self, entities: list[Entity], view: View) -> list[Table]:
        tables = []
        for position, (key, title), categories in (
            (0, self.by_rows, self.categories),
            (1, self.by_columns, self.columns),
        ):
            marginal = Counts(
                key=key,
                title=title,
                note=self.note if position == 0 else "",
                chart=self.chart,
                categories=categories,
                counts=self._marginal(position),
            )
            tables += marginal.wide(entities, view)
        return tables
