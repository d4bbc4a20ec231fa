from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..core.i18n import lazy_gettext as _l
from .models import Role

MIN_PASSWORD_LENGTH = 10


def new_password_fields(label) -> tuple[PasswordField, PasswordField]:
    """A new password and the same typed again, with the rules every new password follows."""
    return (
        PasswordField(
            label,
            validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
            description=_l("At least %(count)s characters.", count=MIN_PASSWORD_LENGTH),
            render_kw={"autocomplete": "new-password"},
        ),
        PasswordField(
            _l("Type the password again"),
            validators=[
                DataRequired(),
                EqualTo("password", message=_l("The two passwords are not the same.")),
            ],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(FlaskForm):
    """The 6-digit code of an authenticator app."""

    code = StringField(
        _l("Code from your app"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("6 digits, for example 123456."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "short"},
    )


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        _l("Your name"), validators=[DataRequired(), Length(max=120)], render_kw={"autocomplete": "name"}
    )
    password, password_again = new_password_fields(_l("Choose a password"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )


class NewPasswordForm(FlaskForm):
    password, password_again = new_password_fields(_l("New password"))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Your current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class InvitationForm(FlaskForm):
    network_id = SelectField(_l("Local network"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        _l("Role"),
        choices=[
            (Role.COUNTER.value, _l("Counter staff")),
            (Role.COORDINATOR.value, _l("Local coordinator")),
        ],
        default=Role.COUNTER.value,
    )
