"""One person, one resident: an online request by someone the network knows (same phone, or same first
name and postcode) joins their record, and a coordinator merges two records without losing anything."""

import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.requests.models import AgeBand, HelpRequest, IntakeChannel, RequestEvent, Resident
from digibuddy.scheduling.models import BookingKind, DropInBooking
from tests.conftest import text
from tests.dropins_helpers import make_moment, next_date
from tests.factories import HelpRequestFactory, LocationFactory, NetworkFactory, make_user
from tests.requests_helpers import online_form
from tests.test_reports import get_tables


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000", "9050"])


def ask(client, **overrides):
    response = client.submit("/help", online_form(**overrides))
    assert response.status_code == 302, text(response)[:2000]


def residents() -> int:
    return db.session.scalar(select(func.count()).select_from(Resident))


def test_an_online_request_by_a_known_phone_or_name_and_postcode_joins_that_resident(client, gent):
    ask(client, first_name="Maria", phone="0470 12 34 56")
    # The same phone written differently, another spelling and postcode: the same person. Her record keeps
    # its name and postcode, so that her first code still opens her status page.
    ask(client, first_name="Marie", phone="+32 470 12 34 56", postcode="9050")
    assert residents() == 1
    assert db.session.scalar(select(Resident.postcode_code)) == "9000"
    # No phone this time, but the same first name and postcode: the same person, the phone is kept.
    ask(client, first_name="maria", phone=None, email="maria@example.org", has_no_email=None)
    assert residents() == 1
    resident = db.session.scalar(select(Resident))
    assert len(resident.requests) == 3 and resident.email == "maria@example.org"
    assert resident.phone and resident.phone.replace(" ", "").endswith("470123456")
    recognised = db.session.scalars(
        select(RequestEvent).where(RequestEvent.kind == "resident_recognised")
    ).all()
    assert len(recognised) == 2
    # Somebody else: another name and no shared phone.
    ask(client, first_name="Ahmed", phone="0486 99 88 77")
    assert residents() == 2


def test_a_known_resident_of_another_network_is_not_joined(client, gent):
    NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    ask(client, first_name="Maria", phone="0470 12 34 56")
    ask(client, first_name="Maria", phone="0470 12 34 56", postcode="2800")
    assert residents() == 2


def test_a_coordinator_merges_two_records_and_every_request_event_and_figure_stays(client, make_client, gent):
    first = HelpRequestFactory(
        resident__network=gent, resident__first_name="Fatima", intake_channel=IntakeChannel.COUNTER
    )
    second = HelpRequestFactory(
        resident__network=gent,
        resident__first_name="Fatima",
        resident__phone="0470 55 66 77",
        resident__age_band=AgeBand.FROM_65_TO_74,
        intake_channel=IntakeChannel.PHONE,
    )
    first.resident.age_band = AgeBand.FROM_65_TO_74
    keep, duplicate = first.resident, second.resident
    duplicate_id = duplicate.id
    moment = make_moment(gent, LocationFactory(network=gent))
    db.session.add(
        DropInBooking(
            moment_id=moment.id, on_date=next_date(moment), kind=BookingKind.BOOKED, resident_id=duplicate_id
        )
    )
    message = OutboxMessage(
        channel="sms",
        recipient="+32470556677",
        body="x",
        kind="test",
        dedupe_key="merge-1",
        resident_id=duplicate_id,
    )
    db.session.add(message)
    db.session.commit()
    events_before = db.session.scalar(select(func.count()).select_from(RequestEvent))
    coordinator_user = make_user(Role.COORDINATOR, gent)
    client.login(coordinator_user)
    figures_url = "/reports/local?start=2020-01-01&end=2030-12-31&lang=en"
    figures_before = get_tables(client, figures_url)
    page = text(client.get(f"/requests/{first.id}?lang=en"))
    assert "The same person?" in page and f'name="duplicate" value="{duplicate_id}"' in page
    # Counter staff cannot merge; another network's resident is not found.
    counter = make_client()
    counter.login(make_user(Role.COUNTER, gent))
    assert (
        counter.submit(
            f"/residents/{keep.id}/merge", {"duplicate": duplicate_id}, form_url="/home"
        ).status_code
        == 403
    )
    stranger = HelpRequestFactory(
        resident__network=NetworkFactory(postcodes=["2800"]), resident__postcode_code="2800"
    )
    response = client.submit(
        f"/residents/{keep.id}/merge", {"duplicate": stranger.resident.id}, form_url=f"/requests/{first.id}"
    )
    assert response.status_code == 404
    response = client.submit(
        f"/residents/{keep.id}/merge",
        {"duplicate": duplicate_id, "request_id": first.id},
        form_url=f"/requests/{first.id}",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/requests/{first.id}")
    db.session.expire_all()
    assert db.session.get(Resident, duplicate_id) is None
    kept = db.session.get(Resident, keep.id)
    assert sorted(r.id for r in kept.requests) == sorted([first.id, second.id])
    assert kept.phone == "+32470556677"  # the detail it lacked, as stored (E.164)
    assert db.session.get(OutboxMessage, message.id).resident_id == keep.id
    assert db.session.scalar(select(DropInBooking.resident_id)) == keep.id
    merged = db.session.scalars(select(RequestEvent).where(RequestEvent.kind == "resident_merged")).all()
    assert [e.request_id for e in merged] == [second.id]
    assert db.session.scalar(select(func.count()).select_from(RequestEvent)) == events_before + 1
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 3
    assert get_tables(client, figures_url) == figures_before
