"""The time-driven jobs: reminders, asking for outcomes, escalation of waiting requests, the weekly digest,
and anonymisation after the retention period with the figures unchanged."""

from datetime import timedelta

from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching import services as matching
from digibuddy.notifications.models import OutboxMessage
from digibuddy.outcomes.models import Feedback, Outcome, OutcomeResult
from digibuddy.privacy.retention import apply_retention
from digibuddy.reports.digest import weekly_digest
from digibuddy.requests.models import HelpRequest, IntakeChannel, RequestStatus, Resident, request_topics
from digibuddy.requests.retention import ANONYMOUS
from digibuddy.scheduling.jobs import ask_outcomes, send_reminders
from digibuddy.scheduling.models import HelpSession, PlaceKind, SessionStatus
from tests.factories import HelpRequestFactory, NetworkFactory, make_user
from tests.matching_helpers import helper, make_request
from tests.scheduling_helpers import matched_request


def kinds():
    return sorted(db.session.scalars(select(OutboxMessage.kind)))


def session_at(request, volunteer, starts):
    session = HelpSession(
        request_id=request.id,
        volunteer_id=volunteer.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place_kind=PlaceKind.PHONE,
    )
    db.session.add(session)
    db.session.commit()
    return session


def test_reminders_24h_and_2h_before_each_once(app):
    network = NetworkFactory(postcodes=["9000"])
    request, volunteer = matched_request(network)
    now = utcnow()
    session = session_at(request, volunteer, now + timedelta(hours=20))
    assert send_reminders(now) == 1
    assert send_reminders(now) == 0
    assert kinds() == ["reminder_24h", "reminder_24h"]  # volunteer (e-mail) and resident (SMS)
    assert send_reminders(now + timedelta(hours=18, minutes=30)) == 1
    assert send_reminders(now + timedelta(hours=19)) == 0
    assert kinds().count("reminder_2h") == 2
    assert session.reminded_2h_at is not None


def test_the_volunteer_is_asked_for_the_outcome_once(app):
    network = NetworkFactory(postcodes=["9000"])
    request, volunteer = matched_request(network)
    now = utcnow()
    session_at(request, volunteer, now - timedelta(hours=3))
    assert ask_outcomes(now) == 1 and ask_outcomes(now) == 0
    assert kinds() == ["ask_outcome"]


def test_requests_waiting_too_long_are_escalated(app):
    network = NetworkFactory(postcodes=["9000"])
    helper(network, max_concurrent=5)
    request = make_request(network)
    matching.start_matching(request)
    request.created_at = utcnow() - timedelta(days=6)
    db.session.commit()
    assert matching.escalate_waiting() == 1
    assert request.status == RequestStatus.ESCALATED and request.escalation_reasons["waiting"] == 6


def test_weekly_digest_for_each_coordinator(app):
    network = NetworkFactory(postcodes=["9000"])
    coordinator = make_user(Role.COORDINATOR, network, locale="en")
    HelpRequestFactory(resident__network=network, status=RequestStatus.ESCALATED)
    assert weekly_digest() == 1
    assert weekly_digest() == 0  # same week: already sent
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 1
    assert messages[0].recipient == coordinator.email and "Waiting for you: 1 requests" in messages[0].body


def figures():
    by_topic = db.session.execute(
        select(request_topics.c.topic_id, func.count())
        .group_by(request_topics.c.topic_id)
        .order_by(request_topics.c.topic_id)
    ).all()
    by_channel = db.session.execute(
        select(HelpRequest.intake_channel, func.count())
        .group_by(HelpRequest.intake_channel)
        .order_by(HelpRequest.intake_channel)
    ).all()
    by_outcome = db.session.execute(
        select(Outcome.result, func.count()).group_by(Outcome.result).order_by(Outcome.result)
    ).all()
    return by_topic, by_channel, by_outcome


def test_retention_anonymises_personal_fields_and_keeps_the_figures(app):
    network = NetworkFactory(postcodes=["9000"], retention_months=12)
    old, volunteer = matched_request(network, resident_email="old@example.org")
    old.resident.first_name = "Georgette"
    old.resident.street_address = "Veldstraat 9"
    old.description = "Mijn zoon heet Pieter en ik wil mijn pensioen bekijken"
    old.intake_channel = IntakeChannel.PHONE
    session = session_at(old, volunteer, utcnow() - timedelta(days=500))
    session.status = SessionStatus.DONE
    db.session.add(Outcome(session_id=session.id, result=OutcomeResult.SOLVED, minutes_spent=45))
    db.session.add(Feedback(request_id=old.id, channel="phone", satisfaction=5, comment="Dank aan Yasmina!"))
    old.status = RequestStatus.COMPLETED
    old.status_changed_at = utcnow() - timedelta(days=400)
    recent = make_request(network)
    recent.resident.first_name = "Recent"
    recent.status = RequestStatus.COMPLETED
    recent.status_changed_at = utcnow() - timedelta(days=30)
    still_open = make_request(network)
    still_open.status_changed_at = utcnow() - timedelta(days=900)
    db.session.commit()
    before = figures()

    assert apply_retention()["residents"] == 1
    assert apply_retention()["residents"] == 0  # idempotent
    db.session.expire_all()
    resident = db.session.get(Resident, old.resident_id)
    assert resident.first_name == ANONYMOUS and resident.email is None and resident.phone is None
    assert resident.street_address is None and resident.anonymised_at is not None
    assert db.session.get(HelpRequest, old.id).description is None
    assert db.session.scalar(select(Feedback.comment)) is None
    assert db.session.scalar(select(Feedback.satisfaction)) == 5
    assert db.session.get(Resident, recent.resident_id).first_name == "Recent"
    assert db.session.get(Resident, still_open.resident_id).anonymised_at is None
    assert figures() == before
