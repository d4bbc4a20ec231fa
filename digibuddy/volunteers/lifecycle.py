"""The status machine of a volunteer and the rule for becoming active. Pure Python: no Flask, no SQLAlchemy.

Statuses and checklist items are plain strings (the values of VolunteerStatus and VettingItem),
so this module can be used and tested without the database.
"""

import calendar
from dataclasses import dataclass
from datetime import date

APPLIED, VETTING, ACTIVE, PAUSED, SUSPENDED, LEFT = (
    "applied",
    "vetting",
    "active",
    "paused",
    "suspended",
    "left",
)
STATUSES = (APPLIED, VETTING, ACTIVE, PAUSED, SUSPENDED, LEFT)

IDENTITY, CRIMINAL_RECORD, CHARTER, TRAINING = "identity", "criminal_record", "charter", "training"
CHECKLIST = (IDENTITY, CRIMINAL_RECORD, CHARTER, TRAINING)

DEFAULT_EXTRACT_MAX_AGE_MONTHS = 12

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    APPLIED: frozenset({VETTING, LEFT}),
    VETTING: frozenset({ACTIVE, SUSPENDED, LEFT}),
    ACTIVE: frozenset({PAUSED, SUSPENDED, LEFT}),
    PAUSED: frozenset({ACTIVE, SUSPENDED, LEFT}),
    SUSPENDED: frozenset({ACTIVE, LEFT}),
    LEFT: frozenset({VETTING}),  # a volunteer who comes back is vetted again
}

# What volunteers may do themselves: take a break and come back.
SELF_SERVICE_TRANSITIONS = frozenset({(ACTIVE, PAUSED), (PAUSED, ACTIVE)})

# A suspended digibuddy, or one who left, has no access: no log-in, no offers, no sessions.
WITHOUT_ACCESS = frozenset({SUSPENDED, LEFT})

# A suspension always says why.
REASON_REQUIRED = frozenset({SUSPENDED})


def can_transition(current: str, target: str) -> bool:
    return str(target) in ALLOWED_TRANSITIONS.get(str(current), frozenset())


def allowed_targets(current: str) -> list[str]:
    """The statuses reachable from `current`, in the order of STATUSES."""
    reachable = ALLOWED_TRANSITIONS.get(str(current), frozenset())
    return [status for status in STATUSES if status in reachable]


def volunteer_may_change(current: str, target: str) -> bool:
    return (str(current), str(target)) in SELF_SERVICE_TRANSITIONS


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier when negative), clamped to the end of shorter months."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def extract_valid_until(issued: date, max_age_months: int) -> date:
    """The last day on which an extract issued on `issued` is recent enough."""
    return add_months(issued, max_age_months)


def extract_too_old(issued: date, max_age_months: int, today: date) -> bool:
    return today > extract_valid_until(issued, max_age_months)


@dataclass(frozen=True)
class ActivationProblem:
    """Why a volunteer cannot become active: a missing item, or something wrong with the extract."""

    kind: str  # "missing", "extract_date_missing", "extract_in_future", "extract_too_old", "profile"
    item: str  # a checklist item, or for "profile" one of PROFILE_PARTS
    valid_until: date | None = None


# An active volunteer without these can never be matched: at least one of each before `active`.
PROFILE_PARTS = ("languages", "topics", "availability")


def activation_problems(
    done_items,
    extract_date: date | None,
    max_age_months: int | None,
    today: date,
    profile_parts=PROFILE_PARTS,
) -> list[ActivationProblem]:
    """Everything that stands between a volunteer and `active`; an empty list means they may be activated.

    Every checklist item must be done, the criminal record extract ("model 2") must have an issue date
    that is not in the future and not older than `max_age_months` on `today`, and the profile must name
    at least one language, one topic and one availability slot (`profile_parts`: those it has)."""
    months = max_age_months or DEFAULT_EXTRACT_MAX_AGE_MONTHS
    done = {str(item) for item in done_items}
    problems = [ActivationProblem("missing", item) for item in CHECKLIST if item not in done]
    problems += [
        ActivationProblem("profile", part) for part in PROFILE_PARTS if part not in set(profile_parts)
    ]
    if CRIMINAL_RECORD in done:
        if extract_date is None:
            problems.append(ActivationProblem("extract_date_missing", CRIMINAL_RECORD))
        elif extract_date > today:
            problems.append(ActivationProblem("extract_in_future", CRIMINAL_RECORD))
        elif extract_too_old(extract_date, months, today):
            problems.append(
                ActivationProblem(
                    "extract_too_old", CRIMINAL_RECORD, extract_valid_until(extract_date, months)
                )
            )
    return problems


def can_activate(done_items, extract_date: date | None, max_age_months: int | None, today: date) -> bool:
    return not activation_problems(done_items, extract_date, max_age_months, today)
