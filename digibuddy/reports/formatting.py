"""How a dashboard cell reads: on the page (Babel, in the viewer's language) and in an export (plain numbers
that a spreadsheet can compute with; durations in hours)."""

from functools import lru_cache

from babel import Locale, numbers

from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from . import stats


def display(value, kind: str, locale: str | None = None) -> str:
    """A cell as the page shows it, in `locale` (by default the viewer's)."""
    if value is None:
        return "—"
    if stats.is_suppressed(value):
        return hidden_text(value, kind)
    if kind == "count":
        return count_text(locale or current_locale(), int(value))
    if kind == "seconds":
        return duration(value, locale)
    if kind in ("hours", "decimal"):
        return one_decimal(locale or current_locale(), value)
    if kind == "percent":
        return _percent(locale or current_locale(), value)
    return str(value)


def hidden_text(value, kind: str = "count") -> str:
    """ "<5" for a count below 5; "hidden" for every other suppressed cell, which may be larger."""
    return str(stats.SUPPRESSED) if stats.reads_as_small(value, kind) else _("hidden")


@lru_cache(maxsize=4096)
def count_text(locale: str, value: int) -> str:
    """A whole number in `locale`, as flask_babel's format_number. A dashboard shows thousands of counts,
    most of them the same few numbers: each is formatted once."""
    return numbers.format_decimal(value, locale=locale)


ONE_DECIMAL = numbers.parse_pattern("#,##0.0")


@lru_cache(maxsize=16)
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def decimal_text(locale: str, value) -> str:
    """A number with one decimal ("1.234,5" in Dutch), as flask_babel's format_decimal(value, "#,##0.0"),
    with the pattern read once and `locale` looked up once: for the values that seldom repeat (hours of
    waiting), which one_decimal would only push out of its cache."""
    return ONE_DECIMAL.apply(value, _babel_locale(locale))


@lru_cache(maxsize=4096)
def one_decimal(locale: str, value) -> str:
    """decimal_text(locale, value), each value formatted once (averages and hours repeat)."""
    return decimal_text(locale, value)


@lru_cache(maxsize=4096)
def _percent(locale: str, value) -> str:
    return numbers.format_percent(value, "#,##0%", locale=locale)


def duration(seconds: float, locale: str | None = None) -> str:
    """A waiting time in the unit that reads best: minutes, hours or days, in `locale` (by default the
    viewer's)."""
    seconds = max(0.0, float(seconds))
    locale = locale or current_locale()
    if seconds < 3600:
        return _("%(value)s min", value=count_text(locale, int(round(seconds / 60))))
    if seconds < 48 * 3600:
        return _("%(value)s h", value=decimal_text(locale, seconds / 3600))
    return _("%(value)s days", value=decimal_text(locale, seconds / 86400))


def export_value(value, kind: str):
    """A number for CSV and Excel: counts as integers, durations in hours, shares in percent; "<5" for a
    count below 5, "hidden" for another suppressed cell, and empty for no value."""
    if value is None:
        return ""
    if stats.is_suppressed(value):
        return hidden_text(value, kind)
    if kind == "count":
        return int(value)
    if kind == "seconds":
        return round(value / 3600, 2)
    if kind == "hours":
        return round(value, 1)
    if kind == "decimal":
        return round(value, 2)
    if kind == "percent":
        return round(value * 100, 1)
    return value


def export_label(column) -> str:
    text = f"{column.group}: {column.label}" if column.group else column.label
    if column.kind == "seconds":
        return _("%(label)s (hours)", label=text)
    if column.kind == "percent":
        return _("%(label)s (%%)", label=text)
    return text
