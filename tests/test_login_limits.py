"""Log-in limits per account and per client address, the real client address behind trusted proxies, and
the second step's state on the server: the attempts at the code and the secret being set up."""

import re
from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import select

from digibuddy.accounts.models import LoginChallenge, Role, User
from digibuddy.extensions import db
from tests.conftest import Client, make_app, text
from tests.factories import NetworkFactory, make_user

SECRET = pyotp.random_base32(length=32)


def _try(client, email, password="wrong password", **kwargs):
    return client.submit(
        "/login?lang=en", {"email": email, "password": password}, form_url="/login", **kwargs
    )


def test_wrong_passwords_for_one_account_never_hold_up_another(app, make_client):
    app.config["LOGIN_ACCOUNT_LIMIT"] = "3 per 15 minutes"
    network = NetworkFactory()
    target, other = make_user(Role.COUNTER, network), make_user(Role.COUNTER, network)
    attacker = make_client()
    assert [_try(attacker, target.email).status_code for _ in range(3)] == [200, 200, 200]
    assert _try(attacker, target.email).status_code == 429
    elsewhere = make_client()
    assert (
        _try(elsewhere, target.email.upper(), environ_overrides={"REMOTE_ADDR": "192.0.2.9"}).status_code
        == 429
    )
    # Another account logs in from the very same client address.
    assert _try(attacker, other.email, "password-123456").status_code == 302


def test_a_successful_log_in_does_not_count_against_the_account(app, client):
    app.config["LOGIN_ACCOUNT_LIMIT"] = "2 per 15 minutes"
    user = make_user(Role.COUNTER, NetworkFactory())
    for _ in range(3):
        client.login(user)
        client.logout()


def test_the_client_address_limit_holds_for_every_account(app, make_client):
    app.config["LOGIN_LIMIT"] = "3 per 15 minutes"
    client = make_client()
    assert [_try(client, f"person{n}@example.org").status_code for n in range(4)] == [200, 200, 200, 429]
    other = make_client()
    assert (
        _try(other, "person9@example.org", environ_overrides={"REMOTE_ADDR": "192.0.2.10"}).status_code == 200
    )


@pytest.mark.parametrize("hops, separate", [(1, True), (0, False)])
def test_behind_trusted_proxies_the_forwarded_client_address_counts(_schema, hops, separate):
    proxied = make_app(_schema, TRUSTED_PROXY_HOPS=hops, LOGIN_LIMIT="2 per 15 minutes")
    with proxied.app_context():
        client = Client(proxied.test_client())

        def attempt(address):
            return _try(client, "nobody@example.org", headers={"X-Forwarded-For": address}).status_code

        assert [attempt("198.51.100.1"), attempt("198.51.100.1"), attempt("198.51.100.1")] == [200, 200, 429]
        assert attempt("198.51.100.2") == (200 if separate else 429)
        db.session.remove()


def _code(secret=SECRET):
    return pyotp.TOTP(secret).at(datetime.now(UTC))


def _session_of(app, client) -> dict:
    cookie = client.raw.get_cookie("session").value
    return app.session_interface.get_signing_serializer(app).loads(cookie)


def test_the_attempts_at_the_code_are_counted_on_the_server(app, client):
    user = make_user(Role.COUNTER, NetworkFactory(), totp_secret=SECRET)
    client.login(user)
    wrong = "000000" if _code() != "000000" else "111111"
    assert client.submit("/login/code", {"code": wrong}).status_code == 422
    challenge = db.session.scalar(select(LoginChallenge).where(LoginChallenge.user_id == user.id))
    assert challenge.tries == 1
    state = _session_of(app, client)
    assert "tries" not in repr(state)
    assert isinstance(state["two_factor_pending"], str)  # only the challenge's token


def test_wrong_codes_are_limited_per_account_across_new_passwords(app, client):
    app.config["LOGIN_ACCOUNT_LIMIT"] = "3 per 15 minutes"
    user = make_user(Role.COUNTER, NetworkFactory(), totp_secret=SECRET)
    wrong = "000000" if _code() != "000000" else "111111"
    answers = []
    for _ in range(2):
        client.login(user)  # the password again: a new challenge, the same account
        answers += [client.submit("/login/code", {"code": wrong}).status_code for _ in range(2)]
    assert answers == [422, 422, 422, 429]


def _shown_secret(page: str) -> str:
    return re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")


def test_the_secret_being_set_up_stays_on_the_server(app, client):
    user = make_user(Role.COORDINATOR, NetworkFactory())
    client.login(user)
    shown = _shown_secret(text(client.get("/account/two-factor?lang=en")))
    assert shown not in repr(_session_of(app, client))
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_setup_secret == shown
    assert _shown_secret(text(client.get("/account/two-factor?lang=en"))) == shown  # the same until it works
    assert client.submit("/account/two-factor", {"code": _code(shown)}).status_code == 302
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert saved.totp_secret == shown and saved.totp_setup_secret is None
