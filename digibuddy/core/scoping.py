"""The one helper every view uses to scope queries on personal data to the caller's networks."""

from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from werkzeug.routing import BaseConverter, ValidationError

from ..extensions import db

MAX_ID = 2**31 - 1  # the largest INTEGER primary key on PostgreSQL


def caller_network_ids(*roles) -> set[int]:
    """The local networks the logged-in user belongs to (with one of `roles`, if given)."""
    if not current_user or not current_user.is_authenticated:
        return set()
    return current_user.network_ids(*roles)


def scope_clause(model, network_ids):
    """The WHERE clause that limits `model` to the given networks.

    Models reach their network either through a `network_id` column or by declaring the class method
    `in_networks(network_ids)` (a volunteer through their memberships, a session through its request)."""
    custom = getattr(model, "in_networks", None)
    if custom is not None:
        return custom(network_ids)
    return model.network_id.in_(network_ids)


def through(column, parent, network_ids):
    """The clause for a model that belongs to the network of the `parent` its `column` points to (an offer
    or a session through its request, a booking through its drop-in moment)."""
    return column.in_(sa.select(parent.id).where(scope_clause(parent, network_ids)))


def scoped(model, *roles, network_ids=None):
    """A SELECT of `model` limited to the caller's networks (optionally only those where they hold
    `roles`)."""
    ids = caller_network_ids(*roles) if network_ids is None else network_ids
    return sa.select(model).where(scope_clause(model, ids))


def actionable(model, *roles, assigned=None):
    """A SELECT of the `model` objects the caller may act on: those of the networks where they hold one of
    `roles`, and those assigned to them as a volunteer. `assigned(volunteer_id)` is the SQL condition for
    the latter; by default the model's class method `assigned_to`."""
    conditions = []
    network_ids = caller_network_ids(*roles)
    if network_ids:
        conditions.append(scope_clause(model, network_ids))
    volunteer = getattr(current_user, "volunteer_profile", None) if current_user.is_authenticated else None
    if volunteer is not None:
        conditions.append((assigned or model.assigned_to)(volunteer.id))
    return sa.select(model).where(sa.or_(*conditions) if conditions else sa.false())


def get_actionable_or_404(model, object_id, *roles, assigned=None):
    """The object if the caller may act on it (see `actionable`), else 404."""
    object_id = id_or_404(object_id)
    found = db.session.scalars(actionable(model, *roles, assigned=assigned).where(model.id == object_id))
    return found.first() or abort(404)


def id_or_none(value) -> int | None:
    """The primary key a posted field names (a hidden request_id), or None: text, zero and numbers past the
    column's range included."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or len(text) > 10 or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


def id_or_404(value) -> int:
    """The primary key an edited URL names, or 404: text, zero and numbers past the column's range
    included."""
    try:
        object_id = int(value)
    except (TypeError, ValueError):
        abort(404)
    if not 0 < object_id <= MAX_ID:  # larger numbers overflow the database driver
        abort(404)
    return object_id


EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2199, 12, 31)


def day_or_404(value) -> date:
    """The date an edited URL names (YYYY-MM-DD) within sensible years, or 404."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        abort(404)
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        abort(404)
    return day


class IdConverter(BaseConverter):
    """`<id:name>` in a URL rule: a primary key the database can hold, else the URL matches nothing (404)."""

    regex = r"\d{1,10}"

    def to_python(self, value: str) -> int:
        object_id = int(value)
        if not 0 < object_id <= MAX_ID:
            raise ValidationError()
        return object_id

    def to_url(self, value) -> str:
        return str(int(value))


def get_scoped_or_404(model, object_id, *roles, options=()):
    """The object if it belongs to one of the caller's networks, else 404 (never a hint that it exists);
    `options` are loader options for what the page shows of it."""
    object_id = id_or_404(object_id)
    obj = db.session.scalars(scoped(model, *roles).where(model.id == object_id).options(*options)).first()
    if obj is None:
        abort(404)
    return obj
