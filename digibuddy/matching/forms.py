from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import IntegerField
from ..core.i18n import lazy_gettext as _l


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why can you not take this request? (helps the coordinator)"),
        validators=[Optional(), Length(max=500)],
    )


class AcceptForm(FlaskForm):
    pass


class OfferToForm(FlaskForm):
    volunteer_id = IntegerField(validators=[DataRequired()])
    reason = TextAreaField(
        _l("Why do you ask this digibuddy anyway?"), validators=[Optional(), Length(max=500)]
    )  # required for a near miss (services.offer_to)


class AssignForm(FlaskForm):
    volunteer_id = IntegerField(validators=[DataRequired()])
    reason = TextAreaField(
        _l("Why do you assign this digibuddy directly?"),
        validators=[DataRequired(message=_l("Give a reason for assigning directly.")), Length(max=500)],
    )


class BatchConfirmForm(FlaskForm):
    confirm = HiddenField(default="1")
