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


def _by_channel_group(counts: dict, positions: tuple) -> dict:
    """Sum a {(intake channel, ...): n} mapping down to the key parts at `positions`, the intake channel (at
    position 0) turned into its channel group (click, call, face, home)."""
    found: dict = {}
    for key, value in counts.items():
        picked = tuple(stats.CHANNEL_GROUPS.get(key[0], key[0]) if p == 0 else key[p] for p in positions)
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
    """Add the per-network results of `network_ids` together (a single network: just its own). For the
    whole network, figures that do not add up (percentiles, distinct volunteers) come from the query's
    whole-network entry (queries.ALL)."""

    def merged(mapping):
        found: dict = {}
        for network_id in network_ids:
            for key, value in mapping.get(network_id, {}).items():
                found[key] = found.get(key, 0) + value
        return found

    open_matrix = merged(fetched.open)
    profile = merged(fetched.profile)
    sessions: dict = {}
    for network_id in network_ids:
        for key, cell in fetched.sessions.get(network_id, {}).items():
            sessions.setdefault(key, queries.SessionCell()).add(cell)
    feedback = merged(fetched.feedback)

    totals = queries.SessionCell()
    session_status, results, referrals = {}, {}, {}
    months_sessions, months_minutes, months_outcomes = {}, {}, {}
    for (status, result, month, referred), cell in sessions.items():
        session_status[status] = session_status.get(status, 0) + cell.sessions
        if result is not None:
            results[result] = results.get(result, 0) + cell.outcomes
            totals.add(cell)
            months_minutes[month] = months_minutes.get(month, 0) + cell.minutes
            months_outcomes[month] = months_outcomes.get(month, 0) + cell.outcomes
        if referred is not None:
            referrals[referred] = referrals.get(referred, 0) + cell.outcomes
        if status == "done":
            months_sessions[month] = months_sessions.get(month, 0) + cell.sessions
    months_satisfaction_sum: dict = {}
    for (satisfaction, _channel, month), count in feedback.items():
        months_satisfaction_sum[month] = months_satisfaction_sum.get(month, 0) + satisfaction * count

    event_counts = merged(fetched.events)
    places = {key[1]: value for key, value in event_counts.items() if isinstance(key, tuple)}
    events = {
        "held": fetched.events.get(queries.ALL, {}).get("held", 0) if whole else event_counts.get("held", 0),
        "registrations": sum(places.values()),
        "attended": places.get("attended", 0),
        "absent": places.get("absent", 0),
    }

    if whole:
        timings = fetched.timings.get(queries.ALL, {})
        active = fetched.active.get(queries.ALL, 0)
        flow = fetched.flow.get(queries.ALL, {})
    else:
        (network_id,) = network_ids
        timings = fetched.timings.get(network_id, {})
        active = fetched.active.get(network_id, 0)
        flow = fetched.flow.get(network_id, {})
    return NetworkNumbers(
        open_status=_marginal(open_matrix, 0),
        open_age=_marginal(open_matrix, 1),
        open_matrix=open_matrix,
        timings=timings,
        channels={stats.CHANNEL_GROUPS.get(k, k): v for k, v in _marginal(profile, 0).items()},
        age_bands=_marginal(profile, 1),
        months_requests=_marginal(profile, 2),
        topic_groups=merged(fetched.topic_groups),
        languages=merged(fetched.languages),
        unmatched=merged(fetched.unmatched),
        session_status=session_status,
        results=results,
        referrals=referrals,
        outcome_totals=totals,
        months_sessions=months_sessions,
        months_minutes=months_minutes,
        months_outcomes=months_outcomes,
        active=active,
        flow={
            "new": flow.get("new", 0),
            "left": flow.get("left", 0),
            "active_status": flow.get("active_status", 0),
        },
        satisfaction=_marginal(feedback, 0),
        satisfaction_channel=_marginal(feedback, 1),
        months_feedback=_marginal(feedback, 2),
        months_satisfaction_sum=months_satisfaction_sum,
        events=events,
        channel_months=_by_channel_group(profile, (0, 2)),
        channel_answers=_by_channel_group(merged(fetched.answers), (0, 1, 2)),
    )


def of_network(network_id: int, date_range: stats.DateRange, now: datetime) -> NetworkNumbers:
    """One network's numbers for the period, calculated on the spot."""
    return numbers_for(fetch(scope_for([network_id], date_range), now), [network_id])


def of_every_network(date_range: stats.DateRange, now: datetime, network_ids: list) -> dict:
    """{network id: NetworkNumbers} for each of `network_ids` and, under WHOLE, the whole network's."""
    results = fetch(scope_for(None, date_range), now)
    found = {network_id: numbers_for(results, [network_id]) for network_id in network_ids}
    found[WHOLE] = numbers_for(results, network_ids, whole=True)
    return found


def empty(network_id) -> NetworkNumbers:
    """The numbers of a network without a single row counted."""
    return numbers_for(Results.empty(), [network_id])
