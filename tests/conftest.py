"""Test fixtures: the app on a fresh database per backend (SQLite always, PostgreSQL when reachable),
schema built by the Alembic migrations, reference data loaded once, every other table emptied
after each test."""

import copy
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
from werkzeug.utils import cached_property

from digibuddy import create_app, extensions
from digibuddy.extensions import db, limiter
from tests.browser import chromium, live_server, page  # noqa: F401 - one browser for the whole run

REFERENCE_TABLES = {
    "municipalities",
    "postcodes",
    "languages",
    "topic_groups",
    "topics",
    "alembic_version",
}
# The Flask extension objects, one per process: create_app (init_app) sets them up for its app.
EXTENSION_OBJECTS = [
    extensions.db,
    extensions.migrate,
    extensions.login_manager,
    extensions.csrf,
    extensions.babel,
    extensions.limiter,
    extensions.talisman,
]
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


class _AppAsBuilt:
    """The app of every test, as create_app builds it, built once per backend.

    create_app costs 0.1-0.2 s (Werkzeug compiles a URL builder for each of ~175 routes), a tenth of the
    suite. Before each test the app is put back as create_app left it: its configuration (a test may
    change it), the caches it keeps in app.extensions (e.g. the most asked topics), and the settings
    create_app gave the extension objects, which are one per process (a test's own make_app changes them:
    Talisman's headers, the Limiter's storage); the Limiter gets fresh in-memory counters through
    Limiter.init_app, as in create_app (its hooks are registered once per app). Whatever else a test changed
    on the app (a hook, a route, a Jinja global, any attribute) shows in `_shape`, and the next test then
    gets a newly built app."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.app = None

    def get(self):
        if self.app is None:
            self.app = make_app(self.database_url)
            self.config = copy.deepcopy(dict(self.app.config))
            self.extensions = dict(self.app.extensions)
            self.extension_objects = {id(ext): (ext, dict(vars(ext))) for ext in EXTENSION_OBJECTS}
            self.shape = _shape(self.app)
            return self.app
        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        app.extensions.clear()
        app.extensions.update(self.extensions)
        for ext, state in self.extension_objects.values():
            vars(ext).clear()
            vars(ext).update(state)
        limiter.init_app(app)
        return app

    def check(self) -> None:
        if _shape(self.app) != self.shape:
            self.app = None


def _shape(app) -> dict:
    """Everything about an app a test could change, apart from its configuration and extension caches."""
    shape = {
        name: id(value)
        for name, value in vars(app).items()
        if name != "_got_first_request" and not isinstance(getattr(type(app), name, None), cached_property)
    }  # (a cached property such as jinja_loader appears on first use)
    for name in (
        "before_request_funcs",
        "after_request_funcs",
        "teardown_request_funcs",
        "template_context_processors",
        "url_value_preprocessors",
        "url_default_functions",
    ):
        shape[name + "[]"] = {scope: list(funcs) for scope, funcs in getattr(app, name).items() if funcs}
    shape["error_handler_spec[]"] = {  # defaultdicts, like the above: a look-up adds an empty entry
        (scope, code): dict(handlers)
        for scope, codes in app.error_handler_spec.items()
        for code, handlers in codes.items()
        if handlers
    }
    shape["teardown_appcontext_funcs[]"] = list(app.teardown_appcontext_funcs)
    shape["view_functions[]"] = dict(app.view_functions)
    shape["blueprints[]"] = dict(app.blueprints)
    shape["url_map[]"] = [(rule.rule, rule.endpoint, rule.methods) for rule in app.url_map.iter_rules()]
    shape["limiter[]"] = set(app.extensions.get("limiter", ()))
    env = app.jinja_env
    shape["jinja[]"] = (dict(env.globals), dict(env.filters), dict(env.tests), list(env.extensions))
    return shape


@pytest.fixture(scope="session")
def _apps():
    return {}


@pytest.fixture
def app(_schema, _apps):
    built = _apps.setdefault(_schema, _AppAsBuilt(_schema))
    app = built.get()
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()
    built.check()


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
