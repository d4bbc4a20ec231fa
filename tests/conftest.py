"""Test fixtures: the app on a fresh database per backend (SQLite always, PostgreSQL when reachable),
schema built by the Alembic migrations, reference data loaded once, every other table emptied
after each test."""

import os
import re
import socket
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_migrate import upgrade

from digibuddy import create_app
from digibuddy.extensions import db
from tests.browser import chromium, live_server, page  # noqa: F401 - one browser for the whole run

REFERENCE_TABLES = {
    "municipalities",
    "postcodes",
    "languages",
    "topic_groups",
    "topics",
    "alembic_version",
}
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TEST_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


def _postgres_reachable() -> bool:
    if os.environ.get("TEST_DATABASE_URL"):
        return True
    if os.environ.get("DIGIBUDDY_TEST_SKIP_POSTGRES"):
        return False
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


BACKENDS = ["sqlite"] + (["postgresql"] if _postgres_reachable() else [])


def _create_postgres_database() -> tuple[str, callable]:
    """A fresh, uniquely named database; TEST_DATABASE_URL names the server (its database is the admin
    one)."""
    admin_url = os.environ.get("TEST_DATABASE_URL", PG_ADMIN_URL)
    admin_url = (
        admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
        if admin_url.startswith("postgresql://")
        else admin_url
    )
    name = f"digibuddy_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop():
        with engine.connect() as conn:
            conn.execute(
                sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        engine.dispose()

    return url, drop


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request):
    if request.param == "sqlite":
        folder = tempfile.mkdtemp(prefix="digibuddy-test-")
        yield f"sqlite:///{Path(folder) / 'test.sqlite'}"
    else:
        url, drop = _create_postgres_database()
        yield url
        drop()


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
        "MAIL_BACKEND": "smtp",
        "DEV_MESSAGES_PAGE": False,  # a test that needs the development messages page turns it on
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 2525,
        "RATELIMIT_ENABLED": True,
        # One PBKDF2 round instead of scrypt (~0.2 s per hash and per log-in); production keeps scrypt
        # (test_accounts.py checks the settings).
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _schema(database_url):
    """Build the schema with the migrations and load reference data, once per backend."""
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        from digibuddy.reference.loader import load_all

        load_all()
        db.session.remove()
        db.engine.dispose()
    return database_url


@pytest.fixture
def app(_schema):
    app = make_app(_schema)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables():
    """Every table but the reference data empty again, its identities restarted, the training seeded.

    One query finds the tables holding rows; only those are emptied (children first). A TRUNCATE of all
    ~50 tables cost about a second per test on PostgreSQL (it replaces every table's files), a DELETE of the
    few a test wrote to a few milliseconds."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    with db.engine.begin() as conn:
        holding_rows = sa.union_all(
            *(sa.select(sa.literal(t.name)).where(sa.exists().select_from(t)) for t in tables)
        )
        written = set(conn.execute(holding_rows).scalars())
        for table in tables:
            if table.name in written:
                conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            # What TRUNCATE ... RESTART IDENTITY did: each used sequence of these tables starts again.
            conn.execute(_RESTART_USED_SEQUENCES, {"tables": [t.name for t in tables]})
    _seed_training()


_RESTART_USED_SEQUENCES = sa.text(
    """
    SELECT setval(s.seqrelid, s.seqstart, false)
    FROM pg_sequence s
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    JOIN pg_class t ON t.oid = d.refobjid
    WHERE t.relname = ANY(:tables) AND t.relnamespace = current_schema()::regnamespace
        AND pg_sequence_last_value(s.seqrelid) IS NOT NULL
    """
)


def _seed_training():
    """The training modules may belong to a local network, so they are emptied with the rest; the seeded
    ones come back as loaded (the same ids: the identities restart)."""
    from digibuddy.reference.loader import LoadReport
    from digibuddy.volunteers.services import load_training_modules

    load_training_modules(LoadReport())
    db.session.commit()
    db.session.remove()


@pytest.fixture
def english(app):
    """Messages raised by services in English, so a test can match them (the default locale is Dutch)."""
    with force_locale("en"):
        yield


@pytest.fixture
def backend(app):
    return db.engine.dialect.name


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """A test client that behaves like a browser: it reads the CSRF token from the form it was shown."""

    def __init__(self, flask_client):
        self._client = flask_client

    @property
    def raw(self):
        # The tests keep one app context open, so Flask's `g` would carry the logged-in user and
        # the locale from one request to the next: start every request with an empty `g`.
        from flask import g

        for key in list(vars(g._get_current_object())):
            delattr(g, key)
        return self._client

    def get(self, url, **kwargs):
        return self.raw.get(url, **kwargs)

    def post(self, url, data=None, **kwargs):
        return self.raw.post(url, data=data, **kwargs)

    def csrf_token(self, url):
        response = self.raw.get(url)
        match = CSRF_RE.search(response.get_data(as_text=True))
        assert match, f"no CSRF token in the form at {url} (status {response.status_code})"
        return match.group(1)

    def submit(self, url, data=None, form_url=None, **kwargs):
        """GET the page holding the form (default: `url`), then POST `data` with its CSRF token."""
        data = dict(data or {})
        data["csrf_token"] = self.csrf_token(form_url or url)
        return self.raw.post(url, data=data, **kwargs)

    def login(self, user, password="password-123456"):
        response = self.submit("/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    def logout(self):
        token = self.csrf_token("/home")
        return self.raw.post("/logout", data={"csrf_token": token})


@pytest.fixture
def client(app):
    return Client(app.test_client())


@pytest.fixture
def make_client(app):
    return lambda: Client(app.test_client())


def text(response) -> str:
    return response.get_data(as_text=True)
