"""The second step of logging in (a code from an authenticator app): the code rules, setting it up,
logging in with it, turning it off, the central administrator's reset, and where it is required."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from digibuddy.accounts import two_factor
from digibuddy.accounts.models import LoginChallenge, Role, User
from digibuddy.audit.models import AuditEntry
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user

NOON = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


# --------------------------------------------------------------------------------------------- the code rules
def test_a_code_is_right_in_its_own_step_and_one_either_side():
    totp = pyotp.TOTP(SECRET)
    step = totp.timecode(NOON)
    for seconds, expected in ((-30, step - 1), (0, step), (29, step), (30, step + 1)):
        assert two_factor.verify(SECRET, totp.at(NOON + timedelta(seconds=seconds)), None, NOON) == expected
    # Two steps away (a minute off) is too far.
    assert two_factor.verify(SECRET, totp.at(NOON + timedelta(seconds=60)), None, NOON) is None
    assert two_factor.verify(SECRET, totp.at(NOON - timedelta(seconds=60)), None, NOON) is None


def test_a_code_never_works_twice():
    code = pyotp.TOTP(SECRET).at(NOON)
    step = two_factor.verify(SECRET, code, None, NOON)
    assert two_factor.verify(SECRET, code, step, NOON) is None
    assert two_factor.verify(SECRET, code, step, NOON + timedelta(seconds=10)) is None
    # The next step's code still works.
    assert (
        two_factor.verify(SECRET, pyotp.TOTP(SECRET).at(NOON + timedelta(seconds=30)), step, NOON) == step + 1
    )


@pytest.mark.parametrize("typed", ["", None, "12345", "1234567", "abcdef", "12 34 5x", "１２３４５６"])
def test_anything_but_six_digits_is_refused(typed):
    assert two_factor.verify(SECRET, typed, None, NOON) is None


def test_spaces_and_dashes_in_a_code_do_not_matter():
    code = pyotp.TOTP(SECRET).at(NOON)
    assert two_factor.verify(SECRET, f"{code[:3]} {code[3:]}", None, NOON) is not None
    assert two_factor.verify(SECRET, f"{code[:3]}-{code[3:]}", None, NOON) is not None


def test_a_new_secret_is_long_random_and_readable_in_groups():
    first, second = two_factor.new_secret(), two_factor.new_secret()
    assert first != second and len(first) == 32 and re.fullmatch(r"[A-Z2-7]{32}", first)
    assert two_factor.grouped(first).replace(" ", "") == first and len(two_factor.grouped(first).split()) == 8
    uri = two_factor.provisioning_uri(first, "lotte@example.org")
    assert uri.startswith("otpauth://totp/digibuddy:lotte%40example.org?") and f"secret={first}" in uri
    svg = two_factor.qr_svg(uri, "QR code")
    assert svg.startswith('<svg role="img" ') and "<title>QR code</title>" in svg


# -------------------------------------------------------------------------------------------- through the app
def code_for(secret: str, ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30 * ahead))


def shown_secret(page: str) -> str:
    return re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")


def with_second_step(user: User, secret: str = SECRET) -> User:
    user.totp_secret = secret
    db.session.commit()
    return user


def test_a_coordinator_sets_up_the_second_step(client):
    user = make_user(Role.COORDINATOR, NetworkFactory())
    client.login(user)
    page = text(client.get("/account/two-factor?lang=en"))
    assert "Second step for logging in" in page and '<svg role="img"' in page
    secret = shown_secret(page)
    # A wrong code: a field error, and the same key again, so the app's entry still works.
    response = client.submit(
        "/account/two-factor?lang=en", {"code": "000000" if code_for(secret) != "000000" else "111111"}
    )
    assert response.status_code == 422
    assert "This code is not right. Type the 6 digits your app shows now." in text(response)
    assert shown_secret(text(response)) == secret
    assert db.session.get(User, user.id).totp_secret is None
    response = client.submit("/account/two-factor?lang=en", {"code": code_for(secret)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == user.id)) == "two_factor_on"
    )
    page = text(client.get("/account/two-factor?lang=en"))
    assert "The second step is on" in page and "secret" not in page.split("<main", 1)[-1].lower()


def test_logging_in_with_the_second_step(client):
    user = with_second_step(make_user(Role.COORDINATOR, NetworkFactory(), name="Lotte Peeters"))
    response = client.submit(
        "/login?next=/reports/local", {"email": user.email, "password": "password-123456"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    assert client.get("/home").status_code == 302  # not logged in yet
    response = client.submit("/login/code?lang=en", {"code": "12345"})
    assert response.status_code == 422 and "This code is not right." in text(response)
    used = code_for(SECRET)
    response = client.submit("/login/code?lang=en", {"code": used})
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports/local")
    assert "Lotte" in text(client.get("/home"))
    assert db.session.get(User, user.id).last_login_at is not None
    # The same code cannot log in again.
    client.logout()
    client.login(user)
    response = client.submit(
        "/login/code?lang=en", {"code": used}
    )  # the very code, also past a step boundary
    assert response.status_code == 422
    response = client.submit("/login/code?lang=en", {"code": code_for(SECRET, ahead=1)})
    assert response.status_code == 302


def test_five_wrong_codes_send_you_back_to_the_password(client):
    user = with_second_step(make_user(Role.COUNTER, NetworkFactory()))
    client.login(user)
    wrong = "000000" if code_for(SECRET) != "000000" else "111111"
    for _ in range(4):
        assert client.submit("/login/code?lang=en", {"code": wrong}).status_code == 422
    response = client.submit("/login/code?lang=en", {"code": wrong})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    page = text(client.get("/login?lang=en"))
    assert "That was the wrong code 5 times. Log in again." in page
    # The right code no longer helps: the password comes first again.
    response = client.submit("/login/code", {"code": code_for(SECRET)}, form_url="/login")
    assert response.headers["Location"].endswith("/login")


def test_the_code_must_follow_the_password_within_five_minutes(client):
    user = with_second_step(make_user(Role.COUNTER, NetworkFactory()))
    client.login(user)
    challenge = db.session.scalar(select(LoginChallenge))
    challenge.created_at = utcnow() - timedelta(seconds=301)
    db.session.commit()
    response = client.get("/login/code?lang=en")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "Log in again: type your e-mail address and password." in text(client.get("/login?lang=en"))


def test_nobody_reaches_the_code_page_without_the_password(client):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_turning_the_second_step_off_needs_a_right_code(client):
    user = with_second_step(make_user(Role.COUNTER, NetworkFactory()))
    client.login(user)
    client.submit("/login/code", {"code": code_for(SECRET)})
    response = client.submit("/account/two-factor?lang=en", {"code": "abc"})
    assert response.status_code == 422 and db.session.get(User, user.id).totp_secret == SECRET
    response = client.submit("/account/two-factor?lang=en", {"code": code_for(SECRET, ahead=1)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None


def test_where_it_is_required_coordinators_and_administrators_set_it_up_first(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    network = NetworkFactory()
    coordinator = make_user(Role.COORDINATOR, network)
    client.login(coordinator)
    for url in ("/home", "/reports/local", "/requests"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/account/two-factor"), (
            url
        )
    page = text(client.get("/account/two-factor?lang=en"))
    assert "Before you go on, set up a second step" in page
    client.submit("/account/two-factor", {"code": code_for(shown_secret(page))})
    assert client.get("/home").status_code == 200
    # Required: it cannot be turned off, only reset by the central administrator.
    page = text(client.get("/account/two-factor?lang=en"))
    assert "you cannot turn it off" in page
    client.logout()
    client.login(make_admin())
    assert client.get("/reports/network").headers["Location"].endswith("/account/two-factor")
    # Logging out still works from there.
    assert (
        client.post("/logout", data={"csrf_token": client.csrf_token("/account/two-factor")}).status_code
        == 302
    )
    # Counter staff and digibuddies are not asked.
    for role in (Role.COUNTER, Role.VOLUNTEER):
        client.login(make_user(role, network))
        assert client.get("/home").status_code == 200
        client.logout()


def test_a_required_second_step_cannot_be_turned_off(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    user = with_second_step(make_user(Role.COORDINATOR, NetworkFactory()))
    client.login(user)
    client.submit("/login/code", {"code": code_for(SECRET)})
    token = client.csrf_token("/home")
    response = client.post(
        "/account/two-factor", data={"csrf_token": token, "code": code_for(SECRET, ahead=1)}
    )
    assert response.status_code == 403
    assert db.session.get(User, user.id).totp_secret == SECRET


def test_the_central_administrator_resets_a_coordinator_who_lost_their_phone(client):
    network, other = NetworkFactory(), NetworkFactory()
    coordinator = with_second_step(make_user(Role.COORDINATOR, network, name="Jef Claeys"))
    admin = make_admin()
    client.login(admin)
    page = text(client.get(f"/admin/networks/{network.id}?lang=en"))
    assert "Turn off the second step (lost phone)" in page
    url = f"/admin/networks/{network.id}/coordinators/{coordinator.id}/reset-two-factor"
    # Only through the coordinator's own network.
    wrong = f"/admin/networks/{other.id}/coordinators/{coordinator.id}/reset-two-factor"
    assert client.submit(wrong, form_url=f"/admin/networks/{network.id}").status_code == 404
    response = client.submit(url, form_url=f"/admin/networks/{network.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, coordinator.id).totp_secret is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "two_factor_reset"))
    assert (entry.user_id, entry.object_id) == (admin.id, coordinator.id)
    client.logout()
    # A coordinator cannot reset anyone.
    client.login(make_user(Role.COORDINATOR, network))
    assert client.submit(url, form_url="/home").status_code == 403


def test_log_in_attempts_are_limited_per_client(client):
    user = with_second_step(make_user(Role.COUNTER, NetworkFactory()))
    token = client.csrf_token("/login")
    for _ in range(30):
        client.post("/login", data={"csrf_token": token, "email": user.email, "password": "wrong password"})
    response = client.post(
        "/login?lang=en", data={"csrf_token": token, "email": user.email, "password": "password-123456"}
    )
    assert response.status_code == 429 and "Too many attempts" in text(response)
