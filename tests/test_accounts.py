"""Logging in and out, CSRF, secure cookies, and invitations for staff."""

import re
from datetime import timedelta

from sqlalchemy import select

from digibuddy.accounts.models import Invitation, Membership, Role, User
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.settings import from_environment
from tests.conftest import TEST_PASSWORD_HASH_METHOD, text
from tests.factories import NetworkFactory, make_admin, make_user


def test_login_and_logout(client):
    user = make_user(Role.COORDINATOR, NetworkFactory(), name="Lotte Peeters")
    response = client.login(user)
    assert response.headers["Location"].endswith("/home")
    home = client.get("/home")
    assert home.status_code == 200 and "Lotte" in text(home)
    client.logout()
    assert client.get("/home").status_code == 302  # back to the log-in page


def test_wrong_password_gets_a_translated_message_and_keeps_the_email(client):
    user = make_user(Role.COUNTER, NetworkFactory())
    response = client.submit("/login?lang=en", {"email": user.email, "password": "wrong password"})
    assert response.status_code == 200
    page = text(response)
    assert "The e-mail address or the password is not right." in page
    assert f'value="{user.email}"' in page
    response = client.submit("/login?lang=nl", {"email": "nobody@example.org", "password": "x"})
    assert "Het e-mailadres of het wachtwoord klopt niet." in text(response)


def test_empty_login_shows_a_linked_error_summary(client):
    response = client.submit("/login?lang=en", {"email": "", "password": ""})
    page = text(response)
    assert 'class="error-summary"' in page and 'href="#email"' in page and 'href="#password"' in page
    assert 'aria-invalid="true"' in page


def test_post_without_csrf_token_is_refused_with_a_translated_page(client):
    user = make_user(Role.COUNTER, NetworkFactory())
    response = client.post("/login", data={"email": user.email, "password": "password-123456"})
    assert response.status_code == 400
    assert "Dit formulier is verlopen" in text(response)
    assert client.get("/home").status_code == 302  # not logged in


def test_session_cookie_is_httponly_and_samesite_lax(client, app):
    user = make_user(Role.COUNTER, NetworkFactory())
    response = client.login(user)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is False  # development; True when DIGIBUDDY_ENV=production


def test_passwords_are_hashed_with_scrypt(app, tmp_path):
    # The settings every installation runs with (the tests alone override the method, see conftest.py).
    settings = from_environment(tmp_path)
    assert settings["PASSWORD_HASH_METHOD"] == "scrypt"
    app.config["PASSWORD_HASH_METHOD"] = settings["PASSWORD_HASH_METHOD"]
    user = User(email="a@b.c", name="A")
    user.set_password("correct horse battery")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("correct horse battery") and not user.check_password("wrong")


def test_the_test_suites_cheap_hash_method_is_honoured_and_still_checks(app):
    assert app.config["PASSWORD_HASH_METHOD"] == TEST_PASSWORD_HASH_METHOD != "scrypt"
    user = User(email="a@b.c", name="A")
    user.set_password("correct horse battery")
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    assert user.check_password("correct horse battery") and not user.check_password("wrong")


def test_next_parameter_cannot_redirect_off_site(client):
    user = make_user(Role.COUNTER, NetworkFactory())
    response = client.submit(
        "/login?next=https://evil.example/",
        {"email": user.email, "password": "password-123456"},
        form_url="/login",
    )
    assert response.headers["Location"].endswith("/home")


def test_coordinator_invites_counter_staff_who_sets_a_password(client, make_client):
    network = NetworkFactory()
    coordinator = make_user(Role.COORDINATOR, network)
    client.login(coordinator)
    response = client.submit(
        "/network/staff",
        {"network_id": network.id, "name": "Kim Baert", "email": "kim@example.org", "role": "counter"},
    )
    assert response.status_code == 302
    page = text(client.get("/network/staff"))
    token = re.search(r"/invitation/([A-Za-z0-9_-]+)", page).group(1)
    assert "kim@example.org" in page
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "kim@example.org"))
    assert f"/invitation/{token}" in mail.body and network.name in mail.subject

    newcomer = make_client()
    form = newcomer.get(f"/invitation/{token}")
    assert form.status_code == 200
    response = newcomer.submit(
        f"/invitation/{token}",
        {"name": "Kim Baert", "password": "a-long-password", "password_again": "a-long-password"},
    )
    assert response.status_code == 302
    kim = db.session.scalar(select(User).where(User.email == "kim@example.org"))
    assert kim.has_role(Role.COUNTER, network.id)
    assert newcomer.get(f"/invitation/{token}").status_code == 404  # used once only


def test_expired_or_unknown_invitation_is_not_found(client):
    network = NetworkFactory()
    from digibuddy.accounts.services import create_invitation

    with client.raw.application.test_request_context():
        invitation, token = create_invitation(network, "late@example.org", "Late", Role.COUNTER, None)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/invitation/{token}").status_code == 404
    assert client.get("/invitation/not-a-token").status_code == 404


def test_invitation_password_rules_are_field_errors(client):
    network = NetworkFactory()
    from digibuddy.accounts.services import create_invitation

    with client.raw.application.test_request_context():
        _inv, token = create_invitation(network, "new@example.org", "New", Role.COUNTER, None)
    response = client.submit(
        f"/invitation/{token}?lang=en", {"name": "New", "password": "short", "password_again": "other"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "The two passwords are not the same." in page
    assert db.session.scalar(select(Membership).where(Membership.network_id == network.id)) is None


def test_counter_staff_cannot_invite(client):
    network = NetworkFactory()
    client.login(make_user(Role.COUNTER, network))
    assert client.get("/network/staff").status_code == 403
    assert client.get("/admin/networks").status_code == 403


def test_admin_creates_a_network_and_invites_its_coordinator(client):
    client.login(make_admin())
    response = client.submit(
        "/admin/networks/new",
        {
            "name": "Digibuddy Leuven",
            "municipalities": ["24062"],
            "phone": "016 27 20 00",
            "offer_timeout_hours": 24,
            "max_offer_rounds": 3,
            "retention_months": 24,
            "extract_max_age_months": 12,
        },
    )
    assert response.status_code == 302, text(response)[:3000]
    network_url = response.headers["Location"]
    assert "Digibuddy Leuven" in text(client.get(network_url))
    response = client.submit(
        network_url,
        {
            "network_id": network_url.rsplit("/", 1)[1],
            "role": "coordinator",
            "name": "Ann Claes",
            "email": "ann@leuven.example",
        },
    )
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "ann@leuven.example"))
    assert invitation.role == Role.COORDINATOR


def test_a_municipality_cannot_be_in_two_networks(client):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    client.login(make_admin())
    response = client.submit(
        "/admin/networks/new?lang=en",
        {
            "name": "Another",
            "municipalities": ["44021"],
            "offer_timeout_hours": 24,
            "max_offer_rounds": 3,
            "retention_months": 24,
            "extract_max_age_months": 12,
        },
    )
    assert response.status_code == 422
    page = text(response)
    assert "Gent is already covered by Digibuddy Gent." in page and 'href="#municipalities"' in page
    # The same when an existing network is changed to take it.
    other = NetworkFactory(name="Digibuddy Aalst", postcodes=["9300"])
    response = client.submit(
        f"/admin/networks/{other.id}/edit?lang=en",
        {
            "name": "Digibuddy Aalst",
            "municipalities": ["44021", "41002"],
            "offer_timeout_hours": 24,
            "max_offer_rounds": 3,
            "retention_months": 24,
            "extract_max_age_months": 12,
        },
    )
    assert response.status_code == 422 and "Gent is already covered by Digibuddy Gent." in text(response)
