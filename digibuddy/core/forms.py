"""Form pieces shared by every area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import ValidationError

from ..extensions import db
from ..reference.models import Postcode


def strip_nul(value):
    """Remove NUL characters: PostgreSQL refuses them in text, and nobody means to type them."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class SafeForm(FlaskForm):
    """A FlaskForm whose text input never carries NUL characters into the database (opt in)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), strip_nul]
            return unbound_field.bind(form=form, filters=filters, **options)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (works without JavaScript, unlike a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PostcodeField(StringField):
    """A Belgian postcode; the validator attaches the Postcode row as `field.postcode`."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault(
            "render_kw",
            {"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": "4", "class": "short"},
        )
        super().__init__(label, validators, **kwargs)
        self.postcode = None

    def pre_validate(self, form):
        value = (self.data or "").strip()
        self.data = value
        self.postcode = None
        if not value:
            return
        if not (len(value) == 4 and value.isdigit()):
            raise ValidationError(_l("A Belgian postcode has 4 digits, for example 9000."))
        self.postcode = db.session.get(Postcode, value)
        if self.postcode is None:
            raise ValidationError(_l("We do not know the postcode %(code)s. Please check it.", code=value))


def apply_domain_error(form, error) -> None:
    """Show a DomainError on its field if it names one, else at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)
