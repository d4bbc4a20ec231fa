"""Charts drawn on the server as accessible SVG: role="img" with a <title> and a <desc> that states the
numbers, text labels on every bar, no JavaScript. The same numbers are always in a table beside it.
The geometry comes from stats.bar_chart and stats.line_chart; this module only writes the markup."""

import math

from markupsafe import Markup, escape

from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from . import stats
from .formatting import count_text, hidden_text, one_decimal
from .stats import Table


def chart_value_text(value, locale: str | None = None) -> str:
    """A bar's or tick's number in `locale` (by default the viewer's)."""
    if value is None:
        return "—"
    if stats.is_suppressed(value):
        return hidden_text(value)
    if isinstance(value, float) and not value.is_integer():
        return one_decimal(locale or current_locale(), value)
    return count_text(locale or current_locale(), int(value))


def _number(value: float) -> str:
    return f"{value:.1f}"


def render(table: Table, dom_id: str) -> Markup:
    if table.chart == "bar":
        return bar_svg(table, dom_id)
    if table.chart == "line":
        return line_svg(table, dom_id)
    return Markup("")


def bar_svg(table: Table, dom_id: str) -> Markup:
    items = table.chart_items()
    if not items:
        return Markup("")
    geometry = stats.bar_chart(items)
    locale = current_locale()
    summary = "; ".join(f"{label}: {chart_value_text(value, locale)}" for label, value in items)
    desc = _("Bar chart. %(values)s. The same numbers are in the table.", values=summary)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" '
        f'viewBox="0 0 {geometry.width} {geometry.height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{dom_id}-title">{escape(table.title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(desc)}</desc>',
    ]
    axis_y = geometry.height - 20
    for value, x in geometry.ticks:
        parts.append(f'<line class="grid" x1="{_number(x)}" y1="4" x2="{_number(x)}" y2="{axis_y - 4}"/>')
        parts.append(
            f'<text class="tick" x="{_number(x)}" y="{axis_y + 12}" text-anchor="middle">'
            f"{escape(chart_value_text(value, locale))}</text>"
        )
    for bar in geometry.bars:
        middle = bar.y + geometry.bar_height / 2
        parts.append(
            f'<text class="bar-label" x="{geometry.label_width - 8}" y="{_number(middle)}" '
            f'text-anchor="end" dominant-baseline="middle">{escape(_shorten(bar.label))}</text>'
        )
        if bar.length > 0:
            parts.append(
                f'<rect class="bar" x="{geometry.label_width}" y="{_number(bar.y)}" '
                f'width="{_number(bar.length)}" height="{geometry.bar_height}"/>'
            )
        value = escape(chart_value_text(bar.value, locale))
        parts.append(
            f'<text class="bar-value" x="{_number(geometry.label_width + bar.length + 6)}" '
            f'y="{_number(middle)}" dominant-baseline="middle">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_svg(table: Table, dom_id: str) -> Markup:
    x_labels, series = table.chart_series()
    if not x_labels:
        return Markup("")
    geometry = stats.line_chart(x_labels, series)
    locale = current_locale()
    names = " " + _("and") + " "
    desc = _(
        "Line chart of %(series)s per month, from %(first)s to %(last)s. The numbers are in the table.",
        series=names.join(label for label, _values in series),
        first=x_labels[0],
        last=x_labels[-1],
    )
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" '
        f'viewBox="0 0 {geometry.width} {geometry.height + 24}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{dom_id}-title">{escape(table.title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(desc)}</desc>',
    ]
    right = geometry.left + geometry.plot_width
    for value, y in geometry.ticks:
        parts.append(
            f'<line class="grid" x1="{geometry.left}" y1="{_number(y)}" x2="{right}" y2="{_number(y)}"/>'
        )
        parts.append(
            f'<text class="tick" x="{geometry.left - 6}" y="{_number(y)}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(chart_value_text(value, locale))}</text>'
        )
    # Leave out labels that would overlap (about 64 px each); the first and the last are always written.
    step = max(1, math.ceil(len(geometry.x_labels) * 64 / max(1, geometry.plot_width)))
    baseline = geometry.top + geometry.plot_height
    for index, (text, x) in enumerate(geometry.x_labels):
        last = index == len(geometry.x_labels) - 1
        if (index % step == 0 and (last or len(geometry.x_labels) - 1 - index >= step)) or last:
            parts.append(
                f'<text class="tick" x="{_number(x)}" y="{baseline + 16}" text-anchor="middle">'
                f"{escape(text)}</text>"
            )
    for number, line in enumerate(geometry.series):
        css = f"series series-{number}"
        for segment in line.segments:
            points = " ".join(f"{_number(x)},{_number(y)}" for x, y in segment)
            parts.append(f'<polyline class="{css}" points="{points}"/>')
        for point in line.points:
            if point is not None:
                cx, cy = _number(point[0]), _number(point[1])
                parts.append(f'<circle class="{css} marker" cx="{cx}" cy="{cy}" r="3.5"/>')
    legend_y = geometry.height + 12
    x = geometry.left
    for number, line in enumerate(geometry.series):
        parts.append(
            f'<line class="series series-{number}" x1="{x}" y1="{legend_y}" x2="{x + 24}" y2="{legend_y}"/>'
        )
        parts.append(
            f'<text class="legend" x="{x + 30}" y="{legend_y}" dominant-baseline="middle">'
            f"{escape(line.label)}</text>"
        )
        x += 40 + 8 * len(line.label)
    parts.append("</svg>")
    return Markup("".join(parts))


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
