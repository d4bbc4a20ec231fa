"""The good-practice library: every staff member browses and searches it; a coordinator proposes practices
of their network and marks the ones their network uses; the central administrator reviews, edits and
publishes."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.models import Role
from ..core.auth import admin_required, role_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.markdown import render_markdown
from ..core.scoping import caller_network_ids, get_scoped_or_404, id_or_404
from ..extensions import db
from ..network.models import LocalNetwork
from . import services
from .forms import PracticeForm, SearchForm, channel_labels, target_group_labels
from .models import Practice, PracticeStatus

bp = Blueprint("practices", __name__)


def _staff_required() -> None:
    if not (
        current_user.is_admin
        or current_user.has_role(Role.COORDINATOR)
        or current_user.has_role(Role.COUNTER)
    ):
        abort(403)


def _networks(ids) -> list[LocalNetwork]:
    if not ids:
        return []
    return db.session.scalars(
        select(LocalNetwork).where(LocalNetwork.id.in_(ids)).order_by(LocalNetwork.name)
    ).all()


def _all_networks() -> list[LocalNetwork]:
    return db.session.scalars(select(LocalNetwork).order_by(LocalNetwork.name)).all()


@bp.app_template_global()
def practice_tag_labels() -> dict:
    return {"target_group": target_group_labels(), "channel": channel_labels()}


# ----------------------------------------------------------------------------------------------- library
@bp.route("/practices")
@login_required
def library():
    _staff_required()
    form = SearchForm(formdata=request.args)
    form.validate()
    filters = form.filters()
    found = services.find(filters)
    return render_template("practices/library.html", form=form, practices=found, filters=filters)


def _published_or_404(practice_id) -> Practice:
    practice = db.session.get(Practice, id_or_404(practice_id))
    if practice is None or practice.status != PracticeStatus.PUBLISHED:
        abort(404)
    return practice


@bp.route("/practices/<practice_id>")
@login_required
def sheet(practice_id):
    _staff_required()
    practice = db.session.get(Practice, id_or_404(practice_id))
    own = caller_network_ids(Role.COORDINATOR)
    if practice is None:
        abort(404)
    may_see = (
        practice.status == PracticeStatus.PUBLISHED
        or current_user.is_admin
        or (practice.network_id is not None and practice.network_id in own)
    )
    if not may_see:
        abort(404)
    used_by = {use.network_id for use in practice.uses}
    return render_template(
        "practices/sheet.html",
        practice=practice,
        body=render_markdown(practice.body),
        users=sorted((use.network.name for use in practice.uses), key=str.lower),
        coordinated=[(n, n.id in used_by) for n in _networks(own)],
    )


@bp.route("/practices/<practice_id>/use", methods=["POST"])
@role_required(Role.COORDINATOR)
def use(practice_id):
    practice = _published_or_404(practice_id)
    try:
        network_id = int(request.form.get("network", ""))
    except ValueError:
        abort(400)
    if network_id not in caller_network_ids(Role.COORDINATOR):
        abort(404)
    used = request.form.get("used") == "1"
    services.mark_used(practice, network_id, used, actor=current_user)
    flash(
        _("Your network is shown as a user of this practice.")
        if used
        else _("Your network is no longer shown as a user of this practice."),
        "success",
    )
    return redirect(url_for("practices.sheet", practice_id=practice.id), 303)


# ----------------------------------------------------------------------------------------------- proposals
@bp.route("/practices/propose", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def propose():
    return _edit_proposal(None)


@bp.route("/practices/proposals/<practice_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_proposal(practice_id):
    """A coordinator changes a proposal of their own network while the centre has not published it."""
    practice = get_scoped_or_404(Practice, practice_id, Role.COORDINATOR)
    if practice.status != PracticeStatus.PROPOSED:
        abort(404)
    return _edit_proposal(practice)


def _practice_form(practice: Practice | None, networks, *, centre=False):
    """The sheet form, filled from the practice on first view; with its Markdown preview when asked for
    (nothing is saved then), and whether it was sent to be saved and is valid."""
    form = PracticeForm(networks=networks)
    if centre:
        form.network.choices = [(0, _("The knowledge centre"))] + form.network.choices
    if practice is not None and not form.is_submitted():
        form.fill(practice)
    if form.is_submitted() and "preview" in request.form:
        form.validate()
        return form, render_markdown(form.body.data), False
    return form, None, form.validate_on_submit()


def _edit_proposal(practice: Practice | None):
    networks = _networks(caller_network_ids(Role.COORDINATOR))
    form, preview, ready = _practice_form(practice, networks)
    if ready:
        network_id = form.network.data if len(networks) > 1 else networks[0].id
        if network_id not in {n.id for n in networks}:
            abort(404)
        try:
            if practice is None:
                practice = services.propose(form.details(), network_id=network_id, actor=current_user)
            else:
                services.save(practice, form.details(), actor=current_user, network_id=network_id)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("Thank you. The knowledge centre reads your proposal and publishes it."), "success")
            return redirect(url_for("practices.mine"))
    return render_template(
        "practices/form.html", form=form, practice=practice, preview=preview, networks=networks, admin=False
    ), (422 if form.errors else 200)


@bp.route("/practices/mine")
@role_required(Role.COORDINATOR)
def mine():
    ids = caller_network_ids(Role.COORDINATOR)
    practices = db.session.scalars(
        select(Practice).where(Practice.network_id.in_(ids)).order_by(Practice.updated_at.desc())
    ).all()
    return render_template("practices/mine.html", practices=practices)


# ----------------------------------------------------------------------------------------------- central
@bp.route("/admin/practices")
@admin_required
def review():
    proposed = services.find(services.Filters(), statuses=(PracticeStatus.PROPOSED,))
    published = services.find(services.Filters(), statuses=(PracticeStatus.PUBLISHED,))
    archived = services.find(services.Filters(), statuses=(PracticeStatus.ARCHIVED,))
    return render_template("practices/review.html", proposed=proposed, published=published, archived=archived)


@bp.route("/admin/practices/new", methods=["GET", "POST"])
@admin_required
def new():
    return _edit_central(None)


@bp.route("/admin/practices/<practice_id>", methods=["GET", "POST"])
@admin_required
def edit(practice_id):
    practice = db.session.get(Practice, id_or_404(practice_id))
    if practice is None:
        abort(404)
    return _edit_central(practice)


def _edit_central(practice: Practice | None):
    networks = _all_networks()
    form, preview, ready = _practice_form(practice, networks, centre=True)
    if ready:
        publish = "publish" in request.form
        try:
            practice = services.save(
                practice,
                form.details(),
                actor=current_user,
                network_id=form.network.data or None,
                publish=publish,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The practice is published.") if publish else _("The practice is saved."), "success")
            return redirect(url_for("practices.review"))
    return render_template(
        "practices/form.html", form=form, practice=practice, preview=preview, networks=networks, admin=True
    ), (422 if form.errors else 200)


@bp.route("/admin/practices/<practice_id>/<any(publish, archive, reopen):action>", methods=["POST"])
@admin_required
def change_status(practice_id, action):
    practice = db.session.get(Practice, id_or_404(practice_id))
    if practice is None:
        abort(404)
    status = {
        "publish": PracticeStatus.PUBLISHED,
        "archive": PracticeStatus.ARCHIVED,
        "reopen": PracticeStatus.PROPOSED,
    }[action]
    services.set_status(practice, status, actor=current_user)
    flash(_("The practice is saved."), "success")
    return redirect(url_for("practices.review"), 303)


@bp.app_template_global()
def practice_group_names() -> dict:
    from ..reference.models import TopicGroup

    locale = current_locale()
    return {g.code: g.label(locale) for g in db.session.scalars(select(TopicGroup))}


@bp.app_template_global()
def practice_status_label(status) -> str:
    return {
        PracticeStatus.PROPOSED: _("Waiting for the knowledge centre"),
        PracticeStatus.PUBLISHED: _("Published"),
        PracticeStatus.ARCHIVED: _("Archived"),
    }[PracticeStatus(status)]
