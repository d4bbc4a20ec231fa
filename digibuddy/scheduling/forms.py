from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField, TimeField, URLField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.i18n import lazy_gettext as _l
from ..core.labels import LABELS
from .models import PlaceKind
from .planning import DURATIONS


class SessionForm(FlaskForm):
    date = DateField(_l("Date"), validators=[DataRequired(message=_l("Choose a date."))])
    starts = TimeField(_l("Start time"), validators=[DataRequired(message=_l("Choose a start time."))])
    ends = TimeField(_l("End time"), validators=[DataRequired(message=_l("Choose an end time."))])
    place_kind = RadioField(_l("Where"), validators=[DataRequired()])
    location_id = SelectField(_l("Location"), coerce=int, validators=[Optional()])
    meeting_url = URLField(
        _l("Link to the video meeting"),
        validators=[Optional(), Length(max=500)],
        description=_l("Only for a video call. Only the resident and the digibuddy get it."),
        filters=[lambda value: (value or "").strip() or None],
    )
    override_reason = TextAreaField(
        _l("Reason to plan outside opening hours or on a public holiday (only if needed)"),
        validators=[Optional(), Length(max=500)],
    )

    def __init__(self, *args, locations=(), may_override=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.place_kind.choices = [(k.value, LABELS["help_mode"][k.value]) for k in PlaceKind]
        self.location_id.choices = [(0, "—")] + [(loc.id, loc.name) for loc in locations]
        if not may_override:  # only a coordinator plans outside opening hours or on a public holiday
            del self.override_reason

    def validate_meeting_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Write the whole link, starting with https://"))


class PlanningFactsForm(FlaskForm):
    """Which day, how long and where: the facts and the free moments shown beside the session form."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    day = DateField(_l("Day"), validators=[Optional()])
    minutes = SelectField(_l("How long"), coerce=int, validators=[Optional()])
    place = SelectField(_l("Where"), validators=[Optional()])
    location = SelectField(_l("Location"), coerce=int, validators=[Optional()])

    def __init__(self, *args, locations=(), **kwargs):
        from ..core.i18n import ngettext

        super().__init__(*args, **kwargs)
        self.minutes.choices = [(m, ngettext("%(num)d minute", "%(num)d minutes", m)) for m in DURATIONS]
        self.place.choices = [(k.value, LABELS["help_mode"][k.value]) for k in PlaceKind]
        self.location.choices = [(loc.id, loc.name) for loc in locations]


class AskCoordinatorForm(FlaskForm):
    message = TextAreaField(
        _l("What do you want to ask the coordinator?"),
        validators=[DataRequired(message=_l("Write what you need.")), Length(max=1000)],
        description=_l("For example: the resident can only come on Saturday morning."),
    )


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
