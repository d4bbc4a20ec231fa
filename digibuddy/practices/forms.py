"""The practice sheet form and the library's search form."""

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import MultiCheckboxField, SafeForm
from ..core.i18n import current_locale
from ..core.i18n import lazy_gettext as _l
from ..core.labels import LABELS
from ..extensions import db
from ..reference.models import TopicGroup
from .services import Filters, PracticeDetails


def target_group_labels() -> dict:
    return {
        "seniors": _l("Seniors"),
        "newcomers": _l("Newcomers"),
        "low_literacy": _l("People with low literacy"),
        "disability": _l("People with a disability"),
        "young": _l("Young people"),
    }


def channel_labels() -> dict:
    return LABELS["channel"]


def _group_choices() -> list:
    locale = current_locale()
    return [
        (g.code, g.label(locale))
        for g in db.session.scalars(
            select(TopicGroup).where(TopicGroup.active.is_(True)).order_by(TopicGroup.position)
        )
    ]


class PracticeForm(SafeForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("Two or three sentences: what you do and why it works."),
    )
    body = TextAreaField(
        _l("The practice sheet"),
        validators=[DataRequired(), Length(max=20000)],
        description=_l("Markdown: ## for a heading, - for a list, **bold**. Use Preview to see it."),
        render_kw={"rows": "14"},
    )
    topic_groups = MultiCheckboxField(_l("Topic groups"))
    target_groups = MultiCheckboxField(_l("Target groups"))
    channels = MultiCheckboxField(_l("Channels"))
    tags = StringField(
        _l("Keywords"), validators=[Optional(), Length(max=200)], description=_l("Separate them with commas.")
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_details = StringField(
        _l("How to reach them"),
        validators=[Optional(), Length(max=200)],
        description=_l("An e-mail address or phone number at work."),
    )
    links = TextAreaField(
        _l("Links"),
        validators=[Optional(), Length(max=2000)],
        description=_l("One web address per line, starting with https://."),
        render_kw={"rows": "3"},
    )
    network = SelectField(_l("Local network it comes from"), coerce=int, validators=[Optional()])

    def __init__(self, *args, networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_groups.choices = _group_choices()
        self.target_groups.choices = list(target_group_labels().items())
        self.channels.choices = list(channel_labels().items())
        self.network.choices = [(n.id, n.name) for n in networks]

    def details(self) -> PracticeDetails:
        return PracticeDetails(
            title=self.title.data or "",
            summary=self.summary.data or "",
            body=self.body.data or "",
            topic_groups=self.topic_groups.data or [],
            target_groups=self.target_groups.data or [],
            channels=self.channels.data or [],
            tags=(self.tags.data or "").split(","),
            contact_name=self.contact_name.data,
            contact_details=self.contact_details.data,
            links=[line.strip() for line in (self.links.data or "").splitlines() if line.strip()],
        )

    def fill(self, practice) -> None:
        for name in ("title", "summary", "body", "topic_groups", "target_groups", "channels"):
            getattr(self, name).data = getattr(practice, name)
        self.tags.data = ", ".join(practice.tags or [])
        self.contact_name.data, self.contact_details.data = practice.contact_name, practice.contact_details
        self.links.data = "\n".join(practice.links or [])
        self.network.data = practice.network_id or 0


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)], render_kw={"type": "search"})
    topic_group = SelectField(_l("Topic group"), validators=[Optional()])
    target_group = SelectField(_l("Target group"), validators=[Optional()])
    channel = SelectField(_l("Channel"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _l("All"))]
        self.topic_group.choices = every + _group_choices()
        self.target_group.choices = every + list(target_group_labels().items())
        self.channel.choices = every + list(channel_labels().items())

    def filters(self) -> Filters:
        def chosen(field):
            return field.data if field.data in {value for value, _label in field.choices} else ""

        return Filters(
            (self.q.data or "").strip(),
            chosen(self.topic_group),
            chosen(self.target_group),
            chosen(self.channel),
        )
