"""Forgot my password: a single-use link that expires, by e-mail through the outbox over real SMTP, the
same answer for any address, limits per client and per account; changing one's password; the second step
of logging in is still asked after a reset."""

import contextlib
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import PasswordReset, Role, User
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.notifications import delivery
from digibuddy.notifications.models import OutboxMessage
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user
from tests.smtp_server import SmtpServer, free_port

LINK = re.compile(r"https?://[^\s]+/password/reset/([A-Za-z0-9_-]+)")


@pytest.fixture
def smtp(app):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    server = SmtpServer(port).start()
    yield server
    with contextlib.suppress(Exception):
        server.stop()


def _ask(client, email, lang="en"):
    return client.submit(f"/password/forgot?lang={lang}", {"email": email}, form_url="/password/forgot")


def _mailed_token(smtp, email) -> str:
    delivery.deliver_due()
    mail = [m for m in smtp.messages if m["To"] == email][-1]
    return LINK.search(mail.get_body(("plain",)).get_content()).group(1)


def test_forgot_password_end_to_end_over_smtp(client, make_client, smtp):
    user = make_user(Role.COUNTER, NetworkFactory(), locale="fr")
    assert "/password/forgot" in text(client.get("/login"))
    page = text(_ask(client, user.email))
    assert "If there is an account with this e-mail address" in page
    token = _mailed_token(smtp, user.email)
    mail = smtp.messages[-1]
    assert mail["Content-Language"] == "fr" and "mot de passe" in mail["Subject"]

    other_device = make_client()
    other_device.login(user)
    form = client.get(f"/password/reset/{token}")
    assert form.status_code == 200
    response = client.submit(
        f"/password/reset/{token}", {"password": "a-brand-new-secret", "password_again": "a-brand-new-secret"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert other_device.get("/home").status_code == 302  # every session ended with the old password
    client.login(user, password="a-brand-new-secret")
    assert client.get("/home").status_code == 200
    # The link works once.
    again = client.get(f"/password/reset/{token}?lang=en")
    assert again.status_code == 404 and "This link does not work any more" in text(again)
    refused = client.post(
        f"/password/reset/{token}",
        data={"password": "another-secret-1", "password_again": "another-secret-1", "csrf_token": "x"},
    )
    assert refused.status_code in (400, 404)
    db.session.refresh(user)
    assert user.check_password("a-brand-new-secret")


def test_the_answer_is_the_same_for_an_unknown_address_and_nothing_is_sent(client):
    user = make_user(Role.COUNTER, NetworkFactory())
    known = _ask(client, user.email)
    unknown = _ask(client, "nobody@example.org")
    strip = re.compile(r'name="csrf_token"[^>]*>|value="[^"]*"')
    assert known.status_code == unknown.status_code == 200
    assert strip.sub("", text(known)) == strip.sub("", text(unknown))
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_an_expired_link_is_refused(client, smtp):
    user = make_user(Role.COUNTER, NetworkFactory())
    _ask(client, user.email)
    token = _mailed_token(smtp, user.email)
    reset = db.session.scalar(select(PasswordReset))
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/password/reset/{token}").status_code == 404
    assert client.get("/password/reset/not-a-real-token").status_code == 404
    assert client.get("/password/reset/" + "x" * 300).status_code == 404


def test_a_new_link_or_password_ends_the_older_links(client, smtp):
    user = make_user(Role.COUNTER, NetworkFactory())
    _ask(client, user.email)
    first = _mailed_token(smtp, user.email)
    _ask(client, user.email)
    second = _mailed_token(smtp, user.email)
    assert first != second
    client.submit(
        f"/password/reset/{second}", {"password": "new-secret-12", "password_again": "new-secret-12"}
    )
    assert client.get(f"/password/reset/{first}").status_code == 404


def test_no_link_for_an_account_that_may_not_log_in(client):
    user = make_user(Role.COUNTER, NetworkFactory(), active=False)
    assert _ask(client, user.email).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_asking_is_limited_per_account_and_per_client_address(app, make_client):
    app.config.update(PASSWORD_RESET_ACCOUNT_LIMIT="2 per hour", PASSWORD_RESET_LIMIT="4 per hour")
    first, second = make_user(Role.COUNTER, NetworkFactory()), make_user(Role.COUNTER, NetworkFactory())
    client = make_client()
    assert [_ask(client, first.email).status_code for _ in range(3)] == [200, 200, 429]
    assert _ask(client, second.email).status_code == 200  # another account is not held up
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3
    assert _ask(client, "third@example.org").status_code == 200
    assert _ask(client, "fourth@example.org").status_code == 429  # this client asked too often
    elsewhere = make_client()
    page = elsewhere.submit(
        "/password/forgot?lang=en",
        {"email": "fifth@example.org"},
        form_url="/password/forgot",
        environ_overrides={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert page.status_code == 200


def test_a_reset_link_is_not_readable_under_messages(client):
    user = make_user(Role.COUNTER, NetworkFactory())
    _ask(client, user.email)
    message = db.session.scalar(select(OutboxMessage))
    client.login(make_admin())
    page = text(client.get(f"/outbox/{message.id}?lang=en"))
    assert "/password/reset/" not in page and "nobody else may read it" in page


def test_the_second_step_is_still_asked_after_a_reset(client, smtp):
    secret = pyotp.random_base32(length=32)
    user = make_user(Role.COORDINATOR, NetworkFactory(), totp_secret=secret)
    _ask(client, user.email)
    token = _mailed_token(smtp, user.email)
    client.submit(
        f"/password/reset/{token}", {"password": "new-secret-12", "password_again": "new-secret-12"}
    )
    response = client.submit("/login", {"email": user.email, "password": "new-secret-12"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    assert client.get("/home").status_code == 302  # not logged in without the code
    db.session.refresh(user)
    assert user.totp_secret == secret


def test_changing_ones_password_needs_the_current_one_and_ends_other_sessions(client, make_client):
    user = make_user(Role.COUNTER, NetworkFactory())
    other_device = make_client()
    other_device.login(user)
    client.login(user)
    wrong = client.submit(
        "/account/password?lang=en",
        {
            "current_password": "not-my-password",
            "password": "new-secret-12",
            "password_again": "new-secret-12",
        },
        form_url="/account/password",
    )
    assert wrong.status_code == 422 and "This is not your current password." in text(wrong)
    short = client.submit(
        "/account/password?lang=en",
        {"current_password": "password-123456", "password": "short", "password_again": "short"},
        form_url="/account/password",
    )
    assert short.status_code == 422
    done = client.submit(
        "/account/password",
        {
            "current_password": "password-123456",
            "password": "new-secret-12",
            "password_again": "new-secret-12",
        },
    )
    assert done.status_code == 302
    assert client.get("/home").status_code == 200  # this session goes on
    assert other_device.get("/home").status_code == 302  # the others end
    assert db.session.get(User, user.id).check_password("new-secret-12")


def test_the_link_leads_to_the_public_address_whatever_host_was_asked(app):
    from digibuddy.accounts.services import request_password_reset

    app.config["PUBLIC_BASE_URL"] = "https://digibuddy.example.org"
    user = make_user(Role.COUNTER, NetworkFactory())
    with app.test_request_context("/password/forgot", method="POST", headers={"Host": "evil.example"}):
        request_password_reset(user.email)
    body = db.session.scalar(select(OutboxMessage)).body
    assert "https://digibuddy.example.org/password/reset/" in body and "evil.example" not in body
