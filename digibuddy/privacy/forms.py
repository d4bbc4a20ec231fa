from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..core.i18n import lazy_gettext as _l
from .models import AskKind
from .services import REASON_MAX


class EraseForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the data erased?"),
        description=_l(
            "For example: the resident asked for it by phone on 3 March. Write no personal details here."
        ),
        validators=[
            DataRequired(message=_l("Write down why the data is erased.")),
            Length(max=REASON_MAX, message=_l("Keep the reason under %(max)d characters.", max=REASON_MAX)),
        ],
    )


class ExportDoneForm(FlaskForm):
    note = StringField(
        _l("How did the resident get their data? (not required)"),
        description=_l("For example: printed and given at the counter."),
        validators=[Optional(), Length(max=REASON_MAX)],
    )


class ResidentAskForm(FlaskForm):
    kind = HiddenField(validators=[AnyOf([kind.value for kind in AskKind])])
