"""Belgian wall-clock time and calendar. Times are stored as naive UTC and shown, planned and counted in
Europe/Brussels; these helpers are the one place that converts between the two, and that knows the
Belgian public holidays (from the maintained `holidays` package)."""

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BRUSSELS = ZoneInfo("Europe/Brussels")


def local_today() -> date:
    """Today in Belgium (a drop-in's date, a dashboard's last day)."""
    return datetime.now(BRUSSELS).date()


def to_utc(local: datetime) -> datetime:
    """A naive Brussels wall-clock time as naive UTC (how the database stores times)."""
    return local.replace(tzinfo=BRUSSELS).astimezone(UTC).replace(tzinfo=None)


def to_local(utc: datetime) -> datetime:
    """A naive UTC time (as stored) as naive Brussels wall-clock time."""
    return utc.replace(tzinfo=UTC).astimezone(BRUSSELS).replace(tzinfo=None)


# The `holidays` package names Belgian holidays in these languages; other locales fall back to Dutch.
_HOLIDAY_LANGUAGES = {"nl": "nl", "fr": "fr", "en": "en_US", "de": "de", "uk": "uk"}


@lru_cache(maxsize=64)
def _belgian_holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("BE", years=year, language=language))


def public_holidays(first_year: int, last_year: int, locale: str | None = None) -> dict[date, str]:
    """Belgian public holidays of these years (inclusive), named in `locale` when the package has it."""
    language = _HOLIDAY_LANGUAGES.get((locale or "nl").split("_")[0], "nl")
    found: dict[date, str] = {}
    for year in range(first_year, last_year + 1):
        found.update(_belgian_holidays(year, language))
    return found


def public_holiday_name(day: date, locale: str | None = None) -> str | None:
    """The name of the Belgian public holiday on `day` (in `locale` when the package has it), or None."""
    return public_holidays(day.year, day.year, locale).get(day)
