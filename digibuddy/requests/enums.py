"""The vocabulary of residents' requests, as plain enums (no Flask, no SQLAlchemy)."""

import enum


class AgeBand(enum.StrEnum):
    UNDER_30 = "under_30"
    FROM_30_TO_54 = "30_54"
    FROM_55_TO_64 = "55_64"
    FROM_65_TO_74 = "65_74"
    FROM_75 = "75_plus"


class IntakeChannel(enum.StrEnum):
    ONLINE = "online"  # click
    PHONE = "phone"  # call
    COUNTER = "counter"  # face
    OUTREACH = "outreach"  # home: a home visit arranged through outreach


class HelpMode(enum.StrEnum):
    LOCATION = "location"
    HOME = "home"
    PHONE = "phone"
    VIDEO = "video"


class RequestStatus(enum.StrEnum):
    NEW = "new"
    MATCHING = "matching"
    OFFERED = "offered"
    MATCHED = "matched"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    UNRESOLVED = "unresolved"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    ESCALATED = "escalated"


# The order in which a request moves along, for every list and table of statuses.
PIPELINE = (
    RequestStatus.NEW,
    RequestStatus.MATCHING,
    RequestStatus.OFFERED,
    RequestStatus.ESCALATED,
    RequestStatus.MATCHED,
    RequestStatus.SCHEDULED,
    RequestStatus.COMPLETED,
    RequestStatus.UNRESOLVED,
    RequestStatus.EXPIRED,
    RequestStatus.CANCELLED,
)


def in_order(counts: dict, order) -> list[tuple[str, int]]:
    """(status, count) pairs in `order` (a pipeline, or an enum's own order), without the empty ones."""
    return [(status, counts[status]) for status in order if counts.get(status)]


OPEN_STATUSES = frozenset(
    {
        RequestStatus.NEW,
        RequestStatus.MATCHING,
        RequestStatus.OFFERED,
        RequestStatus.MATCHED,
        RequestStatus.SCHEDULED,
        RequestStatus.ESCALATED,
    }
)


class DayPart(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


# Day parts as minutes after midnight: morning 8-12, afternoon 12-17, evening 17-21.
DAY_PARTS = {"morning": (8 * 60, 12 * 60), "afternoon": (12 * 60, 17 * 60), "evening": (17 * 60, 21 * 60)}
