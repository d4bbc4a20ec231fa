from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.urls import safe_next_url
from ..extensions import limiter
from . import services, two_factor
from .forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
)
from .menu import staff_menu
from .models import User

bp = Blueprint("accounts", __name__)
bp.add_app_template_global(staff_menu, "staff_menu")

PENDING = "two_factor_pending"  # session key: the token of the user's login challenge (LoginChallenge)
PENDING_SECONDS = 300
MAX_TRIES = 5
# Where someone who must set up the second step may still go before they have.
SETUP_ENDPOINTS = {"accounts.two_factor_setup", "accounts.logout", "static", "public.home", None}


def _login_limit():
    return current_app.config["LOGIN_LIMIT"]


def _account_limit():
    return current_app.config["LOGIN_ACCOUNT_LIMIT"]


def _typed_account() -> str:
    """The rate-limit key of an account: the e-mail address typed into the form, as stored (lower case)."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _challenged_account() -> str:
    """The rate-limit key of the account that owes a code: its user id, read from the server."""
    challenge = services.find_challenge(session.get(PENDING), PENDING_SECONDS)
    return f"account-code:{challenge.user_id if challenge else 'none'}"


def _failed(response) -> bool:
    """Only attempts that did not get through count against the account (a success redirects)."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_typed_account, methods=["POST"], deduct_when=_failed)
def login():
    """Log-in limits count per client address and per account: wrong passwords for one account never hold
    up another account."""
    if current_user.is_authenticated:
        return redirect(url_for("public.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        refusal = services.access_refusal(user) if user is not None else None
        if refusal:
            form.form_errors.append(refusal)
        elif user is not None:
            next_url = safe_next_url(request.args.get("next"))
            if user.totp_secret:
                session[PENDING] = services.start_challenge(user, next_url)
                return redirect(url_for("accounts.login_code"))
            return _logged_in(user, next_url)
        else:
            form.form_errors.append(_("The e-mail address or the password is not right."))
    return render_template("accounts/login.html", form=form)


def _logged_in(user: User, next_url: str | None):
    services.logged_in(user)
    login_user(user)
    flash(_("Welcome, %(name)s.", name=user.first_name), "success")
    return redirect(next_url or url_for("public.dashboard"))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_challenged_account, methods=["POST"], deduct_when=_failed)
def login_code():
    """The second step: the code of the user's authenticator app, within 5 minutes of the password. The
    challenge and its attempts live in the database; the session holds only its token."""
    challenge = services.find_challenge(session.get(PENDING), PENDING_SECONDS)
    user = challenge.user if challenge is not None else None
    if user is None or not user.is_active or not user.totp_secret:
        session.pop(PENDING, None)
        flash(_("Log in again: type your e-mail address and password."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if services.check_code(user, form.code.data):
            next_url = challenge.next_url
            services.end_challenge(challenge)
            session.pop(PENDING, None)
            return _logged_in(user, safe_next_url(next_url))
        if services.wrong_code(challenge) >= MAX_TRIES:
            services.end_challenge(challenge)
            session.pop(PENDING, None)
            flash(_("That was the wrong code %(count)s times. Log in again.", count=MAX_TRIES), "error")
            return redirect(url_for("accounts.login"))
        form.code.errors.append(_("This code is not right. Type the 6 digits your app shows now."))
    return render_template("accounts/login_code.html", form=form), (422 if form.errors else 200)


def two_factor_required() -> bool:
    return bool(current_app.config.get("TWO_FACTOR_REQUIRED"))


@bp.before_app_request
def require_two_factor():
    """Where it is required, a coordinator or administrator without a second step sets it up first."""
    if (
        two_factor_required()
        and current_user.is_authenticated
        and current_user.needs_two_factor
        and not current_user.totp_secret
        and request.endpoint not in SETUP_ENDPOINTS
    ):
        return redirect(url_for("accounts.two_factor_setup"))
    return None


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Set up (or turn off) the second step of logging in."""
    required = two_factor_required() and current_user.needs_two_factor
    form = CodeForm()
    if current_user.totp_secret:
        if form.validate_on_submit():
            if required:
                abort(403)
            if services.check_code(current_user, form.code.data):
                services.disable_two_factor(current_user, current_user)
                flash(_("The second step is off. You log in with your password only."), "success")
                return redirect(url_for("accounts.two_factor_setup"))
            form.code.errors.append(_("This code is not right. Type the 6 digits your app shows now."))
        return render_template("accounts/two_factor_on.html", form=form, required=required), (
            422 if form.errors else 200
        )
    secret = services.setup_secret(current_user)
    if form.validate_on_submit():
        if services.enable_two_factor(current_user, secret, form.code.data):
            flash(
                _(
                    "The second step is on. From now on you log in with your password and a code from "
                    "your app."
                ),
                "success",
            )
            return redirect(url_for("public.dashboard"))
        form.code.errors.append(_("This code is not right. Type the 6 digits your app shows now."))
    uri = two_factor.provisioning_uri(secret, current_user.email)
    return render_template(
        "accounts/two_factor_setup.html",
        form=form,
        required=required,
        qr=two_factor.qr_svg(uri, _("QR code to scan with your authenticator app")),
        secret=two_factor.grouped(secret),
    ), (422 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.logged_out(current_user)
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
        user = services.accept_invitation(invitation, form.name.data, form.password.data, current_locale())
        services.logged_in(user)
        login_user(user)
        flash(_("Your account is ready."), "success")
        return redirect(url_for("public.dashboard"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_ACCOUNT_LIMIT"], key_func=_typed_account, methods=["POST"]
)
def password_forgot():
    """Ask for a link to choose a new password. The answer is the same whether or not the address has an
    account, so the page tells nobody who is registered."""
    form = ForgotPasswordForm()
    sent = False
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        sent = True
    return render_template(
        "accounts/password_forgot.html",
        form=form,
        sent=sent,
        minutes=current_app.config["PASSWORD_RESET_VALID_MINUTES"],
    ), (422 if form.errors else 200)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def password_reset(token):
    reset = services.find_valid_reset(token)
    if reset is None:
        return render_template("accounts/password_reset.html", form=None), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(reset, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        flash(
            _("Your new password is saved. Log in with it.")
            + (" " + _("You still need the code from your app.") if user.totp_secret else ""),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/password_reset.html", form=form), (422 if form.errors else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password_change():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            login_user(current_user._get_current_object())  # this session carries the new generation
            flash(_("Your new password is saved. You are logged out everywhere else."), "success")
            return redirect(url_for("public.dashboard"))
    return render_template("accounts/password_change.html", form=form), (422 if form.errors else 200)
