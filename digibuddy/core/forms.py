"""Form pieces shared by every area."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets


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


def apply_domain_error(form, error) -> None:
    """Show a DomainError on its field if it names one, else at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)
