"""The volunteer status machine and the activation rule, tested as plain Python (no Flask, no database)."""

import subprocess
import sys
from datetime import date
from itertools import pairwise

import pytest

from digibuddy.volunteers import lifecycle as lc
from digibuddy.volunteers.lifecycle import (
    ACTIVE,
    APPLIED,
    CHECKLIST,
    LEFT,
    PAUSED,
    STATUSES,
    SUSPENDED,
    VETTING,
    activation_problems,
    add_months,
    allowed_targets,
    can_activate,
    can_transition,
    extract_too_old,
    volunteer_may_change,
)

TODAY = date(2026, 3, 15)
ALLOWED = {
    (APPLIED, VETTING),
    (APPLIED, LEFT),
    (VETTING, ACTIVE),
    (VETTING, SUSPENDED),
    (VETTING, LEFT),
    (ACTIVE, PAUSED),
    (ACTIVE, SUSPENDED),
    (ACTIVE, LEFT),
    (PAUSED, ACTIVE),
    (PAUSED, SUSPENDED),
    (PAUSED, LEFT),
    (SUSPENDED, ACTIVE),
    (SUSPENDED, LEFT),
    (LEFT, VETTING),
}


def test_the_module_imports_neither_flask_nor_sqlalchemy():
    code = (
        "import sys, digibuddy.volunteers.lifecycle; "
        "assert not {'flask', 'sqlalchemy', 'flask_sqlalchemy'} & set(sys.modules), sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_every_transition_is_allowed_or_refused_as_designed(current, target):
    assert can_transition(current, target) == ((current, target) in ALLOWED)


def test_the_happy_path_and_the_way_back():
    path = [APPLIED, VETTING, ACTIVE, PAUSED, ACTIVE, SUSPENDED, ACTIVE, LEFT, VETTING, ACTIVE]
    for current, target in pairwise(path):
        assert can_transition(current, target), (current, target)


def test_applied_cannot_skip_vetting_and_nothing_stays_put():
    assert not can_transition(APPLIED, ACTIVE)
    assert not any(can_transition(status, status) for status in STATUSES)
    assert not can_transition("unknown", ACTIVE) and not can_transition(ACTIVE, "unknown")


def test_allowed_targets_are_listed_in_a_stable_order():
    assert allowed_targets(ACTIVE) == [PAUSED, SUSPENDED, LEFT]
    assert allowed_targets(APPLIED) == [VETTING, LEFT]
    assert allowed_targets("nonsense") == []


def test_a_volunteer_may_only_pause_and_come_back_themselves():
    assert volunteer_may_change(ACTIVE, PAUSED) and volunteer_may_change(PAUSED, ACTIVE)
    for current in STATUSES:
        for target in STATUSES:
            if (current, target) not in {(ACTIVE, PAUSED), (PAUSED, ACTIVE)}:
                assert not volunteer_may_change(current, target)


def test_suspension_needs_a_reason():
    assert {SUSPENDED} == lc.REASON_REQUIRED


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 15), 12, date(2026, 3, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_short_months(day, months, expected):
    assert add_months(day, months) == expected


def test_complete_checklist_with_a_recent_extract_may_be_activated():
    assert activation_problems(CHECKLIST, date(2026, 1, 10), 12, TODAY) == []
    assert can_activate(set(CHECKLIST), date(2026, 1, 10), 12, TODAY)


@pytest.mark.parametrize("missing", CHECKLIST)
def test_every_open_checklist_item_blocks_activation(missing):
    done = [item for item in CHECKLIST if item != missing]
    problems = activation_problems(done, date(2026, 1, 10), 12, TODAY)
    assert ("missing", missing) in [(p.kind, p.item) for p in problems]
    assert not can_activate(done, date(2026, 1, 10), 12, TODAY)


def test_nothing_done_lists_every_item():
    assert [p.item for p in activation_problems([], None, 12, TODAY)] == list(CHECKLIST)


def test_extract_exactly_as_old_as_allowed_is_still_fine_one_day_more_is_not():
    assert activation_problems(CHECKLIST, date(2025, 3, 15), 12, TODAY) == []
    problems = activation_problems(CHECKLIST, date(2025, 3, 14), 12, TODAY)
    assert [(p.kind, p.valid_until) for p in problems] == [("extract_too_old", date(2026, 3, 14))]


def test_the_networks_setting_decides_the_maximum_age():
    issued = date(2025, 10, 1)
    assert can_activate(CHECKLIST, issued, 12, TODAY)
    assert not can_activate(CHECKLIST, issued, 3, TODAY)
    assert extract_too_old(issued, 3, TODAY) and not extract_too_old(issued, 6, TODAY)


def test_default_of_twelve_months_when_the_setting_is_missing():
    assert lc.DEFAULT_EXTRACT_MAX_AGE_MONTHS == 12
    assert can_activate(CHECKLIST, date(2025, 4, 1), None, TODAY)
    assert not can_activate(CHECKLIST, date(2025, 3, 1), None, TODAY)


def test_extract_without_date_or_dated_in_the_future_blocks_activation():
    assert [p.kind for p in activation_problems(CHECKLIST, None, 12, TODAY)] == ["extract_date_missing"]
    assert [p.kind for p in activation_problems(CHECKLIST, date(2026, 3, 16), 12, TODAY)] == [
        "extract_in_future"
    ]
