"""What runs on every public page stays cheap without changing what a visitor gets: a visitor's session is
written only when it changes, and a logged-in session is still protected."""

from digibuddy.accounts.models import Role
from tests.factories import NetworkFactory, make_user


def session_cookies(response) -> list[str]:
    return [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith(("session=", "remember_token="))
    ]


def test_a_visitors_session_is_sent_once_not_with_every_page(client):
    first = client.get("/status")
    assert [c for c in session_cookies(first) if c.startswith("session=")]
    for path in ("/status", "/", "/help", "/volunteers/become", "/status"):
        assert session_cookies(client.get(path)) == [], path


def test_a_logged_in_session_from_another_browser_is_still_refused(client):
    network = NetworkFactory(postcodes=["9000"])
    client.login(make_user(Role.COORDINATOR, network))
    assert client.get("/home").status_code == 200
    stolen = client.get("/home", headers={"User-Agent": "another browser"})
    assert stolen.status_code == 302 and "/login" in stolen.headers["Location"]
    assert client.get("/home").status_code == 302  # the session lost its log-in for good
