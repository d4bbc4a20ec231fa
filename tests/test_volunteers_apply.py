"""Becoming a digibuddy: the public page with the rules, and an application in the network of the postcode."""

import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import Membership, Role, User
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.volunteers.models import VolunteerProfile, VolunteerStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.volunteers_helpers import application


@pytest.fixture
def networks(app):
    gent = NetworkFactory(name="Digibuddy Gent", postcodes=["9000", "9050"])
    mechelen = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    return {"gent": gent, "mechelen": mechelen}


def apply(client, **overrides):
    return client.submit("/volunteers/apply?lang=en", application(**overrides))


def users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_become_page_explains_the_role_and_the_safeguarding_rules(client):
    page = text(client.get("/volunteers/become?lang=en"))
    assert "<h1>Become a digibuddy</h1>" in page
    assert "never asks for, types or writes down passwords, PIN codes, itsme codes or bank codes" in page
    assert "criminal record (model 2)" in page
    assert 'href="/volunteers/apply"' in page


def test_home_page_links_to_becoming_a_digibuddy(client):
    assert 'href="/volunteers/become"' in text(client.get("/"))


@pytest.mark.parametrize("postcode, network_key", [("9000", "gent"), ("9050", "gent"), ("2800", "mechelen")])
def test_application_lands_in_the_network_that_covers_the_postcode(client, networks, postcode, network_key):
    coordinator = make_user(Role.COORDINATOR, networks[network_key], locale="fr")
    response = apply(client, postcode=postcode)
    assert response.status_code == 302 and response.headers["Location"].endswith("/volunteers/profile")

    profile = db.session.scalar(select(VolunteerProfile))
    user = profile.user
    assert profile.status == VolunteerStatus.APPLIED and profile.home_postcode_code == postcode
    assert [(m.network_id, m.role) for m in user.memberships] == [(networks[network_key].id, Role.VOLUNTEER)]
    assert user.name == "Fatima El Amrani" and user.phone == "+32470112233" and user.locale == "en"
    assert user.password_hash != "een-lang-wachtwoord" and user.check_password("een-lang-wachtwoord")
    assert profile.motivation.startswith("Ik help graag") and profile.calendar_token

    # Logged in straight away, on their profile.
    page = text(client.get("/volunteers/profile"))
    assert "Your status: Applied" in page and networks[network_key].name in page

    messages = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(messages) == {"fatima@example.org", coordinator.email}
    assert messages[coordinator.email].locale == "fr"
    assert f"/volunteers/manage/{profile.id}" in messages[coordinator.email].body


def test_a_volunteer_can_log_in_with_the_chosen_password(client, make_client, networks):
    apply(client)
    other = make_client()
    other.login(db.session.scalar(select(User)), password="een-lang-wachtwoord")
    assert "Your status: Applied" in text(other.get("/home?lang=en"))


def test_postcode_without_a_network_is_a_field_error(client, networks):
    response = apply(client, postcode="8000")  # Brugge: no network
    page = text(response)
    assert response.status_code == 422
    assert "There is no digibuddy network in Brugge yet" in page
    assert 'href="#postcode"' in page  # the error summary links to the field
    assert users() == 0


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"email": "FATIMA@Example.org"}, "email", "You cannot apply with this e-mail address"),
        ({"email": "fatima@"}, "email", "This e-mail address is not complete."),
        ({"postcode": "99"}, "postcode", "A Belgian postcode has 4 digits"),
        ({"postcode": "0001"}, "postcode", "We do not know the postcode 0001"),
        ({"password": "kort", "password_again": "kort"}, "password", "at least 10 characters"),
        ({"password_again": "iets-anders-123"}, "password_again", "The two passwords are not the same."),
        ({"rules": None}, "rules", "You can only become a digibuddy if you keep to the rules."),
        ({"name": ""}, "name", "Fill in your name."),
        ({"phone": "bel me maar"}, "phone", "This is not a phone number we can call"),
    ],
)
def test_every_mistake_is_shown_on_its_field_and_the_input_is_kept(
    client, networks, overrides, field, message
):
    make_user(email="fatima@example.org")
    before = users()
    response = apply(client, **overrides)
    page = text(response)
    assert response.status_code == 422
    assert message in page and f'href="#{field}"' in page
    assert 'value="Fatima El Amrani"' in page or field == "name"
    assert "een-lang-wachtwoord" not in page  # passwords are never sent back
    assert users() == before


def test_the_existing_address_error_does_not_tell_more(client, networks):
    make_user(Role.COORDINATOR, networks["mechelen"], email="fatima@example.org", name="Jan Coördinator")
    page = text(apply(client))
    assert "You cannot apply with this e-mail address" in page
    assert "Jan Coördinator" not in page and "Digibuddy Mechelen" not in page
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "x" * 100_000},
        {"email": "a" * 5000 + "@example.org"},
        {"motivation": "y" * 100_000},
        {"postcode": "9" * 10_000},
        {"password": "p" * 5000, "password_again": "p" * 5000},
        {"phone": "0" * 5000},
        {"rules": "\x00"},
        {"name": "Fa\x00tima"},
        {"motivation": "\x00\x00"},
        {"email": "fatima\x00@example.org"},
        {"postcode": "90\x000"},
    ],
)
def test_huge_or_strange_input_never_gives_a_server_error(client, networks, overrides):
    response = apply(client, **overrides)
    assert response.status_code in (302, 422)


def test_a_logged_in_user_is_not_shown_the_application(client, networks):
    client.login(make_user(Role.COORDINATOR, networks["gent"]))
    assert client.get("/volunteers/apply").status_code == 302
