from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from ..core.forms import PhoneField
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from ..reference.forms import PostcodeField
from ..reference.models import Municipality


def municipality_choices() -> dict:
    """Municipalities grouped by province (optgroups), Flemish provinces first."""
    groups: dict = {}
    rows = db.session.scalars(
        select(Municipality).order_by(
            Municipality.region_code, Municipality.province_name_nl, Municipality.name_nl
        )
    )
    for m in rows:
        groups.setdefault(m.province_name_nl or m.region_name_nl, []).append((m.nis_code, m.name_nl))
    return groups


class NetworkForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    phone = PhoneField(_l("Contact phone number"), validators=[Optional()])
    email = EmailField(_l("Contact e-mail address"), validators=[Optional(), Email(), Length(max=254)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    postcode = PostcodeField(_l("Postcode"), validators=[Optional()])
    municipalities = SelectMultipleField(
        _l("Municipalities covered"),
        validators=[DataRequired()],
        description=_l(
            "Hold Ctrl (or Cmd) to choose more than one. A municipality belongs to one network only."
        ),
        render_kw={"size": "12"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities.choices = municipality_choices()

    def settings(self) -> dict:
        return {
            "phone": self.phone.data or None,
            "email": self.email.data or None,
            "address": self.address.data or None,
            "postcode_code": self.postcode.data or None,
        }


WEEKDAY_LABELS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


class LocationForm(FlaskForm):
    network_id = SelectField(_l("Local network"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind of place"), choices=[])
    street = StringField(_l("Street and number"), validators=[DataRequired(), Length(max=200)])
    postcode = PostcodeField(_l("Postcode"), validators=[DataRequired()])
    phone = PhoneField(_l("Phone"), validators=[Optional()])
    accessibility_notes = TextAreaField(
        _l("Accessibility"),
        validators=[Optional(), Length(max=1000)],
        description=_l("For example: step-free entrance, lift, accessible toilet, hearing loop."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..core.labels import LABELS

        self.kind.choices = list(LABELS["location_kind"].items())


def add_opening_hours_fields(form_class):
    """One 'opens'/'closes' pair per weekday; both empty means closed that day."""
    for day, day_label in enumerate(WEEKDAY_LABELS):
        setattr(
            form_class,
            f"opens_{day}",
            TimeField(_l("%(day)s: opens", day=day_label), validators=[Optional()]),
        )
        setattr(
            form_class,
            f"closes_{day}",
            TimeField(_l("%(day)s: closes", day=day_label), validators=[Optional()]),
        )
    return form_class


add_opening_hours_fields(LocationForm)


def opening_hours_from_form(form) -> list[tuple[int, object, object]]:
    """[(weekday, opens, closes)], adding field errors for half-filled or reversed hours."""
    hours, ok = [], True
    for day in range(7):
        opens, closes = getattr(form, f"opens_{day}"), getattr(form, f"closes_{day}")
        if opens.data is None and closes.data is None:
            continue
        if opens.data is None or closes.data is None:
            (opens if opens.data is None else closes).errors.append(
                _l("Fill in both the opening and the closing time, or neither.")
            )
            ok = False
        elif opens.data >= closes.data:
            closes.errors.append(_l("The closing time must be after the opening time."))
            ok = False
        else:
            hours.append((day, opens.data, closes.data))
    return hours if ok else None
