"""Forms of the drop-in pages: the coordinator's moment, a cancelled date, walk-ins, counter and online
booking."""

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import IntegerField, MultiCheckboxField, PhoneField
from ..core.i18n import RESIDENT_LOCALES, current_locale, native_language_name
from ..core.i18n import lazy_gettext as _l
from ..core.labels import LABELS, weekday_name
from ..extensions import db
from ..reference.forms import PostcodeField
from ..reference.models import Language
from ..requests.forms import language_label, topic_groups
from .dropins import MAX_CAPACITY, MAX_VOLUNTEERS_NEEDED
from .models import Recurrence

LANGUAGE_CHOICES = 24


def topic_choices() -> list[tuple[int, str]]:
    """Active topics in catalogue order, each labelled in the page's language."""
    return [choice for _group, topics in topic_groups(current_locale()) for choice in topics]


def language_choices(extra: list[str] = ()) -> list[tuple[str, str]]:
    """The languages most asked for, and any in `extra` (already chosen), labelled in the page's language."""
    codes = list(
        db.session.scalars(
            select(Language.code).order_by(Language.rank, Language.code).limit(LANGUAGE_CHOICES)
        )
    )
    codes += [code for code in extra if code not in codes]
    return [(code, language_label(code, current_locale()).striptags()) for code in codes]  # also in <select>


class MomentForm(FlaskForm):
    title = StringField(
        _l("Name of the drop-in moment"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("For example: Coffee & Forms."),
    )
    location_id = SelectField(
        _l("Location"), coerce=int, validators=[DataRequired(message=_l("Choose a location."))]
    )
    recurrence = RadioField(
        _l("How often?"),
        default=Recurrence.WEEKLY.value,
        validators=[DataRequired(message=_l("Choose how often."))],
    )
    weekday = SelectField(_l("Day of the week"), coerce=int, validators=[InputRequired()])
    week_of_month = SelectField(
        _l("Which week of the month?"),
        coerce=int,
        default=0,
        validators=[Optional()],
        description=_l("Only for a drop-in every month, for example the first Tuesday."),
    )
    starts = TimeField(
        _l("Starts at"), validators=[DataRequired(message=_l("Fill in a time, for example 09:30."))]
    )
    ends = TimeField(
        _l("Ends at"), validators=[DataRequired(message=_l("Fill in a time, for example 11:30."))]
    )
    first_date = DateField(
        _l("From"),
        validators=[DataRequired(message=_l("Fill in a date."))],
        description=_l("The first drop-in is on the chosen day of the week, on or after this date."),
    )
    last_date = DateField(_l("Until (not required)"), validators=[Optional()])
    resident_capacity = IntegerField(
        _l("Places for residents"), default=8, validators=[InputRequired(), NumberRange(1, MAX_CAPACITY)]
    )
    volunteers_needed = IntegerField(
        _l("Digibuddies needed"),
        default=2,
        validators=[InputRequired(), NumberRange(0, MAX_VOLUNTEERS_NEEDED)],
    )
    skip_public_holidays = BooleanField(_l("No drop-in on public holidays"), default=True)
    topics = MultiCheckboxField(_l("Focus topics (not required)"), coerce=int)
    languages = MultiCheckboxField(_l("Languages the digibuddies speak (not required)"))
    active = BooleanField(
        _l("This drop-in moment takes place"),
        default=True,
        description=_l("Untick to stop the drop-in moment."),
    )

    def __init__(self, *args, locations=(), chosen_languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.location_id.choices = [(location.id, location.name) for location in locations]
        self.recurrence.choices = list(LABELS["recurrence"].items())
        self.weekday.choices = [(day, weekday_name(day)) for day in range(7)]
        self.week_of_month.choices = [(0, "—")] + [
            (week, LABELS["week_of_month"][week]) for week in (1, 2, 3, 4, -1)
        ]
        self.topics.choices = topic_choices()
        self.languages.choices = language_choices(list(chosen_languages))


class CancelDateForm(FlaskForm):
    reason = StringField(
        _l("Reason (not required)"),
        validators=[Optional(), Length(max=300)],
        description=_l("For example: the library is closed for a renovation."),
    )


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class WalkInForm(FlaskForm):
    topic_id = SelectField(_l("Came for (not required)"), coerce=int, default=0, validators=[Optional()])
    language_code = SelectField(_l("Language (not required)"), default="", validators=[Optional()])
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_id.choices = [(0, "—")] + topic_choices()
        self.language_code.choices = [("", "—")] + language_choices()


class _BookingFields(FlaskForm):
    first_name = StringField(
        _l("Your first name (or a name we can use)"),
        validators=[Optional(), Length(max=80)],
        render_kw={"autocomplete": "given-name"},
    )
    postcode = PostcodeField(
        _l("Your postcode"), validators=[Optional()], description=_l("4 digits, for example 9000.")
    )
    phone = PhoneField(_l("Your phone number (not required)"), validators=[Optional()])
    topic_id = SelectField(
        _l("What do you want help with? (not required)"), coerce=int, default=0, validators=[Optional()]
    )
    # "1" when the page offered the waiting list (the date was full): then a full date means waiting.
    waiting = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_id.choices = [(0, "—")] + topic_choices()

    @property
    def wants_to_wait(self) -> bool:
        return self.waiting.data == "1"


class OnlineBookingForm(_BookingFields):
    consent = BooleanField(
        _l("I agree that the local network stores these details to help me."),
        validators=[
            DataRequired(message=_l("We can only help you if you agree that we store these details."))
        ],
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not (self.first_name.data or "").strip():
            self.first_name.errors = list(self.first_name.errors) or [_l("Fill in a name we can use.")]
            ok = False
        if not self.postcode.data and not self.postcode.errors:
            self.postcode.errors = [_l("Fill in your postcode.")]
            ok = False
        return ok


class CounterBookingForm(_BookingFields):
    """Book for a resident found by the search (resident_id), or for a new one (name, postcode, consent)."""

    resident_id = HiddenField()
    language_code = SelectField(
        _l("Language for the help (not required)"), default="", validators=[Optional()]
    )
    locale = SelectField(_l("Language for messages"), default="nl")
    consent = BooleanField(_l("The resident agrees that we store these details to help them."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_name.label.text = _l("First name")
        self.postcode.label.text = _l("Postcode")
        self.phone.label.text = _l("Phone number (not required)")
        self.topic_id.label.text = _l("Comes for (not required)")
        self.language_code.choices = [("", "—")] + language_choices()
        self.locale.choices = [(code, native_language_name(code)) for code in RESIDENT_LOCALES]

    @property
    def chosen_resident_id(self) -> int | None:
        value = (self.resident_id.data or "").strip()
        return int(value) if value.isdigit() else None

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.chosen_resident_id is None:
            if not (self.first_name.data or "").strip():
                self.first_name.errors = list(self.first_name.errors) + [_l("Fill in a name we can use.")]
                ok = False
            if not self.postcode.data and not self.postcode.errors:
                self.postcode.errors = [_l("Fill in the postcode.")]
                ok = False
            if not self.consent.data:
                self.consent.errors = [_l("Ask the resident for permission to store these details.")]
                ok = False
        return ok


class PostcodeFinderForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search that changes nothing

    postcode = PostcodeField(
        _l("Your postcode"),
        validators=[DataRequired(message=_l("Fill in your postcode."))],
        description=_l("4 digits, for example 9000."),
    )
