"""A volunteer keeps their own profile: every change is checked, mistakes are shown on their field and the
input is kept; pausing and coming back."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.volunteers.models import LanguageLevel, TopicLevel, VolunteerProfile, VolunteerStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user, make_volunteer
from tests.volunteers_helpers import profile_form, some_topic_codes, tick_all, topic_id


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000", "9050"])


@pytest.fixture
def volunteer(gent):
    return make_volunteer(gent, status=VolunteerStatus.APPLIED, vetted=False)


@pytest.fixture
def logged_in(client, volunteer):
    client.login(volunteer.user)
    client.get("/volunteers/profile?lang=en")
    return client


def save(client, **overrides):
    return client.submit("/volunteers/profile", profile_form(**overrides))


def fresh(volunteer) -> VolunteerProfile:
    db.session.expire_all()
    return db.session.get(VolunteerProfile, volunteer.id)


def test_a_volunteer_saves_a_complete_profile(logged_in, volunteer):
    response = save(logged_in)
    assert response.status_code == 302
    profile = fresh(volunteer)
    assert profile.user.name == "Fatima El Amrani" and profile.user.phone == "+32470112233"
    assert (
        profile.home_postcode_code == "9000"
        and profile.travel_radius_km == 12
        and profile.max_concurrent == 3
    )
    assert (
        profile.offers_location,
        profile.offers_phone,
        profile.offers_home_visits,
        profile.offers_video,
    ) == (True, True, False, False)
    assert {(row.language_code, row.level) for row in profile.languages} == {
        ("nl", LanguageLevel.FLUENT),
        ("ar", LanguageLevel.NATIVE),
    }
    first, second = some_topic_codes(2)
    assert {(row.topic.code, row.level) for row in profile.topics} == {
        (first, TopicLevel.EXPERIENCED),
        (second, TopicLevel.CAN_EXPLAIN),
    }
    assert [(s.weekday, s.starts, s.ends) for s in profile.availability] == [
        (1, time(9), time(12)),
        (3, time(13, 30), time(17)),
    ]

    page = text(logged_in.get("/volunteers/profile"))
    assert "Your profile is saved." in page
    assert '<option selected value="ar">' in page or 'value="ar" selected' in page.replace(
        'selected value="ar"', 'value="ar" selected'
    )
    assert 'value="13:30"' in page and 'value="12"' in page


def test_languages_and_topics_can_be_changed_and_removed(logged_in, volunteer):
    save(logged_in)
    first, second = some_topic_codes(2)
    response = save(
        logged_in,
        language_0="nl",
        language_level_0="native",
        language_1="",
        language_level_1="",
        language_2="uk",
        language_level_2="basic",
        **{f"topic_{topic_id(first)}": "can_explain", f"topic_{topic_id(second)}": ""},
        slot_1_weekday="",
        slot_1_starts="",
        slot_1_ends="",
    )
    assert response.status_code == 302
    profile = fresh(volunteer)
    assert {(row.language_code, row.level) for row in profile.languages} == {
        ("nl", LanguageLevel.NATIVE),
        ("uk", LanguageLevel.BASIC),
    }
    assert [(row.topic.code, row.level) for row in profile.topics] == [(first, TopicLevel.CAN_EXPLAIN)]
    assert len(profile.availability) == 1


def test_empty_rows_are_ignored(logged_in, volunteer):
    assert (
        save(
            logged_in, slot_4_weekday="", slot_4_starts="", slot_4_ends="", language_5="", language_level_5=""
        ).status_code
        == 302
    )
    assert len(fresh(volunteer).availability) == 2


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"slot_0_starts": "12:00", "slot_0_ends": "09:00"},
            "slot_0_ends",
            "The end time must be after the start time.",
        ),
        (
            {"slot_0_starts": "09:00", "slot_0_ends": "09:00"},
            "slot_0_ends",
            "The end time must be after the start time.",
        ),
        ({"slot_0_weekday": "9"}, "slot_0_weekday", "Choose a day from the list."),
        ({"slot_0_weekday": "dinsdag"}, "slot_0_weekday", "Choose a day from the list."),
        ({"slot_0_starts": "25:00"}, "slot_0_starts", "Write a time as hours and minutes"),
        ({"slot_0_ends": "12:75"}, "slot_0_ends", "Write a time as hours and minutes"),
        ({"slot_0_ends": ""}, "slot_0_ends", "Fill in the day, the start and the end"),
        ({"slot_2_weekday": "5"}, "slot_2_starts", "Fill in the day, the start and the end"),
        (
            {"slot_1_weekday": "1", "slot_1_starts": "11:00", "slot_1_ends": "13:00"},
            "slot_1_starts",
            "This time overlaps another row on the same day.",
        ),
        ({"travel_radius_km": "-5"}, "travel_radius_km", "Choose a distance between 0 and 100 km."),
        ({"travel_radius_km": "1000"}, "travel_radius_km", "Choose a distance between 0 and 100 km."),
        ({"travel_radius_km": "ver"}, "travel_radius_km", ""),
        ({"travel_radius_km": ""}, "travel_radius_km", "Fill in a number of kilometres."),
        ({"travel_radius_km": "9" * 400}, "travel_radius_km", "Choose a distance between 0 and 100 km."),
        ({"max_concurrent": "0"}, "max_concurrent", "Choose a number between 1 and 20."),
        ({"max_concurrent": "21"}, "max_concurrent", "Choose a number between 1 and 20."),
        ({"language_1": "xx"}, "language_1", "We do not know this language."),
        ({"language_1": "klingon" * 1000}, "language_1", "We do not know this language."),
        ({"language_level_1": "perfect"}, "language_level_1", "Choose a level from the list."),
        ({"language_level_1": ""}, "language_level_1", "Choose how well you speak this language."),
        (
            {"language_2": "", "language_level_2": "basic"},
            "language_2",
            "Choose a language, or leave the level empty.",
        ),
        ({"language_1": "nl"}, "language_1", "You chose this language twice (also in row 1)."),
        (
            {"language_0": "", "language_level_0": "", "language_1": "", "language_level_1": ""},
            "language_0",
            "Choose at least one language you speak.",
        ),
        ({"channels": None}, "channels", "Choose at least one way to help."),
        ({"channels": ["teleport"]}, "channels", ""),
        ({"home_postcode": "1"}, "home_postcode", "A Belgian postcode has 4 digits"),
        ({"home_postcode": "0001"}, "home_postcode", "We do not know the postcode 0001"),
        ({"name": "x" * 100_000}, "name", ""),
        ({"phone": "+32 (0)470 ..."}, "phone", "This is not a phone number we can call"),
        ({"name": "\x00"}, "name", "Fill in your name."),
        ({"language_1": "\x00"}, "language_1", "Choose a language, or leave the level empty."),
    ],
)
def test_every_profile_mistake_is_a_field_error_and_nothing_is_saved(
    logged_in, volunteer, overrides, field, message
):
    before = {(row.language_code, row.level) for row in volunteer.languages}
    response = save(logged_in, **overrides)
    page = text(response)
    assert response.status_code == 422
    assert message in page
    # The summary links to the field, or to the first choice of a group (the GOV.UK pattern).
    assert (f'href="#{field}"' in page or f'href="#{field}-0"' in page) and f'id="{field}-error"' in page
    assert 'value="Fatima El Amrani"' in page or field == "name"  # the input is kept
    profile = fresh(volunteer)
    assert {(row.language_code, row.level) for row in profile.languages} == before
    assert profile.user.name != "Fatima El Amrani"


def test_a_topic_level_that_is_not_offered_is_a_field_error(logged_in, volunteer):
    first = some_topic_codes(1)[0]
    response = save(logged_in, **{f"topic_{topic_id(first)}": "guru"})
    assert response.status_code == 422
    assert f'href="#topic_{topic_id(first)}"' in text(response)


def test_a_topic_that_does_not_exist_is_ignored(logged_in, volunteer):
    assert save(logged_in, topic_999999="experienced", **{"topic_abc": "experienced"}).status_code == 302
    assert 999999 not in {row.topic_id for row in fresh(volunteer).topics}


def test_language_choice_shows_names_in_the_page_language_most_common_first(logged_in):
    page = text(logged_in.get("/volunteers/profile?lang=en"))
    select_html = page.split('id="language_0"')[1].split("</select>")[0]
    options = [chunk.split(">")[1].split("<")[0] for chunk in select_html.split("<option")[1:]]
    assert options[:4] == ["—", "Dutch — Nederlands", "French — français", "English"]
    assert "Arabic — العربية" in options
    rest = options[40:]
    assert rest == sorted(rest, key=str.lower)
    page = text(logged_in.get("/volunteers/profile?lang=fr"))
    assert "néerlandais — Nederlands" in page


def test_topics_are_grouped_by_the_catalogue(logged_in):
    from digibuddy.reference.models import TopicGroup

    page = text(logged_in.get("/volunteers/profile?lang=en"))
    for group in db.session.scalars(select(TopicGroup)):
        assert f"<summary>{group.label('en')}" in page


def test_profile_pages_need_a_volunteer(client, gent):
    assert client.get("/volunteers/profile").status_code == 302  # to the log-in page
    client.login(make_user(Role.COORDINATOR, gent))
    assert client.get("/volunteers/profile").status_code == 403
    assert client.get("/volunteers/training").status_code == 403


# --------------------------------------------------------------------------------------------- pausing
@pytest.fixture
def active(client, gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE, topics=("itsme-install",))
    client.login(volunteer.user)
    client.get("/volunteers/profile?lang=en")
    return volunteer


def test_an_active_volunteer_takes_a_break_with_a_return_date_and_comes_back(client, active):
    until = date.today() + timedelta(days=30)
    response = client.submit(
        "/volunteers/profile/pause", {"paused_until": until.isoformat()}, form_url="/volunteers/profile"
    )
    assert response.status_code == 302
    profile = fresh(active)
    assert profile.status == VolunteerStatus.PAUSED and profile.paused_until == until
    assert "You are on a break until" in text(client.get("/volunteers/profile"))

    response = client.submit("/volunteers/profile/resume", {}, form_url="/volunteers/profile")
    assert response.status_code == 302
    profile = fresh(active)
    assert profile.status == VolunteerStatus.ACTIVE and profile.paused_until is None


def test_a_break_without_a_date_is_fine(client, active):
    client.submit("/volunteers/profile/pause", {"paused_until": ""}, form_url="/volunteers/profile")
    profile = fresh(active)
    assert profile.status == VolunteerStatus.PAUSED and profile.paused_until is None


@pytest.mark.parametrize(
    "value, message",
    [
        ((date.today() - timedelta(days=1)).isoformat(), "Choose a date after today."),
        (date.today().isoformat(), "Choose a date after today."),
        ((date.today() + timedelta(days=1000)).isoformat(), "Choose a date within two years."),
        ("31/02/2026", "Write a date as day, month and year"),
        ("x" * 10_000, "Write a date as day, month and year"),
    ],
)
def test_a_wrong_return_date_is_a_field_error(client, active, value, message):
    response = client.submit(
        "/volunteers/profile/pause", {"paused_until": value}, form_url="/volunteers/profile"
    )
    page = text(response)
    assert response.status_code == 422 and message in page and 'href="#paused_until"' in page
    assert fresh(active).status == VolunteerStatus.ACTIVE


def test_coming_back_is_refused_when_the_extract_became_too_old(client, active):
    client.submit("/volunteers/profile/pause", {}, form_url="/volunteers/profile")
    tick_all(active, document_date=date.today() - timedelta(days=400))
    client.submit("/volunteers/profile/resume", {}, form_url="/volunteers/profile")
    assert fresh(active).status == VolunteerStatus.PAUSED
    assert "Please contact your coordinator" in text(client.get("/volunteers/profile"))


def test_an_applicant_cannot_pause_or_activate_themselves(client, gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.APPLIED)
    client.login(volunteer.user)
    client.get("/volunteers/profile?lang=en")
    assert client.submit("/volunteers/profile/pause", {}, form_url="/volunteers/profile").status_code == 422
    client.submit("/volunteers/profile/resume", {}, form_url="/volunteers/profile")
    assert fresh(volunteer).status == VolunteerStatus.APPLIED
