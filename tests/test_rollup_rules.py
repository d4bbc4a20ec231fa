"""The roll-up rules on plain data: buckets, waiting minutes, histograms and their exact quantiles."""

import random
from datetime import date, datetime, timedelta

import pytest

from digibuddy.core.time import to_local
from digibuddy.reports import rollup_rules as rules
from digibuddy.reports import stats


def test_local_day_follows_brussels_midnight_in_winter_and_summer():
    assert rules.local_day(datetime(2026, 1, 14, 22, 59)) == date(2026, 1, 14)
    assert rules.local_day(datetime(2026, 1, 14, 23, 0)) == date(2026, 1, 15)
    assert rules.local_day(datetime(2026, 7, 14, 21, 59)) == date(2026, 7, 14)
    assert rules.local_day(datetime(2026, 7, 14, 22, 0)) == date(2026, 7, 15)


def test_offset_changes_give_the_local_day_of_every_hour():
    start, changes = rules.offset_changes(date(2025, 1, 1), date(2026, 12, 31))
    assert start == 1
    assert changes == [
        (datetime(2025, 3, 30, 1), 2),
        (datetime(2025, 10, 26, 1), 1),
        (datetime(2026, 3, 29, 1), 2),
        (datetime(2026, 10, 25, 1), 1),
    ]
    moment = datetime(2024, 12, 31, 23)
    while moment < datetime(2027, 1, 1) - timedelta(hours=1):
        offset = start
        for at, value in changes:
            if moment >= at:
                offset = value
        assert (moment + timedelta(hours=offset)).date() == to_local(moment).date()
        moment += timedelta(minutes=37)


def test_wait_minutes_count_from_minute_to_minute():
    created = datetime(2026, 3, 1, 10, 0, 59, 900000)
    assert rules.wait_minutes(datetime(2026, 3, 1, 10, 1, 0, 100000), created) == 1
    assert rules.wait_minutes(datetime(2026, 3, 1, 10, 0, 59, 999999), created) == 0
    assert rules.wait_minutes(datetime(2026, 3, 2, 10, 0), created) == 24 * 60
    assert rules.wait_minutes(None, created) is None


def test_day_intervals_merge_consecutive_days():
    days = [date(2026, 1, 3), date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 5), date(2026, 1, 2)]
    assert rules.day_intervals(days) == [
        (date(2026, 1, 1), date(2026, 1, 3)),
        (date(2026, 1, 5), date(2026, 1, 5)),
    ]
    assert rules.day_intervals([]) == []


def test_month_index_of_a_day_within_the_range():
    months = stats.month_starts(date(2025, 11, 20), date(2026, 2, 3))
    assert rules.month_index(date(2025, 11, 20), months) == 0
    assert rules.month_index(date(2025, 12, 1), months) == 1
    assert rules.month_index(date(2026, 1, 31), months) == 2
    assert rules.month_index(date(2026, 2, 3), months) == 3


def test_merged_histograms_hold_the_union_of_their_values():
    assert rules.merge_histograms({1: 2, 5: 1}, {5: 3, 7: 0}, {}) == {1: 2, 5: 4}


@pytest.mark.parametrize("seed", range(40))
def test_histogram_quantiles_equal_the_percentile_of_the_values(seed):
    rng = random.Random(seed)
    values = [rng.choice([rng.randint(0, 30), rng.randint(0, 20000)]) for _ in range(rng.randint(1, 300))]
    parts = [{}, {}, {}]
    for value in values:
        part = rng.choice(parts)
        part[value] = part.get(value, 0) + 1
    histogram = rules.merge_histograms(*parts)
    for q in (0.0, 0.1, 0.5, 0.9, 1.0):
        assert rules.histogram_quantile(histogram, q) == stats.percentile(values, q)


def test_quantile_of_an_empty_histogram_is_none_and_a_missing_rank_is_an_error():
    assert rules.histogram_quantile({}, 0.5) is None
    with pytest.raises(ValueError):
        rules.value_at_rank([(3, 0, 1)], 2)


def test_a_quantile_needs_only_the_rows_around_its_ranks():
    histogram = {1: 3, 4: 2, 9: 5, 12: 1}
    rows = rules.cumulative(histogram)
    position, low, high = rules.quantile_ranks(11, 0.5)
    kept = [row for row in rows if row[1] <= high and row[2] >= low]
    assert rules.quantile_from_ranks(kept, 11, 0.5) == rules.histogram_quantile(histogram, 0.5) == 9
    assert rules.minutes_as_seconds(2.5) == 150.0 and rules.minutes_as_seconds(None) is None
