"""A resident's rights: coordinators see and export everything held on a resident (printable, and as
JSON), erase it with a recorded reason and act on what residents asked on their status page."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.models import Role
from ..audit.services import record
from ..core.auth import role_required
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import gettext as _
from ..core.i18n import resident_facing
from ..core.scoping import get_scoped_or_404, scoped
from ..extensions import db
from ..requests.models import Resident
from ..requests.views_public import status_request
from . import export, services
from .forms import EraseForm, ExportDoneForm, ResidentAskForm
from .models import AskKind, AskStatus, DataAsk

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


@bp.route("/residents/<resident_id>/erase", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def erase(resident_id):
    resident = get_scoped_or_404(Resident, resident_id, Role.COORDINATOR)
    if resident.anonymised_at is not None:
        flash(_("This resident's data was already erased."), "info")
        return redirect(url_for("privacy.data", resident_id=resident.id))
    form = EraseForm()
    if form.validate_on_submit():
        try:
            services.erase_resident(resident, current_user, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The resident's personal data is erased. The figures stay the same."), "success")
            return redirect(url_for("privacy.asks"))
    return render_template(
        "privacy/erase.html",
        form=form,
        resident=resident,
        open_requests=[r for r in resident.requests if r.is_open],
        asks=services.open_asks_of(resident),
    ), (422 if form.errors or form.form_errors else 200)


@bp.route("/residents/asks")
@role_required(Role.COORDINATOR)
def asks():
    """What residents asked about their data, to act on: open questions first, then the last handled."""
    stmt = scoped(DataAsk, Role.COORDINATOR)
    waiting = db.session.scalars(
        stmt.where(DataAsk.status == AskStatus.OPEN).order_by(DataAsk.created_at, DataAsk.id)
    ).all()
    handled = db.session.scalars(
        stmt.where(DataAsk.status == AskStatus.DONE).order_by(DataAsk.handled_at.desc()).limit(20)
    ).all()
    return render_template("privacy/asks.html", waiting=waiting, handled=handled, done_form=ExportDoneForm())


@bp.route("/residents/asks/<ask_id>/done", methods=["POST"])
@role_required(Role.COORDINATOR)
def ask_done(ask_id):
    ask = get_scoped_or_404(DataAsk, ask_id, Role.COORDINATOR)
    form = ExportDoneForm()
    if form.validate_on_submit():
        try:
            services.finish_export(ask, current_user, form.note.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("Marked as done."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("privacy.asks"))


@bp.route("/residents/<resident_id>/asks", methods=["POST"])
@role_required(Role.COUNTER, Role.COORDINATOR)
def staff_ask(resident_id):
    """Counter staff or a coordinator note that a resident asked (by phone, at the counter) to see or to
    delete their data; the question waits for the coordinator like one from the status page."""
    resident = get_scoped_or_404(Resident, resident_id, Role.COUNTER, Role.COORDINATOR)
    form = ResidentAskForm()
    back = next((r for r in resident.requests if r.id == request.form.get("request_id", type=int)), None)
    if form.validate_on_submit():
        try:
            services.ask_for_resident(resident, AskKind(form.kind.data), current_user, back)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("Noted. The coordinator will contact the resident within one month."), "success")
    if back is None:
        back = resident.requests[-1] if resident.requests else None
    return redirect(url_for("queue.detail", request_id=back.id) if back else url_for("queue.index"))


@bp.route("/status/data", methods=["POST"])
@resident_facing
def resident_ask():
    """From the status page (opened with the reference code and postcode): the resident asks to see or to
    delete their data. Nothing personal is shown here; the coordinator acts."""
    help_request = status_request()
    form = ResidentAskForm()
    if form.validate_on_submit():
        try:
            services.ask_from_resident(help_request, AskKind(form.kind.data))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            return redirect(url_for("requests.status_detail", data_asked=form.kind.data))
    return redirect(url_for("requests.status_detail"))
