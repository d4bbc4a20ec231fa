"""The request form, shared by the online form (resident) and the counter/phone intake (staff)."""

from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, DateField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..core.forms import LongSelect, MultiCheckboxField, PhoneField
from ..core.i18n import RESIDENT_LOCALES, current_locale, language_name, native_language_name
from ..core.i18n import lazy_gettext as _l
from ..core.labels import LABELS, weekday_name
from ..core.time import local_today
from ..extensions import db
from ..reference.forms import PostcodeField
from ..reference.models import Language, Topic, TopicGroup
from .enums import AgeBand, DayPart, HelpMode, IntakeChannel
from .services import RequestDetails, ResidentDetails, most_asked_topic_ids

COMMON_LANGUAGE_COUNT = 12


def not_in_the_past(form, field):
    if field.data and field.data < local_today():
        raise ValidationError(_l("This date has already passed."))


def language_label(code: str, locale: str) -> Markup:
    """'Arabisch — العربية': the name in the page's language and in the language itself, marked with its
    language so that a screen reader pronounces it and the browser picks the right font and direction."""
    here, native = language_name(code, locale), native_language_name(code)
    if here.lower() == native.lower():
        return Markup('<span lang="%s">%s</span>') % (code, native) if code == locale else Markup.escape(here)
    return Markup('%s — <span lang="%s" dir="auto">%s</span>') % (here, code, native)


def topic_groups(locale: str) -> list[tuple]:
    """[(group label, [(topic id, topic label)])] for the active catalogue, in catalogue order."""
    groups = db.session.scalars(
        select(TopicGroup)
        .where(TopicGroup.active.is_(True))
        .order_by(TopicGroup.position)
        .options(selectinload(TopicGroup.topics))  # one query for every group's topics
    ).all()
    return [(g.label(locale), [(t.id, t.label(locale)) for t in g.topics if t.active]) for g in groups]


def topic_hints(locale: str) -> dict:
    """{topic id: the catalogue's short hint}, for the active topics that have one."""
    found = db.session.scalars(select(Topic).where(Topic.active.is_(True), Topic.hints.is_not(None)))
    return {t.id: t.hint(locale) for t in found if t.hint(locale)}


class RequestForm(FlaskForm):
    topics = MultiCheckboxField(
        _l("What do you want help with?"), coerce=int, description=_l("You can choose more than one.")
    )
    description = TextAreaField(
        _l("Tell us in a few words what you want to do"),
        validators=[Optional(), Length(max=1000)],
        description=_l("For example: I want to fill in my tax return on Tax-on-web."),
    )
    preferred_mode = RadioField(
        _l("How do you want to get help?"),
        validators=[DataRequired(message=_l("Choose how you want to get help."))],
    )
    postcode = PostcodeField(
        _l("Your postcode"),
        validators=[DataRequired(message=_l("Fill in your postcode."))],
        description=_l("4 digits, for example 9000."),
    )
    street_address = StringField(
        _l("Your street and house number"),
        validators=[Optional(), Length(max=200)],
        description=_l("Only needed for a visit at home. Only your digibuddy sees it."),
        render_kw={"autocomplete": "street-address"},
    )
    languages = MultiCheckboxField(_l("Which languages do you speak?"))
    other_language = SelectField(
        _l("Another language"),
        widget=LongSelect(),
        validators=[Optional()],
        description=_l("Is your language not in the list above? Choose it here."),
    )
    time_windows = MultiCheckboxField(
        _l("When are you free?"), description=_l("Choose the parts of the week that suit you.")
    )
    deadline = DateField(
        _l("Is there a date by which it must be done? (not required)"),
        validators=[Optional(), not_in_the_past],
        description=_l("For example the last day for your tax return."),
    )
    first_name = StringField(
        _l("Your first name (or a name we can use)"),
        validators=[DataRequired(message=_l("Fill in a name we can use.")), Length(max=80)],
        render_kw={"autocomplete": "given-name"},
    )
    phone = PhoneField(
        _l("Your phone number (not required)"),
        validators=[Optional()],
    )
    email = EmailField(
        _l("Your e-mail address (not required)"),
        validators=[Optional(), Email(message=_l("This e-mail address is not complete.")), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    has_no_email = BooleanField(_l("I have no e-mail address"))
    age_band = SelectField(_l("Your age (not required)"), validators=[Optional()])
    needs = MultiCheckboxField(_l("Do you need something extra? (not required)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_locale()
        self.topic_groups = topic_groups(locale)
        self.topic_hints = topic_hints(locale)
        self.topics.choices = [choice for _group, topics in self.topic_groups for choice in topics]
        # On a phone the form is shorter: the most asked topics first, the others folded away per group.
        labels = dict(self.topics.choices)
        common = [topic_id for topic_id in most_asked_topic_ids() if topic_id in labels]
        self.common_topics = [(topic_id, labels[topic_id]) for topic_id in common]
        self.other_topic_groups = [
            (group, [t for t in topics if t[0] not in common]) for group, topics in self.topic_groups
        ]
        self.other_topic_groups = [(group, topics) for group, topics in self.other_topic_groups if topics]
        first_topic = common[0] if common else (self.topics.choices[0][0] if self.topics.choices else 0)
        self.topics.first_input_id = f"topic-{first_topic}"
        self.time_windows.first_input_id = f"window-0-{DayPart.MORNING.value}"
        self.preferred_mode.choices = [(m.value, LABELS["help_mode"][m.value]) for m in HelpMode]
        ranked = db.session.scalars(select(Language.code).order_by(Language.rank, Language.code)).all()
        common, others = ranked[:COMMON_LANGUAGE_COUNT], ranked[COMMON_LANGUAGE_COUNT:]
        self.languages.choices = [(code, language_label(code, locale)) for code in common]
        # The long list in the page's language only: naming each of ~180 languages in itself loads the
        # CLDR data of every one of them, ten seconds on a busy server for the first visitor.
        self.other_language.choices = [("", "—")] + sorted(
            ((code, language_name(code, locale)) for code in others), key=lambda c: c[1].lower()
        )
        self.time_windows.choices = [
            (f"{day}-{part.value}", f"{weekday_name(day)}: {LABELS['day_part'][part.value]}")
            for day in range(7)
            for part in DayPart
        ]
        self.age_band.choices = [("", _l("I'd rather not say"))] + [
            (band.value, LABELS["age_band"][band.value]) for band in AgeBand
        ]
        self.needs.choices = [
            ("low_vision", _l("I see badly")),
            ("hearing", _l("I hear badly")),
            ("mobility", _l("I have difficulty walking or moving")),
        ]

    # Field-level checks that need several fields
    def validate_topics(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one thing you want help with."))

    def validate_languages(self, field):
        if not field.data and not self.other_language.data:
            raise ValidationError(_l("Choose at least one language you speak."))

    def validate_has_no_email(self, field):
        if field.data and (self.email.data or "").strip():
            raise ValidationError(
                _l("You wrote an e-mail address and ticked that you have none. Choose one.")
            )

    def validate_street_address(self, field):
        if (
            self.preferred_mode.data == HelpMode.HOME.value
            and not (field.data or "").strip()
            and not getattr(self, "existing_street_address", None)
        ):
            raise ValidationError(_l("For a visit at home we need your street and house number."))

    @property
    def chosen_languages(self) -> list[str]:
        codes = list(self.languages.data or [])
        if self.other_language.data and self.other_language.data not in codes:
            codes.append(self.other_language.data)
        return codes

    @property
    def chosen_time_windows(self) -> list[tuple[int, DayPart]]:
        windows = []
        for value in self.time_windows.data or []:
            day, part = value.split("-", 1)
            windows.append((int(day), DayPart(part)))
        return windows

    @property
    def other_topics_chosen(self) -> bool:
        """A folded-away topic was ticked: the form comes back with that part open."""
        chosen = set(self.topics.data or [])
        return any(topic_id in chosen for _group, topics in self.other_topic_groups for topic_id, _ in topics)

    def details(self, locale: str) -> tuple[ResidentDetails, RequestDetails]:
        """What was typed, as the resident's and the request's details for `services.create_request`;
        `locale` is the language the resident is written to in."""
        resident = ResidentDetails(
            first_name=self.first_name.data,
            postcode=self.postcode.data,
            locale=locale,
            phone=self.phone.data,
            email=self.email.data,
            has_no_email=self.has_no_email.data,
            street_address=self.street_address.data,
            age_band=self.age_band.data or None,
            needs_low_vision="low_vision" in self.needs.data,
            needs_hearing="hearing" in self.needs.data,
            needs_mobility="mobility" in self.needs.data,
            languages=self.chosen_languages,
        )
        return resident, self.request_details()

    def request_details(self) -> RequestDetails:
        """What the request asks: what, how, in which languages, when."""
        return RequestDetails(
            topic_ids=self.topics.data,
            preferred_mode=HelpMode(self.preferred_mode.data),
            languages=self.chosen_languages,
            description=self.description.data,
            deadline=self.deadline.data,
            time_windows=self.chosen_time_windows,
        )


class RequestChangeForm(RequestForm):
    """A coordinator changes what a request asks (what, how, in which languages, when, the address for a
    home visit); the resident's own details stay as they are."""

    RESIDENT_FIELDS = ("postcode", "first_name", "phone", "email", "has_no_email", "age_band", "needs")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.RESIDENT_FIELDS:
            del self[name]

    @classmethod
    def for_request(cls, help_request) -> "RequestChangeForm":
        offered = {code for code, _label in cls._language_choices()}
        codes = [language.code for language in help_request.languages]
        others = [code for code in codes if code not in offered]
        return cls(
            data={
                "topics": [topic.id for topic in help_request.topics],
                "description": help_request.description,
                "preferred_mode": help_request.preferred_mode.value,
                "languages": [code for code in codes if code in offered],
                "other_language": others[0] if others else "",
                "time_windows": [f"{w.weekday}-{w.day_part.value}" for w in help_request.time_windows],
                "deadline": help_request.deadline,
            }
        )

    @staticmethod
    def _language_choices():
        ranked = db.session.scalars(select(Language.code).order_by(Language.rank, Language.code)).all()
        return [(code, code) for code in ranked[:COMMON_LANGUAGE_COUNT]]


class OnlineRequestForm(RequestForm):
    consent = BooleanField(
        _l("I agree that the local network stores these details to help me."),
        validators=[
            DataRequired(message=_l("We can only help you if you agree that we store these details."))
        ],
    )


class IntakeForm(RequestForm):
    channel = RadioField(_l("How did the resident contact us?"), validators=[DataRequired()])
    intake_location_id = SelectField(_l("Where are you?"), coerce=int, validators=[Optional()])
    locale = SelectField(_l("Language for the slip and messages"))
    consent = BooleanField(
        _l("The resident agrees that we store these details to help them."),
        validators=[DataRequired(message=_l("Ask the resident for permission to store these details."))],
    )

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = [
            (c.value, LABELS["intake_channel"][c.value])
            for c in (IntakeChannel.COUNTER, IntakeChannel.PHONE, IntakeChannel.OUTREACH)
        ]
        self.intake_location_id.choices = [(0, "—")] + [(loc.id, loc.name) for loc in locations]
        self.locale.choices = [(code, native_language_name(code)) for code in RESIDENT_LOCALES]


class ResidentSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search that changes nothing

    first_name = StringField(_l("First name"), validators=[Optional(), Length(max=80)])
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=4)])
    phone = StringField(_l("Phone number"), validators=[Optional(), Length(max=32)])


class StatusLookupForm(FlaskForm):
    reference = StringField(
        _l("Your code"),
        validators=[DataRequired(message=_l("Fill in your code.")), Length(max=20)],
        description=_l("8 letters and digits, for example K7QX-M3PD."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    postcode = StringField(
        _l("Your postcode"),
        validators=[DataRequired(message=_l("Fill in your postcode.")), Length(max=10)],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code"},
    )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you want to stop? (not required)"), validators=[Optional(), Length(max=500)]
    )


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()])
    channel = SelectField(_l("Channel"), validators=[Optional()])
    group = SelectField(_l("Topic group"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    older_than = SelectField(_l("Waiting for"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_locale()
        everything = [("", _l("All"))]
        self.status.choices = (
            everything + [("open", _l("All open requests"))] + list(LABELS["request_status"].items())
        )
        self.channel.choices = everything + list(LABELS["intake_channel"].items())
        groups = db.session.scalars(select(TopicGroup).order_by(TopicGroup.position)).all()
        self.group.choices = everything + [(g.code, g.label(locale)) for g in groups]
        ranked = db.session.scalars(
            select(Language.code).where(Language.rank < 1000).order_by(Language.rank)
        ).all()
        self.language.choices = everything + [(code, language_name(code, locale)) for code in ranked]
        self.older_than.choices = everything + [
            ("2", _l("more than 2 days")),
            ("7", _l("more than a week")),
            ("30", _l("more than a month")),
        ]
