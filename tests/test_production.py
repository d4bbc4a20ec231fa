"""Production set-up: health and readiness endpoints, the refusal of an example SECRET_KEY, the gunicorn
settings read from the environment, and gunicorn serving the application with them."""

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import event

from digibuddy import create_app
from digibuddy.extensions import db
from digibuddy.health import checks
from digibuddy.settings import ConfigurationError
from tests.conftest import make_app
from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE_POSTGRES = "postgresql+psycopg://nobody@127.0.0.1:1/none"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_healthz_answers_without_touching_the_database(app):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = app.test_client().get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert statements == []


def test_healthz_answers_and_readyz_refuses_when_the_database_is_away():
    away = make_app(UNREACHABLE_POSTGRES)
    client = away.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "not ready",
        "checks": {"database": "unavailable", "redis": "not configured"},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_answers_ready_on_a_migrated_database(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "schema": "ok", "redis": "not configured"},
    }


def test_readyz_refuses_while_the_migrations_of_this_release_have_not_run(app, monkeypatch):
    monkeypatch.setattr(checks, "migration_heads", lambda directory: frozenset({"9999_next_release"}))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["schema"] == "behind"


def test_readyz_refuses_when_redis_is_configured_but_away(_schema):
    response = make_app(_schema, RATELIMIT_STORAGE_URI=UNREACHABLE_REDIS).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "schema": "ok", "redis": "unavailable"}


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_readyz_checks_redis_when_configured(_schema):
    response = (
        make_app(_schema, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/14").test_client().get("/readyz")
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"]["redis"] == "ok"


@pytest.mark.parametrize("key", [None, "", "change-me", "CHANGEME", "secret", "short-but-not-an-example"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, key):
    monkeypatch.setenv("DIGIBUDDY_ENV", "production")
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_an_example_key_given_as_configuration(monkeypatch):
    monkeypatch.setenv("DIGIBUDDY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    with pytest.raises(ConfigurationError):
        create_app({"SECRET_KEY": "change-me"})


def test_production_starts_with_a_generated_secret_key(monkeypatch, _schema):
    monkeypatch.setenv("DIGIBUDDY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k3Jx9" * 10)
    monkeypatch.setenv("DATABASE_URL", _schema)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.test_client().get("/healthz").status_code == 200


def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_BIND", "PORT", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    settings = _gunicorn_settings(
        monkeypatch, PORT="9123", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="45", ACCESS_LOG=""
    )
    assert settings["bind"] == ["0.0.0.0:9123"]
    assert settings["workers"] == 3
    assert settings["timeout"] == 45
    assert settings["accesslog"] is None
    defaults = _gunicorn_settings(monkeypatch)
    assert defaults["bind"] == ["0.0.0.0:8000"]
    assert defaults["workers"] == os.cpu_count() * 2 + 1
    assert defaults["accesslog"] == "-"
    assert defaults["preload_app"] is True
    assert "%(q)s" not in defaults["access_log_format"]  # a status look-up's query names a reference code


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_serving(base: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.communicate()[0])
        try:
            if _get(base + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"gunicorn did not answer on {base} within {seconds} s")


def test_gunicorn_serves_the_application_with_these_settings(app, backend):
    if backend != "sqlite":
        pytest.skip("once is enough: the several-hosts test runs gunicorn on PostgreSQL")
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        SECRET_KEY="test-secret",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        assert _get(base + "/readyz")[0] == 200
        status, body = _get(base + "/status?code=ABCD-EFGH")
        assert status == 200 and b"<html" in body
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert '"GET /readyz HTTP/1.1" 200' in output, output
    assert '"GET /status HTTP/1.1" 200' in output, output
    assert "ABCD-EFGH" not in output
