"""What every request does, done once where it can be, without changing what anyone gets: the session cookie
opened from memory when this process has checked it before, the CSRF token signed once per session token,
the data versions read on a connection of their own."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g, session
from flask.sessions import SecureCookieSessionInterface

from digibuddy.core import page_cache
from digibuddy.extensions import db
from digibuddy.network.models import LocalNetwork
from tests.conftest import CSRF_RE, text
from tests.factories import NetworkFactory
from tests.requests_helpers import online_form


def cookie_of(app, data: dict) -> str:
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)


def opened(app, cookie: str) -> dict:
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        return dict(session)


def test_a_session_opened_again_is_the_same_as_flask_opens_it(app):
    cookie = cookie_of(app, {"csrf_token": "a" * 40, "lang": "fr"})
    first, again = opened(app, cookie), opened(app, cookie)
    assert first == again == {"csrf_token": "a" * 40, "lang": "fr"}
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        from flask import request

        assert dict(SecureCookieSessionInterface().open_session(app, request)) == again


def test_a_changed_cookie_is_refused_even_after_the_real_one_was_opened(app):
    cookie = cookie_of(app, {"csrf_token": "a" * 40})
    assert opened(app, cookie)
    payload, stamp, signature = cookie.rsplit(".", 2)
    forged = f"{payload}.{stamp}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert opened(app, forged) == {}


def test_a_cookie_of_another_secret_key_is_refused_even_when_opened_before(app):
    cookie = cookie_of(app, {"csrf_token": "a" * 40})
    assert opened(app, cookie)
    key = app.secret_key
    app.secret_key = "another-secret"
    try:
        assert opened(app, cookie) == {}
    finally:
        app.secret_key = key
    assert opened(app, cookie) == {"csrf_token": "a" * 40}


def test_an_expired_session_is_refused_even_when_opened_before(app, monkeypatch):
    import time

    cookie = cookie_of(app, {"csrf_token": "a" * 40, "_permanent": True})
    assert opened(app, cookie)
    lifetime = app.permanent_session_lifetime
    app.permanent_session_lifetime = timedelta(hours=1)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 2 * 3600)
    try:
        assert opened(app, cookie) == {}
    finally:
        app.permanent_session_lifetime = lifetime


def test_a_request_changing_its_session_does_not_change_what_the_next_one_opens(app):
    cookie = cookie_of(app, {"csrf_token": "a" * 40, "counted": ["2026-12-02:9000"]})
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        session["csrf_token"] = "changed"
        session["counted"].append("2026-12-02:9300")
    assert opened(app, cookie) == {"csrf_token": "a" * 40, "counted": ["2026-12-02:9000"]}
    plain = cookie_of(app, {"csrf_token": "b" * 40})
    with app.test_request_context("/", headers={"Cookie": f"session={plain}"}):
        session["csrf_token"] = "changed"
        session.pop("csrf_token")
    assert opened(app, plain) == {"csrf_token": "b" * 40}


def test_a_browser_keeps_one_signed_token_and_it_works(client, versions):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    paths = ("/help", "/status", "/help", "/status", "/volunteers/become", "/help")
    tokens = [CSRF_RE.search(text(client.get(path))) for path in paths]
    # Pages from memory carry the signature made for this browser's first page, not a new one each.
    from_memory = {token.group(1) for token in tokens[2:] if token}
    assert len(from_memory) == 1 and tokens[0].group(1) in from_memory
    sent = client.submit("/help", online_form())
    assert sent.status_code == 302 and "/help/confirmation" in sent.headers["Location"]


def test_tokens_are_signed_anew_when_they_expire_or_the_key_changes(app, client, versions):
    from digibuddy.core.csrf import csrf_token

    client.get("/status")
    with client.raw.session_transaction() as stored:
        raw = stored["csrf_token"]

    def signed():
        with app.test_request_context("/"):
            g.pop("csrf_token", None)  # the tests keep one app context (and so one `g`) open
            session["csrf_token"] = raw
            return csrf_token()

    first = signed()
    assert signed() == first
    key = app.secret_key
    app.secret_key = "another-secret"
    try:
        assert signed() != first
    finally:
        app.secret_key = key
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    try:
        import time

        time.sleep(1.1)  # a token carries the second it was signed in
        assert signed() != first
    finally:
        app.config["WTF_CSRF_TIME_LIMIT"] = None


@pytest.fixture
def versions(app):
    page_cache.ensure_versions()


def rename_network(name: str, notify: bool = True) -> None:
    with db.engine.begin() as conn:  # another host's transaction, as its ORM session commits it
        conn.execute(sa.update(LocalNetwork).values(name=name))
        conn.execute(sa.update(page_cache.DataVersion).values(version=name[:32]))
        if notify and conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"NOTIFY {page_cache.CHANNEL}"))
    db.session.expire_all()


def test_versions_are_read_again_after_the_engine_is_disposed(client, versions):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    assert "Digibuddy Gent" in text(client.get("/"))
    db.engine.dispose()
    rename_network("Digibuddy Gentbrugge")
    assert "Digibuddy Gentbrugge" in text(client.get("/"))


def test_a_lost_version_connection_is_replaced_on_the_next_page(client, versions, backend):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    assert "Digibuddy Gent" in text(client.get("/"))
    _pid, readers = page_cache._readers.connections
    if backend == "postgresql":  # the server ends it, as a restart or an idle timeout would
        pid = readers[db.engine].connection.info.backend_pid
        with db.engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})  # waits for it
    else:
        readers[db.engine].connection.close()
    rename_network("Digibuddy Sint-Amandsberg")
    assert "Digibuddy Sint-Amandsberg" in text(client.get("/"))


def test_a_forked_worker_opens_its_own_connection_and_leaves_the_parents_open(client, versions, monkeypatch):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    client.get("/")
    _pid, readers = page_cache._readers.connections
    parents = readers[db.engine].connection
    monkeypatch.setattr(page_cache.os, "getpid", lambda: -1)  # as in a child gunicorn forked
    try:
        rename_network("Digibuddy Ledeberg")
        assert "Digibuddy Ledeberg" in text(client.get("/"))
        assert page_cache._readers.connections[1][db.engine].connection is not parents
        cursor = parents.cursor()
        cursor.execute("SELECT 1")  # still open: closing it in a child would end the parent's
        assert cursor.fetchall() == [(1,)]
        cursor.close()
    finally:
        page_cache._close_readers(db.engine)  # the pretend child's
        monkeypatch.undo()
        page_cache._INHERITED.clear()
        del page_cache._readers.connections
        parents.close()


@pytest.mark.parametrize("https", [False, True])
def test_security_headers_are_those_flask_talisman_builds(app, https):
    import flask_talisman
    from flask import Response

    from digibuddy.extensions import talisman

    sent = {"X-Forwarded-Proto": "https"} if https else {}
    hsts = talisman.strict_transport_security
    talisman.strict_transport_security = True  # as in production
    talisman._headers_of.clear()
    try:
        for path in ("/", "/help", "/status", "/login", "/home", "/no-such-page", "/static/css/app.css"):
            for _twice in (1, 2):  # worked out, then from memory
                with app.test_request_context(path, headers=sent):
                    ours, theirs = Response("page"), Response("page")
                    ours.headers["Cache-Control"] = theirs.headers["Cache-Control"] = "no-store"
                    ours.headers["X-Frame-Options"] = theirs.headers["X-Frame-Options"] = "SAMEORIGIN"
                    talisman._set_response_headers(ours)
                    flask_talisman.Talisman._set_response_headers(talisman, theirs)
                    assert sorted(ours.headers.items()) == sorted(theirs.headers.items()), path
                    assert ours.headers["X-Frame-Options"] == "DENY"
                    assert ("Strict-Transport-Security" in ours.headers) is https
    finally:
        talisman.strict_transport_security = hsts
        talisman._headers_of.clear()


def test_hooks_are_called_as_flask_calls_them_and_async_ones_still_get_flasks_answer(app):
    import flask

    def plain():
        return "plain"

    async def waiting():
        return "async"

    assert app.ensure_sync(plain) is plain and app.ensure_sync(plain) is plain
    for _twice in (1, 2):
        try:
            expected = flask.Flask.ensure_sync(app, waiting)
        except RuntimeError as error:  # Flask without its async extra refuses async views
            with pytest.raises(RuntimeError, match=str(error)[:30]):
                app.ensure_sync(waiting)
        else:
            assert app.ensure_sync(waiting) is not waiting and expected is not waiting


def test_another_hosts_change_shows_once_notified_or_after_max_age(client, versions, monkeypatch):
    NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    assert "Digibuddy Gent" in text(client.get("/"))
    # Another host's ORM transaction: its commit renews the version and notifies every listener.
    with sa.orm.Session(db.engine) as elsewhere:
        elsewhere.execute(sa.update(LocalNetwork).values(name="Digibuddy Oostakker"))
        elsewhere.commit()
    db.session.expire_all()
    import time

    for _wait in range(50):  # the notification travels through the server: allow it a moment
        if "Digibuddy Oostakker" in text(client.get("/")):
            break
        time.sleep(0.01)
    assert "Digibuddy Oostakker" in text(client.get("/"))
    # A version changed without notification (raw SQL elsewhere, a lost notification): at most MAX_AGE late.
    rename_network("Digibuddy Wondelgem", notify=False)
    now = time.monotonic()
    monkeypatch.setattr(page_cache, "_clock", lambda: now + page_cache.MAX_AGE + 0.1)
    assert "Digibuddy Wondelgem" in text(client.get("/"))


def test_this_process_sees_its_own_change_on_its_next_page_without_waiting(client, versions):
    network = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    assert "Digibuddy Gent" in text(client.get("/"))
    network.name = "Digibuddy Drongen"
    db.session.commit()
    assert "Digibuddy Drongen" in text(client.get("/"))  # no sleep: this commit marked the readers
