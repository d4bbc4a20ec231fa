"""Coordinator pages of a local network: staff and invitations, and its locations with their opening hours."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..accounts import services as accounts
from ..accounts.forms import InvitationForm
from ..accounts.models import Invitation, Membership, Role
from ..accounts.services import create_invitation
from ..core.auth import role_required
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.scoping import caller_network_ids, get_scoped_or_404, id_or_404, scoped
from ..extensions import db
from .forms import LocationForm, opening_hours_from_form
from .models import LocalNetwork, Location
from .services import save_location

bp = Blueprint("network", __name__, url_prefix="/network")


@bp.route("/staff", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def staff():
    network_ids = caller_network_ids(Role.COORDINATOR)
    networks = db.session.scalars(
        select(LocalNetwork).where(LocalNetwork.id.in_(network_ids)).order_by(LocalNetwork.name)
    ).all()
    form = InvitationForm()
    form.network_id.choices = [(n.id, n.name) for n in networks]
    if form.validate_on_submit():
        network = next(n for n in networks if n.id == form.network_id.data)
        _invitation, token = create_invitation(
            network, form.email.data, form.name.data, Role(form.role.data), current_user, current_locale()
        )
        flash(
            _(
                "The invitation is sent. You can also pass on this link: %(link)s",
                link=url_for("accounts.accept_invitation", token=token, _external=True),
            ),
            "success",
        )
        return redirect(url_for("network.staff"))
    members = db.session.scalars(
        scoped(Membership, Role.COORDINATOR)
        .where(Membership.role != Role.VOLUNTEER)
        .order_by(Membership.network_id, Membership.role)
    ).all()
    invitations = db.session.scalars(
        scoped(Invitation, Role.COORDINATOR)
        .where(Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc())
    ).all()
    return render_template(
        "network/staff.html", form=form, members=members, invitations=invitations, networks=networks
    ), (422 if form.errors else 200)


@bp.route("/staff/<member_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def staff_member(member_id):
    """A coordinator ends (or gives back) the access of counter staff of their networks: switch the
    account off, or remove them from one network. Either ends their sessions at once."""
    memberships = db.session.scalars(
        scoped(Membership, Role.COORDINATOR)
        .where(Membership.user_id == id_or_404(member_id), Membership.role == Role.COUNTER)
        .order_by(Membership.network_id)
    ).all()
    if not memberships:
        abort(404)
    user = memberships[0].user
    whole = accounts.may_switch_off(user, current_user, {Role.COUNTER}, caller_network_ids(Role.COORDINATOR))
    if request.method == "POST":
        action = request.form.get("action")
        if action == "switch_off" and whole and user.active:
            accounts.switch_off(user, current_user, memberships[0].network_id)
            flash(
                _("The account of %(name)s is switched off. They are logged out.", name=user.name), "success"
            )
        elif action == "switch_on" and whole and not user.active:
            accounts.switch_on(user, current_user, memberships[0].network_id)
            flash(_("The account of %(name)s is switched on again.", name=user.name), "success")
        elif action == "remove" and (
            membership := next(
                (m for m in memberships if str(m.network_id) == request.form.get("network")), None
            )
        ):
            network_name = membership.network.name
            accounts.remove_membership(membership, current_user)
            flash(
                _(
                    "%(name)s is no longer counter staff of %(network)s.",
                    name=user.name,
                    network=network_name,
                ),
                "success",
            )
            if len(memberships) == 1:
                return redirect(url_for("network.staff"))
        else:
            flash(_("Nothing was changed: choose one of the buttons."), "error")
        return redirect(url_for("network.staff_member", member_id=user.id))
    return render_template("network/staff_member.html", person=user, memberships=memberships, whole=whole)


def _location_form(location=None):
    networks = db.session.scalars(
        select(LocalNetwork)
        .where(LocalNetwork.id.in_(caller_network_ids(Role.COORDINATOR)))
        .order_by(LocalNetwork.name)
    ).all()
    form = LocationForm(obj=location)
    form.network_id.choices = [(n.id, n.name) for n in networks]
    if location is not None and not form.is_submitted():
        form.postcode.data = location.postcode_code
        form.kind.data = location.kind.value
        for hours in location.opening_hours:
            getattr(form, f"opens_{hours.weekday}").data = hours.opens
            getattr(form, f"closes_{hours.weekday}").data = hours.closes
    return form


@bp.route("/locations")
@role_required(Role.COORDINATOR)
def locations():
    rows = db.session.scalars(
        scoped(Location, Role.COORDINATOR).order_by(Location.network_id, Location.name)
    ).all()
    return render_template("network/locations.html", locations=rows)


@bp.route("/locations/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_location():
    return _edit_location(None)


@bp.route("/locations/<location_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_location(location_id):
    return _edit_location(get_scoped_or_404(Location, location_id, Role.COORDINATOR))


def _edit_location(location):
    form = _location_form(location)
    if form.validate_on_submit():
        hours = opening_hours_from_form(form)
        if hours is not None:
            location = save_location(
                location,
                network_id=form.network_id.data,
                name=form.name.data,
                kind=form.kind.data,
                street=form.street.data,
                postcode=form.postcode.postcode,
                phone=form.phone.data,
                accessibility_notes=form.accessibility_notes.data,
                opening_hours=hours,
            )
            flash(_("The location %(name)s is saved.", name=location.name), "success")
            return redirect(url_for("network.locations"))
    return render_template("network/location_form.html", form=form, location=location), (
        422 if form.errors else 200
    )
