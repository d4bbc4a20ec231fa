"""What runs on every public page stays cheap without changing what a visitor gets: a visitor's session is
written only when it changes and a logged-in session is still protected; rate limits hold without a check
before every request; public pages come from memory while their data stands."""

import re
import time
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_limiter.util import get_remote_address

from digibuddy.accounts.models import Role
from digibuddy.core import page_cache
from digibuddy.extensions import Limiter, db
from digibuddy.network.models import LocalNetwork
from digibuddy.reference.models import Topic
from tests.conftest import CSRF_RE, text
from tests.factories import NetworkFactory, make_user
from tests.requests_helpers import online_form

PUBLIC_PAGES = ("/", "/help", "/status", "/volunteers/become")


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


def limited_app(**limits) -> Flask:
    app = Flask(__name__)
    limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", **limits)
    limiter.init_app(app)

    @app.route("/")
    def page():
        return "page"

    @app.route("/limited")
    @limiter.limit("1 per minute")
    def limited():
        return "limited"

    return app


def test_a_view_limit_holds_without_the_check_before_every_request():
    client = limited_app().test_client()
    assert [client.get("/limited").status_code for _ in range(2)] == [200, 429]
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 200]


def test_a_default_or_application_limit_still_checks_every_request():
    for limits in ({"default_limits": ["2 per minute"]}, {"application_limits": ["2 per minute"]}):
        client = limited_app(**limits).test_client()
        assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429], limits


# ------------------------------------------------------------------------------------ cached public pages
@pytest.fixture
def versions(app):
    """The version rows made at start-up (the tests empty every table after each test)."""
    page_cache.ensure_versions()


def cached_paths(app) -> set[str]:
    return {path for path, _locale in app.extensions.get(page_cache.CACHE_KEY, {})}


def without_token(response) -> str:
    return CSRF_RE.sub("csrf_token", text(response))


def version_of(group: str) -> str:
    return db.session.scalar(
        sa.select(page_cache.DataVersion.version).where(page_cache.DataVersion.name == group)
    )


def test_a_public_page_is_the_same_from_memory_as_rendered(app, client, versions):
    NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    for path in PUBLIC_PAGES:
        rendered = client.get(path)
        assert path in cached_paths(app)
        again = client.get(path)
        # The same page (a CSRF token carries the second it was signed in).
        assert again.status_code == 200 and without_token(again) == without_token(rendered), path
        # The same headers (the session cookie comes only with the first page that made a CSRF token).
        assert [h for h in again.headers if h[0] != "Set-Cookie"] == [
            h for h in rendered.headers if h[0] != "Set-Cookie"
        ], path


def test_every_browser_gets_its_own_csrf_token_and_it_works(app, make_client, versions):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    first, second = make_client(), make_client()
    tokens = [CSRF_RE.search(text(c.get("/help"))).group(1) for c in (first, second, first)]
    assert "/help" in cached_paths(app)
    # A token signs the browser's own secret (the part before the first dot) with the second it was made in.
    secrets = [token.split(".")[0] for token in tokens]
    assert secrets[0] != secrets[1] and secrets[0] == secrets[2]
    again = text(second.get("/help"))
    assert len(set(CSRF_RE.findall(again))) == 1
    assert CSRF_RE.search(again).group(1).split(".")[0] == secrets[1]
    sent = second.submit("/help", online_form())  # with the token of a page served from memory
    assert sent.status_code == 302 and "/help/confirmation" in sent.headers["Location"]


def test_a_change_to_a_network_shows_on_the_next_home_page(client, versions):
    network = NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    assert "Digibuddy Gent" in text(client.get("/"))
    before = version_of("networks")
    network.name = "Digibuddy Gent en Merelbeke"
    db.session.commit()
    assert version_of("networks") != before
    assert "Digibuddy Gent en Merelbeke" in text(client.get("/"))
    NetworkFactory(name="Digibuddy Aalst", postcodes=["9300"])
    assert "Digibuddy Aalst" in text(client.get("/"))
    db.session.execute(sa.update(LocalNetwork).values(active=False))  # an ORM statement, no flush
    db.session.commit()
    assert "Digibuddy Aalst" not in text(client.get("/"))


def test_a_change_made_by_another_process_is_seen_through_the_version_row(client, versions):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    assert "Digibuddy Gent" in text(client.get("/"))
    # Another host changes the name and the version in one transaction; this process learns it from the row.
    with db.engine.begin() as conn:
        conn.execute(sa.update(LocalNetwork).values(name="Digibuddy Gentbrugge"))
        conn.execute(sa.update(page_cache.DataVersion).values(version="changed-elsewhere"))
        if conn.dialect.name == "postgresql":  # what every commit renewing a version sends there
            conn.execute(sa.text(f"NOTIFY {page_cache.CHANNEL}"))
    db.session.expire_all()
    # On PostgreSQL the commit's notification travels through the server to this process: a moment, far
    # less than MAX_AGE (after which the versions would be read again anyway).
    for _wait in range(50):
        if "Digibuddy Gentbrugge" in text(client.get("/")):
            break
        time.sleep(0.01)
    assert "Digibuddy Gentbrugge" in text(client.get("/"))


def test_a_change_that_is_rolled_back_keeps_the_version(client, versions):
    network = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    before = version_of("networks")
    network.name = "Never"
    db.session.flush()
    db.session.rollback()
    assert version_of("networks") == before


def test_a_catalogue_change_shows_on_the_next_request_form(client, versions):
    NetworkFactory(postcodes=["9000"])
    topic = db.session.scalars(sa.select(Topic).where(Topic.active.is_(True)).order_by(Topic.id)).first()
    old = topic.label("nl")
    assert old in text(client.get("/help"))
    labels = dict(topic.labels)
    labels["nl"] = "Een heel nieuw onderwerp"
    topic.labels = labels
    db.session.commit()
    try:
        page = text(client.get("/help"))
        assert "Een heel nieuw onderwerp" in page
    finally:
        labels["nl"] = old
        topic.labels = labels
        db.session.commit()


def test_each_language_has_its_own_page(client, versions):
    dutch = without_token(client.get("/status", headers={"Accept-Language": "nl"}))
    french = without_token(client.get("/status", headers={"Accept-Language": "fr"}))
    assert 'lang="nl"' in dutch and 'lang="fr"' in french and dutch != french
    assert without_token(client.get("/status", headers={"Accept-Language": "nl"})) == dutch


def test_logged_in_people_messages_and_query_strings_get_a_page_of_their_own(app, client, versions):
    network = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    client.get("/")
    assert "/" in cached_paths(app)
    assert 'lang="en"' in text(client.get("/?lang=en"))  # the switcher: rendered, and remembered
    assert 'lang="en"' in text(client.get("/"))
    client.login(make_user(Role.COORDINATOR, network))
    page = text(client.get("/"))
    assert 'action="/logout"' in page and not re.search(r'href="/login"', page)
    client.logout()
    with client.raw.session_transaction() as session:
        session["_flashes"] = [("info", "Een bericht voor deze bezoeker")]
    assert "Een bericht voor deze bezoeker" in text(client.get("/"))
    assert "Een bericht voor deze bezoeker" not in text(client.get("/"))


class _Reading(HTMLParser):
    """What a browser reads of a page: tags with their attributes, and text with each run of white space as
    one space (kept as it is inside <pre> and <textarea>), so that a space between two words or elements
    that went missing shows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events, self._kept = [], 0

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, attrs))
        self._kept += tag in ("pre", "textarea")

    def handle_endtag(self, tag):
        self.events.append(("end", tag))
        self._kept -= tag in ("pre", "textarea")

    def handle_data(self, data):
        self.events.append(("text", data if self._kept else re.sub(r"\s+", " ", data)))


def read_as_browser(page: str) -> list:
    reading = _Reading()
    reading.feed(CSRF_RE.sub('name="csrf_token" value="token"', page))
    return reading.events


@pytest.mark.parametrize("locale", ["nl", "ar"])
def test_a_page_from_memory_reads_as_rendered_with_less_white_space(app, client, versions, locale):
    NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    for path in PUBLIC_PAGES:
        served = text(client.get(path, headers={"Accept-Language": locale}))
        with app.test_request_context(path, headers={"Accept-Language": locale}):
            app.preprocess_request()
            view = app.view_functions[app.url_map.bind("localhost").match(path)[0]]
            answer = view.__wrapped__()  # the view itself, not through memory
            rendered = answer[0] if isinstance(answer, tuple) else answer
        assert read_as_browser(served) == read_as_browser(rendered), path
        assert len(served) < len(rendered), path
        if path == "/help":
            assert len(served.encode()) < 0.85 * len(rendered.encode())
