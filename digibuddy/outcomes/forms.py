"""Forms for the outcome of a session, closing a request, and the resident's feedback (with faces)."""

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import NumberInput

from ..core.forms import MultiCheckboxField
from ..core.i18n import current_locale
from ..core.i18n import lazy_gettext as _l
from ..core.labels import LABELS
from ..extensions import db
from ..reference.models import TopicGroup
from ..scheduling.models import SessionStatus
from .models import FeedbackChannel, OutcomeResult
from .rules import MINUTES_MAX, contains_code
from .vocabulary import EASE_LABELS, OTHER, REFERRAL_ORGANISATIONS, SATISFACTION_LABELS, TRUST_LABELS

CONFIDENCE_CHOICES = [
    ("1", _l("1 · Not sure at all")),
    ("2", _l("2 · A little sure")),
    ("3", _l("3 · Fairly sure")),
    ("4", _l("4 · Sure")),
    ("5", _l("5 · Very sure")),
]


class WholeNumberField(Field):
    """A whole number typed in a number box, with a translated message when it is not one."""

    widget = NumberInput(min=0, step=1)

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Write a whole number, for example 45.")
        self.raw_text = ""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        self.raw_text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw_text:
            try:
                self.data = int(self.raw_text)
            except ValueError:
                self.data = None
                raise ValueError(str(self.message)) from None


def no_codes(form, field):
    """Safeguarding: a referral names an organisation; digits could be a code written down by mistake."""
    if contains_code(field.data):
        raise ValidationError(_l("Write only the name of the organisation, never codes or numbers."))


def topic_choices(locale: str) -> list[tuple[int, str]]:
    """Every active topic as (id, 'group: topic'), in catalogue order."""
    groups = db.session.scalars(
        select(TopicGroup).where(TopicGroup.active.is_(True)).order_by(TopicGroup.position)
    ).all()
    return [(t.id, f"{g.label(locale)}: {t.label(locale)}") for g in groups for t in g.topics if t.active]


class OutcomeForm(FlaskForm):
    attendance = RadioField(
        _l("Did the session take place?"),
        default=SessionStatus.DONE.value,
        validators=[DataRequired(message=_l("Say whether the session took place."))],
    )
    result = RadioField(_l("What was the result?"), validators=[Optional()])
    referred_to = SelectField(
        _l("Referred to which organisation?"),
        validators=[Optional()],
        description=_l("Only when you referred the resident."),
    )
    referred_other = StringField(
        _l("Other organisation"),
        validators=[Optional(), Length(max=200), no_codes],
        description=_l("Only the name of the organisation."),
    )
    topics = MultiCheckboxField(
        _l("Which topics did you actually cover?"),
        coerce=int,
        description=_l("You can choose more than one."),
    )
    minutes_spent = WholeNumberField(
        _l("How many minutes did you spend?"),
        description=_l("Including the time to get there, for example 60."),
        render_kw={"class": "short", "inputmode": "numeric"},
    )
    confidence_before = RadioField(
        _l("Before the session: how sure did the resident feel about doing this alone?"),
        validators=[Optional()],
        choices=CONFIDENCE_CHOICES,
        description=_l(
            "Ask in plain words: “Before today, how sure did you feel about doing this on your own?” "
            "Leave it empty if the resident did not want to answer."
        ),
    )
    confidence_after = RadioField(
        _l("After the session: how sure does the resident feel now?"),
        validators=[Optional()],
        choices=CONFIDENCE_CHOICES,
        description=_l("Ask: “And now, how sure do you feel about doing this on your own?”"),
    )
    follow_up = RadioField(
        _l("What happens next?"),
        validators=[Optional()],
        choices=[
            ("no", _l("The question is handled: close the request")),
            ("yes", _l("Another session is needed (a follow-up)")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_locale()
        self.attendance.choices = [
            (SessionStatus.DONE.value, _l("Yes, the session took place")),
            (SessionStatus.RESIDENT_NO_SHOW.value, _l("No, the resident did not come")),
            (SessionStatus.VOLUNTEER_NO_SHOW.value, _l("No, the digibuddy could not come")),
        ]
        self.result.choices = [(r.value, LABELS["outcome_result"][r.value]) for r in OutcomeResult]
        self.referred_to.choices = (
            [("", "—")]
            + list(REFERRAL_ORGANISATIONS.items())
            + [(OTHER, _l("Another organisation (type its name below)"))]
        )
        self.topics.choices = topic_choices(locale)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.took_place:
            return valid
        required = (
            (self.result, _l("Choose the result of the session.")),
            (self.topics, _l("Choose at least one topic you covered.")),
            (self.minutes_spent, _l("Fill in how many minutes you spent.")),
            (self.follow_up, _l("Choose what happens next.")),
        )
        for field, message in required:
            if (field.data is None if field is self.minutes_spent else not field.data) and not field.errors:
                field.errors = list(field.errors) + [message]
                valid = False
        if self.result.data == "referred" and not self.referral() and not self.referred_other.errors:
            target = self.referred_other if self.referred_to.data == OTHER else self.referred_to
            target.errors = list(target.errors) + [
                _l("Choose the organisation you referred the resident to.")
            ]
            valid = False
        minutes = self.minutes_spent.data
        if minutes is not None and not 1 <= minutes <= MINUTES_MAX and not self.minutes_spent.errors:
            self.minutes_spent.errors = list(self.minutes_spent.errors) + [
                _l("Fill in a number of minutes between 1 and %(max)s.", max=MINUTES_MAX)
            ]
            valid = False
        return valid

    @property
    def took_place(self) -> bool:
        return self.attendance.data == SessionStatus.DONE.value

    def referral(self) -> str | None:
        """The organisation as stored: a known code, or the name typed in for another one."""
        if self.referred_to.data == OTHER:
            return (self.referred_other.data or "").strip() or None
        return self.referred_to.data or None

    @staticmethod
    def confidence(field) -> int | None:
        return int(field.data) if field.data else None


class CloseRequestForm(FlaskForm):
    closing = RadioField(
        _l("How does the request end?"),
        choices=[
            ("completed", _l("Completed: the help is finished")),
            ("unresolved", _l("Could not be solved")),
        ],
        validators=[DataRequired(message=_l("Choose how the request ends."))],
    )
    result = RadioField(_l("Final result"), validators=[Optional()])
    note = TextAreaField(
        _l("Explanation (not required)"),
        validators=[Optional(), Length(max=500)],
        description=_l("For example why it could not be solved. No personal details."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.result.choices = [(r.value, LABELS["outcome_result"][r.value]) for r in OutcomeResult]


def _satisfaction_choices():
    return [(str(value), text) for value, text in SATISFACTION_LABELS.items()]


def _answer_choices(labels: dict):
    return [(str(value), text) for value, text in labels.items()]


class FeedbackForm(FlaskForm):
    """What the resident fills in: a face for how happy they are, how easy it was to get help this way, how
    much they trust it, and an optional comment."""

    satisfaction = RadioField(
        _l("How happy are you with the help you got?"),
        validators=[DataRequired(message=_l("Choose one of the faces."))],
    )
    ease = RadioField(
        _l("How easy was it to get help this way?"),
        description=_l("Think of how you asked for help: online, by phone, at a counter or at home."),
        validators=[DataRequired(message=_l("Choose how easy it was."))],
    )
    trust = RadioField(
        _l("How much do you trust this help?"),
        validators=[DataRequired(message=_l("Choose how much you trust this help."))],
    )
    comment = TextAreaField(
        _l("Do you want to tell us more? (not required)"),
        validators=[Optional(), Length(max=1000, message=_l("Write at most 1000 characters."))],
        description=_l("Please do not write passwords, codes or other personal details."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.satisfaction.choices = _satisfaction_choices()
        self.ease.choices = _answer_choices(EASE_LABELS)
        self.trust.choices = _answer_choices(TRUST_LABELS)


class StaffFeedbackForm(FeedbackForm):
    """Feedback that staff take down by phone or at the counter."""

    channel = RadioField(
        _l("How did the resident give this feedback?"),
        choices=[
            (FeedbackChannel.PHONE.value, _l("By phone")),
            (FeedbackChannel.COUNTER.value, _l("At the counter")),
        ],
        validators=[DataRequired(message=_l("Choose how the resident gave the feedback."))],
    )
