"""Writing training modules: the editing page shared by the central administrator (admin area) and the
coordinators (their network's local modules), and the coordinator's training page: who is behind, and the
local modules."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import Role
from ..audit.services import record_list
from ..core.auth import role_required
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.markdown import render_markdown
from ..core.scoping import caller_network_ids, get_scoped_or_404, scoped
from ..extensions import db
from ..network.models import LocalNetwork
from ..reference.models import localized
from . import training
from .forms import ConfirmForm
from .models import TrainingModule, TrainingModuleVersion, VolunteerProfile
from .training_forms import build_module_form, preview, typed

bp = Blueprint("volunteer_training", __name__, url_prefix="/volunteers/manage/training")


def edit_module_page(module, *, network_id, networks=(), action_url, back_url, retire_url=None, history=()):
    """GET shows the form; POST with action "preview" or "add_question" shows it again (nothing saved),
    with "save" checks, saves (a new version when the content changed) and goes back."""
    formdata = request.form if request.method == "POST" else None
    form = build_module_form(module, formdata=formdata, networks=networks)
    action = request.form.get("action", "save") if request.method == "POST" else None
    shown = None
    status = 200
    if action is not None and form.validate_on_submit():
        raw = typed(form)
        if action == "preview":
            shown = preview(raw, current_locale())
            shown["body"] = render_markdown(shown["body"])
        elif action == "save":
            chosen = network_id
            if networks and module is None:
                allowed = {n.id for n in networks}
                chosen = networks[0].id if len(networks) == 1 else form.network.data
                chosen = chosen if chosen in allowed else None
                if chosen is None:
                    form.network.errors = [_("Choose one of your networks.")]
            content, errors = training.check_content(raw, chosen)
            for name, message in errors:
                if name in form:
                    form[name].errors = list(form[name].errors) + [message]
                else:
                    form.form_errors.append(message)
            if content is not None and not form.network.errors:
                result = training.save_module(
                    module, content, material=form.material.data, actor=current_user, network_id=chosen
                )
                if module is None:
                    flash(_("The module is saved."), "success")
                elif not result.new_version:
                    flash(_("Saved. The content is the same, so there is no new version."), "success")
                else:
                    flash(
                        _("Saved as version %(number)s.", number=result.module.version)
                        + (
                            " "
                            + _(
                                "%(count)s digibuddies were asked to pass it again.",
                                count=result.asked,
                            )
                            if result.asked
                            else ""
                        ),
                        "success",
                    )
                return redirect(back_url)
    if form.errors or form.form_errors:
        status = 422
    versions = (
        db.session.scalars(
            select(TrainingModuleVersion)
            .where(TrainingModuleVersion.module_id == module.id)
            .order_by(TrainingModuleVersion.number.desc())
        ).all()
        if module is not None
        else []
    )
    return render_template(
        "volunteers/training_edit.html",
        form=form,
        module=module,
        shown=shown,
        action_url=action_url,
        back_url=back_url,
        retire_url=retire_url,
        versions=versions,
        history=history,
        choose_network=bool(networks) and module is None and len(networks) > 1,
        title=localized(module.titles, current_locale()) if module else None,
        confirm_form=ConfirmForm(),
    ), status


def _networks() -> list[LocalNetwork]:
    ids = caller_network_ids(Role.COORDINATOR)
    return db.session.scalars(
        select(LocalNetwork).where(LocalNetwork.id.in_(ids or [-1])).order_by(LocalNetwork.name)
    ).all()


@bp.route("")
@role_required(Role.COORDINATOR)
def index():
    """Who is behind on a materially changed required module, and the network's own modules."""
    rows = training.behind(scoped(VolunteerProfile, Role.COORDINATOR))
    record_list(
        current_user, "volunteer_profile", caller_network_ids(Role.COORDINATOR), detail="training behind"
    )
    local = db.session.scalars(
        scoped(TrainingModule, Role.COORDINATOR).order_by(TrainingModule.position, TrainingModule.id)
    ).all()
    locale = current_locale()
    return render_template(
        "volunteers/training_manage.html",
        rows=rows,
        local=local,
        locale=locale,
        localized=localized,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_module():
    networks = _networks()
    return edit_module_page(
        None,
        network_id=networks[0].id if len(networks) == 1 else None,
        networks=networks,
        action_url=url_for("volunteer_training.new_module"),
        back_url=url_for("volunteer_training.index"),
    )


@bp.route("/<id:module_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_module(module_id):
    module = get_scoped_or_404(TrainingModule, module_id, Role.COORDINATOR)
    return edit_module_page(
        module,
        network_id=module.network_id,
        action_url=url_for("volunteer_training.edit_module", module_id=module.id),
        back_url=url_for("volunteer_training.index"),
        retire_url=url_for(
            "volunteer_training.module_active",
            module_id=module.id,
            action="restore" if not module.active else "retire",
        ),
    )


@bp.route("/<id:module_id>/<any(retire, restore):action>", methods=["POST"])
@role_required(Role.COORDINATOR)
def module_active(module_id, action):
    module = get_scoped_or_404(TrainingModule, module_id, Role.COORDINATOR)
    if ConfirmForm().validate_on_submit():
        training.set_module_active(module, action == "restore", actor=current_user)
        flash(
            _("The module is offered again.") if action == "restore" else _("The module is withdrawn."),
            "success",
        )
    return redirect(url_for("volunteer_training.edit_module", module_id=module.id), 303)
