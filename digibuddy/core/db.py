"""Small database helpers shared by every area: timestamps, enum columns, retrying racing writes."""

import enum
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError, OperationalError

from ..extensions import db
from .exceptions import DomainError

T = TypeVar("T")


def utcnow() -> datetime:
    """Naive UTC 'now': every timestamp is stored as naive UTC and shown in Europe/Brussels."""
    return datetime.now(UTC).replace(tzinfo=None)


def in_ids(column, ids):
    """`column IN ids`; on PostgreSQL one array parameter, since thousands of separate parameters (the batch
    proposal loads every volunteer of the region) cost more to send than the query takes to run."""
    ids = list(ids)
    if db.engine.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, ids, type_=postgresql.ARRAY(sa.Integer)))
    return column.in_(ids)


def in_param(column, name: str, item_type=sa.Integer):
    """`column IN :name` for a statement built once and run with many lists: on PostgreSQL one array
    parameter, so that the statement's text (and the plan PostgreSQL prepares for it) is the same whatever
    the list's length; elsewhere a list expanded when the statement runs."""
    if db.engine.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(name, type_=postgresql.ARRAY(item_type)))
    return column.in_(sa.bindparam(name, expanding=True))


def tagged_union(columns: dict, branches: dict):
    """Several small SELECTs of different shapes as one statement (UNION ALL), to read in one round trip
    instead of one each: `columns` names the shared columns and their types; `branches` maps each branch's
    tag to (its values by column name, its conditions), a column it does not give being a NULL of the
    column's type (PostgreSQL matches the branches' types pairwise). Each row is (tag, *columns). Build it
    once with bound parameters (see `built`) and run it with their values."""
    selects = [
        sa.select(
            sa.literal(tag, sa.String).label("tag"),
            *(
                (sa.type_coerce(values[name], type_) if name in values else sa.cast(sa.null(), type_)).label(
                    name
                )
                for name, type_ in columns.items()
            ),
        ).where(*conditions)
        for tag, (values, conditions) in branches.items()
    ]
    return sa.union_all(*selects)


# The statements built(), the most recently used last; at most BUILT_KEPT of them. A dashboard's range and
# networks keep about ten, some 57 kB each (measured with tracemalloc on the demo dashboard over 20 ranges):
# 512 hold the dashboards of some fifty networks and ranges, about 30 MB per worker at most.
_BUILT: OrderedDict[tuple, object] = OrderedDict()
_BUILT_LOCK = threading.Lock()
BUILT_KEPT = 512


def built(key, build: Callable[[], T]) -> T:
    """The statement `build()` makes, built once per process and database dialect and kept for the next
    call with the same key: building a statement costs more CPU than running it on a request's few rows.
    Its values are bound parameters given at execution, or values the key names (a dashboard's range and
    networks): the BUILT_KEPT statements used most recently are kept."""
    key = (db.engine.dialect.name, key)
    with _BUILT_LOCK:
        found = _BUILT.get(key)
        if found is not None:
            _BUILT.move_to_end(key)
            return found
    found = build()
    with _BUILT_LOCK:
        _BUILT[key] = found
        while len(_BUILT) > BUILT_KEPT:
            _BUILT.popitem(last=False)
    return found


# Rows made from a result at a time by rows_in_parts: few enough that a young collection seldom finds a part
# still in use (and so moves it to an older generation). 1,000 let 11,500 of the network dashboard's rows
# through to the oldest generation, 200 some 2,300, at the same CPU.
PART_ROWS = 200


def rows_in_parts(result):
    """The rows of `result` (all of them, in order), made PART_ROWS at a time from what the database sent.
    A statement's 40,000 rows made at once (.all()) live long enough to be moved to the garbage collector's
    oldest generation, and so many objects moved there start a full collection of every object in the process
    (~0.1 s at each network dashboard); made a part at a time, each part is freed before the next."""
    for part in result.partitions(PART_ROWS):
        yield from part


def enum_type(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A VARCHAR column with a CHECK constraint listing the allowed values (same on SQLite and PG)."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda e: [member.value for member in e],
        length=max(len(member.value) for member in enum_cls),
    )


def weekday_check(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} BETWEEN 0 AND 6", name=f"{column}_range")


def retry_on_conflict(
    operation: Callable[[], T],
    *,
    on_duplicate: Callable[[], Exception] | None = None,
    fresh_transaction: bool = False,
    attempts: int = 5,
) -> T:
    """Run a write that races others (the last place, the one accepted offer) until it gets through.

    A write conflict (SQLite busy for too long, a PostgreSQL serialization failure) rolls back and tries
    again after a short random pause, at most `attempts` times. A unique constraint that fails is not
    retried: it raises `on_duplicate()` when given, else the database error. A DomainError rolls back
    and is raised as it is. `fresh_transaction` commits before each try, so that the write starts a new
    transaction (SQLite then waits for the write lock instead of failing on a stale snapshot)."""
    for attempt in range(attempts):
        if fresh_transaction:
            db.session.commit()
        try:
            return operation()
        except DomainError:
            db.session.rollback()
            raise
        except IntegrityError:
            db.session.rollback()
            if on_duplicate is None:
                raise
            raise on_duplicate() from None
        except OperationalError:
            db.session.rollback()
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))
    raise AssertionError("unreachable")


class PhoneNumber(sa.types.TypeDecorator):
    """A phone number column: whatever form a number is written in, it is stored (and compared) in E.164,
    so '0470 12 34 56' and '+32 470 12 34 56' are the same number. Text that is no valid number (old data)
    is kept as it was; forms refuse it before it gets here."""

    impl = sa.String(32)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        from .phones import stored_phone

        return stored_phone(value)
