"""A resident's rights over their data: a coordinator sees and exports everything the platform holds on them
(printable, and as JSON) and erases it with a recorded reason, scoped to their network and recorded in the
audit log; a resident asks for either on their status page, and the question waits for the coordinator."""

import json

import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import AuditEntry
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.outcomes.models import Feedback, Outcome
from digibuddy.privacy import export
from digibuddy.privacy.models import AskKind, AskOrigin, AskStatus, DataAsk
from digibuddy.requests.models import Resident
from digibuddy.requests.retention import ANONYMOUS
from digibuddy.scheduling.models import HelpSession, SessionStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.matching_helpers import make_request
from tests.privacy_helpers import SECRETS, every_figure, full_resident


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
    assert f"/residents/{resident.id}/erase" in detail

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


# ----------------------------------------------------------------------------------------------- erasure
def erase(client, resident, reason="De bewoner vroeg het telefonisch op 3 maart"):
    return client.submit(f"/residents/{resident.id}/erase", {"reason": reason})


def test_erasure_clears_every_personal_field_and_keeps_every_figure(client, gent, coordinator):
    request, session, volunteer = full_resident(gent)
    resident = request.resident
    full_resident(NetworkFactory(postcodes=["2800"]), secrets={**SECRETS, "first_name": "Other"})
    before = every_figure()
    client.login(coordinator)
    form = text(client.get(f"/residents/{resident.id}/erase"))
    assert "Georgette" in form and "niet ongedaan" in form
    response = erase(client, resident)
    assert response.status_code == 302, text(response)[:2000]

    db.session.expire_all()
    assert every_figure() == before
    exported = json.dumps(export.plain(export.resident_record(db.session.get(Resident, resident.id))))
    for name, secret in SECRETS.items():
        assert secret not in exported, name
    assert "+32470998877" not in exported
    resident = db.session.get(Resident, resident.id)
    assert resident.first_name == ANONYMOUS and resident.anonymised_at is not None
    assert db.session.scalar(select(Feedback.satisfaction)) == 5
    assert db.session.scalar(select(Outcome.referred_to)) == "OCMW"  # the referral figure stays
    assert db.session.get(HelpSession, session.id).status == SessionStatus.DONE
    [ask] = db.session.scalars(select(DataAsk)).all()
    assert (ask.kind, ask.origin, ask.status) == (AskKind.ERASE, AskOrigin.STAFF, AskStatus.DONE)
    assert ask.reason == "De bewoner vroeg het telefonisch op 3 maart" and ask.handled_by_id == coordinator.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "erase"))
    assert (entry.user_id, entry.object_id, entry.network_id) == (coordinator.id, resident.id, gent.id)
    # The other network's resident is untouched, and the request page of the erased one is gone.
    assert db.session.scalar(select(func.count()).where(Resident.first_name == "Other")) == 1
    assert client.get(f"/requests/{request.id}").status_code == 404
    page = text(client.get(f"/residents/{resident.id}/data"))
    assert "zijn gewist op" in page and "Georgette" not in page


def test_erasure_needs_a_reason_and_no_open_request(client, gent, coordinator):
    request, _session, _volunteer = full_resident(gent)
    resident = request.resident
    client.login(coordinator)
    response = erase(client, resident, reason="   ")
    assert response.status_code == 422 and "Schrijf op waarom de gegevens gewist worden." in text(response)
    response = erase(client, resident, reason="x" * 501)
    assert response.status_code == 422 and "onder 500 tekens" in text(response)
    still_open = make_request(gent, postcode="9000")
    still_open.resident_id = resident.id
    db.session.commit()
    response = erase(client, resident)
    assert response.status_code == 422 and "Annuleer die eerst" in text(response)
    db.session.expire_all()
    assert db.session.get(Resident, resident.id).first_name == "Georgette"
    assert db.session.scalar(select(DataAsk.id)) is None


# --------------------------------------------------------------------------------- the resident's question
def open_status(client, request, lang="nl"):
    response = client.submit(
        f"/status?lang={lang}",
        {"reference": request.reference, "postcode": request.resident.postcode_code},
        form_url=f"/status?lang={lang}",
    )
    assert response.status_code == 302
    return text(client.get(f"/status/request?lang={lang}"))


def ask(client, kind, lang="nl"):
    token = client.csrf_token(f"/status/request?lang={lang}")
    return client.raw.post("/status/data", data={"csrf_token": token, "kind": kind})


def test_nothing_is_asked_without_the_code_and_postcode(client, gent):
    full_resident(gent)
    assert client.raw.post("/status/data", data={"kind": "erase"}).status_code in (400, 404)
    assert db.session.scalar(select(DataAsk.id)) is None


def test_a_resident_asks_to_delete_their_data_and_the_coordinator_erases_it(
    client, make_client, gent, coordinator
):
    request, _session, _volunteer = full_resident(gent)
    page = open_status(client, request, lang="ar")
    assert "Georgette" not in page and SECRETS["description"] not in page  # nothing personal on the page
    response = ask(client, "erase", lang="ar")
    assert response.status_code == 302 and "data_asked=erase" in response.headers["Location"]
    assert ask(client, "erase", lang="ar").status_code == 302  # asking twice is one question
    [asked] = db.session.scalars(select(DataAsk)).all()
    assert (asked.kind, asked.origin, asked.status) == (AskKind.ERASE, AskOrigin.RESIDENT, AskStatus.OPEN)
    assert asked.request_id == request.id
    again = open_status(client, request, lang="ar")
    assert 'value="erase"' not in again and 'value="export"' in again
    assert ask(client, "both").status_code == 302
    assert db.session.scalar(select(func.count(DataAsk.id))) == 1

    staff = make_client()
    staff.login(coordinator)
    home = text(staff.get("/home"))
    assert '<span class="figure">1</span> vragen over persoonsgegevens' in home
    queue = text(staff.get("/residents/asks"))
    assert "Georgette" in queue and f"/residents/{request.resident_id}/erase" in queue
    assert erase(staff, request.resident).status_code == 302
    db.session.expire_all()
    asked = db.session.get(DataAsk, asked.id)
    assert asked.status == AskStatus.DONE and asked.handled_by_id == coordinator.id
    assert asked.reason and db.session.scalar(select(func.count(DataAsk.id))) == 1
    assert "Georgette" not in text(staff.get("/residents/asks"))
    # The code and postcode open nothing any more.
    assert client.get("/status/request").status_code == 404
    response = client.submit(
        "/status", {"reference": request.reference, "postcode": "9000"}, form_url="/status"
    )
    assert response.status_code == 422


def test_a_resident_asks_to_see_their_data_and_the_coordinator_marks_it_done(
    client, make_client, gent, coordinator
):
    request, _session, _volunteer = full_resident(gent)
    open_status(client, request, lang="uk")
    assert ask(client, "export", lang="uk").status_code == 302
    [asked] = db.session.scalars(select(DataAsk)).all()
    staff = make_client()
    staff.login(coordinator)
    assert f"/residents/{request.resident_id}/data" in text(staff.get("/residents/asks"))
    other = make_client()
    other.login(make_user(Role.COORDINATOR, NetworkFactory(postcodes=["2800"])))
    assert "Georgette" not in text(other.get("/residents/asks"))
    assert (
        other.submit(
            f"/residents/asks/{asked.id}/done", {"note": "x"}, form_url="/residents/asks"
        ).status_code
        == 404
    )
    response = staff.submit(
        f"/residents/asks/{asked.id}/done", {"note": "Afgedrukt aan de balie"}, form_url="/residents/asks"
    )
    assert response.status_code == 302
    db.session.expire_all()
    asked = db.session.get(DataAsk, asked.id)
    assert asked.status == AskStatus.DONE and asked.reason == "Afgedrukt aan de balie"
    assert db.session.get(Resident, request.resident_id).first_name == "Georgette"  # seeing erases nothing


def test_counter_staff_note_a_question_asked_at_the_counter(client, make_client, gent, coordinator):
    request, _session, _volunteer = full_resident(gent)
    counter = make_user(Role.COUNTER, gent)
    client.login(counter)
    url = f"/residents/{request.resident_id}/asks"
    assert f'action="{url}"' in text(client.get(f"/requests/{request.id}"))
    data = {"kind": "erase", "request_id": request.id}
    response = client.submit(url, data, form_url=f"/requests/{request.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/requests/{request.id}")
    client.submit(url, data, form_url=f"/requests/{request.id}")  # noted twice: one question
    [asked] = db.session.scalars(select(DataAsk)).all()
    assert (asked.kind, asked.origin, asked.status) == (AskKind.ERASE, AskOrigin.STAFF, AskStatus.OPEN)
    assert db.session.scalar(select(AuditEntry.user_id).where(AuditEntry.action == "data_ask")) == counter.id
    assert client.submit(url, {"kind": "nothing"}, form_url=f"/requests/{request.id}").status_code == 302
    assert db.session.scalar(select(func.count(DataAsk.id))) == 1
    other = make_client()
    other.login(make_user(Role.COUNTER, NetworkFactory(postcodes=["2800"])))
    assert other.submit(url, data, form_url="/home").status_code == 404
    staff = make_client()
    staff.login(coordinator)
    assert f"/residents/{request.resident_id}/erase" in text(staff.get("/residents/asks"))


def test_the_coordinators_hear_of_a_question_at_once_without_who_asked(
    client, make_client, gent, coordinator
):
    other_coordinator = make_user(Role.COORDINATOR, gent)
    other_coordinator.locale = "fr"
    elsewhere = make_user(Role.COORDINATOR, NetworkFactory(postcodes=["2800"]))
    request, _session, _volunteer = full_resident(gent)
    open_status(client, request, lang="tr")
    assert ask(client, "erase", lang="tr").status_code == 302
    assert ask(client, "erase", lang="tr").status_code == 302  # the same question: no second e-mail
    [asked] = db.session.scalars(select(DataAsk)).all()
    asked.created_at = asked.created_at.replace(year=2027, month=1, day=31, hour=10)
    db.session.commit()
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "data_ask_coordinator").order_by(OutboxMessage.id)
    ).all()
    assert [m.recipient for m in mails] == [coordinator.email, other_coordinator.email]
    assert elsewhere.email not in {m.recipient for m in mails}
    dutch, french = mails
    assert dutch.subject == "Een bewoner vraagt om zijn gegevens te wissen"
    assert "/residents/asks" in dutch.body and "Georgette" not in dutch.body
    assert SECRETS["phone"] not in dutch.body and request.reference not in dutch.body
    assert french.subject == "Un habitant demande l’effacement de ses données"
    # One month by the calendar: asked on 31 January, answered by 28 February.
    staff = make_client()
    staff.login(coordinator)
    assert "beantwoorden vóór 28 februari 2027" in text(staff.get("/residents/asks"))
