"""The network's audit log, read by its coordinators: who saw or changed whose personal data, when, from
where; filtered by user, record and period, a page at a time or as CSV. Entries are only ever added."""

import csv
import io
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts.models import Role, User
from ..audit.models import AuditEntry
from ..audit.services import PEOPLE, entries, person_records, record_list
from ..core.auth import role_required
from ..core.i18n import gettext as _
from ..core.i18n import lazy_gettext as _l
from ..core.scoping import MAX_ID, caller_network_ids
from ..core.time import to_local, to_utc
from ..extensions import db

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
ACTIONS = {
    "view": _l("viewed"),
    "list": _l("listed"),
    "show": _l("showed on request"),
    "merge": _l("merged"),
    "leave": _l("took off the waiting list"),
    "settings_changed": _l("changed"),
}
RECORDS = {
    "help_request": _l("request"),
    "help_session": _l("session"),
    "resident": _l("resident"),
    "volunteer_profile": _l("digibuddy"),
    "outbox_message": _l("message"),
    "dropin_day_list": _l("drop-in day list"),
    "dropin_waiting": _l("place on a waiting list"),
    "audit_log": _l("audit log"),
    "user": _l("account"),
    "network_settings": _l("network settings"),
}


def _cell(value) -> str:
    """A CSV cell a spreadsheet never runs as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _number(name) -> int | None:
    value = request.args.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) <= 10 and 0 < int(value) <= MAX_ID else None


def _day(name) -> tuple[date | None, str | None]:
    value = request.args.get(name, "").strip()
    if not value:
        return None, None
    try:
        return date.fromisoformat(value), None
    except ValueError:
        return None, _("Write a date as year-month-day, for example 2025-01-31.")


def _filters():
    """The filters of the query string, each ignored (with a message for dates) when it is not valid."""
    errors = {}
    since, errors["from"] = _day("from")
    until, errors["to"] = _day("to")
    object_type, object_id = None, None
    kind, _sep, number = request.args.get("object", "").partition(":")
    if kind and number.isdigit() and len(number) <= 10 and 0 < int(number) <= MAX_ID and len(kind) <= 40:
        object_type, object_id = kind, int(number)
    records = None
    kind, _sep, number = request.args.get("person", "").partition(":")
    if kind in PEOPLE and number.isdigit() and len(number) <= 10 and 0 < int(number) <= MAX_ID:
        records = person_records(kind, int(number))
    return {
        "records": records,
        "user_id": _number("user"),
        "object_type": object_type,
        "object_id": object_id,
        "since": to_utc(datetime.combine(since, time.min)) if since else None,
        "until": to_utc(datetime.combine(until + timedelta(days=1), time.min)) if until else None,
    }, {name: message for name, message in errors.items() if message}


def _users(network_ids) -> list[User]:
    """Everyone who appears in these networks' audit log, for the user filter."""
    ids = select(AuditEntry.user_id).where(AuditEntry.network_id.in_(network_ids)).distinct()
    return db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name)).all()


@bp.route("/audit")
@role_required(Role.COORDINATOR)
def index():
    network_ids = caller_network_ids(Role.COORDINATOR)
    filters, errors = _filters()
    stmt = entries(network_ids, **filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(_number("page") or 1, pages)
    rows = db.session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    users = _users(network_ids)
    names = {user.id: user.name for user in users}
    record_list(current_user, "audit_log", network_ids, detail=f"page {page}")
    args = {k: v for k, v in request.args.items() if k in ("user", "object", "person", "from", "to") and v}
    return render_template(
        "network/audit.html",
        rows=rows,
        names=names,
        users=users,
        total=total,
        page=page,
        pages=pages,
        args=args,
        errors=errors,
        local=to_local,
        without_object={k: v for k, v in args.items() if k not in ("object", "person")},
        actions=ACTIONS,
        records=RECORDS,
    ), (422 if errors else 200)


@bp.route("/audit.csv")
@role_required(Role.COORDINATOR)
def export():
    network_ids = caller_network_ids(Role.COORDINATOR)
    filters, _errors = _filters()
    rows = db.session.scalars(entries(network_ids, **filters).limit(EXPORT_LIMIT)).all()
    names = {user.id: user.name for user in _users(network_ids)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [_("When"), _("Who"), _("Action"), _("Record"), _("Record number"), _("From"), _("Detail")]
    )
    for row in rows:
        writer.writerow(
            [
                _cell(value)
                for value in (
                    to_local(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                    names.get(row.user_id, ""),
                    ACTIONS.get(row.action, row.action),
                    RECORDS.get(row.object_type, row.object_type),
                    row.object_id or "",
                    row.ip_address or "",
                    row.detail or "",
                )
            ]
        )
    record_list(current_user, "audit_log", network_ids, detail=f"export of {len(rows)} entries")
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit-log.csv"},
    )
