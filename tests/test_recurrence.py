"""The recurrence of drop-in moments, on its own: weekly and two-weekly patterns, Belgian public holidays
(from the `holidays` package) and one-off cancellations."""

from datetime import date

import holidays
import pytest

from digibuddy.core.time import public_holiday_name, public_holidays
from digibuddy.scheduling.recurrence import (
    first_on_or_after,
    is_occurrence,
    is_pattern_date,
    occurrences,
    pattern_dates,
)

MONDAY, TUESDAY, WEDNESDAY, FRIDAY, SUNDAY = 0, 1, 2, 4, 6


def test_weekly_moment_skips_easter_monday():
    found = occurrences(date(2026, 3, 1), None, MONDAY, 1, date(2026, 3, 30), date(2026, 4, 20))
    assert found == [date(2026, 3, 30), date(2026, 4, 13), date(2026, 4, 20)]
    assert date(2026, 4, 6) in holidays.country_holidays("BE", years=2026)


def test_holidays_can_be_kept_when_the_location_is_open():
    found = occurrences(
        date(2026, 3, 1), None, MONDAY, 1, date(2026, 3, 30), date(2026, 4, 20), skip_public_holidays=False
    )
    assert found == [date(2026, 3, 30), date(2026, 4, 6), date(2026, 4, 13), date(2026, 4, 20)]


def test_every_two_weeks_counts_from_the_first_occurrence_and_skips_the_national_day():
    found = occurrences(date(2026, 7, 7), None, TUESDAY, 2, date(2026, 7, 1), date(2026, 8, 31))
    assert found == [date(2026, 7, 7), date(2026, 8, 4), date(2026, 8, 18)]  # 21 July is National Day


def test_every_two_weeks_keeps_its_rhythm_when_the_range_starts_later():
    found = occurrences(date(2026, 1, 6), None, TUESDAY, 2, date(2026, 2, 1), date(2026, 2, 28))
    assert found == [date(2026, 2, 3), date(2026, 2, 17)]
    found = occurrences(date(2026, 1, 6), None, TUESDAY, 2, date(2026, 2, 4), date(2026, 2, 17))
    assert found == [date(2026, 2, 17)]


def test_first_date_on_another_weekday_starts_at_the_next_matching_day():
    assert first_on_or_after(date(2026, 11, 23), WEDNESDAY) == date(2026, 11, 25)
    assert first_on_or_after(date(2026, 11, 25), WEDNESDAY) == date(2026, 11, 25)
    found = occurrences(date(2026, 11, 23), None, WEDNESDAY, 1, date(2026, 11, 1), date(2026, 12, 2))
    assert found == [date(2026, 11, 25), date(2026, 12, 2)]


def test_holidays_across_the_turn_of_the_year():
    found = occurrences(date(2026, 12, 1), None, FRIDAY, 1, date(2026, 12, 18), date(2027, 1, 8))
    assert found == [date(2026, 12, 18), date(2027, 1, 8)]  # Christmas and New Year's Day skipped


def test_one_off_cancellations_are_skipped():
    found = occurrences(
        date(2026, 11, 1),
        None,
        WEDNESDAY,
        1,
        date(2026, 11, 1),
        date(2026, 11, 30),
        skip_dates=[date(2026, 11, 18)],
    )
    # 11 November is Armistice Day, 18 November is cancelled
    assert found == [date(2026, 11, 4), date(2026, 11, 25)]


def test_last_date_ends_the_series_and_empty_ranges_are_empty():
    found = occurrences(date(2026, 9, 1), date(2026, 9, 22), TUESDAY, 1, date(2026, 9, 1), date(2026, 12, 31))
    assert found == [date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 15), date(2026, 9, 22)]
    assert occurrences(date(2026, 9, 1), None, TUESDAY, 1, date(2026, 8, 1), date(2026, 8, 31)) == []
    assert occurrences(date(2026, 9, 1), None, TUESDAY, 1, date(2026, 10, 1), date(2026, 9, 1)) == []
    assert (
        occurrences(date(2026, 9, 1), date(2026, 8, 1), TUESDAY, 1, date(2026, 1, 1), date(2026, 12, 31))
        == []
    )


def test_sunday_moments_skip_pentecost():
    found = occurrences(date(2026, 5, 17), None, SUNDAY, 1, date(2026, 5, 17), date(2026, 5, 31))
    assert found == [date(2026, 5, 17), date(2026, 5, 31)]


def test_is_occurrence_and_is_pattern_date():
    args = (date(2026, 3, 2), None, MONDAY, 2)
    assert is_occurrence(date(2026, 3, 16), *args)
    assert not is_occurrence(date(2026, 3, 9), *args)  # the week in between
    assert not is_occurrence(date(2026, 3, 17), *args)  # a Tuesday
    assert not is_occurrence(date(2026, 2, 16), *args)  # before the first date
    assert not is_occurrence(date(2026, 3, 30), *args, skip_dates=[date(2026, 3, 30)])
    assert is_pattern_date(date(2026, 3, 30), *args)
    assert is_occurrence(date(2026, 4, 13), date(2026, 3, 2), None, MONDAY, 1)
    assert not is_occurrence(date(2026, 4, 6), date(2026, 3, 2), None, MONDAY, 1)  # Easter Monday
    assert is_pattern_date(date(2026, 4, 6), date(2026, 3, 2), None, MONDAY, 1)


def test_pattern_dates_include_holidays():
    dates = pattern_dates(date(2026, 3, 2), None, MONDAY, 1, date(2026, 4, 1), date(2026, 4, 10))
    assert dates == [date(2026, 4, 6)]


@pytest.mark.parametrize("weekday, every_weeks", [(7, 1), (-1, 1), (0, 0), (0, -2)])
def test_invalid_patterns_are_refused(weekday, every_weeks):
    with pytest.raises(ValueError):
        occurrences(date(2026, 1, 1), None, weekday, every_weeks, date(2026, 1, 1), date(2026, 2, 1))


def test_holiday_names_in_the_page_language_with_a_dutch_fallback():
    assert public_holiday_name(date(2026, 12, 25), "en") == "Christmas Day"
    assert public_holiday_name(date(2026, 12, 25), "fr") == "Noël"
    assert public_holiday_name(date(2026, 12, 25), "nl") == "Kerstmis"
    assert public_holiday_name(date(2026, 12, 25), "ar") == "Kerstmis"
    assert public_holiday_name(date(2026, 12, 24), "en") is None
    assert set(public_holidays(2026, 2027)) >= {date(2026, 7, 21), date(2027, 1, 1)}


def test_first_tuesday_of_every_month():
    # 2026: first Tuesdays are 6 January, 3 February, 3 March, 7 April; the pattern starts 1 January.
    assert occurrences(
        date(2026, 1, 1), None, 1, 1, date(2026, 1, 1), date(2026, 4, 30), week_of_month=1
    ) == [
        date(2026, 1, 6),
        date(2026, 2, 3),
        date(2026, 3, 3),
        date(2026, 4, 7),
    ]


def test_third_thursday_and_last_friday_of_the_month():
    assert occurrences(
        date(2026, 1, 1), None, 3, 1, date(2026, 1, 1), date(2026, 3, 31), week_of_month=3
    ) == [
        date(2026, 1, 15),
        date(2026, 2, 19),
        date(2026, 3, 19),
    ]
    # Last Fridays: 30 January, 27 February, 27 March; December 2026's last Friday is Christmas: skipped.
    assert occurrences(
        date(2026, 1, 1), None, 4, 1, date(2026, 1, 1), date(2026, 3, 31), week_of_month=-1
    ) == [
        date(2026, 1, 30),
        date(2026, 2, 27),
        date(2026, 3, 27),
    ]
    december = occurrences(
        date(2026, 1, 1), None, 4, 1, date(2026, 12, 1), date(2027, 1, 31), week_of_month=-1
    )
    assert december == [date(2027, 1, 29)]
    assert pattern_dates(
        date(2026, 1, 1), None, 4, 1, date(2026, 12, 1), date(2026, 12, 31), week_of_month=-1
    ) == [date(2026, 12, 25)]


def test_monthly_patterns_keep_first_and_last_dates_and_skips():
    # Second Monday; starting 10 March 2026 (after March's second Monday, the 9th), ending 13 July 2026.
    # Easter Monday 6 April is the first Monday of April: the second is the 13th, kept.
    found = occurrences(
        date(2026, 3, 10),
        date(2026, 7, 13),
        0,
        1,
        date(2026, 1, 1),
        date(2026, 12, 31),
        [date(2026, 5, 11)],
        week_of_month=2,
    )
    assert found == [date(2026, 4, 13), date(2026, 6, 8), date(2026, 7, 13)]
    assert is_occurrence(date(2026, 6, 8), date(2026, 3, 10), None, 0, 1, week_of_month=2)
    assert not is_occurrence(date(2026, 6, 15), date(2026, 3, 10), None, 0, 1, week_of_month=2)
    assert is_pattern_date(date(2026, 5, 11), date(2026, 3, 10), None, 0, 1, week_of_month=2)
    with pytest.raises(ValueError):
        occurrences(date(2026, 1, 1), None, 0, 1, date(2026, 1, 1), date(2026, 2, 1), week_of_month=5)
