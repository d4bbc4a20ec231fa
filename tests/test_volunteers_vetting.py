"""The coordinator's list of volunteers and the vetting page: the checklist, the whole status machine,
the activation e-mail, and scoping to the coordinator's own network."""

from datetime import date, time, timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from digibuddy.accounts.models import Membership, Role
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.volunteers.models import (
    LanguageLevel,
    VettingCheck,
    VettingItem,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
)
from tests.conftest import text
from tests.factories import NetworkFactory, make_user, make_volunteer
from tests.volunteers_helpers import tick_all


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000", "9050"])


@pytest.fixture
def mechelen(app):
    return NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])


@pytest.fixture
def coordinator(client, gent):
    user = make_user(Role.COORDINATOR, gent, name="Lotte Peeters")
    client.login(user)
    client.get("/home?lang=en")
    return user


def applicant(network, **kwargs):
    """An applicant whose profile names a language, a topic and a free moment (only the vetting is left)."""
    kwargs.setdefault("status", VolunteerStatus.APPLIED)
    kwargs.setdefault("topics", ("itsme-install",))
    return make_volunteer(network, vetted=False, **kwargs)


def fresh(volunteer) -> VolunteerProfile:
    db.session.expire_all()
    return db.session.get(VolunteerProfile, volunteer.id)


def tick(client, volunteer, item, **data):
    return client.submit(
        f"/volunteers/manage/{volunteer.id}/checklist/{item}",
        {f"{item}-{key}": value for key, value in data.items()},
        form_url=f"/volunteers/manage/{volunteer.id}",
    )


def set_status(client, volunteer, status, **data):
    return client.submit(
        f"/volunteers/manage/{volunteer.id}/status",
        {"status": status, **data},
        form_url=f"/volunteers/manage/{volunteer.id}",
    )


def vet_completely(client, volunteer, issued=None):
    for item in ("identity", "charter", "training"):
        assert tick(client, volunteer, item).status_code == 302
    issued = issued or date.today() - timedelta(days=20)
    assert tick(client, volunteer, "criminal_record", document_date=issued.isoformat()).status_code == 302


# --------------------------------------------------------------------------------------------- the list
def test_list_shows_only_the_coordinators_network_with_counts(client, coordinator, gent, mechelen):
    mine = [
        applicant(gent),
        applicant(gent),
        make_volunteer(gent, status=VolunteerStatus.ACTIVE, topics=("itsme-install",)),
    ]
    theirs = make_volunteer(mechelen, postcode="2800")
    page = text(client.get("/volunteers/manage"))
    for volunteer in mine:
        assert volunteer.user.name in page
    assert theirs.user.name not in page
    assert "3 digibuddies" in page
    assert '<span class="figure">2</span> Applied' in page and '<span class="figure">1</span> Active' in page


def test_filters_on_status_language_topic_channel_and_distance(client, coordinator, gent):
    arabic = make_volunteer(
        gent,
        languages=(("ar", LanguageLevel.NATIVE),),
        topics=("itsme-install",),
        offers_home_visits=True,
        postcode="9050",
    )
    dutch = make_volunteer(gent, status=VolunteerStatus.PAUSED, offers_phone=True, postcode="9000")
    far = make_volunteer(gent, postcode="8000")  # Brugge, about 45 km from Gent

    def names(query):
        page = text(client.get(f"/volunteers/manage?{query}"))
        return {v.user.name for v in (arabic, dutch, far) if v.user.name in page}

    assert names("status=paused") == {dutch.user.name}
    assert names("language=ar") == {arabic.user.name}
    assert names("topic=itsme-install") == {arabic.user.name}
    assert names("channel=home") == {arabic.user.name}
    assert names("channel=phone") == {dutch.user.name}
    assert names("postcode=9000&km=10") == {arabic.user.name, dutch.user.name}
    assert names("postcode=9000&km=60") == {arabic.user.name, dutch.user.name, far.user.name}
    page = text(client.get("/volunteers/manage?postcode=9000&km=60"))
    assert (
        page.index(dutch.user.name) < page.index(arabic.user.name) < page.index(far.user.name)
    )  # nearest first
    # The counts follow the other filters, not the status filter.
    page = text(client.get("/volunteers/manage?language=ar&status=paused"))
    assert "0 digibuddies" in page and '<span class="figure">1</span> Active' in page


@pytest.mark.parametrize(
    "query",
    [
        "status=gone",
        "language=<script>",
        "topic=x'--",
        "channel=teleport",
        "postcode=abcd",
        "postcode=0001",
        "km=-5",
        "km=99999999999999999999999999",
        "km=abc",
        "page=abc",
        "page=-1",
        "page=99999",
        "postcode=9000&km=0",
        "_external=1&_scheme=javascript",
        "status=" + "x" * 5000,
    ],
)
def test_strange_filters_never_give_a_server_error(client, coordinator, gent, query):
    applicant(gent)
    response = client.get(f"/volunteers/manage?{query}")
    assert response.status_code == 200
    assert "javascript:" not in text(response)


@pytest.mark.parametrize("name", ["language", "topic", "postcode", "km"])
def test_a_nul_character_in_a_filter_is_a_bad_request(client, coordinator, gent, name):
    response = client.get(f"/volunteers/manage?{name}=%00&lang=en")
    assert response.status_code == 400 and "Something went wrong with your request" in text(response)


# --------------------------------------------------------------------------------------------- scoping
def test_another_networks_volunteer_is_404_everywhere(client, coordinator, gent, mechelen):
    theirs = applicant(mechelen, postcode="2800")
    own = applicant(gent)
    assert client.get(f"/volunteers/manage/{own.id}").status_code == 200
    assert client.get(f"/volunteers/manage/{theirs.id}").status_code == 404
    token = client.csrf_token(f"/volunteers/manage/{own.id}")
    for url, data in (
        (f"/volunteers/manage/{theirs.id}/checklist/identity", {}),
        (f"/volunteers/manage/{theirs.id}/checklist/identity/undo", {}),
        (f"/volunteers/manage/{theirs.id}/status", {"status": "vetting"}),
    ):
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 404
    theirs = fresh(theirs)
    assert theirs.status == VolunteerStatus.APPLIED and theirs.vetting_checks == []


def test_a_volunteer_in_two_networks_is_seen_by_both_coordinators(
    client, make_client, coordinator, gent, mechelen
):
    shared = applicant(gent)
    db.session.add(Membership(user_id=shared.user_id, network_id=mechelen.id, role=Role.VOLUNTEER))
    db.session.commit()
    other = make_client()
    other.login(make_user(Role.COORDINATOR, mechelen))
    assert other.get(f"/volunteers/manage/{shared.id}").status_code == 200
    assert shared.user.name in text(other.get("/volunteers/manage"))


@pytest.mark.parametrize(
    "url",
    [
        "/volunteers/manage/abc",
        "/volunteers/manage/999999",
        "/volunteers/manage/1.5",
        "/volunteers/manage/-1",
        "/volunteers/manage/%00",
        "/volunteers/manage/" + "9" * 400,
    ],
)
def test_edited_volunteer_urls_give_404(client, coordinator, url):
    assert client.get(url).status_code == 404


def test_unknown_checklist_item_is_404(client, coordinator, gent):
    volunteer = applicant(gent)
    token = client.csrf_token(f"/volunteers/manage/{volunteer.id}")
    assert (
        client.post(
            f"/volunteers/manage/{volunteer.id}/checklist/astrology", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_volunteers_and_counter_staff_cannot_reach_the_coordinator_pages(client, make_client, gent):
    volunteer = applicant(gent)
    client.login(volunteer.user)
    assert client.get("/volunteers/manage").status_code == 403
    assert client.get(f"/volunteers/manage/{volunteer.id}").status_code == 403
    counter = make_client()
    counter.login(make_user(Role.COUNTER, gent))
    assert counter.get("/volunteers/manage").status_code == 403


# --------------------------------------------------------------------------------------------- checklist
def test_each_tick_records_who_and_when(client, coordinator, gent):
    volunteer = applicant(gent)
    response = tick(client, volunteer, "identity", note="eID gezien")
    assert response.status_code == 302
    check = db.session.get(VettingCheck, (volunteer.id, VettingItem.IDENTITY))
    assert (
        check.checked_by_id == coordinator.id and check.checked_at is not None and check.note == "eID gezien"
    )
    page = text(client.get(f"/volunteers/manage/{volunteer.id}"))
    assert "Ticked by Lotte Peeters on" in page


def test_nul_characters_in_notes_and_reasons_are_dropped(client, coordinator, gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE, topics=("itsme-install",))
    assert tick(client, volunteer, "identity", note="eID\x00 gezien").status_code == 302
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.IDENTITY)).note == "eID gezien"
    assert set_status(client, volunteer, "suspended", reason="\x00").status_code == 422
    assert set_status(client, volunteer, "suspended", reason="Kla\x00cht").status_code == 302
    assert fresh(volunteer).status_reason == "Klacht"


def test_the_extract_needs_its_date_of_issue(client, coordinator, gent):
    volunteer = applicant(gent)
    response = tick(client, volunteer, "criminal_record")
    assert response.status_code == 422
    assert "Fill in the date of issue of the extract." in text(response)
    assert 'href="#criminal_record-document_date"' in text(response)
    issued = date.today() - timedelta(days=10)
    assert tick(client, volunteer, "criminal_record", document_date=issued.isoformat()).status_code == 302
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.CRIMINAL_RECORD)).document_date == issued


@pytest.mark.parametrize(
    "value, message",
    [
        ((date.today() + timedelta(days=1)).isoformat(), "The date of issue cannot be in the future."),
        ((date.today() - timedelta(days=400)).isoformat(), "This extract is older than 12 months."),
        ("2025-02-30", "Write a date as day, month and year"),
        ("gisteren", "Write a date as day, month and year"),
        ("9" * 5000, "Write a date as day, month and year"),
    ],
)
def test_a_wrong_extract_date_is_refused(client, coordinator, gent, value, message):
    volunteer = applicant(gent)
    response = tick(client, volunteer, "criminal_record", document_date=value)
    assert response.status_code == 422 and message in text(response)
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.CRIMINAL_RECORD)) is None


def test_the_networks_setting_sets_the_maximum_age_of_the_extract(client, coordinator, gent):
    gent.extract_max_age_months = 3
    db.session.commit()
    volunteer = applicant(gent)
    response = tick(
        client, volunteer, "criminal_record", document_date=(date.today() - timedelta(days=120)).isoformat()
    )
    assert response.status_code == 422 and "older than 3 months" in text(response)


def test_a_tick_can_be_taken_back_while_vetting_but_not_once_active(client, coordinator, gent):
    volunteer = applicant(gent)
    tick(client, volunteer, "identity")
    client.submit(
        f"/volunteers/manage/{volunteer.id}/checklist/identity/undo",
        {},
        form_url=f"/volunteers/manage/{volunteer.id}",
    )
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.IDENTITY)) is None

    active = make_volunteer(gent, status=VolunteerStatus.ACTIVE, topics=("itsme-install",))
    client.submit(
        f"/volunteers/manage/{active.id}/checklist/identity/undo",
        {},
        form_url=f"/volunteers/manage/{active.id}",
    )
    assert db.session.get(VettingCheck, (active.id, VettingItem.IDENTITY)) is not None


def test_a_coordinator_who_is_also_a_volunteer_cannot_vet_themselves(client, gent):
    volunteer = applicant(gent)
    db.session.add(Membership(user_id=volunteer.user_id, network_id=gent.id, role=Role.COORDINATOR))
    db.session.commit()
    client.login(volunteer.user)
    page = text(client.get(f"/volunteers/manage/{volunteer.id}?lang=en"))
    assert "another coordinator vets you" in page
    token = client.csrf_token(f"/volunteers/manage/{volunteer.id}")
    client.post(f"/volunteers/manage/{volunteer.id}/checklist/identity", data={"csrf_token": token})
    client.post(f"/volunteers/manage/{volunteer.id}/status", data={"csrf_token": token, "status": "vetting"})
    volunteer = fresh(volunteer)
    assert volunteer.vetting_checks == [] and volunteer.status == VolunteerStatus.APPLIED


# --------------------------------------------------------------------------------------------- status machine
def test_from_application_to_active_with_the_welcome_email_in_the_volunteers_language(
    client, coordinator, gent
):
    volunteer = applicant(gent)
    volunteer.user.locale = "fr"
    db.session.commit()
    assert set_status(client, volunteer, "vetting").status_code == 302
    assert fresh(volunteer).status == VolunteerStatus.VETTING
    vet_completely(client, volunteer)
    assert "The checklist is complete" in text(client.get(f"/volunteers/manage/{volunteer.id}"))
    response = set_status(client, volunteer, "active")
    assert response.status_code == 302
    volunteer = fresh(volunteer)
    assert volunteer.status == VolunteerStatus.ACTIVE
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "volunteer_active"))
    assert message.recipient == volunteer.user.email and message.locale == "fr"
    with force_locale("fr"):
        assert message.subject == _("Welcome: you are now an active digibuddy")
    assert "/home" in message.body


@pytest.mark.parametrize("missing", ["identity", "criminal_record", "charter", "training"])
def test_active_is_refused_while_a_checklist_item_is_open(client, coordinator, gent, missing):
    volunteer = applicant(gent, status=VolunteerStatus.VETTING)
    for item in ("identity", "charter", "training"):
        if item != missing:
            tick(client, volunteer, item)
    if missing != "criminal_record":
        tick(
            client, volunteer, "criminal_record", document_date=(date.today() - timedelta(days=5)).isoformat()
        )
    response = set_status(client, volunteer, "active")
    page = text(response)
    assert response.status_code == 422
    assert "This digibuddy cannot be active yet" in page and 'href="#status"' in page
    assert fresh(volunteer).status == VolunteerStatus.VETTING
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "volunteer_active")) is None


def test_active_is_refused_when_the_extract_is_too_old_for_the_network(client, coordinator, gent):
    volunteer = applicant(gent, status=VolunteerStatus.VETTING)
    vet_completely(client, volunteer, issued=date.today() - timedelta(days=200))
    gent.extract_max_age_months = 6  # the network tightened its rule after the extract was seen
    db.session.commit()
    response = set_status(client, volunteer, "active")
    assert response.status_code == 422
    assert "the extract from the criminal record is too old" in text(response)
    assert fresh(volunteer).status == VolunteerStatus.VETTING


def test_active_paused_and_back(client, coordinator, gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE, topics=("itsme-install",))
    until = date.today() + timedelta(days=14)
    assert set_status(client, volunteer, "paused", paused_until=until.isoformat()).status_code == 302
    assert (fresh(volunteer).status, fresh(volunteer).paused_until) == (VolunteerStatus.PAUSED, until)
    assert set_status(client, volunteer, "active").status_code == 302
    assert (fresh(volunteer).status, fresh(volunteer).paused_until) == (VolunteerStatus.ACTIVE, None)


def test_suspension_needs_a_reason_and_can_be_lifted(client, coordinator, gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE, topics=("itsme-install",))
    response = set_status(client, volunteer, "suspended")
    assert response.status_code == 422 and "Give a reason for the suspension." in text(response)
    assert 'href="#reason"' in text(response)
    assert fresh(volunteer).status == VolunteerStatus.ACTIVE
    assert set_status(client, volunteer, "suspended", reason="Klacht van een bewoner").status_code == 302
    volunteer = fresh(volunteer)
    assert (
        volunteer.status == VolunteerStatus.SUSPENDED and volunteer.status_reason == "Klacht van een bewoner"
    )
    assert "Klacht van een bewoner" in text(client.get(f"/volunteers/manage/{volunteer.id}"))
    assert set_status(client, volunteer, "active").status_code == 302
    volunteer = fresh(volunteer)
    assert volunteer.status == VolunteerStatus.ACTIVE and volunteer.status_reason is None


def test_leaving_and_coming_back_through_vetting(client, coordinator, gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.PAUSED)
    assert set_status(client, volunteer, "left", reason="Verhuisd").status_code == 302
    assert fresh(volunteer).status == VolunteerStatus.LEFT
    assert set_status(client, volunteer, "active").status_code == 422
    assert set_status(client, volunteer, "vetting").status_code == 302
    assert fresh(volunteer).status == VolunteerStatus.VETTING


@pytest.mark.parametrize(
    "current, target",
    [
        (VolunteerStatus.APPLIED, "active"),
        (VolunteerStatus.APPLIED, "paused"),
        (VolunteerStatus.APPLIED, "suspended"),
        (VolunteerStatus.VETTING, "paused"),
        (VolunteerStatus.VETTING, "applied"),
        (VolunteerStatus.ACTIVE, "vetting"),
        (VolunteerStatus.SUSPENDED, "paused"),
        (VolunteerStatus.LEFT, "paused"),
        (VolunteerStatus.ACTIVE, "active"),
    ],
)
def test_transitions_outside_the_life_cycle_are_refused(client, coordinator, gent, current, target):
    volunteer = make_volunteer(gent, status=current)
    tick_all(volunteer)
    response = set_status(client, volunteer, target, reason="test")
    assert response.status_code == 422
    assert fresh(volunteer).status == current


@pytest.mark.parametrize(
    "data",
    [
        {"status": "superhero"},
        {"status": ""},
        {"status": "x" * 10_000},
        {"status": "paused", "reason": "r" * 501},
        {"status": "paused", "paused_until": "morgen"},
        {"status": "paused", "paused_until": "1999-01-01"},
    ],
)
def test_strange_status_input_is_a_field_error(client, coordinator, gent, data):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE, topics=("itsme-install",))
    response = client.submit(
        f"/volunteers/manage/{volunteer.id}/status", data, form_url=f"/volunteers/manage/{volunteer.id}"
    )
    assert response.status_code == 422
    assert fresh(volunteer).status == VolunteerStatus.ACTIVE


def test_the_status_form_offers_only_allowed_targets(client, coordinator, gent):
    volunteer = applicant(gent)
    page = text(client.get(f"/volunteers/manage/{volunteer.id}"))
    form = page.split('<select id="status"')[-1].split("</select>")[0]
    assert 'value="vetting"' in form and 'value="left"' in form and 'value="active"' not in form


def test_a_profile_without_a_language_a_topic_or_free_time_cannot_be_made_active(client, coordinator, gent):
    from digibuddy.volunteers.models import AvailabilitySlot, VolunteerTopic
    from tests.matching_helpers import topic

    volunteer = applicant(gent, status=VolunteerStatus.VETTING, languages=(), topics=())
    db.session.query(AvailabilitySlot).filter_by(volunteer_id=volunteer.id).delete()
    db.session.commit()
    vet_completely(client, volunteer)
    page = text(client.get(f"/volunteers/manage/{volunteer.id}?lang=en"))
    assert "the profile names no language yet" in page
    assert (
        "the profile names nothing to help with yet" in page and "the profile names no free time yet" in page
    )
    response = set_status(client, volunteer, "active")
    assert response.status_code == 422 and "cannot be active yet" in text(response)
    assert fresh(volunteer).status == VolunteerStatus.VETTING
    volunteer = fresh(volunteer)
    volunteer.languages.append(VolunteerLanguage(language_code="nl", level=LanguageLevel.NATIVE))
    db.session.add(
        VolunteerTopic(volunteer_id=volunteer.id, topic_id=topic("itsme-install").id, level="experienced")
    )
    db.session.add(AvailabilitySlot(volunteer_id=volunteer.id, weekday=2, starts=time(14), ends=time(17)))
    db.session.commit()
    assert "The checklist is complete" in text(client.get(f"/volunteers/manage/{volunteer.id}?lang=en"))
    assert set_status(client, volunteer, "active").status_code == 302
    assert fresh(volunteer).status == VolunteerStatus.ACTIVE


def test_a_coordinator_raises_capacity_and_radius_and_the_volunteer_is_told(client, coordinator, gent):
    from digibuddy.audit.models import AuditEntry

    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE, max_concurrent=2, travel_radius_km=5)
    volunteer.user.locale = "en"
    db.session.commit()
    url = f"/volunteers/manage/{volunteer.id}"
    response = client.submit(f"{url}/limits", {"max_concurrent": "4", "travel_radius_km": "15"}, form_url=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{url}#limits")
    db.session.refresh(volunteer)
    assert (volunteer.max_concurrent, volunteer.travel_radius_km) == (4, 15)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "volunteer_limits_changed"))
    assert message.recipient == volunteer.user.email
    assert "Residents at the same time: 4" in message.body and "15 km" in message.body
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "limits"))
    assert entry.user_id == coordinator.id and entry.detail == "2 -> 4 residents, 5 -> 15 km"
    # The same values again change nothing and tell nobody.
    client.submit(f"{url}/limits", {"max_concurrent": "4", "travel_radius_km": "15"}, form_url=url)
    assert (
        len(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "volunteer_limits_changed")
            ).all()
        )
        == 1
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"max_concurrent": "0", "travel_radius_km": "10"}, "Choose a number between 1 and 20."),
        ({"max_concurrent": "3", "travel_radius_km": "500"}, "Choose a distance between 0 and 100 km."),
        ({"max_concurrent": "veel", "travel_radius_km": "10"}, ""),
        ({"travel_radius_km": "10"}, "Fill in a number."),
    ],
)
def test_wrong_limits_are_a_field_error_and_nothing_changes(client, coordinator, gent, data, message):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE, max_concurrent=2, travel_radius_km=5)
    url = f"/volunteers/manage/{volunteer.id}"
    response = client.submit(f"{url}/limits?lang=en", data, form_url=f"{url}?lang=en")
    assert response.status_code == 422 and message in text(response)
    db.session.refresh(volunteer)
    assert (volunteer.max_concurrent, volunteer.travel_radius_km) == (2, 5)
