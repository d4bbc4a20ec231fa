"""A resident with a record of every kind the platform keeps, and every dashboard figure read back, to show
that export, erasure and retention reach each record and leave the figures as they were."""

from datetime import timedelta

from digibuddy.core.db import utcnow
from digibuddy.core.time import local_today
from digibuddy.extensions import db
from digibuddy.network.models import LocalNetwork
from digibuddy.notifications.models import MessageChannel, MessageStatus, OutboxMessage
from digibuddy.outcomes.models import Feedback, FeedbackChannel, Outcome, OutcomeResult
from digibuddy.public import dashboards as home_panels
from digibuddy.reports import numbers, stats
from digibuddy.requests.models import IntakeChannel, RequestEvent, RequestStatus
from digibuddy.scheduling.models import BookingKind, DropInBooking, SessionStatus
from tests.dropins_helpers import make_moment
from tests.outcomes_helpers import helped_request

SECRETS = {
    "first_name": "Georgette",
    "phone": "0470 99 88 77",
    "email": "georgette@example.org",
    "street": "Veldstraat 9",
    "description": "Mijn zoon Pieter woont in Spanje",
    "note": "Belde terug om 10u, buurvrouw Martine helpt ook",
    "comment": "Dank aan Yasmina, heel geduldig!",
    "cancel_reason": "Georgette lag in het ziekenhuis",
    "body": "Dag Georgette, uw afspraak is dinsdag.",
}


def full_resident(network, *, closed_days_ago=1, secrets=SECRETS):
    """(request, session, volunteer): a resident with one completed request (closed `closed_days_ago`
    ago) holding every kind of record: an event with a note, a done session with an outcome, a cancelled
    one with a reason, feedback with a comment, a message in the outbox and a drop-in booking."""
    request, session, volunteer = helped_request(
        network, phone=secrets["phone"], email=secrets["email"], status=RequestStatus.COMPLETED, hours_ago=48
    )
    resident = request.resident
    resident.first_name = secrets["first_name"]
    resident.street_address = secrets["street"]
    resident.consent_at = utcnow() - timedelta(days=closed_days_ago + 30)
    resident.consent_channel = IntakeChannel.ONLINE
    resident.consent_version = "2026-01"
    request.description = secrets["description"]
    closed = utcnow() - timedelta(days=closed_days_ago)
    request.status_changed_at = closed
    session.status = SessionStatus.DONE
    session.starts_at, session.ends_at = closed - timedelta(hours=3), closed - timedelta(hours=2)
    db.session.add(
        RequestEvent(request_id=request.id, kind="note", note=secrets["note"], at=closed - timedelta(hours=1))
    )
    db.session.add(
        Outcome(
            session_id=session.id,
            result=OutcomeResult.REFERRED,
            referred_to="OCMW",
            minutes_spent=50,
            confidence_before=2,
            confidence_after=4,
        )
    )
    db.session.add(
        Feedback(
            request_id=request.id,
            channel=FeedbackChannel.PHONE,
            satisfaction=5,
            comment=secrets["comment"],
            created_at=closed,
        )
    )
    from tests.outcomes_helpers import add_session

    cancelled = add_session(request, volunteer, hours_ago=24 * (closed_days_ago + 7))
    cancelled.status = SessionStatus.CANCELLED
    cancelled.cancel_reason = secrets["cancel_reason"]
    db.session.add(
        OutboxMessage(
            channel=MessageChannel.SMS,
            recipient=resident.phone,
            body=secrets["body"],
            kind="session_planned",
            dedupe_key=f"privacy-{resident.id}",
            network_id=network.id,
            resident_id=resident.id,
            request_id=request.id,
            status=MessageStatus.SENT,
            created_at=closed - timedelta(days=2),
            sent_at=closed - timedelta(days=2),
        )
    )
    moment = make_moment(
        network, title="Koffie & Formulieren", first_date=local_today() - timedelta(days=400)
    )
    db.session.add(
        DropInBooking(
            moment_id=moment.id,
            on_date=(closed - timedelta(days=3)).date(),
            kind=BookingKind.BOOKED,
            resident_id=resident.id,
            created_at=closed - timedelta(days=5),
        )
    )
    db.session.commit()
    return request, session, volunteer


def every_figure() -> dict:
    """Every figure the dashboards read: each network's numbers and the whole network's (reports/numbers.py)
    over the default period and over three years, and the home pages' panels."""
    now = utcnow()
    today = local_today()
    ids = list(db.session.scalars(db.select(LocalNetwork.id).order_by(LocalNetwork.id)))
    found = {}
    for name, date_range in {
        "last 12 months": stats.default_range(today),
        "three years": stats.DateRange(today - timedelta(days=3 * 365), today),
    }.items():
        found[name, "every network"] = numbers.of_every_network(date_range, now, ids)
        for network_id in ids:
            found[name, network_id] = numbers.of_network(network_id, date_range, now)
    for network in db.session.scalars(db.select(LocalNetwork)):
        panel = home_panels.coordinator_panel(network) | {"network": network.id}
        panel.pop("data_asks")  # a to-do list, not a figure: erasure answers the question
        found["home", network.id] = panel
    found["home", "admin"] = home_panels.admin_panel()
    return found
