"""Learning-network events: the central administrator and coordinators organise them, the people they are
for register and cancel themselves, a full event keeps a waiting list that moves up on its own, everyone
with a place gets a calendar invitation and a reminder the day before, the organiser records attendance,
and the dashboards count events, registrations and attendance per network."""

import threading
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import AuditEntry, ChangeRecord
from digibuddy.core.db import utcnow
from digibuddy.core.time import local_today, to_utc
from digibuddy.events import rules, services
from digibuddy.events.jobs import send_event_reminders
from digibuddy.events.models import (
    Attendance,
    EventRegistration,
    NetworkEvent,
    NetworkEventKind,
    RegistrationStatus,
)
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.privacy.retention import apply_retention
from digibuddy.reports import numbers, stats
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user, make_volunteer


@pytest.fixture
def people(app):
    gent = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    mechelen = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    return {
        "gent": gent,
        "mechelen": mechelen,
        "admin": make_admin(locale="en"),
        "gent_coordinator": make_user(Role.COORDINATOR, gent, locale="en"),
        "mechelen_coordinator": make_user(Role.COORDINATOR, mechelen, locale="en"),
        "gent_counter": make_user(Role.COUNTER, gent, locale="fr"),
        "gent_volunteer": make_volunteer(gent).user,
        "mechelen_volunteer": make_volunteer(mechelen, postcode="2800").user,
    }


def day_ahead(days=10) -> date:
    return local_today() + timedelta(days=days)


def form(**overrides) -> dict:
    day = day_ahead()
    data = {
        "kind": "training",
        "title": "Basisopleiding helpen zonder over te nemen",
        "description": "Voor nieuwe digibuddy's.",
        "network": "0",
        "starts_date": day.isoformat(),
        "starts_time": "19:00",
        "ends_time": "21:00",
        "place": "Bibliotheek De Krook, Gent",
        "online_url": "",
        "audience": ["volunteer"],
        "capacity": "20",
        "deadline_date": (day - timedelta(days=2)).isoformat(),
        "deadline_time": "",
    }
    data.update(overrides)
    return data


def event(network=None, *, audience=("volunteer",), capacity=2, days=10, **fields) -> NetworkEvent:
    day = day_ahead(days)
    found = NetworkEvent(
        kind=fields.pop("kind", NetworkEventKind.TRAINING),
        title=fields.pop("title", "Infosessie itsme"),
        starts_at=to_utc(datetime.combine(day, time(14))),
        ends_at=to_utc(datetime.combine(day, time(16))),
        place=fields.pop("place", "Stadskantoor Gent"),
        audience=list(audience),
        capacity=capacity,
        network_id=network.id if network is not None else None,
        **fields,
    )
    db.session.add(found)
    db.session.commit()
    return found


def messages(kind: str) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ).all()


# ----------------------------------------------------------------------------------------------- organising
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"ends_time": "18:00"}, "ends_time", "The event must end after it starts."),
        (
            {"deadline_date": (day_ahead() + timedelta(days=1)).isoformat()},
            "deadline_date",
            "Registration must close before the event starts.",
        ),
        ({"capacity": "0"}, "capacity", "Give room for at least 1 person."),
        ({"capacity": ""}, "capacity", "Give the number of places."),
        (
            {"online_url": "http://meet.example.org/x"},
            "online_url",
            "Write the whole link, starting with https://",
        ),
        ({"place": "", "online_url": ""}, "place", "Give a place, an online link, or both."),
        ({"audience": []}, "audience", "Choose who the event is for."),
        (
            {"starts_date": (local_today() - timedelta(days=1)).isoformat()},
            "starts_date",
            "Choose a start in the future.",
        ),
        ({"title": ""}, "title", "Give the event a title."),
    ],
)
def test_the_event_form_answers_each_mistake_on_its_field_and_keeps_what_was_typed(
    client, people, overrides, field, message
):
    client.login(people["admin"])
    response = client.submit("/events/new?lang=en", form(**overrides))
    page = text(response)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert f'href="#{field}' in page  # the error summary links to the field
    assert "Basisopleiding" in page or overrides.get("title") == ""
    assert db.session.scalar(select(func.count()).select_from(NetworkEvent)) == 0


def test_the_centre_creates_an_event_in_brussels_time_and_every_change_is_recorded(client, people):
    client.login(people["admin"])
    response = client.submit("/events/new", form())
    assert response.status_code == 303
    created = db.session.scalar(select(NetworkEvent))
    day = day_ahead()
    assert created.starts_at == to_utc(datetime.combine(day, time(19)))
    assert created.registration_deadline == to_utc(datetime.combine(day - timedelta(days=2), time(23, 59)))
    assert created.network_id is None and created.audience == ["volunteer"] and created.capacity == 20
    response = client.submit(
        f"/events/{created.id}/edit", form(title="Basisopleiding (nieuwe datum)", starts_time="18:30")
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert created.title == "Basisopleiding (nieuwe datum)" and created.sequence == 1
    changes = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.subject_type == "network_event").order_by(ChangeRecord.id)
    ).all()
    assert [c.action for c in changes] == ["created", "edited"]
    assert set(changes[1].changes) == {"title", "starts_at"} and changes[1].user_id == people["admin"].id
    assert "/admin/events" and created.title in text(client.get("/admin/events"))


def test_a_coordinator_organises_only_for_their_own_network(client, people):
    central = event(None)
    theirs = event(people["mechelen"])
    client.login(people["gent_coordinator"])
    # A coordinator of one network organises for it: another network's id, posted by hand, is not used.
    assert client.submit("/events/new", form(network=str(people["mechelen"].id))).status_code == 303
    own = db.session.scalar(select(NetworkEvent).where(NetworkEvent.id.not_in([central.id, theirs.id])))
    assert own.network_id == people["gent"].id
    assert client.get(f"/events/{own.id}/edit").status_code == 200
    for other in (central, theirs):
        assert client.get(f"/events/{other.id}/edit").status_code == 404
        assert client.get(f"/events/{other.id}/registrations").status_code == 404
        csrf = client.csrf_token("/events/organise")
        assert client.post(f"/events/{other.id}/cancel", data={"csrf_token": csrf}).status_code == 404
    listed = text(client.get("/events/organise"))
    assert own.title in listed and f"/events/{central.id}/registrations" not in listed
    assert f"/events/{theirs.id}" not in listed
    assert client.get("/admin/events").status_code == 403
    client.logout()
    client.login(people["gent_volunteer"])
    assert client.get("/events/new").status_code == 403
    assert client.get(f"/events/{own.id}/edit").status_code == 404


# ------------------------------------------------------------------------------------------- who sees what
def test_people_see_the_central_events_and_their_own_networks_events_meant_for_their_role(client, people):
    central_volunteers = event(None, title="Webinar phishing", audience=("volunteer", "counter"))
    central_coordinators = event(None, title="Lerend netwerk", audience=("coordinator",))
    gent_only = event(people["gent"], title="Infosessie Gent")
    mechelen_only = event(people["mechelen"], title="Infosessie Mechelen")
    cancelled = event(None, title="Afgelast moment", cancelled_at=utcnow())
    client.login(people["gent_volunteer"])
    page = text(client.get("/events"))
    assert "Webinar phishing" in page and "Infosessie Gent" in page
    assert "Lerend netwerk" not in page and "Infosessie Mechelen" not in page and "Afgelast" not in page
    for hidden in (central_coordinators, mechelen_only, cancelled):
        assert client.get(f"/events/{hidden.id}").status_code == 404
    csrf = client.csrf_token("/events")
    assert client.post(f"/events/{mechelen_only.id}/register", data={"csrf_token": csrf}).status_code == 404
    assert client.get(f"/events/{central_volunteers.id}").status_code == 200
    assert client.get(f"/events/{gent_only.id}").status_code == 200
    client.logout()
    client.login(people["mechelen_coordinator"])
    page = text(client.get("/events"))
    assert "Lerend netwerk" in page and "Webinar phishing" not in page and "Infosessie" not in page


# ----------------------------------------------------------------------------------------------- registering
def test_register_wait_cancel_and_the_first_waiting_is_promoted_and_told(client, people, app):
    gent = people["gent"]
    full = event(gent, capacity=1, audience=("volunteer", "counter"))
    volunteer, counter = people["gent_volunteer"], people["gent_counter"]
    client.login(volunteer)
    assert client.submit(f"/events/{full.id}/register", {}, form_url=f"/events/{full.id}").status_code == 303
    mine = db.session.scalar(select(EventRegistration).where(EventRegistration.user_id == volunteer.id))
    assert mine.status == RegistrationStatus.REGISTERED and mine.network_id == gent.id
    confirmation = messages("event_registered")[0]
    assert confirmation.recipient == volunteer.email and confirmation.attachment_name == "event.ics"
    assert "method=REQUEST" in confirmation.attachment_type
    # Registering twice is refused.
    client.submit(f"/events/{full.id}/register", {}, form_url=f"/events/{full.id}")
    assert db.session.scalar(select(func.count()).select_from(EventRegistration)) == 1
    client.logout()

    client.login(counter)
    assert f'action="/events/{full.id}/register"' in text(client.get(f"/events/{full.id}"))
    client.submit(f"/events/{full.id}/register", {}, form_url=f"/events/{full.id}")
    waiting = db.session.scalar(select(EventRegistration).where(EventRegistration.user_id == counter.id))
    assert waiting.status == RegistrationStatus.WAITING
    assert services.waiting_position(waiting) == 1
    told = messages("event_waiting")[0]
    assert (
        told.locale == "fr" and "liste d'attente (numéro 1)" in told.body
    )  # in the counter clerk's language
    assert client.get(f"/events/{full.id}/invite.ics").status_code == 404  # no place, no invitation
    client.logout()

    client.login(volunteer)
    response = client.submit(f"/events/{full.id}/unregister", {}, form_url=f"/events/{full.id}")
    assert response.status_code == 303
    db.session.expire_all()
    assert mine.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.REGISTERED and waiting.wait_end == "promoted"
    promoted = messages("event_promoted")
    assert [m.recipient for m in promoted] == [counter.email] and promoted[0].attachment
    assert "method=CANCEL" in messages("event_unregistered")[0].attachment_type
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "event_registration")
        )
        == 3
    )


def test_raising_the_capacity_gives_the_waiting_their_places(app, people):
    gent = people["gent"]
    full = event(gent, capacity=1, audience=("volunteer", "counter", "coordinator"))
    first, second, third = people["gent_volunteer"], people["gent_counter"], people["gent_coordinator"]
    for user in (first, second, third):
        services.register(full, user)
    assert [r.user_id for r in services.waiting_list(full.id)] == [second.id, third.id]
    details = services.EventDetails(
        kind="training",
        title=full.title,
        starts_at=datetime.combine(day_ahead(), time(14)),
        ends_at=datetime.combine(day_ahead(), time(16)),
        audience=list(full.audience),
        capacity=2,
        place=full.place,
        network_id=gent.id,
    )
    services.save_event(full, details, actor=people["gent_coordinator"])
    assert [r.user_id for r in services.waiting_list(full.id)] == [third.id]
    assert [m.recipient for m in messages("event_promoted")] == [second.email]
    # Lower than the places taken: refused on the field.
    details.capacity = 1
    with pytest.raises(services.DomainError) as refused:
        services.save_event(full, details, actor=people["gent_coordinator"])
    assert refused.value.field == "capacity"


def test_the_waiting_list_rule_is_the_shared_one():
    assert rules.newcomer_gets_place(3, 2, 0) and not rules.newcomer_gets_place(3, 2, 1)
    assert not rules.newcomer_gets_place(2, 2, 0) and rules.newcomer_gets_place(None, 99, 5)
    assert rules.promoted(3, 1, ["a", "b", "c"]) == ["a", "b"] and rules.promoted(None, 5, ["a"]) == ["a"]
    assert rules.is_https_url("https://meet.example.org/room?x=1")
    for bad in ("http://meet.example.org", "https://", "meet.example.org", "https://a b.org", "javascript:x"):
        assert not rules.is_https_url(bad)


def test_registration_closes_at_the_deadline(app, people):
    closed = event(None, registration_deadline=utcnow() - timedelta(minutes=1))
    with pytest.raises(services.DomainError):
        services.register(closed, people["gent_volunteer"])
    assert db.session.scalar(select(func.count()).select_from(EventRegistration)) == 0


def test_no_more_places_than_capacity_when_many_register_at_once(app, people, backend):
    if backend != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the race needs PostgreSQL")
    gent = people["gent"]
    racers = [make_volunteer(gent).user.id for _ in range(8)]
    limited = event(gent, capacity=3)
    event_id = limited.id
    db.session.remove()
    barrier = threading.Barrier(len(racers))
    outcomes = [None] * len(racers)

    def go(index):
        with app.app_context():
            from digibuddy.accounts.models import User

            user = db.session.get(User, racers[index])
            found = db.session.get(NetworkEvent, event_id)
            barrier.wait()
            try:
                outcomes[index] = str(services.register(found, user).status)
            except Exception as error:  # pragma: no cover - shown in the assertion
                outcomes[index] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(racers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["registered"] * 3 + ["waiting"] * 5, outcomes
    assert services.placed_count(event_id) == 3


# ------------------------------------------------------------------------------------- calendar, reminder
def test_the_invitation_is_an_icalendar_event_in_utc_for_the_registrant_only(client, people):
    webinar = event(None, kind=NetworkEventKind.WEBINAR, place=None, online_url="https://meet.example.org/w1")
    client.login(people["gent_volunteer"])
    client.submit(f"/events/{webinar.id}/register", {}, form_url=f"/events/{webinar.id}")
    response = client.get(f"/events/{webinar.id}/invite.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (component,) = list(calendar.walk("VEVENT"))
    assert str(component["uid"]) == f"network-event-{webinar.id}@digibuddy"
    assert component.decoded("dtstart").replace(tzinfo=None) == webinar.starts_at
    assert component.decoded("dtstart").utcoffset() == timedelta(0)
    assert str(component["summary"]) == webinar.title
    assert "https://meet.example.org/w1" in str(component["location"])
    assert str(calendar["method"]) == "REQUEST"
    attached = Calendar.from_ical(messages("event_registered")[0].attachment)
    assert str(next(iter(attached.walk("VEVENT")))["uid"]) == str(component["uid"])
    client.logout()
    client.login(people["gent_counter"])
    assert client.get(f"/events/{webinar.id}/invite.ics").status_code == 404


def test_the_reminder_goes_the_day_before_to_everyone_with_a_place_once(app, people):
    tomorrow_event = event(people["gent"], capacity=1, days=1, audience=("volunteer", "counter"))
    later = event(people["gent"], days=3)
    services.register(tomorrow_event, people["gent_volunteer"])
    services.register(tomorrow_event, people["gent_counter"])  # waiting: no reminder
    services.register(later, people["gent_volunteer"])
    the_day_before = day_ahead(0)
    assert send_event_reminders(to_utc(datetime.combine(the_day_before, time(7, 30)))) == 0
    assert send_event_reminders(to_utc(datetime.combine(the_day_before, time(10)))) == 1
    assert send_event_reminders(to_utc(datetime.combine(the_day_before, time(10, 30)))) == 0
    (reminder,) = messages("event_reminder")
    assert reminder.recipient == people["gent_volunteer"].email and tomorrow_event.title in reminder.subject


# ------------------------------------------------------------------------------------ attendance, figures
def test_the_organiser_records_attendance_after_the_start_and_the_figures_count_it(client, people):
    gent, mechelen = people["gent"], people["mechelen"]
    own = event(gent, capacity=5, audience=("volunteer", "counter"))
    central = event(None, capacity=5, audience=("volunteer",))
    services.register(own, people["gent_volunteer"])
    services.register(own, people["gent_counter"])
    services.register(central, people["gent_volunteer"])
    services.register(central, people["mechelen_volunteer"])
    event(mechelen, title="Nog niet gehouden", days=20)
    afgelast = event(mechelen, title="Afgelast")
    services.cancel_event(afgelast, actor=people["mechelen_coordinator"])
    regs = {(r.event_id, r.user_id): r for r in db.session.scalars(select(EventRegistration))}

    client.login(people["gent_coordinator"])
    page = text(client.get(f"/events/{own.id}/registrations?lang=en"))
    assert "once the event has started" in page
    assert people["gent_counter"].name in page
    # The event took place: move it into the past.
    for held in (own, central):
        held.starts_at, held.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
    db.session.commit()
    volunteer_reg = regs[(own.id, people["gent_volunteer"].id)]
    counter_reg = regs[(own.id, people["gent_counter"].id)]
    response = client.submit(
        f"/events/{own.id}/registrations",
        {f"attendance-{volunteer_reg.id}": "attended", f"attendance-{counter_reg.id}": "absent"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert volunteer_reg.attendance == Attendance.ATTENDED and counter_reg.attendance == Attendance.ABSENT
    assert volunteer_reg.attendance_recorded_by_id == people["gent_coordinator"].id
    # Another network's coordinator cannot mark anything.
    client.logout()
    client.login(people["mechelen_coordinator"])
    assert client.get(f"/events/{own.id}/registrations").status_code == 404
    client.logout()
    client.login(people["admin"])
    client.submit(
        f"/events/{central.id}/registrations",
        {f"attendance-{regs[(central.id, people['gent_volunteer'].id)].id}": "attended"},
    )

    period = stats.DateRange(local_today() - timedelta(days=30), local_today())
    ids = [gent.id, mechelen.id]
    found = numbers.of_every_network(period, utcnow(), ids)
    # Gent organised 1 event held; its people took 3 places (2 at its own, 1 at the centre's): 2 attended,
    # 1 absent. Mechelen held none (one is still to come, one was cancelled); 1 place, not recorded.
    assert found[gent.id].events == {"held": 1, "registrations": 3, "attended": 2, "absent": 1}
    assert found[mechelen.id].events == {"held": 0, "registrations": 1, "attended": 0, "absent": 0}
    assert found[numbers.WHOLE].events == {"held": 2, "registrations": 4, "attended": 2, "absent": 1}
    assert numbers.of_network(gent.id, period, utcnow()).events == found[gent.id].events
    page = text(client.get("/reports/network?lang=en"))
    assert "Learning-network events" in page


def test_retention_unlinks_who_registered_and_keeps_the_counts(app, people):
    gent = people["gent"]
    old = event(gent, capacity=5)
    services.register(old, people["gent_volunteer"])
    old.starts_at, old.ends_at = (
        utcnow() - timedelta(days=800),
        utcnow() - timedelta(days=800) + timedelta(hours=2),
    )
    db.session.commit()
    done = apply_retention()
    assert done["event_registrations"] == 1
    registration = db.session.scalar(select(EventRegistration))
    assert registration.user_id is None and registration.network_id == gent.id and registration.unlinked_at
    assert apply_retention()["event_registrations"] == 0


def test_cancelling_an_event_tells_everyone_with_a_place_and_everyone_waiting(client, people):
    full = event(people["gent"], capacity=1, audience=("volunteer", "counter"))
    services.register(full, people["gent_volunteer"])
    services.register(full, people["gent_counter"])
    client.login(people["gent_coordinator"])
    response = client.submit(f"/events/{full.id}/cancel", {}, form_url=f"/events/{full.id}/registrations")
    assert response.status_code == 303
    db.session.expire_all()
    assert full.cancelled_at is not None and full.sequence == 1
    told = messages("event_cancelled")
    assert sorted(m.recipient for m in told) == sorted(
        [people["gent_volunteer"].email, people["gent_counter"].email]
    )
    with_place = next(m for m in told if m.recipient == people["gent_volunteer"].email)
    assert "method=CANCEL" in with_place.attachment_type and "STATUS:CANCELLED" in with_place.attachment
    assert next(m for m in told if m.recipient == people["gent_counter"].email).attachment is None
    waiting = db.session.scalar(
        select(EventRegistration).where(EventRegistration.user_id == people["gent_counter"].id)
    )
    assert waiting.wait_end == "cancelled"
    # A cancelled event takes no registrations, and the people it concerned still see it, marked.
    with pytest.raises(services.DomainError):
        services.register(full, people["gent_coordinator"])
    client.logout()
    client.login(people["gent_volunteer"])
    assert "This event has been cancelled." in text(client.get(f"/events/{full.id}?lang=en"))


def test_the_centre_organises_for_a_network_whose_coordinator_then_manages_it(client, people):
    client.login(people["admin"])
    response = client.submit("/events/new", form(network=str(people["gent"].id), audience=["counter"]))
    assert response.status_code == 303
    created = db.session.scalar(select(NetworkEvent))
    assert created.network_id == people["gent"].id
    client.logout()
    client.login(people["gent_coordinator"])
    assert client.get(f"/events/{created.id}/edit").status_code == 200
    client.logout()
    client.login(people["mechelen_coordinator"])
    assert client.get(f"/events/{created.id}/edit").status_code == 404


def test_a_coordinator_sees_who_of_their_own_network_registered_for_a_central_event(client, people):
    central = event(None, audience=("volunteer",), capacity=10)
    services.register(central, people["gent_volunteer"])
    services.register(central, people["mechelen_volunteer"])
    # Coordinators are not its audience, and do not organise it: they follow who of their own network comes.
    client.login(people["gent_coordinator"])
    assert f'href="/events/{central.id}"' in text(client.get("/events/organise"))
    page = text(client.get(f"/events/{central.id}?lang=en"))
    assert people["gent_volunteer"].name in page and people["mechelen_volunteer"].name not in page
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "list", AuditEntry.object_type == "event_registration")
    )
    assert entry.user_id == people["gent_coordinator"].id and entry.network_id == people["gent"].id
    assert f'action="/events/{central.id}/register"' not in page


def test_the_audit_log_finds_a_digibuddys_registrations(app, people):
    from digibuddy.audit.services import person_records
    from digibuddy.volunteers.models import VolunteerProfile

    central = event(None, capacity=10)
    registration = services.register(central, people["gent_volunteer"])
    profile = db.session.scalar(
        select(VolunteerProfile).where(VolunteerProfile.user_id == people["gent_volunteer"].id)
    )
    assert person_records("volunteer", profile.id)["event_registration"] == {registration.id}


def test_the_network_export_carries_the_event_figure(client, people):
    held = event(people["gent"], capacity=10)
    services.register(held, people["gent_volunteer"])
    held.starts_at, held.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
    db.session.commit()
    client.login(people["admin"])
    today = local_today()
    span = {"from": (today - timedelta(days=7)).isoformat(), "to": today.isoformat()}
    response = client.get("/reports/network/export/events.csv", query_string={**span, "lang": "en"})
    assert response.status_code == 200
    csv = text(response)
    assert "Events held" in csv and "Digibuddy Gent" in csv
