"""The SQL behind the dashboards. Every figure is aggregated in the database (GROUP BY, ordered-set
aggregates on PostgreSQL) and comes back as a small mapping keyed by local network, so a dashboard over a
million sessions moves a few thousand rows at most. Date ranges arrive as naive UTC bounds [start, end).

Definitions (each function's docstring says exactly what it counts):
- a request belongs to the local network it was routed to (HelpRequest.network_id);
- a session, outcome or feedback belongs to the network of its request;
- a volunteer belongs to every network where they hold a volunteer membership.

The whole-network figure of an additive count is the sum over networks (the caller adds them up); for
figures that do not add up (percentiles, distinct volunteers) the functions return it under the key None."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql

from ..accounts.models import Membership, Role
from ..core.db import built, rows_in_parts
from ..events.models import EventRegistration, NetworkEvent, RegistrationStatus
from ..extensions import db
from ..matching.engine import LANGUAGE, reasons_from_note
from ..matching.models import Offer
from ..outcomes.models import Feedback, Outcome
from ..reference.models import Postcode, Topic
from ..requests.models import (
    OPEN_STATUSES,
    HelpRequest,
    RequestEvent,
    RequestStatus,
    Resident,
    request_languages,
    request_topics,
)
from ..scheduling.models import HelpSession, SessionStatus
from ..volunteers.models import VolunteerProfile, VolunteerStatus
from . import rollup_rules, stats

ALL = None  # the key of a whole-network figure that is not a sum over networks


@dataclass(frozen=True)
class Scope:
    """Which networks (None: all of them) and which instants [start, end), as naive UTC."""

    network_ids: tuple[int, ...] | None
    start: datetime
    end: datetime
    month_bounds: tuple[datetime, ...] = ()  # the UTC instants at which each month after the first starts

    def networks(self, column):
        return sa.true() if self.network_ids is None else column.in_(self.network_ids)

    def within(self, column):
        return sa.and_(column >= self.start, column < self.end)

    def month_of(self, column):
        """0-based index of the (Brussels) calendar month of the range that holds the instant."""
        if not self.month_bounds:
            return sa.literal(0)
        return case(
            *[(column < bound, index) for index, bound in enumerate(self.month_bounds)],
            else_=len(self.month_bounds),
        )


def _dialect() -> str:
    return db.engine.dialect.name


def minutes_between(later, earlier, dialect: str | None = None):
    """rollup_rules.wait_minutes in SQL: whole minutes from the minute of `earlier` to the minute of `later`
    (both truncated to the minute), exact integers on PostgreSQL and SQLite alike."""
    if (dialect or _dialect()) == "postgresql":

        def minute(column):
            return sa.cast(func.extract("epoch", func.date_trunc("minute", column)), sa.BigInteger) // 60

    else:

        def minute(column):
            return sa.cast(func.strftime("%s", column), sa.Integer) // 60

    return minute(later) - minute(earlier)


def planner_settings(scope: Scope) -> None:
    """Run once before a dashboard's statements. PostgreSQL only, for the rest of the transaction (the web
    request): no JIT compilation, which costs more than it saves on these statements, and sorts and hashes
    of up to 64 MB in memory (the every-network statements sort a few hundred thousand roll-up rows, which
    the server's default of 4 MB spills to disk in several passes), and random reads that cost what
    cached, SSD-backed reads cost (the default of 4 is for spinning disks and makes the planner scan whole
    tables instead of following indexes: the quantiles' probes, and the recruitment advice's 113,761 waiting
    requests at 10,000,000 sessions, which it otherwise joined to a hash of every request, 12.9 s against
    4.0 s by their keys). For some networks (a coordinator's dashboard) the statements follow indexes to a
    few thousand rows, so also no parallel workers, whose start-up costs more than the look-ups they would
    share."""
    if _dialect() != "postgresql":
        return
    settings = {"jit": "off", "work_mem": "64MB", "random_page_cost": "1.1"}
    if scope.network_ids is not None:
        settings["max_parallel_workers_per_gather"] = "0"
    else:
        # the server's own setting, whatever an earlier statement chose
        settings["max_parallel_workers_per_gather"] = None
    calls = ", ".join(
        f"set_config('{name}', '{value}', true)"
        if value is not None
        else f"set_config('{name}', (SELECT reset_val FROM pg_settings WHERE name = '{name}'), true)"
        for name, value in settings.items()
    )
    db.session.execute(sa.text(f"SELECT {calls}"))


def _rows(stmt):
    return db.session.execute(stmt).all()


# ----------------------------------------------------------------------------------------------- requests
def open_requests(scope: Scope, now: datetime) -> dict:
    """The queue today, whatever the date range: requests whose status is open (new, looking for a
    digibuddy, offered, escalated, digibuddy found, appointment planned), by status and by age bucket,
    where age = now - HelpRequest.created_at and the buckets are stats.AGE_BUCKETS (in days).
    Returns {network_id: {(status, bucket): count}}."""
    ages = [(index, high) for index, (_low, high) in enumerate(stats.AGE_BUCKETS) if high is not None]

    def build():
        bucket = case(
            *[
                (HelpRequest.created_at > sa.bindparam(f"after_{index}", type_=sa.DateTime), index)
                for index, _high in ages
            ],
            else_=len(stats.AGE_BUCKETS) - 1,
        )
        return (
            select(HelpRequest.network_id, HelpRequest.status, bucket.label("bucket"), func.count())
            .where(scope.networks(HelpRequest.network_id), HelpRequest.status.in_(list(OPEN_STATUSES)))
            .group_by(HelpRequest.network_id, HelpRequest.status, bucket)
        )

    stmt = built(("open requests", scope.network_ids), build)
    after = {f"after_{index}": now - timedelta(days=high) for index, high in ages}
    found: dict = {}
    for network_id, status, age, count in db.session.execute(stmt, after):
        found.setdefault(network_id, {})[(RequestStatus(status).value, int(age))] = count
    return found


TIMINGS = ("offer", "match", "session")


def timing_lookups(dialect: str | None = None) -> dict:
    """Per request (correlated on HelpRequest), the waiting time of each step of TIMINGS in whole minutes
    (minutes_between), None when the step was not reached:
    - offer = the earliest Offer.created_at of the request;
    - match = the first RequestEvent that moved the request to MATCHED (RequestEvent.at);
    - session = the earliest HelpSession.starts_at of a session that was not cancelled;
    each from HelpRequest.created_at."""
    # Each step is a correlated look-up that one index answers (offers by request, the partial index of
    # MATCHED events, sessions by request and start): a request costs a few index probes.
    first_offer = (
        select(func.min(Offer.created_at)).where(Offer.request_id == HelpRequest.id).scalar_subquery()
    )
    first_match = (
        select(func.min(RequestEvent.at))
        .where(
            RequestEvent.request_id == HelpRequest.id,
            # a literal, so that the partial index ix_request_events_matched applies
            RequestEvent.to_status == sa.literal_column(f"'{RequestStatus.MATCHED.value}'"),
        )
        .scalar_subquery()
    )
    first_session = (
        select(func.min(HelpSession.starts_at))
        .where(HelpSession.request_id == HelpRequest.id, HelpSession.status != SessionStatus.CANCELLED)
        .scalar_subquery()
    )
    return {
        step: minutes_between(first, HelpRequest.created_at, dialect)
        for step, first in zip(TIMINGS, (first_offer, first_match, first_session), strict=True)
    }


def request_timings(scope: Scope, quantiles=(0.5, 0.9)) -> dict:
    """How long residents wait, for the requests created in the range (HelpRequest.created_at), in whole
    minutes per step (timing_lookups): time to first offer, to match and to first session. Requests that have
    not reached a step do not count for that step. The median and the 90th percentile interpolate like
    stats.percentile (PostgreSQL's percentile_cont) between those minutes, given in seconds.
    Returns {network_id or ALL: {step: (count, [seconds per quantile])}}; a network without a single
    request that reached a step is left out."""
    base = (
        select(
            HelpRequest.network_id.label("network_id"),
            *[column.label(step) for step, column in timing_lookups().items()],
        )
        .where(scope.within(HelpRequest.created_at), scope.networks(HelpRequest.network_id))
        # OFFSET 0: each look-up runs once per request, not once for every aggregate that reads it.
        .offset(0)
        .subquery("timings")
    )
    return _percentiles_by_window(base, quantiles)


def _percentiles_by_window(base, quantiles) -> dict:
    """Number the values per network with window functions and fetch only the (at most two) values around
    each quantile's position; stats.interpolate finishes the job (the same arithmetic as the roll-ups'
    histograms, rollup_rules.quantile_from_ranks, so that both agree to the last bit)."""
    found: dict = {}
    for step in TIMINGS:
        for per_network in (True, False):
            value = base.c[step]
            if per_network:
                group = base.c.network_id
                numbered = func.row_number().over(partition_by=group, order_by=value)
                counted = func.count().over(partition_by=group)
            else:
                group = sa.literal_column("-1")
                numbered, counted = func.row_number().over(order_by=value), func.count().over()
            ranked = (
                select(group.label("g"), value.label("v"), (numbered - 1).label("rank"), counted.label("n"))
                .where(value.is_not(None))
                .subquery()
            )
            conditions = []
            for q in quantiles:
                # the ranks within one of the position: the ones below and above it among them, without
                # rounding in SQL (a cast to integer rounds on PostgreSQL and truncates on SQLite)
                position = sa.cast(q * (ranked.c.n - 1), sa.Float)
                conditions.append(sa.and_(ranked.c.rank >= position - 1, ranked.c.rank <= position + 1))
            rows = _rows(select(ranked.c.g, ranked.c.n, ranked.c.rank, ranked.c.v).where(sa.or_(*conditions)))
            by_group: dict = {}
            for g, n, rank, v in rows:
                by_group.setdefault(g, (n, {}))[1][rank] = int(v)
            for g, (n, at_rank) in by_group.items():
                key = g if per_network else ALL
                values = []
                for q in quantiles:
                    position = q * (n - 1)
                    low = int(position)
                    high = at_rank.get(low + 1, at_rank[low])
                    values.append(
                        rollup_rules.minutes_as_seconds(stats.interpolate(at_rank[low], high, position))
                    )
                found.setdefault(key, {})[step] = (n, values)
    for entry in found.values():
        for step in TIMINGS:
            entry.setdefault(step, (0, [None] * len(quantiles)))
    return found


def request_profile(scope: Scope) -> dict:
    """Requests created in the range (HelpRequest.created_at) by intake channel, by the resident's age band
    (None when not given) and by calendar month of the range.
    Returns {network_id: {(channel, age_band, month_index): count}}."""
    month = scope.month_of(HelpRequest.created_at)
    stmt = (
        select(
            HelpRequest.network_id,
            HelpRequest.intake_channel,
            Resident.age_band,
            month.label("month"),
            func.count(),
        )
        .join(Resident, Resident.id == HelpRequest.resident_id)
        .where(scope.within(HelpRequest.created_at), scope.networks(HelpRequest.network_id))
        .group_by(HelpRequest.network_id, HelpRequest.intake_channel, Resident.age_band, month)
    )
    found: dict = {}
    for network_id, channel, age_band, month_index, count in _rows(stmt):
        key = (getattr(channel, "value", channel), getattr(age_band, "value", age_band), int(month_index))
        found.setdefault(network_id, {})[key] = count
    return found


def requests_by_topic_group(scope: Scope) -> dict:
    """Requests created in the range per topic group of the catalogue: a request counts once in every group
    that holds at least one of its topics (so the groups add up to more than the requests).
    Returns {network_id: {group_id: count}}."""
    pairs = (
        select(
            HelpRequest.network_id.label("network_id"),
            Topic.group_id.label("group_id"),
            HelpRequest.id.label("request_id"),
        )
        .join(request_topics, request_topics.c.request_id == HelpRequest.id)
        .join(Topic, Topic.id == request_topics.c.topic_id)
        .where(scope.within(HelpRequest.created_at), scope.networks(HelpRequest.network_id))
        .distinct()
        .subquery()
    )
    stmt = select(pairs.c.network_id, pairs.c.group_id, func.count()).group_by(
        pairs.c.network_id, pairs.c.group_id
    )
    found: dict = {}
    for network_id, group_id, count in _rows(stmt):
        found.setdefault(network_id, {})[group_id] = count
    return found


def requests_by_language(scope: Scope) -> dict:
    """Requests created in the range per language the resident asked help in: a request counts once for
    each of its languages. Returns {network_id: {language_code: count}}."""
    stmt = (
        select(HelpRequest.network_id, request_languages.c.language_code, func.count())
        .join(request_languages, request_languages.c.request_id == HelpRequest.id)
        .where(scope.within(HelpRequest.created_at), scope.networks(HelpRequest.network_id))
        .group_by(HelpRequest.network_id, request_languages.c.language_code)
    )
    found: dict = {}
    for network_id, code, count in _rows(stmt):
        found.setdefault(network_id, {})[code] = count
    return found


def _reason_count(reason: str, reasons=None):
    column = HelpRequest.escalation_reasons if reasons is None else reasons
    return func.coalesce(column[reason].as_integer(), 0)


def main_reason_expression(counts: dict | None = None):
    """stats.main_reason in SQL: "rounds" when offer rounds ran out, else the hard constraint that ruled out
    the most digibuddies (ties to the one checked first), else "other". `counts` maps each reason of
    stats.UNMATCHED_REASONS to an integer column; by default they are read from
    HelpRequest.escalation_reasons."""
    constraints = stats.UNMATCHED_REASONS[1:]
    if counts is None:
        counts = {reason: _reason_count(reason) for reason in stats.UNMATCHED_REASONS}
    whens = [(counts["rounds"] > 0, "rounds")]
    for index, reason in enumerate(constraints):
        conditions = [counts[reason] > 0]
        conditions += [counts[reason] > counts[other] for other in constraints[:index]]
        conditions += [counts[reason] >= counts[other] for other in constraints[index + 1 :]]
        whens.append((sa.and_(*conditions), reason))
    return case(*whens, else_="other")


def _has_reasons():
    """escalation_reasons holds reasons: neither SQL NULL nor JSON null, which the JSON column stores when the
    matching engine clears the reasons (a digibuddy was found). The same condition as the partial index
    ix_help_requests_escalated, as a literal so that the index applies."""
    column = HelpRequest.escalation_reasons
    json_type = func.json_typeof if _dialect() == "postgresql" else func.json_type
    return sa.and_(column.is_not(None), json_type(column) != sa.literal_column("'null'"))


def unmatched_reasons(scope: Scope) -> dict:
    """Requests created in the range that could not be matched: the matching engine escalated them with the
    reasons nobody fitted (HelpRequest.escalation_reasons, cleared as soon as a digibuddy is found), counted
    by their main reason (see stats.main_reason). Returns {network_id: {reason: count}}."""
    # Each count is read from the JSON once per request, then compared as plain integers.
    counts = (
        select(
            HelpRequest.network_id.label("network_id"),
            *[_reason_count(reason).label(f"n_{reason}") for reason in stats.UNMATCHED_REASONS],
        )
        .where(scope.within(HelpRequest.created_at), scope.networks(HelpRequest.network_id), _has_reasons())
        .offset(0)
        .subquery("reason_counts")
    )
    reason = main_reason_expression({r: counts.c[f"n_{r}"] for r in stats.UNMATCHED_REASONS})
    stmt = select(counts.c.network_id, reason.label("reason"), func.count()).group_by(
        counts.c.network_id, reason
    )
    found: dict = {}
    for network_id, main, count in _rows(stmt):
        found.setdefault(network_id, {})[main] = count
    return found


# ----------------------------------------------------------------------------------------------- sessions
@dataclass
class SessionCell:
    """The counts of a group of sessions (sessions_and_outcomes). A query's groups give them as a plain tuple
    in this order (SessionCell(*counts) reads one): a tuple of numbers the garbage collector leaves alone,
    where the network dashboard's 12,700 of these objects lived on to its oldest generation."""

    sessions: int = 0
    outcomes: int = 0
    minutes: int = 0
    confidence_answered: int = 0
    confidence_before: int = 0
    confidence_after: int = 0
    more_confident: int = 0
    follow_up: int = 0

    def add(self, other: "SessionCell") -> None:
        # field by field, written out: a dashboard of every network adds some 40,000 cells
        self.sessions += other.sessions
        self.outcomes += other.outcomes
        self.minutes += other.minutes
        self.confidence_answered += other.confidence_answered
        self.confidence_before += other.confidence_before
        self.confidence_after += other.confidence_after
        self.more_confident += other.more_confident
        self.follow_up += other.follow_up


def _scope_sessions(scope: Scope, columns: dict, conditions=(), with_outcome: bool = False):
    """The sessions that start in the range, of the requests of the scope's networks, as a subquery with the
    request's network_id and `columns` ({name: column of HelpSession or, with_outcome, of its Outcome}).
    For some networks on PostgreSQL each request of the networks looks up its own sessions in the range
    (a LATERAL join on ix_help_sessions_request_starts): left to itself the planner trades those look-ups
    for a scan of every network's sessions of the period as soon as a network is large, which costs several
    times more. Otherwise a plain join, ordered by the planner."""

    def sessions(*correlation):
        stmt = select(*[column.label(name) for name, column in columns.items()]).select_from(HelpSession)
        if with_outcome:
            stmt = stmt.outerjoin(Outcome, Outcome.session_id == HelpSession.id)
        return stmt.where(scope.within(HelpSession.starts_at), *conditions, *correlation)

    if _dialect() == "postgresql" and scope.network_ids is not None:
        # OFFSET 0 keeps the planner from flattening the LATERAL subquery into a join it may reorder.
        per_request = sessions(HelpSession.request_id == HelpRequest.id).offset(0).lateral("request_sessions")
        stmt = (
            select(HelpRequest.network_id.label("network_id"), *per_request.c)
            .select_from(HelpRequest)
            .join(per_request, sa.true())
            .where(scope.networks(HelpRequest.network_id))
        )
    else:
        stmt = (
            sessions()
            .add_columns(HelpRequest.network_id.label("network_id"))
            .join(HelpRequest, HelpRequest.id == HelpSession.request_id)
            .where(scope.networks(HelpRequest.network_id))
        )
    return stmt.subquery("scope_sessions")


def session_referral(s):
    """The organisation a session's outcome referred the resident to (None unless the result is
    "referred"); `s` has the columns of sessions_and_outcomes."""
    return case((s.result == "referred", s.referred_to), else_=None)


def session_sums(s) -> list:
    """The aggregates of a SessionCell, in its order, over rows with the columns of sessions_and_outcomes:
    sessions, outcomes, minutes spent, outcomes with both confidence answers and the sums of both, those
    where confidence rose, and follow-ups."""
    both = sa.and_(s.confidence_before.is_not(None), s.confidence_after.is_not(None))
    return [
        func.count(s.session_id),
        func.count(s.outcome_session_id),
        func.coalesce(func.sum(s.minutes_spent), 0),
        func.coalesce(func.sum(case((both, 1), else_=0)), 0),
        func.coalesce(func.sum(case((both, s.confidence_before), else_=0)), 0),
        func.coalesce(func.sum(case((both, s.confidence_after), else_=0)), 0),
        func.coalesce(
            func.sum(case((sa.and_(both, s.confidence_after > s.confidence_before), 1), else_=0)), 0
        ),
        func.coalesce(func.sum(case((s.follow_up_needed.is_(True), 1), else_=0)), 0),
    ]


SESSION_COLUMNS = {
    "session_id": HelpSession.id,
    "status": HelpSession.status,
    "starts_at": HelpSession.starts_at,
    # Outcome.session_id counts the outcomes (NULL without one) and, unlike Outcome.id, is in the index.
    "outcome_session_id": Outcome.session_id,
    "result": Outcome.result,
    "referred_to": Outcome.referred_to,
    "minutes_spent": Outcome.minutes_spent,
    "confidence_before": Outcome.confidence_before,
    "confidence_after": Outcome.confidence_after,
    "follow_up_needed": Outcome.follow_up_needed,
}


def sessions_and_outcomes(scope: Scope) -> dict:
    """Sessions that start in the range (HelpSession.starts_at), by session status, outcome result (None when
    no outcome was recorded), calendar month and, for referrals, the organisation (Outcome.referred_to).
    Per group: sessions, outcomes, minutes spent (Outcome.minutes_spent: volunteer time), outcomes where the
    resident answered both confidence questions with the sums of both answers, those where confidence rose,
    and outcomes that needed a follow-up.
    Returns {network_id: {(status, result, month_index, referred_to): counts}}, the counts a tuple in the
    order of SessionCell's fields."""
    s = _scope_sessions(
        scope,
        SESSION_COLUMNS,
        with_outcome=True,
    ).c
    month = scope.month_of(s.starts_at)
    referral = session_referral(s)
    stmt = select(
        s.network_id, s.status, s.result, month.label("month"), referral.label("referral"), *session_sums(s)
    ).group_by(s.network_id, s.status, s.result, month, referral)
    found: dict = {}
    for network_id, status, result, month_index, referred, *numbers in _rows(stmt):
        key = (getattr(status, "value", status), getattr(result, "value", result), int(month_index), referred)
        found.setdefault(network_id, {})[key] = tuple(int(n) for n in numbers)
    return found


def active_volunteers(scope: Scope) -> dict:
    """Active volunteers = distinct volunteers with at least one session that took place (status DONE) and
    started in the range, counted in the network of the request. Returns {network_id or ALL: count}."""
    s = _scope_sessions(
        scope,
        {"volunteer_id": HelpSession.volunteer_id},
        conditions=(HelpSession.status == SessionStatus.DONE,),
    ).c
    # The distinct (network, volunteer) pairs are few (a digibuddy helps in one or two networks): fetching
    # them answers both counts in one pass, without a COUNT(DISTINCT ...) that sorts every session.
    found: dict = {}
    volunteers = set()
    for network_id, volunteer_id in _rows(select(s.network_id, s.volunteer_id).distinct()):
        found[network_id] = found.get(network_id, 0) + 1
        volunteers.add(volunteer_id)
    found[ALL] = len(volunteers)
    return found


def volunteer_flow(scope: Scope) -> dict:
    """Volunteers of each network (volunteer memberships):
    - new = profiles created in the range (VolunteerProfile.created_at: the application);
    - leaving = profiles whose status is LEFT and changed in the range (VolunteerProfile.status_changed_at);
    - active status = profiles whose status is ACTIVE today.
    Returns {network_id or ALL: {"new": n, "left": n, "active_status": n}}; ALL counts each person once."""
    per_network, whole = built(("volunteer flow", scope), lambda: _flow_statements(scope))
    found = {
        network_id: {"new": int(n), "left": int(lf), "active_status": int(a)}
        for network_id, n, lf, a in _rows(per_network)
    }
    if scope.network_ids is not None and len(scope.network_ids) == 1:
        # a person is a volunteer of a network once (one membership per role): the whole is the network
        (network_id,) = scope.network_ids
        found[ALL] = dict(found.get(network_id) or {"new": 0, "left": 0, "active_status": 0})
        return found
    n, lf, a = _rows(whole)[0]
    found[ALL] = {"new": int(n), "left": int(lf), "active_status": int(a)}
    return found


def _flow_statements(scope: Scope) -> tuple:
    """volunteer_flow's statements: the sums per network, and over the networks' volunteers each once."""
    new = case((scope.within(VolunteerProfile.created_at), 1), else_=0)
    left = case(
        (
            sa.and_(
                VolunteerProfile.status == VolunteerStatus.LEFT,
                scope.within(VolunteerProfile.status_changed_at),
            ),
            1,
        ),
        else_=0,
    )
    active = case((VolunteerProfile.status == VolunteerStatus.ACTIVE, 1), else_=0)
    sums = (
        func.coalesce(func.sum(new), 0),
        func.coalesce(func.sum(left), 0),
        func.coalesce(func.sum(active), 0),
    )
    per_network = (
        select(Membership.network_id, *sums)
        .join(VolunteerProfile, VolunteerProfile.user_id == Membership.user_id)
        .where(Membership.role == Role.VOLUNTEER, scope.networks(Membership.network_id))
        .group_by(Membership.network_id)
    )
    members = select(Membership.user_id).where(
        Membership.role == Role.VOLUNTEER, scope.networks(Membership.network_id)
    )
    return per_network, select(*sums).where(VolunteerProfile.user_id.in_(members))


def feedback(scope: Scope) -> dict:
    """Feedback given in the range (Feedback.created_at) by satisfaction (1-5), channel (link, phone,
    counter) and calendar month. Returns {network_id: {(satisfaction, channel, month_index): count}}."""
    month = scope.month_of(Feedback.created_at)
    stmt = (
        select(
            HelpRequest.network_id,
            Feedback.satisfaction,
            Feedback.channel,
            month.label("month"),
            func.count(),
        )
        .join(HelpRequest, HelpRequest.id == Feedback.request_id)
        .where(scope.within(Feedback.created_at), scope.networks(HelpRequest.network_id))
        .group_by(HelpRequest.network_id, Feedback.satisfaction, Feedback.channel, month)
    )
    found: dict = {}
    for network_id, satisfaction, channel, month_index, count in _rows(stmt):
        found.setdefault(network_id, {})[
            (int(satisfaction), getattr(channel, "value", channel), int(month_index))
        ] = count
    return found


def network_events(scope: Scope, now: datetime) -> dict:
    """Learning-network events that started in the range and were held (not cancelled, started before now),
    and the places taken at them. An event counts for the network that organised it, and under ALL also
    the knowledge centre's own; a registration (with a place) counts for the network the person registered
    from, by attendance ("attended", "absent", or None: not recorded).
    Returns {network_id: {"held": n, ("place", attendance): n}} with ALL: {"held": every event held}."""
    events, places = built(("network events", scope), lambda: _events_statements(scope))
    found: dict = {}
    for network_id, count in db.session.execute(events, {"now": now}):
        if network_id is not None and (scope.network_ids is None or network_id in scope.network_ids):
            found.setdefault(network_id, {})["held"] = count
        if scope.network_ids is None:
            entry = found.setdefault(ALL, {})
            entry["held"] = entry.get("held", 0) + count
    for network_id, attendance, count in db.session.execute(places, {"now": now}):
        found.setdefault(network_id, {})[("place", getattr(attendance, "value", attendance))] = count
    return found


def _events_statements(scope: Scope) -> tuple:
    """network_events' statements, of the events held before `now` (given at execution): the events per
    organising network, and the places per network and attendance."""
    held = sa.and_(
        scope.within(NetworkEvent.starts_at),
        NetworkEvent.starts_at < sa.bindparam("now", type_=sa.DateTime),
        NetworkEvent.cancelled_at.is_(None),
    )
    events = select(NetworkEvent.network_id, func.count()).where(held).group_by(NetworkEvent.network_id)
    places = (
        select(EventRegistration.network_id, EventRegistration.attendance, func.count())
        .join(NetworkEvent, NetworkEvent.id == EventRegistration.event_id)
        .where(
            held,
            EventRegistration.status == RegistrationStatus.REGISTERED,
            scope.networks(EventRegistration.network_id),
            EventRegistration.network_id.is_not(None),
        )
        .group_by(EventRegistration.network_id, EventRegistration.attendance)
    )
    return events, places


ANSWER_MEASURES = ("answers", "ease", "trust")
# request ids per statement of the recruitment advice's escalation notes (bound parameters stay few)
ID_CHUNK = 5000


def _among(column, ids: list):
    """`column` is one of `ids`: on PostgreSQL one array parameter (= ANY), so thousands of ids are not
    expanded into as many bound parameters and parsed again on every statement; elsewhere IN (...)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, ids, type_=postgresql.ARRAY(sa.Integer)))
    return column.in_(ids)


def feedback_answers(scope: Scope) -> dict:
    """Feedback given in the range (Feedback.created_at) that answers both how easy it was to get help this
    way and how much the resident trusts it (1-4 each; earlier feedback has neither), by the intake channel of
    its request and calendar month: the number of such feedback and the sums of both answers.
    Returns {network_id: {(channel, month_index, measure): n}} with measure "answers", "ease" or "trust"."""
    month = scope.month_of(Feedback.created_at)
    stmt = (
        select(
            HelpRequest.network_id,
            HelpRequest.intake_channel,
            month.label("month"),
            func.count(),
            func.sum(Feedback.ease),
            func.sum(Feedback.trust),
        )
        .join(HelpRequest, HelpRequest.id == Feedback.request_id)
        .where(
            scope.within(Feedback.created_at),
            scope.networks(HelpRequest.network_id),
            Feedback.ease.is_not(None),
            Feedback.trust.is_not(None),
        )
        .group_by(HelpRequest.network_id, HelpRequest.intake_channel, month)
    )
    found: dict = {}
    for network_id, channel, month_index, *values in _rows(stmt):
        entry = found.setdefault(network_id, {})
        for measure, value in zip(ANSWER_MEASURES, values, strict=True):
            entry[(getattr(channel, "value", channel), int(month_index), measure)] = int(value or 0)
    return found


# ----------------------------------------------------------------------------------------------- recruitment
def _reasons_known():
    """escalation_reasons is an object with at least one reason (a JSON object, not {}): then the request's
    own reasons say whether the language ruled digibuddies out; otherwise its escalation notes do."""
    column = HelpRequest.escalation_reasons
    if _dialect() == "postgresql":
        return sa.and_(
            func.json_typeof(column) == "object",
            sa.cast(column, postgresql.JSONB) != sa.cast(sa.literal("{}"), postgresql.JSONB),
        )
    return sa.and_(func.json_type(column) == "object", func.json(column) != "{}")


# The status compared with a literal, so that the partial index ix_request_events_escalated applies.
ESCALATED = sa.literal_column(f"'{RequestStatus.ESCALATED.value}'")


def waiting_groups(ids, day=None):
    """The statement of the groups the recruitment advice counts the requests `ids` (a subquery with their
    id) in: (network, day, languages, topic, postcode, municipality, request id or None, requests), `day` a
    column of `ids` (None: no day). Per request, once (grouped by the request, so its reasons are read once
    and not once per topic): its network, its reasons, where the resident lives and its languages; then a
    request counts once for each of its topics. The languages only when the language ruled digibuddies out
    by the reasons the request holds now; when those are gone (a digibuddy was found), the request's own id,
    so that its escalation notes tell (grouped(), one by one)."""
    own = [] if day is None else [day]  # the request's own columns depend on its key
    day = sa.null() if day is None else day
    per_request = (
        select(
            HelpRequest.id.label("id"),
            HelpRequest.network_id.label("network_id"),
            day.label("day"),
            _reasons_known().label("known"),
            _reason_count(LANGUAGE).label("language"),
            Resident.postcode_code.label("postcode"),
            Postcode.municipality_nis.label("municipality"),
            func.aggregate_strings(sa.cast(request_languages.c.language_code, sa.String), ",").label(
                "languages"
            ),
        )
        .select_from(ids)
        .join(HelpRequest, HelpRequest.id == ids.c.id)
        .join(Resident, Resident.id == HelpRequest.resident_id)
        .outerjoin(Postcode, Postcode.code == Resident.postcode_code)
        .outerjoin(request_languages, request_languages.c.request_id == HelpRequest.id)
        .group_by(HelpRequest.id, *own, Resident.postcode_code, Postcode.municipality_nis)
        .subquery("per_request")
    )
    r = per_request.c
    keys = (
        r.network_id,
        r.day,
        case((sa.and_(r.known, r.language <= 0), None), else_=r.languages),
        request_topics.c.topic_id,
        r.postcode,
        r.municipality,
        case((r.known, None), else_=r.id),
    )
    return (
        select(*keys, func.count()).join(request_topics, request_topics.c.request_id == r.id).group_by(*keys)
    )


def grouped(execute, rows, *, days: bool = False) -> dict:
    """waiting_groups' rows (an iterable, read once) as {network: {(languages, topic, postcode,
    municipality): requests}} (with `days`: {network: {(day, languages, ...): requests}}), the languages a
    sorted tuple (empty when not counted), a postcode or municipality not known None. For the requests whose
    reasons are gone (the rows with a request id) the escalation notes say whether the language ruled
    digibuddies out (matching.engine.reasons_note: the latest note that holds reasons), read after the
    rows in statements of ID_CHUNK requests through `execute` (a session's or a connection's)."""
    found: dict = {}

    def add(network_id, day, listed, topic_id, postcode, municipality, count):
        key = (
            tuple(sorted(listed.split(","))) if listed else (),
            topic_id,
            postcode or None,
            municipality or None,
        )
        if days:
            key = (day, *key)
        groups = found.get(network_id)
        if groups is None:
            groups = found[network_id] = {}
        groups[key] = groups.get(key, 0) + count

    noted_later = []
    for network_id, day, listed, topic_id, postcode, municipality, request_id, count in rows:
        if request_id is None:
            add(network_id, day, listed, topic_id, postcode, municipality, count)
        else:
            noted_later.append((network_id, day, listed, topic_id, postcode, municipality, request_id, count))
    without = sorted({row[6] for row in noted_later})
    noted: dict = {}
    for start in range(0, len(without), ID_CHUNK):
        for request_id, note in execute(
            select(RequestEvent.request_id, RequestEvent.note)
            .where(
                _among(RequestEvent.request_id, without[start : start + ID_CHUNK]),
                RequestEvent.to_status == RequestStatus.ESCALATED,
            )
            .order_by(RequestEvent.at, RequestEvent.id)
        ):
            noted[request_id] = reasons_from_note(note) or noted.get(request_id, {})
    for network_id, day, listed, topic_id, postcode, municipality, request_id, count in noted_later:
        missing = int(noted.get(request_id, {}).get(LANGUAGE) or 0) > 0
        add(network_id, day, listed if missing else None, topic_id, postcode, municipality, count)
    return found


def _escalated_since(network_ids):
    """The requests of `network_ids` (None: every network) escalated at or after `since` (given at
    execution): a RequestEvent to ESCALATED then. The events carry no network: the period's escalations of
    every network are matched against the networks' own request ids (ix_help_requests_network_created alone,
    hashed), not each looked up."""
    escalated = select(RequestEvent.request_id.label("id")).where(
        RequestEvent.to_status == ESCALATED, RequestEvent.at >= sa.bindparam("since", type_=sa.DateTime)
    )
    if network_ids is not None:
        network = HelpRequest.network_id.in_(list(network_ids))
        escalated = escalated.where(RequestEvent.request_id.in_(select(HelpRequest.id).where(network)))
    return escalated


def _still_waiting(network_ids):
    """The requests of `network_ids` (None: every network) created in [since, waited) (given at execution)
    and still waiting for a digibuddy (new, looking, offered)."""
    network = sa.true() if network_ids is None else HelpRequest.network_id.in_(list(network_ids))
    return select(HelpRequest.id.label("id")).where(
        network,
        HelpRequest.status.in_((RequestStatus.NEW, RequestStatus.MATCHING, RequestStatus.OFFERED)),
        HelpRequest.created_at >= sa.bindparam("since", type_=sa.DateTime),
        HelpRequest.created_at < sa.bindparam("waited", type_=sa.DateTime),
    )


def waiting_statement(network_ids, *, escalated: bool = True):
    """waiting_counts' statement for the requests that waited since `since`, the requests created before
    `waited` (both given at execution); without `escalated`, only the requests still waiting that were not
    escalated since (the rest of what the roll-ups of the escalations hold: rollups.waiting_counts)."""
    if escalated:
        # The ids, each half through its own index (an OR of the two defeats both), in id order: the
        # requests, residents, languages and topics are then read in the order they are stored.
        both = sa.union(_escalated_since(network_ids), _still_waiting(network_ids)).subquery("both")
    else:
        later = _escalated_since(None).where(RequestEvent.request_id == HelpRequest.id)
        both = _still_waiting(network_ids).where(~later.exists()).subquery("both")
    ids = select(both.c.id).order_by(both.c.id).subquery("waiting")
    return waiting_groups(ids)


def waiting_counts(network_ids, since: datetime, now: datetime, wait: timedelta) -> dict:
    """The requests of `network_ids` (None: every network) that waited since `since`: escalated to the
    coordinator since then (a RequestEvent to ESCALATED: nobody fitted, the offer rounds ran out or it waited
    too long), or created since then and still waiting for a digibuddy (new, looking, offered) for longer
    than `wait` at `now`; counted as recruitment.counted counts them, by their languages when the language
    ruled digibuddies out, topic, postcode and municipality. Whether the language ruled them out: by the
    reasons a request holds now or, once a digibuddy was found, those its escalation noted
    (matching.engine.reasons_note). Counted in the database; only the requests whose reasons are gone come
    back one by one (a row per topic), to read their notes. Returns {network id: {group: requests}}."""
    key = None if network_ids is None else tuple(sorted(network_ids))
    stmt = built(("waiting counts", key), lambda: waiting_statement(key))
    rows = rows_in_parts(db.session.execute(stmt, {"since": since, "waited": now - wait}))
    return grouped(db.session.execute, rows)
