"""Form pieces shared by every area."""

from functools import lru_cache

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import IntegerField as _IntegerField
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import ValidationError
from wtforms.widgets import html_params

from .i18n import lazy_gettext as _l
from .phones import InvalidPhone, display_phone, normalise_phone
from .scoping import MAX_ID


def strip_nul(value):
    """Remove NUL characters: PostgreSQL refuses them in text, and nobody means to type them."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class SafeForm(FlaskForm):
    """A FlaskForm whose text input never carries NUL characters into the database (opt in)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), strip_nul]
            return unbound_field.bind(form=form, filters=filters, **options)


class IntegerField(_IntegerField):
    """A whole number held within what a database column can hold: a number past ±2^31 counts as ±(2^31 - 1),
    so each field's own range check refuses it with its own message, and an id that big names nothing
    (wtforms' own field keeps any size, which overflows NumberRange and PostgreSQL's INTEGER)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > MAX_ID:
            self.data = MAX_ID if self.data > 0 else -MAX_ID


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (works without JavaScript, unlike a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PhoneField(StringField):
    """A phone number as people type it ('0470 12 34 56', '+31 6 1234 5678'); `data` is the number in
    E.164 (+32470123456) once validated, and the field shows it back in the national format."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"autocomplete": "tel", "type": "tel", "dir": "ltr"})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        typed = (self.data or "").strip()
        try:
            self.data = normalise_phone(typed)
        except InvalidPhone:
            self.data = typed  # shown back as typed, so nothing is lost
            raise ValidationError(
                _l("This is not a phone number we can call. Check it, for example 0470 12 34 56.")
            ) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return display_phone(self.data) if self.data else ""


GROUPED_FIELDS = ("MultiCheckboxField", "RadioField")


def first_input_id(field) -> str:
    """Where a link to a field in error moves the focus: its input, or the first input of a group of
    checkboxes or radio buttons (a form may name another one in `field.first_input_id`)."""
    chosen = getattr(field, "first_input_id", None)
    if chosen:
        return chosen
    return f"{field.id}-0" if field.type in GROUPED_FIELDS else field.id


def has_errors(form) -> bool:
    """Whether a page's form came back with errors (its title then starts with "Error:")."""
    if not isinstance(form, FlaskForm):
        return False
    return bool(form.errors or form.form_errors)


def apply_domain_error(form, error) -> None:
    """Show a DomainError on its field if it names one, else at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


@lru_cache(maxsize=20_000)
def _option_html(value: str, label: str, selected: bool) -> str:
    return f"<option {html_params(value=value, selected=selected)}>{Markup.escape(label)}</option>"


class LongSelect(widgets.Select):
    """A select for long lists (the ~300 languages): each option's HTML is built once per value, label and
    state and then reused. WTForms builds every option anew on every page, 30 ms for the language list of
    the request form."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if choice.render_kw or kwargs or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        label = choice.label if choice.label not in (None, "") else choice.value
        return Markup(_option_html(str(choice.value), str(label), bool(choice.selected)))
