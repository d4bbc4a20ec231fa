"""Counter and phone intake with duplicate detection, the printable slip, and the coordinator's queue."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import AuditEntry
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.requests.models import HelpRequest, IntakeChannel, RequestStatus, Resident
from digibuddy.requests.references import display_reference
from tests.conftest import text
from tests.factories import HelpRequestFactory, LocationFactory, NetworkFactory, ResidentFactory, make_user
from tests.requests_helpers import online_form


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])


@pytest.fixture
def counter(gent):
    return make_user(Role.COUNTER, gent, name="Kim Baert")


def shown(request) -> str:
    return display_reference(request.reference)


def intake_form(**overrides):
    data = online_form(**{"channel": "counter", "locale": "ar", **overrides})
    data.pop("has_no_email", None)
    return data


def test_counter_intake_records_channel_staff_and_prints_a_slip_in_the_residents_language(
    client, gent, counter
):
    library = LocationFactory(network=gent, name="Bibliotheek De Krook", street="Miriam Makebaplein 1")
    client.login(counter)
    response = client.submit("/intake/new", intake_form(intake_location_id=library.id))
    assert response.status_code == 302, text(response)[:3000]
    request = db.session.scalar(select(HelpRequest))
    assert request.intake_channel == IntakeChannel.COUNTER and request.created_by_id == counter.id
    assert request.resident.consent_channel == IntakeChannel.COUNTER
    slip = text(client.get(response.headers["Location"]))
    assert '<html lang="ar" dir="rtl">' in slip
    assert shown(request) in slip and "09 210 10 10" in slip
    assert "Bibliotheek De Krook" in slip and "Miriam Makebaplein 1" in slip
    receipt = text(client.get(f"/requests/{request.id}/slip?layout=receipt"))
    assert 'class="slip slip-receipt"' in receipt and "css/slip-receipt.css" in receipt
    # The receipt's page size sits in its own style sheet (no inline style under the security policy).
    assert "@page { size: 80mm auto" in text(client.get("/static/css/slip-receipt.css"))


def test_phone_intake(client, gent, counter):
    client.login(counter)
    client.submit("/intake/new", intake_form(channel="phone", locale="nl"))
    assert db.session.scalar(select(HelpRequest.intake_channel)) == IntakeChannel.PHONE


def test_intake_search_finds_the_same_person_by_name_and_postcode_or_phone(client, gent, counter):
    known = ResidentFactory(network=gent, first_name="Fatima", postcode_code="9000", phone="0470/12.34.56")
    ResidentFactory(network=NetworkFactory(postcodes=["2800"]), first_name="Fatima", postcode_code="2800")
    client.login(counter)
    page = text(client.get("/intake?first_name=fatima&postcode=9000&lang=en"))
    assert f"/intake/new?resident={known.id}" in page and page.count("/intake/new?resident=") == 1
    page = text(client.get("/intake?phone=0470 12 34 56&lang=en"))
    assert f"/intake/new?resident={known.id}" in page
    assert "Nobody found" in text(client.get("/intake?first_name=Jan&postcode=9000&lang=en"))


def test_a_request_can_be_added_to_an_existing_resident(client, gent, counter):
    known = ResidentFactory(network=gent, first_name="Fatima", postcode_code="9000")
    client.login(counter)
    form = text(client.get(f"/intake/new?resident={known.id}"))
    assert 'value="Fatima"' in form
    response = client.submit(f"/intake/new?resident={known.id}", intake_form(first_name="Fatima"))
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Resident)) == 1
    assert db.session.scalar(select(HelpRequest.resident_id)) == known.id


def test_intake_refuses_a_postcode_of_another_network(client, gent, counter):
    NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    client.login(counter)
    response = client.submit(
        "/intake/new?lang=en", intake_form(postcode="2800"), form_url="/intake/new?lang=en"
    )
    assert response.status_code == 422 and "not covered by your local network" in text(response)


def test_intake_needs_the_residents_permission(client, gent, counter):
    client.login(counter)
    response = client.submit("/intake/new?lang=en", intake_form(consent=None), form_url="/intake/new?lang=en")
    assert response.status_code == 422 and "Ask the resident for permission" in text(response)


def test_intake_of_another_networks_resident_is_not_found(client, gent, counter):
    stranger = ResidentFactory(network=NetworkFactory(postcodes=["2800"]), postcode_code="2800")
    client.login(counter)
    assert client.get(f"/intake/new?resident={stranger.id}").status_code == 404
    assert client.get("/intake/new?resident=abc").status_code == 404


def test_volunteers_cannot_use_the_intake(client, gent):
    client.login(make_user(Role.VOLUNTEER, gent))
    assert client.get("/intake").status_code == 403
    assert client.get("/requests").status_code == 403


def test_queue_shows_only_the_callers_network_and_filters(client, gent):
    mechelen = NetworkFactory(postcodes=["2800"])
    ours = HelpRequestFactory(
        resident__network=gent, status=RequestStatus.ESCALATED, intake_channel=IntakeChannel.PHONE
    )
    old = HelpRequestFactory(resident__network=gent, status=RequestStatus.NEW)
    old.created_at = utcnow() - timedelta(days=10)
    theirs = HelpRequestFactory(resident__network=mechelen, resident__postcode_code="2800")
    db.session.commit()
    client.login(make_user(Role.COORDINATOR, gent))
    page = text(client.get("/requests?lang=en"))
    assert shown(ours) in page and shown(old) in page and shown(theirs) not in page
    page = text(client.get("/requests?status=escalated&lang=en"))
    assert shown(ours) in page and shown(old) not in page
    page = text(client.get("/requests?channel=phone"))
    assert shown(ours) in page and shown(old) not in page
    page = text(client.get("/requests?older_than=7"))
    assert shown(old) in page and shown(ours) not in page
    assert client.get("/requests?status=bogus&page=-3&older_than=x").status_code == 200
    assert client.get(f"/requests/{theirs.id}").status_code == 404


def test_queue_filters_by_topic_group_and_language(client, gent):
    request = HelpRequestFactory(resident__network=gent)
    other = HelpRequestFactory(resident__network=gent)
    from digibuddy.reference.models import Language, Topic

    topic = db.session.scalar(select(Topic).join(Topic.group).where(Topic.group.has(code="banking")))
    request.topics = [topic]
    request.languages = [db.session.get(Language, "ar")]
    db.session.commit()
    client.login(make_user(Role.COORDINATOR, gent))
    page = text(client.get("/requests?group=banking"))
    assert shown(request) in page and shown(other) not in page
    page = text(client.get("/requests?language=ar"))
    assert shown(request) in page and shown(other) not in page


def test_request_detail_shows_the_full_event_log_and_is_audited(client, gent, counter):
    client.login(counter)
    client.submit("/intake/new", intake_form(locale="nl"))
    request = db.session.scalar(select(HelpRequest))
    from digibuddy.requests.services import change_status

    change_status(request, RequestStatus.MATCHING, note="start matching")
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR, gent, name="Lotte Peeters")
    client.logout()
    client.login(coordinator)
    page = text(client.get(f"/requests/{request.id}?lang=en"))
    assert "Request registered" in page and "Kim Baert" in page
    assert "Status: New → Looking for a digibuddy" in page and "start matching" in page
    assert (
        db.session.scalar(select(AuditEntry.user_id).where(AuditEntry.object_id == request.id))
        == coordinator.id
    )


def test_status_changes_follow_the_life_cycle(app, gent):
    from digibuddy.core.exceptions import DomainError
    from digibuddy.requests.services import change_status

    request = HelpRequestFactory(resident__network=gent, status=RequestStatus.CANCELLED)
    with pytest.raises(DomainError):
        change_status(request, RequestStatus.MATCHING)
