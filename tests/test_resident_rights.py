"""A resident's rights over their data: a coordinator sees and exports everything the platform holds on them
(printable, and as JSON), scoped to their network and recorded in the audit log."""

import json

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import AuditEntry
from digibuddy.extensions import db
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.privacy_helpers import SECRETS, full_resident


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])


@pytest.fixture
def coordinator(gent):
    return make_user(Role.COORDINATOR, gent, name="Ilse Claes")


def test_the_printable_page_shows_every_record_and_is_audited(client, gent, coordinator):
    request, _session, _volunteer = full_resident(gent)
    resident = request.resident
    client.login(coordinator)
    detail = text(client.get(f"/requests/{request.id}"))
    assert f"/residents/{resident.id}/data" in detail

    page = text(client.get(f"/residents/{resident.id}/data"))
    for secret in SECRETS.values():
        if secret != SECRETS["phone"]:
            assert secret in page, secret
    assert "0470 99 88 77" in page  # the phone number in its national format
    assert "Koffie &amp; Formulieren" in page  # the drop-in booking
    assert "2026-01" in page  # the version of the consent text
    assert "OCMW" in page  # the outcome's referral
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert (entry.user_id, entry.object_type, entry.object_id) == (coordinator.id, "resident", resident.id)
    assert entry.detail == "page" and entry.network_id == gent.id


def test_the_json_download_holds_the_same_records(client, gent, coordinator):
    request, _session, _volunteer = full_resident(gent)
    resident = request.resident
    client.login(coordinator)
    response = client.get(f"/residents/{resident.id}/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["resident"]["first_name"] == "Georgette"
    assert data["resident"]["phone"] == "+32470998877" and data["resident"]["email"] == SECRETS["email"]
    assert data["resident"]["street_address"] == SECRETS["street"]
    assert data["consent"] == {"at": data["consent"]["at"], "channel": "online", "text_version": "2026-01"}
    assert data["consent"]["at"].endswith("Z")
    [exported] = data["requests"]
    assert exported["reference"] == request.reference and exported["description"] == SECRETS["description"]
    assert SECRETS["note"] in [event["note"] for event in exported["events"]]
    assert {s["status"] for s in data["sessions"]} == {"done", "cancelled"}
    [done] = [s for s in data["sessions"] if s["outcome"]]
    assert done["outcome"]["result"] == "referred" and done["outcome"]["minutes_spent"] == 50
    assert data["feedback"][0]["comment"] == SECRETS["comment"]
    assert [m["body"] for m in data["messages"]] == [SECRETS["body"]]
    assert data["dropin_bookings"][0]["moment"] == "Koffie & Formulieren"
    assert db.session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "export")) == "json"


def test_only_a_coordinator_of_the_residents_network_exports(client, make_client, gent, coordinator):
    request, _session, volunteer = full_resident(gent)
    url = f"/residents/{request.resident_id}/data"
    other = make_user(Role.COORDINATOR, NetworkFactory(postcodes=["2800"]))
    client.login(other)
    assert client.get(url).status_code == 404
    assert client.get(url + ".json").status_code == 404
    counter = make_client()
    counter.login(make_user(Role.COUNTER, gent))
    assert counter.get(url).status_code == 403
    assert counter.get("/residents/abc/data").status_code in (403, 404)
    mine = make_client()
    mine.login(coordinator)
    assert mine.get("/residents/99999999999/data").status_code == 404
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "export")) is None
