"""Planning proposals on plain data: the first free moments that fit the location's opening hours, the
resident's windows, the volunteer's availability and appointments, skipping public holidays."""

from datetime import date, datetime, time, timedelta

from digibuddy.core.time import public_holiday_name
from digibuddy.scheduling import rules

HOUR = timedelta(hours=1)
WEEKDAYS_9_TO_17 = [(d, time(9), time(17)) for d in range(5)]
# Monday 7 December 2026 to Sunday 13 December 2026; Friday 25 December 2026 is Christmas.
MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 6, 20, 0)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def facts(day, *, opening=WEEKDAYS_9_TO_17, windows=(), availability=(), busy=()):
    return rules.day_facts(
        day,
        opening_hours=opening,
        resident_windows=list(windows),
        availability=list(availability),
        busy=list(busy),
    )


def week(start=MONDAY, days=7, **kwargs):
    return [facts(start + timedelta(days=n), **kwargs) for n in range(days)]


def test_the_first_moment_fits_opening_hours_windows_and_availability():
    # Resident: Tuesday afternoon; volunteer: Tuesday 13:30-16:00; the location opens 9-17.
    day = facts(
        MONDAY + timedelta(days=1), windows=[(1, "afternoon")], availability=[(1, time(13, 30), time(16))]
    )
    assert rules.free_intervals(day) == [(at(day.day, 13, 30), at(day.day, 16))]
    assert rules.first_free_moment(day, HOUR, NOW) == (at(day.day, 13, 30), at(day.day, 14, 30))
    # Two hours do not fit in 13:30-16:00 once 14:00-15:00 is taken.
    busy = facts(
        MONDAY + timedelta(days=1),
        windows=[(1, "afternoon")],
        availability=[(1, time(13, 30), time(16))],
        busy=[(at(MONDAY + timedelta(days=1), 14), at(MONDAY + timedelta(days=1), 15))],
    )
    assert rules.first_free_moment(busy, 2 * HOUR, NOW) is None
    assert rules.first_free_moment(busy, HOUR, NOW) == (
        at(busy.day, 15),
        at(busy.day, 16),
    )  # 13:30-14:30 clashes: the next half hour after the appointment ends


def test_three_proposals_one_a_day_skip_closed_days_and_appointments():
    monday, tuesday, wednesday, thursday = (MONDAY + timedelta(days=n) for n in range(4))
    proposals = rules.propose_moments(
        week(
            windows=[(0, "morning"), (1, "morning"), (2, "morning"), (3, "morning"), (5, "morning")],
            busy=[(at(tuesday, 9), at(tuesday, 12))],
        ),
        HOUR,
        NOW,
    )
    # Monday 9:00; Tuesday's morning is taken; Wednesday and Thursday 9:00 (Saturday: the location is closed).
    assert proposals == [
        (at(monday, 9), at(monday, 10)),
        (at(wednesday, 9), at(wednesday, 10)),
        (at(thursday, 9), at(thursday, 10)),
    ]


def test_a_public_holiday_is_never_proposed():
    christmas = date(2026, 12, 25)
    assert public_holiday_name(christmas)
    days = [facts(christmas), facts(christmas + timedelta(days=3))]  # Friday 25th, Monday 28th
    assert rules.free_intervals(days[0]) == [] and days[0].holiday
    assert rules.propose_moments(days, HOUR, datetime(2026, 12, 24, 8)) == [
        (at(date(2026, 12, 28), 9), at(date(2026, 12, 28), 10))
    ]


def test_no_moment_in_the_past_and_starts_on_the_half_hour():
    day = facts(MONDAY)
    assert rules.first_free_moment(day, HOUR, at(MONDAY, 10, 7)) == (at(MONDAY, 10, 30), at(MONDAY, 11, 30))
    assert rules.first_free_moment(day, HOUR, at(MONDAY, 16, 1)) is None  # 16:30 + 1 h is after closing


def test_without_a_location_the_volunteer_and_resident_decide():
    # A phone session: no opening hours, the evening is possible; no times given restricts nothing (8-21).
    day = facts(MONDAY, opening=None, windows=[(0, "evening")])
    assert rules.first_free_moment(day, HOUR, NOW) == (at(MONDAY, 17), at(MONDAY, 18))
    assert rules.first_free_moment(facts(MONDAY, opening=None), HOUR, NOW) == (at(MONDAY, 8), at(MONDAY, 9))
    # A closed location on Sunday leaves nothing, whatever the others say.
    sunday = MONDAY + timedelta(days=6)
    assert rules.free_intervals(facts(sunday, windows=[(6, "morning")])) == []


def test_touching_windows_let_a_session_run_across_noon():
    day = facts(MONDAY, windows=[(0, "morning"), (0, "afternoon")], availability=[(0, time(11), time(14))])
    assert rules.free_intervals(day) == [(at(MONDAY, 11), at(MONDAY, 14))]
    assert rules.first_free_moment(day, 3 * HOUR, NOW) == (at(MONDAY, 11), at(MONDAY, 14))


def test_times_given_for_other_days_rule_out_this_day():
    # The resident only named Tuesday morning: Wednesday is no fit even though nobody else objects.
    wednesday = MONDAY + timedelta(days=2)
    assert rules.free_intervals(facts(wednesday, windows=[(1, "morning")])) == []
    assert rules.free_intervals(facts(wednesday, availability=[(1, time(9), time(12))])) == []
    assert facts(wednesday).resident is None and facts(wednesday).volunteer is None  # nothing given at all
