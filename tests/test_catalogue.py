"""The central administrator manages the topic catalogue: names in every language, the DigComp mapping, the
order, retiring and merging. History never breaks, every change is recorded, and `flask refdata load` keeps
what the centre changed."""

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import ChangeRecord
from digibuddy.extensions import db
from digibuddy.reference.loader import load_all
from digibuddy.reference.models import Topic, TopicGroup
from digibuddy.requests.models import HelpRequest, RequestStatus
from digibuddy.volunteers.models import TopicLevel, VolunteerProfile, VolunteerTopic
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user, make_volunteer
from tests.matching_helpers import make_request
from tests.reference_helpers import restored_reference  # noqa: F401
from tests.volunteers_helpers import profile_form

pytestmark = pytest.mark.usefixtures("restored_reference")

NAMES = {
    "nl": "Slimme thermostaat",
    "fr": "Thermostat intelligent",
    "en": "Smart thermostat",
    "ar": "منظم الحرارة الذكي",
    "tr": "Akıllı termostat",
    "uk": "Розумний термостат",
}


def names(prefix="label", **overrides) -> dict:
    values = {**NAMES, **overrides}
    return {f"{prefix}_{locale}": value for locale, value in values.items()}


def topic(code: str) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.code == code))


@pytest.fixture
def admin(client):
    user = make_admin(name="Kim Centraal")
    client.login(user)
    client.get("/admin/catalogue?lang=en")
    return user


def add_topic(client, group: TopicGroup, **extra):
    data = {"group": group.id, **names(), "digcomp": ["5.1", "4.1"], "level": "2", **extra}
    return client.submit(f"/admin/catalogue/groups/{group.id}/topics/new", data)


def test_the_admin_adds_a_topic_in_every_language_and_residents_are_offered_it(client, admin):
    NetworkFactory(postcodes=["9000"])
    response = client.submit("/admin/catalogue/groups/new", names(nl="Slim wonen", en="Smart home"))
    assert response.status_code == 302
    group = db.session.scalar(select(TopicGroup).where(TopicGroup.labels["en"].as_string() == "Smart home"))
    assert group.position == max(g.position for g in db.session.scalars(select(TopicGroup)))

    response = add_topic(client, group, hint_nl="Bijvoorbeeld de verwarming regelen met de gsm.")
    assert response.status_code == 302
    created = db.session.scalar(select(Topic).where(Topic.group_id == group.id))
    assert created.labels == NAMES and created.digcomp == "5.1 4.1" and created.digcomp_level == 2
    assert created.hints == {"nl": "Bijvoorbeeld de verwarming regelen met de gsm."}
    client.logout()
    for locale in ("ar", "uk"):
        page = text(client.get(f"/help?lang={locale}"))
        assert NAMES[locale] in page
    assert "Bijvoorbeeld de verwarming regelen met de gsm." in text(client.get("/help?lang=nl"))


def test_a_name_is_needed_in_every_language_residents_read(client, admin):
    group = db.session.scalar(select(TopicGroup).order_by(TopicGroup.position))
    response = add_topic(client, group, label_ar="", digcomp=[])
    assert response.status_code == 422
    page = text(response)
    assert "This field is required." in page and 'href="#label_ar"' in page
    assert (
        db.session.scalar(select(Topic).where(Topic.labels["en"].as_string() == "Smart thermostat")) is None
    )
    # Nothing typed is lost.
    assert 'value="Розумний термостат"' in page
    response = add_topic(client, group, digcomp=["9.9"])
    assert response.status_code == 422 and "is not a valid choice" in text(response)


def test_changing_a_topic_is_recorded_with_who_when_and_what(client, admin):
    itsme = topic("itsme-install")
    old_name = itsme.labels["en"]
    data = {
        "group": itsme.group_id,
        **names(**{**itsme.labels, "en": "Installing itsme on a smartphone"}),
        "digcomp": ["2.6", "4.2"],
        "level": "3",
    }
    assert client.submit(f"/admin/catalogue/topics/{itsme.id}", data).status_code == 302
    db.session.expire_all()
    assert itsme.labels["en"] == "Installing itsme on a smartphone" and itsme.digcomp_level == 3
    assert itsme.edited_at is not None
    record = db.session.scalar(select(ChangeRecord).where(ChangeRecord.subject_id == itsme.id))
    assert record.user_id == admin.id and record.action == "edited" and record.subject_type == "topic"
    assert set(record.changes) == {"labels", "digcomp_level"}
    page = text(client.get(f"/admin/catalogue/topics/{itsme.id}?lang=en"))
    assert "Kim Centraal" in page and "Changed" in page
    assert "DigComp level: 2 → 3" in page
    assert f"Names: {old_name} → Installing itsme on a smartphone" in page
    history = text(client.get("/admin/catalogue/history?lang=en"))
    assert "Installing itsme on a smartphone" in history and "Kim Centraal" in history


def test_a_retired_topic_leaves_the_forms_and_stays_on_everything_that_has_it(client, admin):
    gent = NetworkFactory(postcodes=["9000"])
    itsme = topic("itsme-install")
    request = make_request(gent, topics=("itsme-install",))
    volunteer = make_volunteer(gent, topics=("itsme-install",))
    response = client.post(
        f"/admin/catalogue/topics/{itsme.id}/retire",
        data={"csrf_token": client.csrf_token("/admin/catalogue")},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert itsme.active is False
    label = itsme.labels["nl"]
    client.logout()
    assert f'value="{itsme.id}"' not in text(client.get("/help?lang=nl"))
    # The request and the digibuddy keep it, also when the digibuddy saves their profile again.
    assert [t.code for t in db.session.get(HelpRequest, request.id).topics] == ["itsme-install"]
    client.login(volunteer.user)
    profile_page = text(client.get("/volunteers/profile?lang=nl"))
    assert f'name="topic_{itsme.id}"' not in profile_page
    assert client.submit("/volunteers/profile", profile_form()).status_code == 302
    db.session.expire_all()
    assert itsme.id in {row.topic_id for row in db.session.get(VolunteerProfile, volunteer.id).topics}
    client.logout()
    coordinator = make_user(Role.COORDINATOR, gent)
    client.login(coordinator)
    assert label in text(client.get(f"/requests/{request.id}?lang=nl"))
    # Offered again, it is back on the form.
    client.logout()
    client.login(admin)
    client.post(
        f"/admin/catalogue/topics/{itsme.id}/restore",
        data={"csrf_token": client.csrf_token("/admin/catalogue")},
    )
    client.logout()
    assert f'value="{itsme.id}"' in text(client.get("/help?lang=nl"))


def test_merging_gives_the_other_topic_to_digibuddies_and_open_requests_and_keeps_history(client, admin):
    gent = NetworkFactory(postcodes=["9000"])
    source, target = topic("eid-itsme-login"), topic("itsme-install")
    open_request = make_request(gent, topics=("eid-itsme-login",))
    done_request = make_request(gent, topics=("eid-itsme-login",), status=RequestStatus.COMPLETED)
    both_request = make_request(gent, topics=("eid-itsme-login", "itsme-install"))
    knows_source = make_volunteer(gent, topics=("eid-itsme-login",))
    db.session.get(VolunteerTopic, (knows_source.id, source.id)).level = TopicLevel.CAN_EXPLAIN
    knows_both = make_volunteer(gent, topics=("eid-itsme-login", "itsme-install"))
    db.session.commit()

    response = client.submit(
        f"/admin/catalogue/topics/{source.id}/merge",
        {"target": target.id},
        form_url=f"/admin/catalogue/topics/{source.id}",
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert source.active is False and source.merged_into_id == target.id
    levels = {
        (row.volunteer_id, row.topic_id): row.level for row in db.session.scalars(select(VolunteerTopic))
    }
    assert levels[(knows_source.id, target.id)] == TopicLevel.CAN_EXPLAIN
    assert levels[(knows_source.id, source.id)] == TopicLevel.CAN_EXPLAIN  # the profile keeps the old topic
    assert levels[(knows_both.id, target.id)] == TopicLevel.EXPERIENCED
    codes = {r.id: sorted(t.code for t in r.topics) for r in db.session.scalars(select(HelpRequest))}
    assert codes[open_request.id] == ["eid-itsme-login", "itsme-install"]
    assert codes[done_request.id] == ["eid-itsme-login"]  # history stays as it was
    assert codes[both_request.id] == ["eid-itsme-login", "itsme-install"]
    record = db.session.scalar(select(ChangeRecord).where(ChangeRecord.action == "merged"))
    assert record.changes["given_target"] == [None, {"volunteers": 1, "requests": 1, "dropins": 0}]
    # A merged topic cannot be offered again, nor merged a second time.
    response = client.post(
        f"/admin/catalogue/topics/{source.id}/restore",
        data={"csrf_token": client.csrf_token("/admin/catalogue")},
    )
    db.session.expire_all()
    assert source.active is False
    page = text(client.get(f"/admin/catalogue/topics/{source.id}?lang=en"))
    assert (
        "This topic was merged into" in page
        and f'action="/admin/catalogue/topics/{source.id}/merge"' not in page
    )


def test_merging_into_the_same_or_a_retired_topic_is_refused(client, admin):
    source, retired = topic("eid-itsme-login"), topic("eid-pin-puk")
    retired.active = False
    db.session.commit()
    for target in (0, source.id):
        response = client.submit(
            f"/admin/catalogue/topics/{source.id}/merge",
            {"target": target},
            form_url=f"/admin/catalogue/topics/{source.id}",
        )
        assert response.status_code == 422
    assert f'value="{retired.id}"' not in text(client.get(f"/admin/catalogue/topics/{source.id}"))
    db.session.expire_all()
    assert source.active is True and source.merged_into_id is None


def test_reordering_swaps_neighbours_and_is_recorded(client, admin):
    first, second = db.session.scalars(
        select(TopicGroup).order_by(TopicGroup.position, TopicGroup.id).limit(2)
    ).all()
    token = client.csrf_token("/admin/catalogue")
    assert (
        client.post(
            f"/admin/catalogue/groups/{first.id}/move", data={"csrf_token": token, "direction": "down"}
        ).status_code
        == 303
    )
    db.session.expire_all()
    ordered = db.session.scalars(select(TopicGroup).order_by(TopicGroup.position, TopicGroup.id)).all()
    assert ordered[:2] == [second, first]
    assert {
        r.subject_id for r in db.session.scalars(select(ChangeRecord).where(ChangeRecord.action == "moved"))
    } == {first.id, second.id}
    # The top group cannot go further up; an unknown direction is a bad request.
    assert (
        client.post(
            f"/admin/catalogue/groups/{second.id}/move", data={"csrf_token": token, "direction": "up"}
        ).status_code
        == 303
    )
    assert (
        db.session.scalars(select(TopicGroup).order_by(TopicGroup.position, TopicGroup.id)).first() == second
    )
    assert (
        client.post(
            f"/admin/catalogue/groups/{second.id}/move", data={"csrf_token": token, "direction": "sideways"}
        ).status_code
        == 400
    )


def test_refdata_load_keeps_the_edits_of_the_centre(client, admin):
    itsme, pin = topic("itsme-install"), topic("eid-pin-puk")
    data = {
        "group": itsme.group_id,
        **names(**{**itsme.labels, "nl": "itsme op je gsm zetten"}),
        "digcomp": ["2.6"],
        "level": "2",
    }
    client.submit(f"/admin/catalogue/topics/{itsme.id}", data)
    client.post(
        f"/admin/catalogue/topics/{pin.id}/retire", data={"csrf_token": client.csrf_token("/admin/catalogue")}
    )
    untouched = topic("gov-tax-on-web")
    seeded_name = untouched.labels["nl"]
    untouched.labels = {
        **untouched.labels,
        "nl": "iets anders",
    }  # drifted from the seed, not edited centrally
    db.session.commit()
    load_all()
    db.session.expire_all()
    assert itsme.labels["nl"] == "itsme op je gsm zetten" and itsme.digcomp == "2.6"
    assert pin.active is False
    assert untouched.labels["nl"] == seeded_name


def test_only_the_central_administrator_manages_the_catalogue(client, app):
    gent = NetworkFactory(postcodes=["9000"])
    client.login(make_user(Role.COORDINATOR, gent))
    assert client.get("/admin/catalogue").status_code == 403
    assert client.get(f"/admin/catalogue/topics/{topic('itsme-install').id}").status_code == 403
    client.logout()
    client.login(make_admin())
    for url in (
        "/admin/catalogue/topics/abc",
        "/admin/catalogue/topics/99999999999",
        "/admin/catalogue/groups/0",
    ):
        assert client.get(url).status_code == 404, url
