"""Network settings: the central administrator's defaults and bounds (/admin/settings), and each network's own
values within them (/network/<id>/settings), for its coordinators and the central administrator. Changing
the matching weights shows first how the top suggestion of the network's last matched requests changes."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.models import Role
from ..audit.services import record_list
from ..core.auth import admin_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.scoping import caller_network_ids, get_scoped_or_404, id_or_404
from ..extensions import db
from ..matching.engine import Weights
from ..matching.services import PREVIEW_REQUESTS, weights_preview
from ..network import settings as network_settings_service
from ..network import steering
from ..network.models import LocalNetwork
from ..network.settings import (
    central_settings,
    history,
    network_settings,
    networks_outside_bounds,
    overrides_of,
    save_central_settings,
    save_network_overrides,
)
from ..volunteers.models import VolunteerProfile
from .forms_settings import LABELS, CentralSettingsForm, NetworkSettingsForm, field_label
from .history import history_rows

bp = Blueprint("settings", __name__)

GROUPS = (
    (
        "offers",
        ("offer_timeout_hours", "max_offer_rounds"),
    ),
    ("vetting", ("extract_max_age_months",)),
    ("privacy", ("retention_months",)),
    ("overflow", ("allow_overflow",)),
    ("weights", steering.WEIGHT_KEYS),
)


def _group_titles() -> dict:
    return {
        "offers": _("Offers"),
        "vetting": _("Screening of digibuddies"),
        "privacy": _("Keeping personal data"),
        "overflow": _("Neighbouring networks"),
        "weights": _("Matching weights"),
    }


def _history(network: LocalNetwork | None) -> list:
    labels = {key: field_label(key) for key in _history_keys()}
    return history_rows(history(network), current_locale(), field_labels=labels)


def _history_keys():
    for setting in steering.SETTINGS:
        yield setting.key
        yield setting.key + "_min"
        yield setting.key + "_max"


# ------------------------------------------------------------------------------------------------- central
@bp.route("/admin/settings", methods=["GET", "POST"])
@admin_required
def central():
    central = central_settings()
    form = CentralSettingsForm()
    if not form.is_submitted():
        form.fill(central)
    if form.validate_on_submit():
        try:
            changed = save_central_settings(form.values(), current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The central settings are saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("settings.central"))
    outside = networks_outside_bounds(central)
    return render_template(
        "admin/settings_central.html",
        form=form,
        groups=GROUPS,
        titles=_group_titles(),
        labels=LABELS,
        outside=outside,
        notice=network_settings_service.clamped_notice(len(outside)) if outside else None,
        show=_shown,
        history=_history(None),
    ), (422 if form.errors else 200)


# ------------------------------------------------------------------------------------------------ networks
@bp.route("/network/settings")
@login_required
def mine():
    """The coordinator's way in: their network's settings page (or a choice when they run several)."""
    if not current_user.is_admin and not current_user.has_role(Role.COORDINATOR):
        abort(403)
    ids = caller_network_ids(Role.COORDINATOR)
    if len(ids) == 1:
        return redirect(url_for("settings.network", network_id=next(iter(ids))))
    if current_user.is_admin and not ids:
        networks = db.session.scalars(select(LocalNetwork).order_by(LocalNetwork.name)).all()
    else:
        networks = db.session.scalars(
            select(LocalNetwork).where(LocalNetwork.id.in_(ids)).order_by(LocalNetwork.name)
        ).all()
    return render_template("admin/settings_networks.html", networks=networks)


def _network_or_404(network_id) -> LocalNetwork:
    """Any network for the central administrator; for a coordinator only their own (else 404)."""
    if current_user.is_admin:
        return db.session.get(LocalNetwork, id_or_404(network_id)) or abort(404)
    if not current_user.has_role(Role.COORDINATOR):
        abort(403)
    return get_scoped_or_404(LocalNetwork, network_id, Role.COORDINATOR)


def _weights_text(weights) -> str:
    """The weights as one short text, to know later which weights a preview showed."""
    return ",".join(f"{weights[name]:g}" for name in steering.WEIGHT_DEFAULTS)


@bp.route("/network/<id:network_id>/settings", methods=["GET", "POST"])
@login_required
def network(network_id):
    network = _network_or_404(network_id)
    central = central_settings()
    applying = network_settings(network, central)
    form = NetworkSettingsForm()
    if not form.is_submitted():
        form.fill(overrides_of(network))
    preview, previewed, status, check_first = None, "", 200, False
    if form.is_submitted() and form.check(central):
        proposed = steering.effective(central, form.overrides())
        new_weights = _weights_text(proposed.weights)
        weights_change = new_weights != _weights_text(applying.weights)
        wants_preview = request.form.get("action") == "preview"
        if wants_preview or (weights_change and request.form.get("previewed") != new_weights):
            check_first = not wants_preview
            preview = weights_preview(network, Weights.from_mapping(proposed.weights))
            previewed = new_weights
            _record_preview(network, preview)
        else:
            try:
                changed = save_network_overrides(network, form.overrides(), current_user)
            except DomainError as error:
                db.session.rollback()
                apply_domain_error(form, error)
            else:
                flash(
                    _("The settings of %(network)s are saved.", network=network.name)
                    if changed
                    else _("Nothing was changed."),
                    "success",
                )
                return redirect(url_for("settings.network", network_id=network.id))
    if form.errors:
        status = 422
    return render_template(
        "admin/settings_network.html",
        network=network,
        form=form,
        groups=GROUPS,
        titles=_group_titles(),
        applying=applying,
        show=_shown,
        preview=preview,
        preview_names=_names(preview),
        previewed=previewed,
        check_first=check_first,
        preview_size=PREVIEW_REQUESTS,
        history=_history(network),
    ), status


def _record_preview(network: LocalNetwork, rows) -> None:
    """The preview names digibuddies and request codes: recorded like any list of people."""
    detail = f"weights preview: {len(rows)} requests"
    record_list(current_user, "volunteer_profile", [network.id], detail=detail)


def _names(rows) -> dict[int, str]:
    ids = {c.volunteer_id for row in rows or () for c in (row.before, row.after) if c is not None}
    if not ids:
        return {}
    return {
        profile.id: profile.user.name
        for profile in db.session.scalars(select(VolunteerProfile).where(VolunteerProfile.id.in_(ids)))
    }


def _shown(setting_or_key, value) -> str:
    """A setting's value as people read it: a whole number, or yes/no."""
    setting = steering.BY_KEY[getattr(setting_or_key, "key", setting_or_key)]
    if value is None:
        return "—"
    if setting.kind == steering.BOOL:
        return _("yes") if value else _("no")
    return f"{value:g}"
