"""The central administrator's training modules: writing and changing them (each change of content a new
version), withdrawing them, and the history of every change."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..audit.services import change_history
from ..core.auth import admin_required
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.i18n import lazy_gettext as _l
from ..core.scoping import id_or_404
from ..extensions import db
from ..reference.models import localized
from ..volunteers import training
from ..volunteers.forms import ConfirmForm
from ..volunteers.models import TrainingModule
from ..volunteers.views_training import edit_module_page
from .history import history_rows

bp = Blueprint("training_admin", __name__, url_prefix="/admin/training")

FIELD_LABELS = {
    "titles": _l("Title"),
    "bodies": _l("Text"),
    "quiz": _l("Questions"),
    "required": _l("Required"),
    "audiences": _l("For whom"),
    "retrain_days": _l("Days to pass it again"),
    "version": _l("Version"),
    "material": _l("Material change"),
}


def _central_or_404(module_id) -> TrainingModule:
    """A central module (a local one belongs to its network's coordinators)."""
    module = db.session.get(TrainingModule, id_or_404(module_id))
    if module is None or module.network_id is not None:
        abort(404)
    return module


@bp.route("")
@admin_required
def index():
    modules = db.session.scalars(
        select(TrainingModule)
        .where(TrainingModule.network_id.is_(None))
        .order_by(TrainingModule.position, TrainingModule.id)
    ).all()
    return render_template(
        "admin/training.html", modules=modules, locale=current_locale(), localized=localized
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_module():
    return edit_module_page(
        None,
        network_id=None,
        action_url=url_for("training_admin.new_module"),
        back_url=url_for("training_admin.index"),
    )


@bp.route("/<id:training_id>", methods=["GET", "POST"])
@admin_required
def edit_module(training_id):
    module = _central_or_404(training_id)
    rows = history_rows(
        change_history("training_module", module.id), current_locale(), field_labels=FIELD_LABELS
    )
    return edit_module_page(
        module,
        network_id=None,
        action_url=url_for("training_admin.edit_module", training_id=module.id),
        back_url=url_for("training_admin.index"),
        retire_url=url_for(
            "training_admin.module_active",
            training_id=module.id,
            action="restore" if not module.active else "retire",
        ),
        history=rows,
    )


@bp.route("/<id:training_id>/<any(retire, restore):action>", methods=["POST"])
@admin_required
def module_active(training_id, action):
    module = _central_or_404(training_id)
    if ConfirmForm().validate_on_submit():
        training.set_module_active(module, action == "restore", actor=current_user)
        flash(
            _("The module is offered again.") if action == "restore" else _("The module is withdrawn."),
            "success",
        )
    return redirect(url_for("training_admin.edit_module", training_id=module.id), 303)
