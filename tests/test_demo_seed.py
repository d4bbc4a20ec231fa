"""`flask demo seed`: a believable, consistent demo network; never seeded twice; same seed, same data."""

import json
import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise

import click
import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import User
from digibuddy.core.db import utcnow
from digibuddy.demo.data import DEMO_PASSWORD
from digibuddy.demo.plan import build_plan, make_reference_code
from digibuddy.demo.seed import load_reference, seed_demo
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.network.models import LocalNetwork, Location, LocationKind
from digibuddy.outcomes.models import Outcome
from digibuddy.outreach.models import VolunteerMessage
from digibuddy.requests.lifecycle import can_transition
from digibuddy.requests.models import HelpRequest, RequestStatus, Resident
from digibuddy.requests.references import ALPHABET as REFERENCE_ALPHABET
from digibuddy.scheduling.dropins import occurrence_on
from digibuddy.scheduling.models import DropInMoment, DropInWaiting, HelpSession, SessionStatus
from digibuddy.volunteers.models import VolunteerProfile, VolunteerStatus

WITH_VOLUNTEER = (
    RequestStatus.MATCHED,
    RequestStatus.SCHEDULED,
    RequestStatus.COMPLETED,
    RequestStatus.UNRESOLVED,
)


def quiet(*args, **kwargs):
    pass


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def fingerprint(plan):
    return [(r["reference"], r["status"]) for r in plan["requests"]]


def test_seed_demo_builds_a_consistent_network(app):
    lines = []
    with app.app_context():
        counts = seed_demo(seed=7, echo=lines.append)
        now = utcnow()

        assert counts["networks"] >= 3 and count(LocalNetwork) == counts["networks"]
        gent = db.session.scalar(select(LocalNetwork).where(LocalNetwork.name == "Digibuddy Gent"))
        assert [m.nis_code for m in gent.municipalities] == ["44021"]
        assert (
            len(
                db.session.scalar(
                    select(LocalNetwork).where(LocalNetwork.name == "Digibuddy Herent-Kortenberg")
                ).municipalities
            )
            == 2
        )
        for network in db.session.scalars(select(LocalNetwork)):
            kinds = {loc.kind for loc in network.locations}
            assert {
                LocationKind.LIBRARY,
                LocationKind.TOWN_HALL,
                LocationKind.SERVICE_CENTRE,
                LocationKind.COMPUTER_ROOM,
            } <= kinds
        for location in db.session.scalars(select(Location)):
            assert location.opening_hours and all(h.opens < h.closes for h in location.opening_hours)

        assert count(VolunteerProfile) >= 60
        assert count(Resident) >= 150
        statuses = Counter(db.session.scalars(select(VolunteerProfile.status)))
        assert statuses[VolunteerStatus.ACTIVE] > sum(statuses.values()) / 2
        assert set(statuses) == set(VolunteerStatus)

        by_status = Counter(db.session.scalars(select(HelpRequest.status)))
        assert set(by_status) == set(RequestStatus)
        assert min(by_status.values()) >= 3

        # Exactly one accepted offer where a volunteer helps, to an active volunteer who fits.
        accepted = defaultdict(list)
        for offer in db.session.scalars(select(Offer).where(Offer.status == OfferStatus.ACCEPTED)):
            accepted[offer.request_id].append(offer)
        for request in db.session.scalars(select(HelpRequest)):
            offers = accepted[request.id]
            if request.status in WITH_VOLUNTEER:
                assert len(offers) == 1, request.reference
                volunteer = offers[0].volunteer
                assert volunteer.status == VolunteerStatus.ACTIVE
                assert {vl.language_code for vl in volunteer.languages} & {
                    lang.code for lang in request.languages
                }
                assert {vt.topic_id for vt in volunteer.topics} & {topic.id for topic in request.topics}
            else:
                assert not offers, request.reference
            events = sorted(request.events, key=lambda e: (e.at, e.id))
            assert all(e.at <= now for e in events)
            changes = [e for e in events if e.to_status is not None]  # the status log, from 'new' on
            assert changes[0].kind == "created" and changes[0].to_status == RequestStatus.NEW
            assert changes[-1].to_status == request.status
            for before, after in pairwise(changes):
                assert after.from_status == before.to_status
                assert can_transition(after.from_status, after.to_status), request.reference
            if request.status == RequestStatus.OFFERED:
                pending = [o for o in request_offers(request) if o.status == OfferStatus.PENDING]
                assert len(pending) == 1 and pending[0].expires_at > now

        # Sessions: in the last six months or the next two weeks, never double-booked; outcomes for done ones.
        sessions = db.session.scalars(select(HelpSession)).all()
        assert sessions
        booked = defaultdict(list)
        for session in sessions:
            assert now - timedelta(days=183) <= session.starts_at <= now + timedelta(days=15)
            if session.status == SessionStatus.PLANNED:
                assert session.starts_at > now
            else:
                assert session.ends_at < now
            assert (session.outcome is not None) == (session.status == SessionStatus.DONE)
            if session.status != SessionStatus.CANCELLED:
                booked[session.volunteer_id].append((session.starts_at, session.ends_at))
        for intervals in booked.values():
            intervals.sort()
            assert all(b[0] >= a[1] for a, b in pairwise(intervals))
        assert count(Outcome) >= count(HelpRequest, HelpRequest.status == RequestStatus.COMPLETED)

        # The demo logins work with the shared password; the demo volunteer has an open offer and a session.
        demo = db.session.scalar(select(User).where(User.email == "digibuddy@gent.digibuddy.demo"))
        assert demo.check_password(DEMO_PASSWORD)
        profile = demo.volunteer_profile
        assert profile.status == VolunteerStatus.ACTIVE
        assert {"nl", "ar", "fr"} <= {vl.language_code for vl in profile.languages}
        assert count(Offer, Offer.volunteer_id == profile.id, Offer.status == OfferStatus.PENDING) >= 1
        assert (
            count(
                HelpSession,
                HelpSession.volunteer_id == profile.id,
                HelpSession.status == SessionStatus.PLANNED,
                HelpSession.starts_at > now,
            )
            >= 1
        )
        admin = db.session.scalar(select(User).where(User.email == "admin@digibuddy.demo"))
        assert admin.is_admin and admin.password_hash == demo.password_hash
        # One full drop-in date with residents on its waiting list, for the counter to see.
        [waiting_date] = {(w.moment_id, w.on_date) for w in db.session.scalars(select(DropInWaiting))}
        moment = db.session.get(DropInMoment, waiting_date[0])
        figures = occurrence_on(moment, waiting_date[1])
        assert figures.is_full and figures.waiting == 2 and moment.network_id == gent.id
        # The coordinator of Gent wrote to every active digibuddy of Gent, through the outbox.
        letter = db.session.scalar(select(VolunteerMessage))
        assert letter.network_id == gent.id and letter.created_at < now - timedelta(days=2)
        sent = [r.outbox_message for r in letter.recipients if r.outbox_message is not None]
        assert len(sent) >= 10 and {m.kind for m in sent} == {"volunteer_message"}
        assert demo.email in {m.recipient for m in sent}
        # Gent's own required module changed materially: two of its digibuddies must pass it again.
        from digibuddy.volunteers import training
        from digibuddy.volunteers.models import TrainingCompletion

        behind = training.behind(select(VolunteerProfile).where(VolunteerProfile.in_networks([gent.id])))
        assert [(row.module.code, row.passed_version, row.overdue) for row in behind] == [
            ("gent-huisbezoek", 1, False)
        ] * 2
        assert (
            db.session.scalar(select(TrainingCompletion).where(TrainingCompletion.version_id.is_(None)))
            is None
        )
        output = "\n".join(lines)
        for login in (
            "admin@digibuddy.demo",
            "coordinator@gent.digibuddy.demo",
            "counter@gent.digibuddy.demo",
            "digibuddy@gent.digibuddy.demo",
            DEMO_PASSWORD,
        ):
            assert login in output

        # What was written is the pure plan for this seed.
        plan = build_plan(7, load_reference())
        stored = db.session.execute(select(HelpRequest.reference, HelpRequest.status)).all()
        assert sorted((ref, status.value) for ref, status in stored) == sorted(fingerprint(plan))

        # Never twice: refused without --if-empty, a no-op with it.
        requests_before = count(HelpRequest)
        with pytest.raises(click.ClickException):
            seed_demo(seed=7, echo=quiet)
        messages = []
        assert seed_demo(seed=8, if_empty=True, echo=messages.append) == {}
        assert messages
        assert count(HelpRequest) == requests_before
        assert count(LocalNetwork) == counts["networks"]


def request_offers(request):
    return db.session.scalars(select(Offer).where(Offer.request_id == request.id)).all()


def test_build_plan_is_pure_and_deterministic(app):
    with app.app_context():
        reference = load_reference()
    today = date(2026, 3, 10)
    first = build_plan(7, reference, today=today)
    assert build_plan(7, reference, today=today) == first
    assert json.loads(json.dumps(first)) == first  # plain data only

    assert len(first["volunteers"]) >= 75 and len(first["residents"]) >= 180
    assert len({v["email"] for v in first["volunteers"]}) == len(first["volunteers"])
    assert len({v["name"] for v in first["volunteers"]}) == len(first["volunteers"])
    assert {r["status"] for r in first["requests"]} == {s.value for s in RequestStatus}

    other = build_plan(8, reference, today=today)
    assert fingerprint(other) != fingerprint(first)
    assert [v["name"] for v in other["volunteers"]] != [v["name"] for v in first["volunteers"]]
    # The day only moves dates; who, what and which status stay the same.
    assert fingerprint(build_plan(7, reference, today=today + timedelta(days=3))) == fingerprint(first)


def test_reference_codes_are_unambiguous_and_unique():
    rng, taken = random.Random(1), set()
    codes = [make_reference_code(rng, taken) for _ in range(500)]
    assert len(set(codes)) == 500
    assert all(len(code) == 8 and set(code) <= set(REFERENCE_ALPHABET) for code in codes)
    assert not set("01OI") & set("".join(codes))
    again = random.Random(1)
    assert [make_reference_code(again, set()) for _ in range(3)] == codes[:3]
