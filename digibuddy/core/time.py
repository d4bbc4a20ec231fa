"""Belgian wall-clock time. Times are stored as naive UTC and shown, planned and counted in
Europe/Brussels; these helpers are the one place that converts between the two."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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
