"""Coordinators' pages for a resident's rights: everything held on them (printable, and as JSON)."""

import json

from flask import Blueprint, Response, render_template
from flask_login import current_user

from ..accounts.models import Role
from ..audit.services import record
from ..core.auth import role_required
from ..core.db import utcnow
from ..core.scoping import get_scoped_or_404
from ..extensions import db
from ..requests.models import Resident
from . import export

bp = Blueprint("privacy", __name__)


def _exported(resident_id, how: str):
    """The resident, if theirs; recorded in the audit log as an export (how: page or json)."""
    resident = get_scoped_or_404(Resident, resident_id, Role.COORDINATOR)
    record(current_user, "export", "resident", resident.id, resident.network_id, detail=how)
    data = export.resident_record(resident)
    db.session.commit()
    return resident, data


@bp.route("/residents/<resident_id>/data")
@role_required(Role.COORDINATOR)
def data(resident_id):
    resident, found = _exported(resident_id, "page")
    return render_template("privacy/export.html", resident=resident, data=found, made_at=utcnow())


@bp.route("/residents/<resident_id>/data.json")
@role_required(Role.COORDINATOR)
def data_json(resident_id):
    resident, found = _exported(resident_id, "json")
    body = json.dumps(export.plain(found), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="digibuddy-resident-{resident.id}.json"'
    return response
