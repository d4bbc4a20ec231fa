"""Form fields that read reference data."""

from wtforms import StringField
from wtforms.validators import ValidationError

from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from .models import Postcode


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
        # A form filled from a stored object and posted without this field still holds the Postcode row.
        value = self.data.code if isinstance(self.data, Postcode) else (self.data or "").strip()
        self.data = value
        self.postcode = None
        if not value:
            return
        if not (len(value) == 4 and value.isdigit()):
            raise ValidationError(_l("A Belgian postcode has 4 digits, for example 9000."))
        self.postcode = db.session.get(Postcode, value)
        if self.postcode is None:
            raise ValidationError(_l("We do not know the postcode %(code)s. Please check it.", code=value))
