"""The roll-ups give exactly the figures calculated from the raw rows: random data made through the
factories, random changes and deletions (through the ORM and through bulk statements), random date ranges;
every number of the dashboards compared."""

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, insert, select, update

from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.matching.services import ESCALATE_AFTER
from digibuddy.outcomes.models import Feedback, FeedbackChannel, Outcome
from digibuddy.reference.models import Topic
from digibuddy.reports import numbers, queries, rollups, stats
from digibuddy.reports.models import (
    RollupActive,
    RollupAdvice,
    RollupCell,
    RollupDirty,
    RollupMonthActive,
    RollupMonthAdvice,
    RollupMonthCell,
    RollupMonthWait,
    RollupMonthWaitBucket,
    RollupMonthWaitHour,
    RollupMonthWaitTen,
    RollupWait,
    RollupWaitHour,
    RollupYearActive,
)
from digibuddy.requests.enums import AgeBand, IntakeChannel
from digibuddy.requests.models import HelpRequest, RequestEvent, RequestStatus, request_topics
from digibuddy.scheduling.models import HelpSession, SessionStatus
from tests import reports_helpers as rh

FIRST, LAST = datetime(2024, 10, 1), datetime(2025, 12, 31)
COMPARED = ("timings", "profile", "topic_groups", "languages", "unmatched", "sessions", "active", "feedback")


def _moment(rng) -> datetime:
    """A random instant, often close to a Brussels midnight (22:00 or 23:00 UTC) or a minute boundary."""
    day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days))
    hour = rng.choice([21, 22, 23, 0, rng.randrange(24)])
    return day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60)) + timedelta(
        microseconds=rng.choice([0, 999999, rng.randrange(1000000)])
    )


def _later(rng, moment: datetime) -> datetime:
    return moment + rng.choice(
        [timedelta(seconds=rng.randrange(1, 120)), timedelta(minutes=rng.randrange(1, 600))]
        + [timedelta(hours=rng.randrange(1, 24 * 20), seconds=rng.randrange(60))]
    )


def _reasons(rng):
    return rng.choice(
        [
            None,
            None,
            {"language": rng.randrange(4), "distance": rng.randrange(3)},
            {"rounds": 1},
            {"topic": 2},
        ]
    )


# Escalation notes: the reasons (matching.engine.reasons_note) with and without the language, and a note
# that holds none.
NOTES = [None, "distance: 2, language: 3", "language: 0, full: 1", "Assigned directly: she speaks Turkish"]
POSTCODES = ["9000", "9030", "2800", "3000"]
STATUSES = [RequestStatus.COMPLETED, RequestStatus.COMPLETED, RequestStatus.NEW, RequestStatus.MATCHING]
STATUSES += [RequestStatus.OFFERED, RequestStatus.ESCALATED]


def _escalate(rng, request, at=None) -> None:
    rh.event(request, at or _later(rng, request.created_at), RequestStatus.ESCALATED, note=rng.choice(NOTES))


def _build(rng, networks, volunteers, topics, count: int) -> list:
    requests = []
    for _ in range(count):
        network = rng.choice(networks)
        created = _moment(rng)
        request = rh.request_at(
            network,
            created,
            channel=rng.choice(list(IntakeChannel)),
            age_band=rng.choice([None, *AgeBand]),
            languages=tuple(rng.sample(["nl", "fr", "ar", "tr"], rng.randrange(1, 3))),
            topics=tuple(rng.sample(topics, rng.randrange(1, 3))),
            escalation_reasons=_reasons(rng),
            status=rng.choice(STATUSES),
            postcode=rng.choice(POSTCODES),
        )
        requests.append(request)
        for _escalation in range(rng.choice([0, 0, 1, 2])):
            _escalate(rng, request)
        for _offer in range(rng.randrange(3)):
            volunteer = rng.choice(volunteers)
            if not db.session.scalar(
                select(func.count()).where(Offer.request_id == request.id, Offer.volunteer_id == volunteer.id)
            ):
                rh.offer(request, volunteer, _later(rng, created))
        if rng.random() < 0.6:
            rh.event(request, _later(rng, created), RequestStatus.MATCHED)
        for _session in range(rng.randrange(3)):
            status = rng.choice(list(SessionStatus))
            result = rng.choice([None, "solved", "partly_solved", "referred", "not_solved"])
            rh.session_at(
                request,
                rng.choice(volunteers),
                _later(rng, created),
                status,
                result=result if status == SessionStatus.DONE else None,
                minutes=rng.randrange(10, 120),
                before=rng.choice([None, 1, 2, 3]),
                after=rng.choice([None, 3, 4, 5]),
                follow_up=rng.random() < 0.3,
                referred_to=rng.choice(["OCMW", "library"]) if result == "referred" else None,
            )
        if rng.random() < 0.5:
            rh.feedback(
                request,
                _later(rng, created),
                rng.randrange(1, 6),
                rng.choice(list(FeedbackChannel)),
                ease=rng.choice([None, 1, 4]),
                trust=rng.choice([None, 2, 3]),
            )
    return requests


def _change(rng, networks, volunteers, topics, requests) -> None:
    """One random change or deletion, the way the app makes them (ORM) or in one bulk statement."""
    request = db.session.get(HelpRequest, rng.choice(requests).id)
    sessions = db.session.scalars(select(HelpSession).where(HelpSession.request_id == request.id)).all()
    kind = rng.choice(
        [
            "move_session",
            "bulk_session",
            "network",
            "created",
            "age_band",
            "reasons",
            "delete_offer",
            "delete_session",
            "outcome",
            "delete_feedback",
            "topics",
            "bulk_topics",
            "matched",
            "delete_request",
            "new_requests",
            "escalated",
            "escalated_at_once",
            "note",
            "postcode",
            "status",
        ]
    )
    escalations = db.session.scalars(
        select(RequestEvent).where(
            RequestEvent.request_id == request.id, RequestEvent.to_status == RequestStatus.ESCALATED
        )
    ).all()
    if kind == "move_session" and sessions:
        session = rng.choice(sessions)
        session.starts_at = _moment(rng)
        session.ends_at = session.starts_at + timedelta(hours=1)
    elif kind == "bulk_session" and sessions:
        db.session.execute(
            update(HelpSession)
            .where(HelpSession.id == rng.choice(sessions).id)
            .values(status=rng.choice([SessionStatus.DONE, SessionStatus.CANCELLED]))
        )
    elif kind == "network":
        request.network_id = rng.choice(networks).id
    elif kind == "created":
        request.created_at = _moment(rng)
    elif kind == "age_band":
        request.resident.age_band = rng.choice([None, *AgeBand])
    elif kind == "reasons":
        request.escalation_reasons = _reasons(rng) or {"full": 3}
    elif kind == "delete_offer":
        offer = db.session.scalar(select(Offer).where(Offer.request_id == request.id).limit(1))
        if offer is not None:
            db.session.delete(offer)
    elif kind == "delete_session" and sessions:
        session = rng.choice(sessions)
        outcome = db.session.scalar(select(Outcome).where(Outcome.session_id == session.id))
        if outcome is not None:
            db.session.delete(outcome)
        db.session.delete(session)
    elif kind == "outcome":
        outcome = db.session.scalar(
            select(Outcome).join(HelpSession).where(HelpSession.request_id == request.id).limit(1)
        )
        if outcome is not None:
            outcome.minutes_spent += 7
            outcome.confidence_after = rng.choice([None, 5])
    elif kind == "delete_feedback":
        db.session.execute(delete(Feedback).where(Feedback.request_id == request.id))
    elif kind == "topics":
        request.topics = list(db.session.scalars(select(Topic).where(Topic.code.in_(rng.sample(topics, 2)))))
    elif kind == "bulk_topics":
        known = set(
            db.session.scalars(
                select(request_topics.c.topic_id).where(request_topics.c.request_id == request.id)
            )
        )
        new = [
            t for t in db.session.scalars(select(Topic.id).where(Topic.code.in_(topics))) if t not in known
        ]
        if new:
            db.session.execute(insert(request_topics), [{"request_id": request.id, "topic_id": new[0]}])
    elif kind == "matched":
        db.session.add(
            RequestEvent(
                request_id=request.id,
                at=_later(rng, request.created_at),
                kind="status",
                to_status=RequestStatus.MATCHED,
            )
        )
    elif kind == "delete_request":
        for session in sessions:
            db.session.execute(delete(Outcome).where(Outcome.session_id == session.id))
            db.session.delete(session)
        db.session.execute(delete(Feedback).where(Feedback.request_id == request.id))
        db.session.flush()
        db.session.delete(request)
        requests[:] = [r for r in requests if r.id != request.id]
    elif kind == "new_requests":
        requests += _build(rng, networks, volunteers, topics, 1)
    elif kind == "escalated":
        _escalate(rng, request)
    elif kind == "escalated_at_once" and escalations:  # a second escalation at the same instant
        _escalate(rng, request, rng.choice(escalations).at)
    elif kind == "note" and escalations:
        rng.choice(escalations).note = rng.choice(NOTES)
    elif kind == "postcode":
        request.resident.postcode_code = rng.choice([None, *POSTCODES])
    elif kind == "status":
        request.status = rng.choice(STATUSES)
    db.session.commit()


def _ranges(rng) -> list[stats.DateRange]:
    found = [
        stats.DateRange(date(2025, 3, 30), date(2025, 3, 30)),  # the day summer time starts
        stats.DateRange(date(2024, 10, 27), date(2025, 10, 26)),  # from one end of summer time to the next
        # whole months only (month roll-ups alone), a partial month at both edges, one day, within a month
        stats.DateRange(date(2024, 11, 1), date(2025, 2, 28)),
        stats.DateRange(date(2024, 12, 14), date(2025, 4, 2)),
        stats.DateRange(date(2025, 3, 31), date(2025, 3, 31)),
        stats.DateRange(date(2025, 1, 3), date(2025, 1, 29)),
    ]
    for _ in range(3):
        start = date(2024, 9, 20) + timedelta(days=rng.randrange(480))
        found.append(stats.DateRange(start, start + timedelta(days=rng.randrange(0, 400))))
    return found


def _compare(networks, date_ranges) -> int:
    """Every figure of every network, of each network alone and of the first two together, for each range.
    The whole network's quantiles of every network come from its own month rows (rollups.WHOLE_NETWORK),
    those of some networks from theirs merged."""
    now = datetime(2026, 1, 5, 12, 0)
    compared = 0
    for date_range in date_ranges:
        for network_ids in [None, *[[n.id] for n in networks], [n.id for n in networks[:2]]]:
            scope = numbers.scope_for(network_ids, date_range)
            rolled = numbers.fetch(scope, now)
            raw = numbers.fetch_raw(scope, now)
            for name in COMPARED:
                assert getattr(rolled, name) == getattr(raw, name), (name, date_range, network_ids)
            assert rolled.answers == raw.answers, (date_range, network_ids)
            ids = network_ids or [n.id for n in networks]
            for network_id in ids if network_ids is None or len(network_ids) == 1 else []:
                assert numbers.numbers_for(rolled, [network_id]) == numbers.numbers_for(raw, [network_id])
            if network_ids is None:
                whole = numbers.numbers_for(rolled, ids, whole=True)
                assert whole == numbers.numbers_for(raw, ids, whole=True)
            compared += 1
    # The recruitment advice since a day: the first of a month (its months alone), a few days into one (its
    # month less those days), most of a month (its days), the day summer time starts.
    for since_day in (date(2025, 11, 1), date(2025, 10, 5), date(2025, 10, 25), date(2025, 3, 30)):
        since = stats.local_midnight_utc(since_day)
        for network_ids in [None, *[[n.id] for n in networks], [n.id for n in networks[:2]]]:
            assert rollups.waiting_counts(network_ids, since, now, ESCALATE_AFTER) == queries.waiting_counts(
                network_ids, since, now, ESCALATE_AFTER
            ), (since_day, network_ids)
    return compared


def _rollup_rows() -> dict:
    return {
        model.__tablename__: sorted(
            tuple(str(v) for v in row)
            for row in db.session.execute(select(*[c for c in model.__table__.c if c.name != "id"]))
        )
        for model in (
            RollupAdvice,
            RollupMonthAdvice,
            RollupCell,
            RollupWait,
            RollupWaitHour,
            RollupActive,
            RollupMonthCell,
            RollupMonthWait,
            RollupMonthActive,
            RollupMonthWaitBucket,
            RollupMonthWaitHour,
            RollupMonthWaitTen,
            RollupYearActive,
        )
    }


def _whole_network_rows() -> dict:
    """{table: (the whole network's month rows, every network's month rows added up)} of the waiting times'
    month tables: {(month, keys...): count}."""
    found = {}
    for table in rollups.WHOLE_TABLES:
        keys = [c for c in table.primary_key.columns if c.name != "network_id"]

        def sums(where, keys=keys, table=table):
            stmt = select(*keys, func.sum(table.c.count)).where(where).group_by(*keys)
            return {tuple(row[:-1]): int(row[-1]) for row in db.session.execute(stmt)}

        found[table.name] = (
            sums(table.c.network_id == rollups.WHOLE_NETWORK),
            sums(table.c.network_id != rollups.WHOLE_NETWORK),
        )
    return found


def _assert_whole_network_is_the_sum() -> None:
    for name, (whole, networks) in _whole_network_rows().items():
        assert whole and whole == networks, name


@pytest.mark.parametrize("seed", [1, 5])
def test_rollups_equal_the_raw_calculation_through_random_changes(app, seed):
    rng = random.Random(seed)
    networks = [rh.network("Gent", "gent", "9000"), rh.network("Mechelen", "mechelen", "2800")]
    networks.append(rh.network("Leuven", "leuven", "3000"))
    volunteers = [rh.volunteer(n, created=FIRST) for n in networks for _ in range(2)]
    topics = list(db.session.scalars(select(Topic.code).order_by(Topic.group_id, Topic.id).limit(8)))
    requests = _build(rng, networks, volunteers, topics, 30)
    assert db.session.scalar(select(func.count()).select_from(RollupDirty)) > 0  # marked as they were made
    compared = _compare(networks, _ranges(rng))
    _assert_whole_network_is_the_sum()
    for _round in range(3):
        for _ in range(8):
            _change(rng, networks, volunteers, topics, requests)
        compared += _compare(networks, _ranges(rng))
        _assert_whole_network_is_the_sum()  # kept by difference through the folds
    assert compared == 4 * 9 * 5
    # Some volunteers held sessions for two networks: the whole's active volunteers are fewer than the sum
    # of the networks' (and were compared above).
    scope = numbers.scope_for(None, stats.DateRange(date(2024, 9, 1), date(2026, 1, 31)))
    active = numbers.fetch_raw(scope, datetime(2026, 1, 5)).active
    assert 0 < active[queries.ALL] < sum(n for key, n in active.items() if key != queries.ALL)
    # Folded day by day, the roll-ups hold exactly what one rebuild from the rows writes.
    incremental = _rollup_rows()
    assert all(incremental.values())
    rollups.rebuild()
    assert _rollup_rows() == incremental
    assert db.session.scalar(select(func.count()).select_from(RollupDirty)) == 0
    # And the folds after a rebuild keep the whole network's rows it wrote.
    for _ in range(8):
        _change(rng, networks, volunteers, topics, requests)
    assert _compare(networks, _ranges(rng)) == 9 * 5
    _assert_whole_network_is_the_sum()


def _active_ranges(rng, days: list[date]) -> list[stats.DateRange]:
    """Ranges that start or end on a day a volunteer was active, or next to it: a day off at an edge shows."""
    found = [
        stats.DateRange(date(2024, 10, 1), date(2025, 12, 31)),
        stats.DateRange(date(2025, 1, 1), date(2025, 12, 31)),
    ]
    for day in rng.sample(days, min(5, len(days))):
        short, long = timedelta(days=rng.randrange(4)), timedelta(days=rng.randrange(20, 120))
        found += [
            stats.DateRange(day, day),
            stats.DateRange(day + timedelta(days=1), day + timedelta(days=1) + short),
            stats.DateRange(day - short - timedelta(days=1), day - timedelta(days=1)),
            stats.DateRange(day, day + long),
            stats.DateRange(day - long, day),
            stats.DateRange(day + timedelta(days=1), day + long),
            stats.DateRange(day - long, day - timedelta(days=1)),
        ]
    return found


@pytest.mark.parametrize("seed", [3, 4])
def test_active_volunteers_equal_the_raw_calculation_at_every_edge(app, seed):
    """Few sessions of few volunteers, some for two networks, moved, switched and deleted: the active
    volunteers of ranges that begin or end on, or next to, an active day (partial months read through their
    days, whole months through their years), per network and for the whole."""
    from digibuddy.reports import queries, rollup_rules

    rng = random.Random(seed)
    networks = [rh.network("Gent", "gent", "9000"), rh.network("Mechelen", "mechelen", "2800")]
    volunteers = [rh.volunteer(networks[i % 2], created=FIRST) for i in range(3)]
    requests = [rh.request_at(networks[i % 2], _moment(rng)) for i in range(6)]
    sessions = [
        rh.session_at(
            rng.choice(requests),
            rng.choice(volunteers),
            _moment(rng),
            rng.choice([SessionStatus.DONE] * 3 + [SessionStatus.CANCELLED]),
        )
        for _ in range(24)
    ]
    for _round in range(3):
        done = db.session.scalars(
            select(HelpSession.starts_at).where(HelpSession.status == SessionStatus.DONE)
        ).all()
        for date_range in _active_ranges(rng, sorted({rollup_rules.local_day(at) for at in done})):
            for network_ids in [None, *[[n.id] for n in networks]]:
                scope = numbers.scope_for(network_ids, date_range)
                rollups.fold()
                assert rollups.read(scope)["active"] == queries.active_volunteers(scope), (
                    date_range,
                    network_ids,
                )
        for _ in range(6):
            session = rng.choice(sessions)
            kind = rng.choice(["move", "move", "status", "delete"])
            if kind == "move":
                session.starts_at = _moment(rng)
                session.ends_at = session.starts_at + timedelta(hours=1)
            elif kind == "status":
                session.status = (
                    SessionStatus.CANCELLED if session.status == SessionStatus.DONE else SessionStatus.DONE
                )
            else:
                db.session.delete(session)
                sessions.remove(session)
                sessions.append(rh.session_at(rng.choice(requests), rng.choice(volunteers), _moment(rng)))
            db.session.commit()
    rollups.fold()
    incremental = _rollup_rows()
    rollups.rebuild()
    assert _rollup_rows() == incremental


def test_a_change_to_an_object_expired_by_a_commit_is_marked(app):
    """After a commit an object's attributes are expired: changing one without reading any still marks
    the day and network the row counted on before (read from the row) and after."""
    gent, mechelen = rh.network("Gent", "gent", "9000"), rh.network("Mechelen", "mechelen", "2800")
    volunteer = rh.volunteer(gent, created=FIRST)
    in_gent = rh.request_at(gent, datetime(2025, 3, 3, 9, 0))
    in_mechelen_id = rh.request_at(mechelen, datetime(2025, 3, 4, 9, 0)).id
    session = rh.session_at(in_gent, volunteer, datetime(2025, 4, 2, 9, 0))
    db.session.commit()
    rollups.fold()

    def marked():
        return set(db.session.execute(select(RollupDirty.network_id, RollupDirty.day)))

    session.starts_at, session.ends_at = datetime(2025, 5, 6, 9, 0), datetime(2025, 5, 6, 10, 0)
    db.session.commit()
    assert {(gent.id, date(2025, 4, 2)), (gent.id, date(2025, 5, 6))} <= marked()
    rollups.fold()
    session.request_id = in_mechelen_id
    db.session.commit()
    assert {(gent.id, date(2025, 5, 6)), (mechelen.id, date(2025, 5, 6))} <= marked()
    scope = numbers.scope_for(None, stats.DateRange(date(2025, 4, 1), date(2025, 5, 31)))
    now = datetime(2026, 1, 5)
    assert (
        numbers.fetch(scope, now).active == numbers.fetch_raw(scope, now).active == {mechelen.id: 1, None: 1}
    )


def test_a_change_is_marked_in_its_own_transaction_and_a_rollback_leaves_no_mark(app):
    network = rh.network("Gent", "gent", "9000")
    volunteer = rh.volunteer(network, created=FIRST)
    request = rh.request_at(network, datetime(2025, 3, 29, 23, 30))  # 30 March in Brussels
    rollups.fold()
    assert db.session.scalar(select(func.count()).select_from(RollupDirty)) == 0
    session = rh.session_at(request, volunteer, datetime(2025, 4, 2, 9, 0))
    marked = set(db.session.execute(select(RollupDirty.network_id, RollupDirty.day)))
    assert marked == {(network.id, date(2025, 3, 30)), (network.id, date(2025, 4, 2))}
    assert rollups.fold() == 2
    session.starts_at, session.ends_at = datetime(2025, 5, 1, 9, 0), datetime(2025, 5, 1, 10, 0)
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(RollupDirty)) == 0
    # Nothing a figure reads: no mark.
    request.description = "changed"
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(RollupDirty)) == 0
    db.session.execute(
        update(Offer).where(Offer.request_id == request.id).values(status=OfferStatus.WITHDRAWN)
    )
    db.session.commit()


@pytest.mark.parametrize(
    "model, first, last",
    [
        (RollupCell, date(2025, 3, 2), date(2025, 3, 10)),  # a few days of a month: its days are read
        (RollupMonthCell, date(2025, 3, 1), date(2025, 3, 31)),  # a whole month: its month row is read
        (RollupMonthCell, date(2025, 2, 14), date(2025, 4, 2)),
        # most of a month: its month row less the day outside (1 March, the day row broken) is read
        (RollupMonthCell, date(2025, 3, 2), date(2025, 3, 31)),
        (RollupCell, date(2025, 3, 2), date(2025, 3, 31)),
    ],
)
def test_breaking_a_rollup_is_caught_by_the_comparison(app, model, first, last):
    """The equality check can fail: a roll-up count (of a day or of a month) changed behind the rows'
    back shows, whichever way the range's days are read."""
    network = rh.network("Gent", "gent", "9000")
    rh.request_at(network, datetime(2025, 3, 3, 9, 0))
    rh.request_at(network, datetime(2025, 3, 1, 9, 0))
    scope = numbers.scope_for([network.id], stats.DateRange(first, last))
    now = datetime(2026, 1, 5)
    assert numbers.fetch(scope, now).profile == numbers.fetch_raw(scope, now).profile
    db.session.execute(update(model).where(model.figure == "profile").values(n1=model.n1 + 1))
    db.session.commit()
    assert numbers.fetch(scope, now).profile != numbers.fetch_raw(scope, now).profile


@pytest.mark.parametrize(
    "model, since_day",
    [
        (RollupMonthAdvice, date(2025, 3, 1)),  # a whole month: its month row is read
        (RollupMonthAdvice, date(2025, 3, 3)),  # a few days into it: its month row less 1-2 March
        (RollupAdvice, date(2025, 3, 3)),  # ... the day row of 2 March taken off
        (RollupAdvice, date(2025, 3, 25)),  # its last days: their day rows are read
    ],
)
def test_breaking_the_advice_rollup_is_caught_by_the_comparison(app, model, since_day):
    """The advice's equality check can fail: a count of its day or month rows changed behind the rows'
    back shows, whichever way the first month is read."""
    network = rh.network("Gent", "gent", "9000")
    for escalated in (datetime(2025, 3, 2, 9, 0), datetime(2025, 3, 28, 9, 0)):
        request = rh.request_at(network, datetime(2025, 2, 20, 9, 0), escalation_reasons={"language": 2})
        rh.event(request, escalated, RequestStatus.ESCALATED)
    rollups.fold()
    since, now = stats.local_midnight_utc(since_day), datetime(2026, 1, 5)
    expected = queries.waiting_counts([network.id], since, now, ESCALATE_AFTER)
    assert expected and rollups.waiting_counts([network.id], since, now, ESCALATE_AFTER) == expected
    db.session.execute(update(model).values(requests=model.requests + 1))
    db.session.commit()
    assert rollups.waiting_counts([network.id], since, now, ESCALATE_AFTER) != expected


def test_a_request_escalated_twice_at_the_same_instant_counts_once(app):
    """The advice counts a request on the day of its last escalation: of two at the same instant, one."""
    network = rh.network("Gent", "gent", "9000")
    request = rh.request_at(network, datetime(2025, 2, 20, 9, 0), escalation_reasons={"language": 2})
    for note in ("language: 2", "distance: 1"):
        rh.event(request, datetime(2025, 3, 2, 9, 0), RequestStatus.ESCALATED, note=note)
    rollups.fold()
    since, now = stats.local_midnight_utc(date(2025, 3, 1)), datetime(2026, 1, 5)
    found = rollups.waiting_counts([network.id], since, now, ESCALATE_AFTER)
    assert found == queries.waiting_counts([network.id], since, now, ESCALATE_AFTER)
    assert list(found[network.id].values()) == [1]


@pytest.mark.parametrize(
    "model, column, by",
    [
        (RollupMonthWaitBucket, "bucket", 1000),
        (RollupMonthWaitHour, "hour", 1000),
        (RollupMonthWaitTen, "ten", 1000),
        (RollupMonthWait, "minutes", 1),
    ],
)
def test_breaking_the_whole_networks_rows_is_caught_by_the_comparison(app, model, column, by):
    """The whole network's quantiles of every network are read from its own month rows: one of them moved
    behind the rows' back (a bucket or an hour that holds nothing of the levels below, a minute later)
    shows, and no network's quantiles change."""
    networks = [rh.network("Gent", "gent", "9000"), rh.network("Mechelen", "mechelen", "2800")]
    volunteer = rh.volunteer(networks[0], created=FIRST)
    for network, minutes in ((networks[0], 10), (networks[1], 100), (networks[1], 200)):
        request = rh.request_at(network, datetime(2025, 3, 3, 9, 0))
        rh.offer(request, volunteer, datetime(2025, 3, 3, 9, 0) + timedelta(minutes=minutes))
    scope = numbers.scope_for(None, stats.DateRange(date(2025, 3, 1), date(2025, 3, 31)))
    now = datetime(2026, 1, 5)
    assert numbers.fetch(scope, now).timings == numbers.fetch_raw(scope, now).timings
    moved = getattr(model, column) + by
    db.session.execute(update(model).where(model.network_id == rollups.WHOLE_NETWORK).values({column: moved}))
    db.session.commit()
    rolled, raw = numbers.fetch(scope, now).timings, numbers.fetch_raw(scope, now).timings
    assert rolled.get(queries.ALL) != raw[queries.ALL]
    assert {k: v for k, v in rolled.items() if k != queries.ALL} == {
        k: v for k, v in raw.items() if k != queries.ALL
    }


@pytest.mark.parametrize(
    "model, first, last",
    [
        # whole months (the year row read): April and May, with the March bit moved to April
        (RollupYearActive, date(2025, 4, 1), date(2025, 5, 31)),
        # part of a month (the month row's days read): 4-10 March, with the 3 March bit moved to 4 March
        (RollupMonthActive, date(2025, 3, 4), date(2025, 3, 10)),
        # the first days of a month: 1-3 March, with the 3 March bit moved out of the range
        (RollupMonthActive, date(2025, 2, 20), date(2025, 3, 3)),
    ],
)
def test_breaking_an_active_bitmask_is_caught_by_the_comparison(app, model, first, last):
    network = rh.network("Gent", "gent", "9000")
    volunteer = rh.volunteer(network, created=FIRST)
    request = rh.request_at(network, datetime(2025, 3, 1, 9, 0))
    rh.session_at(request, volunteer, datetime(2025, 3, 3, 9, 0), SessionStatus.DONE)
    scope = numbers.scope_for([network.id], stats.DateRange(first, last))
    now = datetime(2026, 1, 5)
    assert numbers.fetch(scope, now).active == numbers.fetch_raw(scope, now).active
    column = model.months if model is RollupYearActive else model.days
    db.session.execute(update(model).values({column: column * 2}))
    db.session.commit()
    assert numbers.fetch(scope, now).active != numbers.fetch_raw(scope, now).active


def test_a_month_is_recomputed_from_its_days_when_one_changes(app):
    network = rh.network("Gent", "gent", "9000")
    volunteer = rh.volunteer(network, created=FIRST)
    request = rh.request_at(network, datetime(2025, 3, 3, 9, 0))
    rh.session_at(request, volunteer, datetime(2025, 3, 20, 9, 0), SessionStatus.DONE)
    rh.session_at(request, volunteer, datetime(2025, 3, 31, 22, 30), SessionStatus.DONE)  # 1 April
    rollups.fold()
    months = set(
        db.session.execute(
            select(RollupMonthActive.month, RollupMonthActive.volunteer_id, RollupMonthActive.days)
        )
    )
    # the days of the month and the months of the year as bitmasks: bit d - 1 for day d, m - 1 for month m
    assert months == {(date(2025, 3, 1), volunteer.id, 1 << 19), (date(2025, 4, 1), volunteer.id, 1)}
    years = set(db.session.execute(select(RollupYearActive.year, RollupYearActive.months)))
    assert years == {(2025, (1 << 2) | (1 << 3))}
    assert (
        db.session.scalar(
            select(func.sum(RollupMonthCell.n1)).where(
                RollupMonthCell.figure == "profile", RollupMonthCell.month == date(2025, 3, 1)
            )
        )
        == 1
    )
    request.created_at = datetime(2025, 5, 6, 9, 0)
    db.session.commit()
    rollups.fold()
    profile = set(
        db.session.execute(
            select(RollupMonthCell.month, RollupMonthCell.n1).where(RollupMonthCell.figure == "profile")
        )
    )
    assert profile == {(date(2025, 5, 1), 1)}


def test_the_rebuild_command_recomputes_every_rollup(app):
    network = rh.network("Gent", "gent", "9000")
    rh.request_at(network, datetime(2025, 3, 3, 9, 0), channel=IntakeChannel.PHONE)
    db.session.execute(delete(RollupCell))
    db.session.execute(delete(RollupDirty))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-rollups"])
    assert result.exit_code == 0 and "Roll-ups rebuilt" in result.output
    assert db.session.scalars(select(RollupCell.k1).where(RollupCell.figure == "profile")).all() == ["phone"]


def test_concurrent_writers_and_folds_stay_exact(app):
    """Writers on their own connections (as on several hosts) add, move and delete sessions while others fold:
    once the last marks are folded, the roll-ups equal the raw calculation."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent connections: PostgreSQL")
    import threading

    from digibuddy.scheduling.models import PlaceKind

    networks = [rh.network("Gent", "gent", "9000"), rh.network("Mechelen", "mechelen", "2800")]
    volunteer_id = rh.volunteer(networks[0], created=FIRST).id
    request_ids = [rh.request_at(networks[n % 2], _moment(random.Random(n))).id for n in range(6)]
    failures = []

    def writer(seed):
        rng = random.Random(seed)
        try:
            with app.app_context():
                own = []  # each writer changes only its own sessions: the writers never wait for each other
                for _ in range(12):
                    starts = _moment(rng)
                    found = db.session.get(HelpSession, rng.choice(own)) if own else None
                    if found is not None and rng.random() < 0.3:
                        found.starts_at, found.ends_at = starts, starts + timedelta(hours=1)
                    elif found is not None and rng.random() < 0.2:
                        own.remove(found.id)
                        db.session.delete(found)
                    else:
                        found = HelpSession(
                            request_id=rng.choice(request_ids),
                            volunteer_id=volunteer_id,
                            starts_at=starts,
                            ends_at=starts + timedelta(hours=1),
                            place_kind=PlaceKind.PHONE,
                            status=SessionStatus.DONE,
                        )
                        db.session.add(found)
                        db.session.flush()
                        own.append(found.id)
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    def folder():
        try:
            with app.app_context():
                for _ in range(12):
                    rollups.fold()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(3)]
    threads += [threading.Thread(target=folder) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(HelpSession)) > 0
    _compare(networks, [stats.DateRange(date(2024, 9, 1), date(2026, 1, 31))])


@pytest.mark.parametrize("state", ["missing", "partial", "nonsense"])
def test_dashboards_answer_with_figures_whatever_the_rollups_hold(app, client, state):
    """Rows written around the writers (a bulk import without marks) leave roll-ups missing or partial; a
    broken cell may hold nonsense: the dashboards still answer with figures, never an error page."""
    from digibuddy.accounts.models import Role
    from tests.factories import make_admin, make_user

    network = rh.network("Gent", "gent", "9000")
    volunteer = rh.volunteer(network, created=FIRST)
    now = datetime.utcnow()
    for days in (3, 40, 90):
        request = rh.request_at(network, now - timedelta(days=days), status=RequestStatus.MATCHING)
        rh.offer(request, volunteer, now - timedelta(days=days - 1))
        rh.event(request, now - timedelta(days=days - 1), RequestStatus.MATCHED)
        rh.session_at(request, volunteer, now - timedelta(days=days - 2), status=SessionStatus.DONE)
    rollups.fold()
    if state == "missing":
        for model in (RollupCell, RollupWait, RollupActive):
            db.session.execute(delete(model))
    elif state == "partial":
        db.session.execute(delete(RollupWait).where(RollupWait.step == "request_to_offer"))
        db.session.execute(delete(RollupCell).where(RollupCell.figure == "profile"))
    else:
        # counts no fold writes: zero, negative (ranks the histogram cannot cover)
        db.session.execute(update(RollupWait).where(RollupWait.step == "request_to_offer").values(count=0))
        db.session.execute(update(RollupWait).where(RollupWait.step != "request_to_offer").values(count=-2))
        db.session.execute(update(RollupCell).values(n1=-3, n2=0))
    db.session.commit()
    coordinator, admin = make_user(Role.COORDINATOR, network), make_admin()
    client.login(coordinator)
    for url in ("/reports/local", "/reports/local/export/all.xlsx", f"/reports/yearly?network={network.id}"):
        assert client.get(url).status_code == 200, url
    client.logout()
    client.login(admin)
    assert client.get("/reports/network").status_code == 200
