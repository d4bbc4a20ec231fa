"""How a dashboard's numbers are computed: the queries (queries.py) run once for a scope, and their results
arranged per entity (a local network, or the whole network) as plain dictionaries, NetworkNumbers.

This is the only thing a figure reads (see definitions.py): whatever fills a NetworkNumbers (the queries on
the spot from the raw rows, or the roll-ups kept up to date) feeds every dashboard and export unchanged."""

from dataclasses import dataclass, fields
from datetime import datetime

from . import queries, rollups, stats

WHOLE = "all"  # the key of the whole network's numbers next to the networks' ids


@dataclass
class Results:
    """Every query's result for one scope, fetched once per dashboard."""

    open: dict
    timings: dict
    profile: dict
    topic_groups: dict
    languages: dict
    unmatched: dict
    sessions: dict
    active: dict
    flow: dict
    feedback: dict
    events: dict
    answers: dict

    @classmethod
    def empty(cls) -> "Results":
        return cls(**{f.name: {} for f in fields(cls)})


def scope_for(network_ids, date_range: stats.DateRange) -> queries.Scope:
    start, end = date_range.utc_bounds()
    return queries.Scope(
        tuple(network_ids) if network_ids is not None else None,
        start,
        end,
        tuple(stats.month_bounds_utc(date_range.months())),
    )


def fetch(scope: queries.Scope, now: datetime) -> Results:
    """Every figure of the scope from the roll-ups (brought up to date first), except what describes today
    (the open requests, the volunteers' status, the events held so far): those come from a few indexed rows
    or from small tables, exactly, on the spot."""
    rollups.fold()
    queries.planner_settings(scope)
    return Results(
        open=queries.open_requests(scope, now),
        flow=queries.volunteer_flow(scope),
        events=queries.network_events(scope, now),
        **rollups.read(scope),
    )


def fetch_raw(scope: queries.Scope, now: datetime) -> Results:
    """Every figure of the scope calculated from the raw rows: the definition the roll-ups are checked
    against (tests/test_rollups.py)."""
    queries.planner_settings(scope)
    return Results(
        open=queries.open_requests(scope, now),
        timings=queries.request_timings(scope),
        profile=queries.request_profile(scope),
        topic_groups=queries.requests_by_topic_group(scope),
        languages=queries.requests_by_language(scope),
        unmatched=queries.unmatched_reasons(scope),
        sessions=queries.sessions_and_outcomes(scope),
        active=queries.active_volunteers(scope),
        flow=queries.volunteer_flow(scope),
        feedback=queries.feedback(scope),
        events=queries.network_events(scope, now),
        answers=queries.feedback_answers(scope),
    )


def _marginal(counts: dict, position: int) -> dict:
    """Sum a {(a, b, ...): n} mapping down to {key[position]: n}."""
    found: dict = {}
    for key, value in counts.items():
        found[key[position]] = found.get(key[position], 0) + value
    return found


def _by_channel_group(counts: dict) -> dict:
    """Sum a {(intake channel, ...): n} mapping down to {(channel group, ...): n}, the intake channel turned
    into its channel group (click, call, face, home)."""
    found: dict = {}
    for (channel, *rest), value in counts.items():
        picked = (stats.CHANNEL_GROUPS.get(channel, channel), *rest)
        found[picked] = found.get(picked, 0) + value
    return found


@dataclass
class NetworkNumbers:
    """One entity's (a network's, or the whole network's) numbers, as plain dictionaries."""

    open_status: dict
    open_age: dict
    open_matrix: dict
    timings: dict
    channels: dict
    age_bands: dict
    months_requests: dict
    topic_groups: dict
    languages: dict
    unmatched: dict
    session_status: dict
    results: dict
    referrals: dict
    outcome_totals: queries.SessionCell
    months_sessions: dict
    months_minutes: dict
    months_outcomes: dict
    active: int
    flow: dict
    satisfaction: dict
    satisfaction_channel: dict
    months_feedback: dict
    months_satisfaction_sum: dict
    events: dict  # learning-network events: "held", "registrations", "attended", "absent"
    channel_months: dict  # {(channel, month index): requests}, channel one of stats.CHANNELS
    channel_answers: dict  # {(channel, month index, "answers" | "ease" | "trust"): n}


def numbers_for(fetched: Results, network_ids: list, whole: bool = False) -> NetworkNumbers:
    """One network's numbers (`network_ids` a single network), or with `whole` the whole network's: the
    numbers of `network_ids` added together, except the figures that do not add up (percentiles, distinct
    volunteers, events held) which come from the query's whole-network entry (queries.ALL)."""
    if whole:
        return _whole(fetched, [_of_network(fetched, network_id) for network_id in network_ids])
    (network_id,) = network_ids
    return _of_network(fetched, network_id)


def _flow(flow: dict) -> dict:
    return {key: flow.get(key, 0) for key in ("new", "left", "active_status")}


def _of_network(fetched: Results, network_id) -> NetworkNumbers:
    """One network's numbers, read from its own results (not copied: nothing changes them)."""
    open_matrix = fetched.open.get(network_id, {})
    profile = fetched.profile.get(network_id, {})
    feedback = fetched.feedback.get(network_id, {})

    with_outcome = []  # the counts of the groups with an outcome, added up into outcome_totals
    session_status, results, referrals = {}, {}, {}
    months_sessions, months_minutes, months_outcomes = {}, {}, {}
    for (status, result, month, referred), counts in fetched.sessions.get(network_id, {}).items():
        sessions, outcomes, minutes = counts[:3]  # queries.SessionCell's first three fields
        session_status[status] = session_status.get(status, 0) + sessions
        if result is not None:
            results[result] = results.get(result, 0) + outcomes
            with_outcome.append(counts)
            months_minutes[month] = months_minutes.get(month, 0) + minutes
            months_outcomes[month] = months_outcomes.get(month, 0) + outcomes
        if referred is not None:
            referrals[referred] = referrals.get(referred, 0) + outcomes
        if status == "done":
            months_sessions[month] = months_sessions.get(month, 0) + sessions
    totals = queries.SessionCell(*map(sum, zip(*with_outcome, strict=True)))  # all 0 without outcomes
    # The requests by channel group, age band, month, and channel group and month, in one pass (a network
    # has some 300 (channel, age band, month) cells); the feedback's the same way.
    channels, age_bands, months_requests, channel_months = {}, {}, {}, {}
    for (channel, band, month), count in profile.items():
        group = stats.CHANNEL_GROUPS.get(channel, channel)
        channels[group] = channels.get(group, 0) + count
        age_bands[band] = age_bands.get(band, 0) + count
        months_requests[month] = months_requests.get(month, 0) + count
        channel_months[group, month] = channel_months.get((group, month), 0) + count
    satisfactions, satisfaction_channel, months_feedback, months_satisfaction_sum = {}, {}, {}, {}
    for (satisfaction, channel, month), count in feedback.items():
        satisfactions[satisfaction] = satisfactions.get(satisfaction, 0) + count
        satisfaction_channel[channel] = satisfaction_channel.get(channel, 0) + count
        months_feedback[month] = months_feedback.get(month, 0) + count
        months_satisfaction_sum[month] = months_satisfaction_sum.get(month, 0) + satisfaction * count

    event_counts = fetched.events.get(network_id, {})
    places = {key[1]: value for key, value in event_counts.items() if isinstance(key, tuple)}
    return NetworkNumbers(
        open_status=_marginal(open_matrix, 0),
        open_age=_marginal(open_matrix, 1),
        open_matrix=open_matrix,
        timings=fetched.timings.get(network_id, {}),
        channels=channels,
        age_bands=age_bands,
        months_requests=months_requests,
        topic_groups=fetched.topic_groups.get(network_id, {}),
        languages=fetched.languages.get(network_id, {}),
        unmatched=fetched.unmatched.get(network_id, {}),
        session_status=session_status,
        results=results,
        referrals=referrals,
        outcome_totals=totals,
        months_sessions=months_sessions,
        months_minutes=months_minutes,
        months_outcomes=months_outcomes,
        active=fetched.active.get(network_id, 0),
        flow=_flow(fetched.flow.get(network_id, {})),
        satisfaction=satisfactions,
        satisfaction_channel=satisfaction_channel,
        months_feedback=months_feedback,
        months_satisfaction_sum=months_satisfaction_sum,
        events={
            "held": event_counts.get("held", 0),
            "registrations": sum(places.values()),
            "attended": places.get("attended", 0),
            "absent": places.get("absent", 0),
        },
        channel_months=channel_months,
        channel_answers=_by_channel_group(fetched.answers.get(network_id, {})),
    )


# The numbers that are dictionaries of counts and add up over networks.
_ADDED = tuple(
    f.name
    for f in fields(NetworkNumbers)
    if f.name not in ("timings", "outcome_totals", "active", "flow", "events")
)


def _whole(fetched: Results, networks: list[NetworkNumbers]) -> NetworkNumbers:
    """The whole network's numbers from its networks' own (numbers_for): every count their sum, which adds
    up the networks' few categories, not again each of their results' (network, category, month) cells."""
    added = {}
    for name in _ADDED:
        found: dict = {}
        for numbers in networks:
            for key, value in getattr(numbers, name).items():
                found[key] = found.get(key, 0) + value
        added[name] = found
    events = {"held": fetched.events.get(queries.ALL, {}).get("held", 0)}
    for key in ("registrations", "attended", "absent"):
        events[key] = sum(numbers.events[key] for numbers in networks)
    totals = queries.SessionCell()
    for numbers in networks:
        totals.add(numbers.outcome_totals)
    return NetworkNumbers(
        **added,
        events=events,
        timings=fetched.timings.get(queries.ALL, {}),
        outcome_totals=totals,
        active=fetched.active.get(queries.ALL, 0),
        flow=_flow(fetched.flow.get(queries.ALL, {})),
    )


def of_network(network_id: int, date_range: stats.DateRange, now: datetime) -> NetworkNumbers:
    """One network's numbers for the period, calculated on the spot."""
    return numbers_for(fetch(scope_for([network_id], date_range), now), [network_id])


def of_every_network(date_range: stats.DateRange, now: datetime, network_ids: list) -> dict:
    """{network id: NetworkNumbers} for each of `network_ids` and, under WHOLE, the whole network's."""
    results = fetch(scope_for(None, date_range), now)
    found = {network_id: _of_network(results, network_id) for network_id in network_ids}
    found[WHOLE] = _whole(results, list(found.values()))
    return found


def empty(network_id) -> NetworkNumbers:
    """The numbers of a network without a single row counted."""
    return numbers_for(Results.empty(), [network_id])
