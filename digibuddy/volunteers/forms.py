"""Forms of the volunteers area: applying, the profile, pausing, vetting, status, the list filters, quizzes.

The profile form has a fixed number of rows for languages and availability (no JavaScript needed) and one
level choice per topic of the catalogue; it is built per request because topics and languages live in the
database."""

from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from ..accounts.forms import MIN_PASSWORD_LENGTH
from ..core.forms import IntegerField, LongSelect, MultiCheckboxField, PhoneField, SafeForm
from ..core.i18n import current_locale, language_name, native_language_name
from ..core.i18n import lazy_gettext as _l
from ..core.labels import LABELS, weekday_name
from ..extensions import db
from ..reference.forms import PostcodeField
from ..reference.models import UNRANKED, Language, TopicGroup
from .models import CHANNEL_ATTRIBUTES, LanguageLevel, TopicLevel

LANGUAGE_ROWS = 6
SLOT_ROWS = 6
MAX_RADIUS_KM = 100
MAX_CONCURRENT = 20
CHANNELS = tuple(CHANNEL_ATTRIBUTES)


class Between:
    """Like NumberRange, but safe for any integer a user can type (NumberRange overflows on huge ones)."""

    def __init__(self, low: int, high: int, message):
        self.low, self.high, self.message = low, high, message

    def __call__(self, form, field):
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(self.message)


def language_label(code: str, locale: str) -> str:
    """'Arabisch — العربية': the name in the page's language and in the language itself."""
    here, native = language_name(code, locale), native_language_name(code)
    return here if here.lower() == native.lower() else f"{here} — {native}"


def language_choices(locale: str) -> list[tuple[str, str]]:
    """Every language: the most asked first (by rank), each also named in itself; then the others
    alphabetically by their name here (naming each of ~300 languages in itself would read the CLDR data of
    every one of them: seconds and hundreds of megabytes for the first visitor of each worker)."""
    rows = db.session.execute(select(Language.code, Language.rank)).all()
    labelled = [
        (rank, code, language_label(code, locale) if rank < UNRANKED else language_name(code, locale))
        for code, rank in rows
    ]
    labelled.sort(
        key=lambda row: (row[0], row[2].lower()) if row[0] < UNRANKED else (UNRANKED, row[2].lower())
    )
    return [(code, text) for _rank, code, text in labelled]


class OptionalSelectField(SelectField):
    """A select with an empty first choice; leaving it out of the form is the same as choosing it."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            self.data = ""
            return
        super().pre_validate(form)


def ClockField(label, **kwargs):  # noqa: N802 - a field factory, used like a field class
    return TimeField(
        label,
        validators=[Optional()],
        format=["%H:%M", "%H:%M:%S"],
        invalid_value_message=_l("Write a time as hours and minutes, for example 09:30."),
        **kwargs,
    )


def DayField(label, validators=None, **kwargs):  # noqa: N802
    return DateField(
        label,
        validators=validators or [Optional()],
        invalid_value_message=_l("Write a date as day, month and year, for example 31/12/2026."),
        **kwargs,
    )


class ApplyForm(SafeForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=_l("Fill in your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Your e-mail address"),
        validators=[
            DataRequired(message=_l("Fill in your e-mail address.")),
            Email(message=_l("This e-mail address is not complete.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    phone = PhoneField(
        _l("Your phone number (not required)"),
        validators=[Optional()],
        description=_l("Your coordinator calls you to get to know you."),
    )
    postcode = PostcodeField(
        _l("Your postcode"),
        validators=[DataRequired(message=_l("Fill in your postcode."))],
        description=_l("You help in the local network of your municipality."),
    )
    motivation = TextAreaField(
        _l("Why do you want to become a digibuddy? (not required)"), validators=[Optional(), Length(max=2000)]
    )
    password = PasswordField(
        _l("Choose a password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Choose a password of at least %(count)s characters.", count=MIN_PASSWORD_LENGTH),
            ),
        ],
        description=_l("At least %(count)s characters.", count=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("Type the password again"),
        validators=[
            DataRequired(message=_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    rules = BooleanField(
        _l("I have read the rules for digibuddies and I will keep to them."),
        validators=[DataRequired(message=_l("You can only become a digibuddy if you keep to the rules."))],
    )


# The limits a digibuddy sets in their profile, and a coordinator may change with them.
RADIUS_RULES = [
    InputRequired(message=_l("Fill in a number of kilometres.")),
    Between(0, MAX_RADIUS_KM, message=_l("Choose a distance between 0 and 100 km.")),
]
CAPACITY_RULES = [
    InputRequired(message=_l("Fill in a number.")),
    Between(1, MAX_CONCURRENT, message=_l("Choose a number between 1 and 20.")),
]
NUMBER_INPUT = {"inputmode": "numeric", "class": "short"}


class ProfileForm(SafeForm):
    """The fixed part of the profile; rows and topic choices are added by `build_profile_form`."""

    name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=_l("Fill in your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = PhoneField(
        _l("Your phone number (not required)"),
        validators=[Optional()],
    )
    home_postcode = PostcodeField(
        _l("Postcode of your home"), validators=[DataRequired(message=_l("Fill in your postcode."))]
    )
    travel_radius_km = IntegerField(
        _l("How far do you want to travel? (km)"),
        validators=RADIUS_RULES,
        description=_l("From your home, for home visits and locations."),
        render_kw=NUMBER_INPUT,
    )
    max_concurrent = IntegerField(
        _l("How many residents do you want to help at the same time?"),
        validators=CAPACITY_RULES,
        render_kw=NUMBER_INPUT,
    )
    channels = MultiCheckboxField(_l("How do you want to help?"), description=_l("Choose at least one."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channels.choices = [(code, LABELS["volunteer_channel"][code]) for code in CHANNELS]

    def validate_channels(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one way to help."))

    # The rows, read back as plain data -------------------------------------------------------------
    def language_rows(self):
        return [
            (getattr(self, f"language_{i}"), getattr(self, f"language_level_{i}"))
            for i in range(self.language_row_count)
        ]

    def slot_rows(self):
        return [
            (
                getattr(self, f"slot_{i}_weekday"),
                getattr(self, f"slot_{i}_starts"),
                getattr(self, f"slot_{i}_ends"),
            )
            for i in range(self.slot_row_count)
        ]

    def check_rows(self) -> bool:
        """Field errors for half-filled rows, repeated languages, reversed or overlapping times."""
        ok = True
        seen = {}
        for number, (language, level) in enumerate(self.language_rows(), start=1):
            if language.errors or level.errors:
                ok = False
                continue
            if language.data and not level.data:
                level.errors.append(_l("Choose how well you speak this language."))
                ok = False
            elif level.data and not language.data:
                language.errors.append(_l("Choose a language, or leave the level empty."))
                ok = False
            elif language.data in seen:
                language.errors.append(
                    _l("You chose this language twice (also in row %(row)s).", row=seen[language.data])
                )
                ok = False
            elif language.data:
                seen[language.data] = number
        if ok and not seen:
            self.language_0.errors.append(_l("Choose at least one language you speak."))
            ok = False
        slots = []
        for weekday, starts, ends in self.slot_rows():
            if weekday.errors or starts.errors or ends.errors:
                ok = False
                continue
            filled = [weekday.data not in (None, ""), starts.data is not None, ends.data is not None]
            if not any(filled):
                continue
            if not all(filled):
                target = weekday if not filled[0] else (starts if not filled[1] else ends)
                target.errors.append(_l("Fill in the day, the start and the end, or leave the row empty."))
                ok = False
            elif ends.data <= starts.data:
                ends.errors.append(_l("The end time must be after the start time."))
                ok = False
            else:
                day = int(weekday.data)
                clash = next(
                    (s for s in slots if s[0] == day and s[1] < ends.data and starts.data < s[2]), None
                )
                if clash:
                    starts.errors.append(_l("This time overlaps another row on the same day."))
                    ok = False
                else:
                    slots.append((day, starts.data, ends.data))
        return ok

    @property
    def chosen_languages(self) -> list[tuple[str, str]]:
        return [(language.data, level.data) for language, level in self.language_rows() if language.data]

    @property
    def chosen_topics(self) -> list[tuple[int, str]]:
        return [(topic_id, field.data) for topic_id, field in self.topic_fields if field.data]

    @property
    def chosen_slots(self) -> list[tuple[int, object, object]]:
        return [
            (int(weekday.data), starts.data, ends.data)
            for weekday, starts, ends in self.slot_rows()
            if weekday.data not in (None, "") and starts.data is not None and ends.data is not None
        ]


def build_profile_form(profile, locale: str, with_data: bool = True) -> ProfileForm:
    """A ProfileForm with rows for languages and times and a level choice per topic, filled from the
    profile."""
    language_rows = max(LANGUAGE_ROWS, len(profile.languages) + 1)
    slot_rows = max(SLOT_ROWS, len(profile.availability) + 1)
    groups = db.session.scalars(
        select(TopicGroup).where(TopicGroup.active.is_(True)).order_by(TopicGroup.position)
    ).all()
    attrs = {"language_row_count": language_rows, "slot_row_count": slot_rows}
    level_choices = [("", "—")] + [
        (level.value, LABELS["language_level"][level.value]) for level in LanguageLevel
    ]
    topic_choices = [("", _l("No"))] + [
        (level.value, LABELS["topic_level"][level.value]) for level in TopicLevel
    ]
    day_choices = [("", "—")] + [(str(day), weekday_name(day)) for day in range(7)]
    languages = [("", "—")] + language_choices(locale)
    unknown_language = _l("We do not know this language. Choose one from the list.")
    choices = {}  # set after the form is made (WTForms wants choices given that way)
    for i in range(language_rows):
        attrs[f"language_{i}"] = OptionalSelectField(
            _l("Language %(row)s", row=i + 1), invalid_choice_message=unknown_language, widget=LongSelect()
        )
        attrs[f"language_level_{i}"] = OptionalSelectField(
            _l("Level of language %(row)s", row=i + 1),
            invalid_choice_message=_l("Choose a level from the list."),
        )
        choices[f"language_{i}"], choices[f"language_level_{i}"] = languages, level_choices
    for i in range(slot_rows):
        attrs[f"slot_{i}_weekday"] = OptionalSelectField(
            _l("Day (row %(row)s)", row=i + 1), invalid_choice_message=_l("Choose a day from the list.")
        )
        choices[f"slot_{i}_weekday"] = day_choices
        attrs[f"slot_{i}_starts"] = ClockField(_l("From (row %(row)s)", row=i + 1))
        attrs[f"slot_{i}_ends"] = ClockField(_l("Until (row %(row)s)", row=i + 1))
    topic_groups = []
    for group in groups:
        names = []
        for topic in group.topics:
            if topic.active:
                attrs[f"topic_{topic.id}"] = OptionalSelectField(
                    topic.label(locale), invalid_choice_message=_l("Choose a level from the list.")
                )
                choices[f"topic_{topic.id}"] = topic_choices
                names.append((topic.id, f"topic_{topic.id}"))
        if names:
            topic_groups.append((group.label(locale), names))
    form_class = type("VolunteerProfileForm", (ProfileForm,), attrs)

    data = None
    if with_data:
        data = {
            "name": profile.user.name,
            "phone": profile.user.phone,
            "home_postcode": profile.home_postcode_code,
            "travel_radius_km": profile.travel_radius_km,
            "max_concurrent": profile.max_concurrent,
            "channels": profile.channels,
        }
        for i, row in enumerate(sorted(profile.languages, key=_language_order)):
            data[f"language_{i}"], data[f"language_level_{i}"] = row.language_code, row.level.value
        for i, slot in enumerate(profile.availability):
            data[f"slot_{i}_weekday"] = str(slot.weekday)
            data[f"slot_{i}_starts"], data[f"slot_{i}_ends"] = slot.starts, slot.ends
        for row in profile.topics:
            data[f"topic_{row.topic_id}"] = row.level.value
    form = form_class(data=data)
    for name, options in choices.items():
        getattr(form, name).choices = options
    form.topic_groups = [
        (label, [getattr(form, name) for _id, name in names]) for label, names in topic_groups
    ]
    form.topic_fields = [
        (topic_id, getattr(form, name)) for _label, names in topic_groups for topic_id, name in names
    ]
    return form


_LEVEL_ORDER = {level.value: index for index, level in enumerate(LanguageLevel)}


def _language_order(row):
    return (_LEVEL_ORDER.get(getattr(row.level, "value", row.level), 9), row.language_code)


class PauseForm(SafeForm):
    paused_until = DayField(
        _l("Until when? (not required)"), description=_l("Leave empty if you do not know yet.")
    )


class ConfirmForm(SafeForm):
    """A button that only needs the CSRF token (resume, reset the calendar link, undo a check)."""


class VettingForm(SafeForm):
    document_date = DayField(
        _l("Date of issue of the extract"), description=_l("The date printed on the extract.")
    )
    note = StringField(_l("Note (not required)"), validators=[Optional(), Length(max=300)])


class StatusForm(SafeForm):
    status = SelectField(_l("New status"), invalid_choice_message=_l("Choose a status from the list."))
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=500)],
        description=_l("Required for a suspension. The digibuddy does not see it."),
    )
    paused_until = DayField(_l("Paused until (not required)"))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(status, LABELS["volunteer_status"][status]) for status in targets]


class LimitsForm(SafeForm):
    """A coordinator changes how many residents a digibuddy helps at once and how far they travel,
    after talking it over with them (they are told)."""

    max_concurrent = IntegerField(
        _l("Residents at the same time"), validators=CAPACITY_RULES, render_kw=NUMBER_INPUT
    )
    travel_radius_km = IntegerField(_l("Travels up to (km)"), validators=RADIUS_RULES, render_kw=NUMBER_INPUT)


class VolunteerFilterForm(SafeForm):
    class Meta:
        csrf = False  # a GET filter that changes nothing

    status = SelectField(_l("Status"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    channel = SelectField(_l("How they help"), validators=[Optional()])
    postcode = PostcodeField(_l("Near postcode"), validators=[Optional()])
    km = IntegerField(
        _l("Within (km)"),
        default=10,
        validators=[
            Optional(),
            Between(1, MAX_RADIUS_KM, message=_l("Choose a distance between 1 and 100 km.")),
        ],
        render_kw={"inputmode": "numeric", "class": "short"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        locale = current_locale()
        everything = [("", _l("All"))]
        invalid = _l("Choose from the list.")
        self.status.choices = everything + list(LABELS["volunteer_status"].items())
        ranked = db.session.scalars(
            select(Language.code).where(Language.rank < UNRANKED).order_by(Language.rank)
        ).all()
        self.language.choices = everything + [(code, language_name(code, locale)) for code in ranked]
        groups = db.session.scalars(select(TopicGroup).order_by(TopicGroup.position)).all()
        self.topic.choices = everything + [
            (t.code, f"{g.label(locale)}: {t.label(locale)}") for g in groups for t in g.topics
        ]
        self.channel.choices = everything + [(code, LABELS["volunteer_channel"][code]) for code in CHANNELS]
        for field in (self.status, self.language, self.topic, self.channel):
            field.invalid_choice_message = invalid


def build_quiz_form(module, locale: str):
    """One question per quiz item of a training module: radio buttons when one answer is right, checkboxes
    ("tick every right answer") when several are."""
    from ..reference.models import localized
    from .training import right_answers

    attrs = {}
    quiz = module.quiz or []
    for index, question in enumerate(quiz):
        text = localized(question.get("question"), locale)
        if len(right_answers(question)) > 1:
            attrs[f"q{index}"] = MultiCheckboxField(
                text,
                coerce=int,
                description=_l("Tick every right answer."),
                validators=[InputRequired(message=_l("Tick at least one answer."))],
            )
        else:
            attrs[f"q{index}"] = RadioField(
                text,
                coerce=int,
                validators=[InputRequired(message=_l("Choose an answer."))],
                invalid_choice_message=_l("Choose one of the answers."),
                invalid_value_message=_l("Choose one of the answers."),
            )
    form_class = type("QuizForm", (SafeForm,), attrs)
    form = form_class()
    form.questions = [getattr(form, f"q{index}") for index in range(len(quiz))]
    for question, field in zip(quiz, form.questions, strict=True):
        field.choices = [
            (number, localized(option, locale)) for number, option in enumerate(question.get("options", []))
        ]
    return form
