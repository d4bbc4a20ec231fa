"""Public pages rendered once per language and data version, then served from memory to every visitor.

A page such as the home page or the request form shows the same thing to every visitor who is not logged
in and sends no query string: only the language and a few tables (the networks, the topic catalogue) change
it, and its CSRF token (one per browser session). Such a view is marked `@cached_for_visitors("group")`:
its page is kept per path and language with the data version of each group it shows, and served again with
the visitor's own CSRF token while those versions stand. Everything around the view (locale selection,
session, security headers, no-store for personal pages) runs as for any page.

A data version is a random token per group in `data_versions`, replaced in the same transaction as any
change through the ORM session to a table watched for that group (`watch`): a flush of a changed object or
an ORM insert, update or delete statement. So every process and every host sees a change on its next page
(on PostgreSQL: its next page once the commit's notification has reached it, see `_Reader`; at most
MAX_AGE later if a notification is lost), and a page cached under a version always shows that version's
data (the version is read before the page's own queries). A change made with raw SQL outside the session
is not seen: call `data_changed(group)` in that transaction. Without a version row (a database never
warmed up, tables emptied) nothing is cached.
"""

import contextlib
import os
import re
import threading
import time
import uuid
from functools import wraps
from itertools import chain

import sqlalchemy as sa
from flask import current_app, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.pool import SingletonThreadPool, StaticPool

from ..extensions import db
from .csrf import csrf_token

CACHE_KEY = "digibuddy.page_cache"
CHANGED_KEY = "digibuddy.data_changed"  # in Session.info: the groups this transaction changed
RENEWED_KEY = "digibuddy.versions_renewed"  # in Session.info: this transaction renewed a version
_WATCHED: dict[str, set[str]] = {}  # table name -> the groups it is part of
_GROUPS: set[str] = set()


class DataVersion(db.Model):
    """The current version of a group of tables that cached pages show (see the module docstring)."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(32))


_READ_VERSIONS = f"SELECT name, version FROM {DataVersion.__tablename__}"


def watch(group: str, *models) -> None:
    """Pages cached for `group` show rows of these models (their tables): a change to one renews it."""
    _GROUPS.add(group)
    for model in models:
        table = model if isinstance(model, sa.Table) else model.__table__
        _WATCHED.setdefault(table.name, set()).add(group)


def data_changed(group: str, session: Session | None = None) -> None:
    """Renew `group`'s version when this transaction commits (for changes the session cannot see)."""
    (session or db.session()).info.setdefault(CHANGED_KEY, set()).add(group)


def ensure_versions() -> None:
    """Give every watched group a version (at start-up), so that its pages can be cached."""
    existing = set(db.session.scalars(sa.select(DataVersion.name)))
    for group in sorted(_GROUPS - existing):
        db.session.execute(_upsert(db.session, group, only_if_missing=True))
    db.session.commit()


def _upsert(session: Session, group: str, only_if_missing: bool = False):
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    statement = insert(DataVersion).values(name=group, version=uuid.uuid4().hex)
    if only_if_missing:
        return statement.on_conflict_do_nothing(index_elements=["name"])
    return statement.on_conflict_do_update(
        index_elements=["name"], set_={"version": statement.excluded.version}
    )


def _note(session: Session, tables) -> None:
    groups = set().union(*(_WATCHED.get(table.name, ()) for table in tables))
    if groups:
        session.info.setdefault(CHANGED_KEY, set()).update(groups)


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session, _flush_context, _instances):
    for instance in chain(session.new, session.dirty, session.deleted):
        _note(session, sa.inspect(instance).mapper.tables)


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state):
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None:
            _note(state.session, [table])


@event.listens_for(Session, "before_commit")
def _renew_versions(session):
    """The last statements before COMMIT: the version rows are locked only while the commit takes."""
    if not _WATCHED:
        return
    session.flush()
    groups = sorted(session.info.pop(CHANGED_KEY, ()))
    for group in groups:
        session.execute(_upsert(session, group))
    if groups:
        session.info[RENEWED_KEY] = True
        if session.get_bind().dialect.name == "postgresql":
            session.execute(sa.text(f"NOTIFY {CHANNEL}"))  # sent to every listener once this commits


@event.listens_for(Session, "after_commit")
def _versions_renewed_here(session):
    """This process's own next page reads the new versions, without waiting for the notification."""
    if session.info.pop(RENEWED_KEY, False):
        for readers in _ALL_READERS.values():
            for pid, reader in readers:
                if pid == os.getpid():
                    reader.changed()


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(CHANGED_KEY, None)


def _versions(groups) -> tuple | None:
    rows = dict(_read_versions())
    found = tuple(rows.get(group) for group in groups)
    return None if None in found else found


# The version read made on every page, on a connection of its own per process and thread, outside the pool,
# in autocommit: through the ORM session it cost more than a page served from memory (140 us against 11 us on
# SQLite), and a pooled connection is pinged before use, starts a transaction and rolls it back when handed
# back, each a round trip on PostgreSQL (four for one read). On SQLite the versions are read on every page
# (a few microseconds). On PostgreSQL even one round trip per page cost a third of the throughput under
# load, so the reading connection LISTENs on CHANNEL, every commit that renews a version sends NOTIFY (in
# the same transaction, so it arrives once the change is committed), and a page reads the versions again
# only when a notification has arrived, when this process committed a change itself, or when the last
# read is MAX_AGE old (a notification lost with a silently broken connection costs at most that).
# One more connection per worker on PostgreSQL.
CHANNEL = "digibuddy_data_versions"
MAX_AGE = 1.0  # seconds
_clock = time.monotonic
_readers = threading.local()
_INHERITED: list = []  # a parent's connections, kept open: closing one in a child ends the parent's
_ALL_READERS: dict = {}  # engine -> [(pid, reader)], to close when the engine is disposed


class _Reader:
    def __init__(self, engine):
        self.connection = _reader_connection(engine)
        self.listening = engine.dialect.name == "postgresql"
        self.changes = 0  # notifications seen (and commits of this process)
        self.rows: list | None = None
        self.read_at = 0.0
        if self.listening:
            from psycopg import OperationalError
            from psycopg.pq import ConnStatus

            self._ok, self._lost = ConnStatus.OK, OperationalError
            self.connection.add_notify_handler(self.changed)  # notifications met while reading
            self.connection.execute(f"LISTEN {CHANNEL}")

    def changed(self, _notification=None) -> None:
        self.changes += 1
        self.rows = None

    def read(self) -> list:
        if self.listening and self.rows is not None:
            pgconn = self.connection.pgconn
            # What has arrived, without waiting; raises once the connection is lost. Twice: a server ending
            # the connection sends a last message, then closes, and libpq sees the close on the next read.
            pgconn.consume_input()
            pgconn.consume_input()
            if pgconn.status != self._ok:
                raise self._lost("the version reader lost its connection")
            while pgconn.notifies() is not None:
                self.changed()
            if self.rows is not None and _clock() - self.read_at < MAX_AGE:
                return self.rows
        seen, read_at = self.changes, _clock()
        rows = _read_on(self.connection)
        if self.listening and self.changes == seen:  # no change announced while reading
            self.rows, self.read_at = rows, read_at
        return rows


def _read_versions() -> list:
    engine = db.engine
    if isinstance(engine.pool, (StaticPool, SingletonThreadPool)):  # one shared connection (in-memory SQLite)
        return _read_pooled(engine)
    held = getattr(_readers, "connections", None)
    if held is None or held[0] != os.getpid():
        if held is not None:
            _INHERITED.append(held)
        held = _readers.connections = (os.getpid(), {})
    for attempt in (1, 2):
        reader = held[1].get(engine)
        if reader is None:
            reader = held[1][engine] = _Reader(engine)
            _ALL_READERS.setdefault(engine, []).append((os.getpid(), reader))
        try:
            return reader.read()
        except engine.dialect.loaded_dbapi.Error:
            # The server dropped the connection, or the engine was disposed: once more on a new one.
            held[1].pop(engine, None)
            _close_reader(engine, reader)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _read_on(connection) -> list:
    cursor = connection.cursor()
    try:
        cursor.execute(_READ_VERSIONS)
        return cursor.fetchall()
    finally:
        cursor.close()


def _read_pooled(engine) -> list:
    connection = engine.raw_connection()
    try:
        return _read_on(connection)
    finally:
        connection.close()  # back to the pool


def _reader_connection(engine):
    """A DBAPI connection made as the pool makes them (the same connect events), taken out of the pool."""
    pooled = engine.raw_connection()
    pooled.detach()
    connection = pooled.dbapi_connection
    if engine.dialect.name == "sqlite":
        connection.isolation_level = None  # autocommit: each SELECT sees the last commit
    else:
        connection.autocommit = True
    if not event.contains(engine, "engine_disposed", _close_readers):
        event.listen(engine, "engine_disposed", _close_readers)
    return connection


def _close_reader(engine, reader) -> None:
    readers = _ALL_READERS.get(engine, [])
    if (os.getpid(), reader) in readers:
        readers.remove((os.getpid(), reader))
    with contextlib.suppress(Exception):  # a broken connection may refuse to close: dropped all the same
        reader.connection.close()


def _close_readers(engine) -> None:
    """The engine was disposed (the warm-up before gunicorn forks, a test's end): close this process's
    version readers of it too, so that no connection outlives the pool and the next read opens a new one."""
    for pid, reader in list(_ALL_READERS.get(engine, [])):
        if pid == os.getpid():
            _close_reader(engine, reader)
    held = getattr(_readers, "connections", None)
    if held is not None and held[0] == os.getpid():
        held[1].pop(engine, None)


def _for_every_visitor() -> bool:
    """This request gets the page every visitor gets: no log-in, no query string, no message to show."""
    return (
        request.method in ("GET", "HEAD")
        and not request.query_string
        and "_flashes" not in session
        and not current_user.is_authenticated
    )


def cached_for_visitors(*groups: str, key=None):
    """Serve the view's page from memory for visitors (see the module docstring). `key`, if given, returns
    what else the page depends on (kept in memory by the process, for example an hourly ranking)."""
    from .i18n import current_locale

    unknown = set(groups) - _GROUPS
    if unknown:
        raise ValueError(f"no tables are watched for {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not _for_every_visitor():
                return view(*args, **kwargs)
            # Read before the view's own queries (see the module docstring); a page of no group, no query.
            versions = _versions(groups) if groups else ()
            if versions is None:
                return view(*args, **kwargs)
            pages = current_app.extensions.setdefault(CACHE_KEY, {})
            slot = (request.path, current_locale())
            valid_for = (versions, key() if key else None)
            stored = pages.get(slot)
            if stored is not None and stored[0] == valid_for:
                return _with_token(stored[1]), 200
            answer = view(*args, **kwargs)
            page, status = answer if isinstance(answer, tuple) else (answer, 200)
            if status == 200 and isinstance(page, str):
                page = compact(page)
                pages[slot] = (valid_for, _without_token(page))
                return (page, *answer[1:]) if isinstance(answer, tuple) else page
            return answer

        return wrapped

    return decorator


_SPACE_RUNS = re.compile(r'(<(pre|textarea)\b.*?</\2>|"[^"]*")|[ \t]*\n\s*', re.S | re.I)


def compact(page: str) -> str:
    """The page with each run of white space that holds a line break cut to one line break: the template's
    indentation. A browser shows and reads it the same (HTML collapses such a run to one space), except
    inside <pre>, <textarea> and a quoted attribute value, which are left as they are (so is anything
    between two double quotes in the text: less is cut there, nothing changes). A page kept here must
    not use CSS `white-space: pre` outside those. The request form is ~20 % smaller (49 -> 39 kB)."""
    return _SPACE_RUNS.sub(lambda found: found.group(1) or "\n", page)


def _without_token(page: str) -> list[bytes]:
    """The page as UTF-8, cut where its CSRF token stood. A page with a character past Latin-1 (an Arabic
    language name, a dash) is a wide string, and for the request form (49 kB) encoding it took ~90 us and
    putting the token in with str.replace (or bytes.replace) as much again on every request; joining the
    pieces around the token takes ~2 us."""
    token = _csrf_token_of_this_request()
    encoded = page.encode("utf-8")
    return encoded.split(token.encode("ascii")) if token else [encoded]


def _with_token(pieces: list[bytes]) -> bytes:
    return csrf_token().encode("ascii").join(pieces) if len(pieces) > 1 else pieces[0]


def _csrf_token_of_this_request() -> str | None:
    """The token the page was rendered with (None for a page without a form), remembered for the next."""
    from flask import g

    return csrf_token() if current_app.config["WTF_CSRF_FIELD_NAME"] in g else None


def clear(app) -> None:
    """Forget every cached page of `app` (tests that change tables behind the session's back)."""
    app.extensions.pop(CACHE_KEY, None)
