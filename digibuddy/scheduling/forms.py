from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from ..core.labels import LABELS
from .models import PlaceKind


class SessionForm(FlaskForm):
    date = DateField(_l("Date"), validators=[DataRequired(message=_l("Choose a date."))])
    starts = TimeField(_l("Start time"), validators=[DataRequired(message=_l("Choose a start time."))])
    ends = TimeField(_l("End time"), validators=[DataRequired(message=_l("Choose an end time."))])
    place_kind = RadioField(_l("Where"), validators=[DataRequired()])
    location_id = SelectField(_l("Location"), coerce=int, validators=[Optional()])
    override_reason = TextAreaField(
        _l("Reason to plan outside opening hours or on a public holiday (only if needed)"),
        validators=[Optional(), Length(max=500)],
    )

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.place_kind.choices = [(k.value, LABELS["help_mode"][k.value]) for k in PlaceKind]
        self.location_id.choices = [(0, "—")] + [(loc.id, loc.name) for loc in locations]


class RescheduleForm(SessionForm):
    reason = TextAreaField(
        _l("Why is the session moved?"),
        validators=[DataRequired(message=_l("Give a reason for moving the session.")), Length(max=500)],
    )


class CancelSessionForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the session cancelled?"),
        validators=[DataRequired(message=_l("Give a reason for cancelling.")), Length(max=500)],
    )
