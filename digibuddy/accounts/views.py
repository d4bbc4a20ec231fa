from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core.urls import safe_next_url
from . import services
from .forms import AcceptInvitationForm, LoginForm

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            flash(_("Welcome, %(name)s.", name=user.first_name), "success")
            return redirect(safe_next_url(request.args.get("next")) or url_for("public.dashboard"))
        form.form_errors.append(_("The e-mail address or the password is not right."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    invitation = services.find_valid_invitation(token)
    if invitation is None:
        abort(404)
    form = AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        user = services.accept_invitation(invitation, form.name.data, form.password.data,
                                          str(get_locale()))
        login_user(user)
        flash(_("Your account is ready."), "success")
        return redirect(url_for("public.dashboard"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)
