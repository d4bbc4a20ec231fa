"""Central administrator pages: local networks and their coordinators."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts import services as accounts
from ..accounts.forms import InvitationForm
from ..accounts.models import Membership, Role
from ..accounts.services import create_invitation, disable_two_factor
from ..core.auth import admin_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..extensions import db
from ..network.forms import NetworkForm
from ..network.models import LocalNetwork
from ..network.services import save_network
from ..requests.models import OPEN_STATUSES, HelpRequest

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/networks")
@admin_required
def networks():
    members = dict(
        db.session.execute(
            select(Membership.network_id, func.count())
            .where(Membership.role == Role.VOLUNTEER)
            .group_by(Membership.network_id)
        ).all()
    )
    open_requests = dict(
        db.session.execute(
            select(HelpRequest.network_id, func.count())
            .where(HelpRequest.status.in_(OPEN_STATUSES))
            .group_by(HelpRequest.network_id)
        ).all()
    )
    rows = db.session.scalars(select(LocalNetwork).order_by(LocalNetwork.name)).all()
    return render_template(
        "admin/networks.html", networks=rows, volunteers=members, open_requests=open_requests
    )


def _network_or_404(network_id: int) -> LocalNetwork:
    network = db.session.get(LocalNetwork, network_id)
    if network is None:
        abort(404)
    return network


@bp.route("/networks/new", methods=["GET", "POST"])
@admin_required
def new_network():
    return _edit_network(None)


@bp.route("/networks/<id:network_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_network(network_id):
    return _edit_network(_network_or_404(network_id))


def _edit_network(network: LocalNetwork | None):
    form = NetworkForm(obj=network)
    if network is not None and not form.is_submitted():
        form.municipalities.data = [m.nis_code for m in network.municipalities]
        form.postcode.data = network.postcode_code
    if form.validate_on_submit():
        try:
            network = save_network(
                network, name=form.name.data, municipality_codes=form.municipalities.data, **form.settings()
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The local network %(name)s is saved.", name=network.name), "success")
            return redirect(url_for("admin.network", network_id=network.id))
    return render_template("admin/network_form.html", form=form, network=network), (
        422 if form.errors or form.form_errors else 200
    )


@bp.route("/networks/<id:network_id>", methods=["GET", "POST"])
@admin_required
def network(network_id):
    network = _network_or_404(network_id)
    form = InvitationForm(role=Role.COORDINATOR.value, network_id=network.id)
    form.network_id.choices = [(network.id, network.name)]
    form.role.choices = [(Role.COORDINATOR.value, _("Local coordinator"))]
    if form.validate_on_submit():
        _invitation, token = create_invitation(
            network, form.email.data, form.name.data, Role.COORDINATOR, current_user, current_locale()
        )
        flash(
            _(
                "The invitation is sent. You can also pass on this link: %(link)s",
                link=url_for("accounts.accept_invitation", token=token, _external=True),
            ),
            "success",
        )
        return redirect(url_for("admin.network", network_id=network.id))
    coordinators = db.session.scalars(
        select(Membership).where(Membership.network_id == network.id, Membership.role == Role.COORDINATOR)
    ).all()
    return render_template("admin/network.html", network=network, form=form, coordinators=coordinators), (
        422 if form.errors else 200
    )


@bp.route("/networks/<id:network_id>/coordinators/<id:user_id>", methods=["GET", "POST"])
@admin_required
def coordinator(network_id, user_id):
    """The central administrator ends (or gives back) a coordinator's access: switch the account off, or
    remove the coordinator role in this network. Either ends their sessions at once."""
    network = _network_or_404(network_id)
    membership = _coordinator_or_404(network, user_id)
    user = membership.user
    whole = accounts.may_switch_off(user, current_user, set(Role), user.network_ids())
    if request.method == "POST":
        action = request.form.get("action")
        if action == "switch_off" and whole and user.active:
            accounts.switch_off(user, current_user, network.id)
            flash(
                _("The account of %(name)s is switched off. They are logged out.", name=user.name), "success"
            )
        elif action == "switch_on" and whole and not user.active:
            accounts.switch_on(user, current_user, network.id)
            flash(_("The account of %(name)s is switched on again.", name=user.name), "success")
        elif action == "remove" and user.id != current_user.id:
            accounts.remove_membership(membership, current_user)
            flash(
                _("%(name)s is no longer coordinator of %(network)s.", name=user.name, network=network.name),
                "success",
            )
            return redirect(url_for("admin.network", network_id=network.id))
        else:
            flash(_("Nothing was changed: choose one of the buttons."), "error")
        return redirect(url_for("admin.coordinator", network_id=network.id, user_id=user.id))
    return render_template("admin/coordinator.html", network=network, person=user, whole=whole)


def _coordinator_or_404(network: LocalNetwork, user_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.network_id == network.id,
            Membership.user_id == user_id,
            Membership.role == Role.COORDINATOR,
        )
    )
    if membership is None:
        abort(404)
    return membership


@bp.route("/networks/<id:network_id>/coordinators/<id:user_id>/reset-two-factor", methods=["POST"])
@admin_required
def reset_two_factor(network_id, user_id):
    """For a coordinator who lost their phone: the second step goes off; they set it up again at log-in."""
    network = _network_or_404(network_id)
    membership = _coordinator_or_404(network, user_id)
    disable_two_factor(membership.user, current_user)
    flash(
        _(
            "The second step of %(name)s is off. They set it up again when they next log in.",
            name=membership.user.name,
        ),
        "success",
    )
    return redirect(url_for("admin.network", network_id=network.id))
