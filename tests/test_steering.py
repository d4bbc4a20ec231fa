"""The pure rules of network settings: the value that applies (own, else central, else the code's), bounds,
what the centre may set, and an own value outside bounds narrowed later (moved to the nearest bound)."""

from digibuddy.matching.engine import Weights
from digibuddy.network import steering
from digibuddy.network.steering import BY_KEY, CENTRE, CODE, NETWORK, Central, check_central, check_overrides


def central(**changed):
    """Every setting at the code's default and full range, with `changed` ({key: Central}) instead."""
    values = {s.key: steering.code_central(s) for s in steering.SETTINGS}
    values.update(changed)
    return values


def codes(problems):
    return [(p.key, p.code) for p in problems]


def test_without_anything_set_the_codes_defaults_apply():
    settings = steering.effective({}, {})
    assert (settings.offer_timeout_hours, settings.max_offer_rounds) == (24, 3)
    assert (settings.retention_months, settings.extract_max_age_months) == (24, 12)
    assert settings.allow_overflow is False
    assert dict(settings.weights) == dict(steering.WEIGHT_DEFAULTS)
    assert {r.source for r in settings.resolved} == {CODE}
    # The engine's own defaults are the same numbers: one definition.
    assert Weights() == Weights.from_mapping(dict(settings.weights))


def test_the_central_default_applies_until_a_network_sets_its_own():
    values = central(offer_timeout_hours=Central(48, 12, 72))
    assert steering.effective(values, {}).offer_timeout_hours == 48
    assert steering.effective(values, {}).of("offer_timeout_hours").source == CENTRE
    own = steering.effective(values, {"offer_timeout_hours": 36})
    assert own.offer_timeout_hours == 36 and own.of("offer_timeout_hours").source == NETWORK
    assert not own.of("offer_timeout_hours").clamped


def test_an_own_value_within_the_bounds_is_accepted_and_outside_refused():
    values = central(offer_timeout_hours=Central(48, 12, 72), weight_distance=Central(30, 10, 50))
    assert check_overrides({"offer_timeout_hours": 12, "weight_distance": 50}, values) == []
    refused = check_overrides({"offer_timeout_hours": 73, "weight_distance": 9}, values)
    assert codes(refused) == [
        ("offer_timeout_hours", steering.OUTSIDE_BOUNDS),
        ("weight_distance", steering.OUTSIDE_BOUNDS),
    ]
    assert (refused[0].minimum, refused[0].maximum) == (12, 72)


def test_narrowed_bounds_move_an_own_value_to_the_nearest_bound_and_widening_gives_it_back():
    own = {"offer_timeout_hours": 60}
    narrowed = steering.effective(central(offer_timeout_hours=Central(24, 12, 36)), own)
    resolved = narrowed.of("offer_timeout_hours")
    assert narrowed.offer_timeout_hours == 36 and resolved.clamped and resolved.override == 60
    widened = steering.effective(central(offer_timeout_hours=Central(24, 12, 72)), own)
    assert widened.offer_timeout_hours == 60 and not widened.of("offer_timeout_hours").clamped
    below = steering.effective(central(offer_timeout_hours=Central(70, 65, 72)), own)
    assert below.offer_timeout_hours == 65


def test_a_yes_no_setting_the_centre_locks_cannot_be_set_by_a_network():
    locked = central(allow_overflow=Central(0, 0, 0))
    assert codes(check_overrides({"allow_overflow": 1}, locked)) == [("allow_overflow", steering.LOCKED)]
    # An own "yes" stored before the centre locked it no longer applies.
    settings = steering.effective(locked, {"allow_overflow": 1})
    assert settings.allow_overflow is False and settings.of("allow_overflow").clamped
    free = central(allow_overflow=Central(0, 0, 1))
    assert steering.effective(free, {"allow_overflow": 1}).allow_overflow is True


def test_the_centre_cannot_set_impossible_defaults_or_bounds():
    assert check_central(central()) == []
    problems = check_central(
        {
            "offer_timeout_hours": Central(24, 0, 400),
            "max_offer_rounds": Central(3, 5, 4),
            "retention_months": Central(6, 12, 36),
        }
    )
    assert codes(problems) == [
        ("offer_timeout_hours_min", steering.OUT_OF_RANGE),
        ("offer_timeout_hours_max", steering.OUT_OF_RANGE),
        ("max_offer_rounds_max", steering.MIN_ABOVE_MAX),
        ("retention_months", steering.DEFAULT_OUTSIDE),
    ]
    zero = {key: Central(0, 0, 100) for key in steering.WEIGHT_KEYS}
    assert codes(check_central(zero)) == [("weight_distance", steering.NO_WEIGHT)]


def test_a_network_cannot_set_every_weight_to_zero():
    values = central()
    zeros = dict.fromkeys(steering.WEIGHT_KEYS, 0)
    assert codes(check_overrides(zeros, values)) == [("weight_distance", steering.NO_WEIGHT)]
    assert check_overrides({**zeros, "weight_topics": 1}, values) == []


def test_changes_list_only_what_changed_in_the_order_of_the_settings():
    before = {"weight_distance": None, "offer_timeout_hours": 24, "offer_timeout_hours_max": 336}
    after = {"weight_distance": 40, "offer_timeout_hours": 24, "offer_timeout_hours_max": 72}
    assert list(steering.changes(before, after).items()) == [
        ("offer_timeout_hours_max", [336, 72]),
        ("weight_distance", [None, 40]),
    ]
    assert BY_KEY["weight_distance"].weight_name == "distance"
