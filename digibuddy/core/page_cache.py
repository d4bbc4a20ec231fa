"""Public pages rendered once per language and data version, then served from memory to every visitor.

A page such as the home page or the request form shows the same thing to every visitor who is not logged
in and sends no query string: only the language and a few tables (the networks, the topic catalogue) change
it, and its CSRF token (one per browser session). Such a view is marked `@cached_for_visitors("group")`:
its page is kept per path and language with the data version of each group it shows, and served again with
the visitor's own CSRF token while those versions stand. Everything around the view (locale selection,
session, security headers, no-store for personal pages) runs as for any page.

A data version is a random token per group in `data_versions`, replaced in the same transaction as any
change through the ORM session to a table watched for that group (`watch`): a flush of a changed object or
an ORM insert, update or delete statement. So every process and every host sees a change on its next page,
and a page cached under a version always shows that version's data (the version is read before the page's
own queries). A change made with raw SQL outside the session is not seen: call `data_changed(group)` in
that transaction. Without a version row (a database never warmed up, tables emptied) nothing is cached.
"""

import uuid
from functools import wraps
from itertools import chain

import sqlalchemy as sa
from flask import current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db

CACHE_KEY = "digibuddy.page_cache"
CHANGED_KEY = "digibuddy.data_changed"  # in Session.info: the groups this transaction changed
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
    for group in sorted(session.info.pop(CHANGED_KEY, ())):
        session.execute(_upsert(session, group))


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(CHANGED_KEY, None)


def _versions(groups) -> tuple | None:
    # Plain SQL on a pooled driver connection, not the ORM session: a read made on every page, which through
    # the session cost more than a page served from memory (140 us against 11 us on SQLite).
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(_READ_VERSIONS)
        rows = dict(cursor.fetchall())
        cursor.close()
    finally:
        connection.close()  # back to the pool
    found = tuple(rows.get(group) for group in groups)
    return None if None in found else found


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
                pages[slot] = (valid_for, _without_token(page))
            return answer

        return wrapped

    return decorator


def _without_token(page: str) -> list[bytes]:
    """The page as UTF-8, cut where its CSRF token stood. A page with a character past Latin-1 (an Arabic
    language name, a dash) is a wide string, and for the request form (49 kB) encoding it took ~90 us and
    putting the token in with str.replace (or bytes.replace) as much again on every request; joining the
    pieces around the token takes ~2 us."""
    token = _csrf_token_of_this_request()
    encoded = page.encode("utf-8")
    return encoded.split(token.encode("ascii")) if token else [encoded]


def _with_token(pieces: list[bytes]) -> bytes:
    return generate_csrf().encode("ascii").join(pieces) if len(pieces) > 1 else pieces[0]


def _csrf_token_of_this_request() -> str | None:
    from flask import g

    return g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))


def clear(app) -> None:
    """Forget every cached page of `app` (tests that change tables behind the session's back)."""
    app.extensions.pop(CACHE_KEY, None)
