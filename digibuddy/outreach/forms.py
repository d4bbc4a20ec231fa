"""Forms of the messages to digibuddies: the group, the channels and the texts; a request for cover."""

from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from ..core.forms import MultiCheckboxField, SafeForm
from ..core.i18n import current_locale, language_name
from ..core.i18n import lazy_gettext as _l
from ..core.labels import LABELS
from ..extensions import db
from ..reference.models import Topic
from ..volunteers.models import VolunteerLanguage, VolunteerProfile, VolunteerTopic
from .audience import MODES, active_volunteers
from .services import MAX_BODY, MAX_NOTE, MAX_SUBJECT

CHANNEL_LABELS = {"email": _l("E-mail"), "sms": _l("SMS")}
LANGUAGE_TITLES = {
    "nl": _l("Dutch (required)"),
    "fr": _l("French (not required)"),
    "en": _l("English (not required)"),
}


def _channels_field():
    return MultiCheckboxField(
        _l("Send by"),
        choices=list(CHANNEL_LABELS.items()),
        default=["email"],
        description=_l("Only digibuddies with an e-mail address or a mobile number get it that way."),
    )


class VolunteerMessageForm(SafeForm):
    network_id = SelectField(_l("Local network"), coerce=int, validators=[Optional()])
    languages = MultiCheckboxField(_l("Speaks one of these languages"))
    topics = MultiCheckboxField(_l("Knows one of these topics"), coerce=int)
    modes = MultiCheckboxField(_l("Helps in one of these ways"))
    moment_id = SelectField(
        _l("Shift team of a drop-in moment"), coerce=int, default=0, validators=[Optional()]
    )
    inactive = BooleanField(
        _l("Only digibuddies with no activity for 3 months"),
        description=_l("No accepted request, help session or drop-in shift in the last 3 months."),
    )
    channels = _channels_field()
    subject_nl = StringField(_l("Subject"), render_kw={"maxlength": MAX_SUBJECT})
    body_nl = TextAreaField(_l("Message"), render_kw={"rows": 8, "maxlength": MAX_BODY})
    subject_fr = StringField(_l("Subject"), render_kw={"maxlength": MAX_SUBJECT, "lang": "fr"})
    body_fr = TextAreaField(_l("Message"), render_kw={"rows": 8, "maxlength": MAX_BODY, "lang": "fr"})
    subject_en = StringField(_l("Subject"), render_kw={"maxlength": MAX_SUBJECT, "lang": "en"})
    body_en = TextAreaField(_l("Message"), render_kw={"rows": 8, "maxlength": MAX_BODY, "lang": "en"})

    def set_choices(self, networks, moments) -> None:
        """Choices from the networks the sender may write to: languages spoken and topics known by their
        active digibuddies, their drop-in moments."""
        locale = current_locale()
        self.network_id.choices = [(network.id, network.name) for network in networks]
        volunteers = active_volunteers([network.id for network in networks]).with_only_columns(
            VolunteerProfile.id
        )
        codes = set(
            db.session.scalars(
                select(VolunteerLanguage.language_code).where(VolunteerLanguage.volunteer_id.in_(volunteers))
            )
        )
        self.languages.choices = sorted(
            ((code, language_name(code, locale)) for code in codes), key=lambda choice: choice[1].casefold()
        )
        known = select(VolunteerTopic.topic_id).where(VolunteerTopic.volunteer_id.in_(volunteers))
        topics = db.session.scalars(select(Topic).where(Topic.id.in_(known))).all()
        self.topics.choices = sorted(
            ((topic.id, topic.label(locale)) for topic in topics), key=lambda choice: choice[1].casefold()
        )
        self.modes.choices = [(mode, LABELS["help_mode"][mode]) for mode in MODES]
        several = len(networks) > 1
        self.moment_id.choices = [(0, "—")] + [
            (moment.id, f"{moment.title} ({moment.network.name})" if several else moment.title)
            for moment in moments
        ]

    def texts(self) -> tuple[dict, dict]:
        subjects = {locale: getattr(self, f"subject_{locale}").data for locale in LANGUAGE_TITLES}
        bodies = {locale: getattr(self, f"body_{locale}").data for locale in LANGUAGE_TITLES}
        return subjects, bodies


class CoverForm(SafeForm):
    channels = _channels_field()
    note = TextAreaField(
        _l("A word of your own (not required)"),
        render_kw={"rows": 3, "maxlength": MAX_NOTE},
        description=_l("Added under the message, as you write it."),
    )
