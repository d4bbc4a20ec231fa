"""Every page that shows a resident's or a digibuddy's personal data leaves an audit entry (who, what, when,
from where); coordinators read their own network's audit log and export it; the central administrator sees
no resident's contact details without an audited, explicit action."""

import re

from sqlalchemy import func, select

from digibuddy.audit.models import AuditEntry
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.requests.models import Resident
from tests.conftest import text
from tests.routes import LOCAL_ROLES, app_routes, central_admin, populate

RESIDENT_NAME, RESIDENT_EMAIL = "Zoltana", "zoltana.marker@example.org"
VOLUNTEER_NAME = "Quirinus Vandamme"
# Pages that show only the viewer's own data, or no one's (a volunteer's own profile and calendar).
OWN_DATA = {"volunteers.profile", "volunteers.training", "volunteers.training_module", "public.dashboard"}
# Pages of residents' rights (export, erasure): their actions are recorded by that area itself.
RIGHTS = {"privacy.erase", "privacy.asks", "privacy.export", "privacy.show"}


def _marked_world(postcode="9000", name="Gent"):
    world = populate(postcode, name)
    for resident in db.session.scalars(select(Resident).where(Resident.network_id == world.network.id)):
        resident.first_name = RESIDENT_NAME
        resident.email = RESIDENT_EMAIL
    world.people["volunteer"].name = VOLUNTEER_NAME
    db.session.commit()
    return world


def _shows_personal_data(page: str, role: str) -> bool:
    resident = any(mark in page for mark in (RESIDENT_NAME, RESIDENT_EMAIL, "0470 11 22 33", "+32470112233"))
    volunteer = role != "volunteer" and VOLUNTEER_NAME in page
    return resident or volunteer


def _count():
    return db.session.scalar(select(func.count(AuditEntry.id)))


def test_every_page_showing_personal_data_writes_an_audit_entry(app, make_client):
    world = _marked_world()
    unaudited, audited = [], set()
    for role in (*LOCAL_ROLES, "admin"):
        client = make_client()
        client.login(central_admin() if role == "admin" else world.people[role])
        for route in app_routes(app, methods=("GET",)):
            before = _count()
            response = client.get(world.url(route))
            readable = response.mimetype.startswith("text/") or response.mimetype.endswith("json")
            if response.status_code != 200 or not readable or not _shows_personal_data(text(response), role):
                continue
            if (route.endpoint in OWN_DATA and role == "volunteer") or route.endpoint in RIGHTS:
                continue
            entries = db.session.scalars(select(AuditEntry).where(AuditEntry.id > 0).order_by(AuditEntry.id))
            new = list(entries)[before:]
            if not new:
                unaudited.append(f"{role}: GET {world.url(route)} ({route.endpoint})")
                continue
            user = world.people.get(role)
            assert all(e.user_id == (user.id if user else e.user_id) for e in new), route
            assert all(e.ip_address and e.at for e in new), route
            audited.add(route.endpoint)
    assert not unaudited, "pages showing personal data without an audit entry:\n" + "\n".join(unaudited)
    # The walk really saw personal data on the pages that are known to show it.
    assert {"queue.detail", "sessions.detail", "queue.slip", "volunteers.vetting"} <= audited, audited


def test_the_audit_log_shows_only_the_networks_own_entries(app, make_client):
    ours, theirs = _marked_world("9000", "Gent"), _marked_world("2800", "Mechelen")
    ours_client, theirs_client = make_client(), make_client()
    ours_client.login(ours.people["coordinator"])
    theirs_client.login(theirs.people["counter"])
    request_id = theirs.ids["request_id"]
    assert theirs_client.get(f"/requests/{request_id}").status_code == 200
    ours_client.get(f"/requests/{ours.ids['request_id']}")

    page = text(ours_client.get("/audit"))
    assert ours.people["coordinator"].name in page
    assert theirs.people["counter"].name not in page
    export = ours_client.get("/audit.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert theirs.people["counter"].name not in export.get_data(as_text=True)
    assert ours.people["coordinator"].name in export.get_data(as_text=True)
    assert export.headers["Cache-Control"] == "no-store"

    theirs_coordinator = make_client()
    theirs_coordinator.login(theirs.people["coordinator"])
    assert theirs.people["counter"].name in text(theirs_coordinator.get("/audit"))

    for role in ("counter", "volunteer"):
        other = make_client()
        other.login(ours.people[role])
        assert other.get("/audit").status_code == 403


def test_the_audit_log_filters_by_user_person_and_period(app, make_client):
    world = _marked_world()
    coordinator, counter = world.people["coordinator"], world.people["counter"]
    client, desk = make_client(), make_client()
    client.login(coordinator)
    desk.login(counter)
    desk.get(f"/requests/{world.ids['request_id']}")
    client.get(f"/sessions/{world.ids['session_id']}")

    def rows(url):
        return text(client.get(url)).split("<tbody>", 1)[1]

    by_counter = rows(f"/audit?user={counter.id}")
    assert counter.name in by_counter and coordinator.name not in by_counter
    by_object = rows(f"/audit?object=help_session:{world.ids['session_id']}")
    assert coordinator.name in by_object and counter.name not in by_object
    assert "No entries" in text(client.get("/audit?from=2001-01-01&to=2001-01-31&lang=en"))
    for query in ("page=99999999999999999999", "from=2026-13-45", "user=abc", "object=x:y", "to=0"):
        assert client.get(f"/audit?{query}").status_code in (200, 422), query


def test_the_audit_log_gathers_every_record_of_one_person(app, make_client):
    """A resident's requests, sessions and messages, or a digibuddy's profile and sessions, in one list,
    reached from the request page and the digibuddy's page."""
    world = _marked_world()
    coordinator, counter = world.people["coordinator"], world.people["counter"]
    client, desk = make_client(), make_client()
    client.login(coordinator)
    desk.login(counter)
    request_id, session_id = world.ids["request_id"], world.ids["session_id"]
    resident_id, volunteer_id = world.ids["resident_id"], world.ids["volunteer_id"]
    desk.get(f"/requests/{request_id}")  # the request
    desk.get(f"/sessions/{session_id}/print")  # a session of the same resident
    client.get(f"/volunteers/manage/{volunteer_id}")  # the digibuddy
    detail = text(client.get(f"/requests/{request_id}?lang=en"))
    assert f'href="/audit?person=resident:{resident_id}"' in detail

    def records(url):
        body = text(client.get(url)).split("<tbody>", 1)[1]
        return set(re.findall(r"object=(\w+:\d+)", body))

    about_resident = records(f"/audit?person=resident:{resident_id}")
    assert {f"help_request:{request_id}", f"help_session:{session_id}"} <= about_resident
    assert f"volunteer_profile:{volunteer_id}" not in about_resident
    about_volunteer = records(f"/audit?person=volunteer:{volunteer_id}")
    assert (
        f"volunteer_profile:{volunteer_id}" in about_volunteer
        and f"help_session:{session_id}" in about_volunteer
    )
    assert f"help_request:{request_id}" not in about_volunteer
    # Someone unknown has no entries; a person filter that is not valid is ignored, never a server error.
    assert "No entries" in text(client.get("/audit?person=resident:999999&lang=en"))
    for query in ("person=resident:abc", "person=nobody:1", "person=resident:99999999999999999999"):
        assert client.get(f"/audit?{query}").status_code == 200, query


def test_the_app_never_changes_an_audit_entry(app):
    """No code path of the app updates or deletes an audit entry (retention aside, in its own module)."""
    from pathlib import Path

    import digibuddy

    offenders = []
    for path in Path(digibuddy.__file__).parent.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "retention" in path.name:
            continue
        for needle in ("update(AuditEntry", "delete(AuditEntry", "AuditEntry.__table__.delete"):
            if needle in source:
                offenders.append(f"{path.name}: {needle}")
    assert not offenders, offenders


def test_the_central_administrator_sees_recipients_masked_and_shows_one_with_an_audited_action(
    app, make_client
):
    world = _marked_world()
    admin = central_admin()
    client = make_client()
    client.login(admin)
    page = text(client.get("/outbox/"))
    assert "+32470112233" not in page and "0470 11 22 33" not in page
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.network_id == world.network.id))
    assert client.get(f"/outbox/{message.id}").status_code == 200
    assert "+32470112233" not in text(client.get(f"/outbox/{message.id}"))
    before = _count()
    shown = client.submit(f"/outbox/{message.id}/show", {}, form_url=f"/outbox/{message.id}")
    assert shown.status_code == 200
    assert "+32470112233" in text(shown) or "0470 11 22 33" in text(shown)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert _count() == before + 1
    assert entry.user_id == admin.id and entry.action == "show" and entry.network_id == world.network.id

    coordinator = make_client()
    coordinator.login(world.people["coordinator"])
    assert "0470 11 22 33" in text(coordinator.get("/outbox/")) or "+32470112233" in text(
        coordinator.get("/outbox/")
    )


def test_an_audit_entry_cannot_be_changed_or_deleted_one_by_one(app):
    import pytest
    import sqlalchemy as sa

    from digibuddy.audit.models import AuditEntryIsFinal
    from digibuddy.audit.services import record

    world = populate()
    with app.test_request_context("/"):
        record(world.people["coordinator"], "view", "help_request", 1, world.network.id)
        db.session.commit()
    entry = db.session.scalars(select(AuditEntry)).one()
    entry.detail = "rewritten"
    with pytest.raises(AuditEntryIsFinal):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEntry)).one())
    with pytest.raises(AuditEntryIsFinal):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditEntryIsFinal):
        db.session.execute(sa.update(AuditEntry).values(detail="x"))
    db.session.rollback()
    assert db.session.scalars(select(AuditEntry)).one().detail is None
