"""The event form (organisers) and the attendance form."""

from datetime import datetime, time

from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import IntegerField, MultiCheckboxField, SafeForm
from ..core.i18n import lazy_gettext as _l
from ..core.time import to_local
from .services import AUDIENCE, EventDetails

END_OF_DAY = time(23, 59)


def kind_labels() -> dict:
    return {
        "learning_network": _l("Network moment of the learning network"),
        "training": _l("Training"),
        "info_session": _l("Info session"),
        "webinar": _l("Webinar"),
    }


def audience_labels() -> dict:
    return {"coordinator": _l("Coordinators"), "counter": _l("Counter staff"), "volunteer": _l("Digibuddies")}


class EventForm(SafeForm):
    kind = SelectField(_l("Kind of event"), validators=[DataRequired(message=_l("Choose a kind of event."))])
    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Give the event a title.")), Length(max=200)]
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=5000)],
        description=_l("What happens, for whom, and what to bring."),
        render_kw={"rows": "5"},
    )
    network = SelectField(_l("Organised by"), coerce=int, validators=[Optional()])
    starts_date = DateField(_l("Date"), validators=[DataRequired(message=_l("Choose a date."))])
    starts_time = TimeField(_l("Start time"), validators=[DataRequired(message=_l("Choose a start time."))])
    ends_time = TimeField(_l("End time"), validators=[DataRequired(message=_l("Choose an end time."))])
    place = StringField(
        _l("Place"),
        validators=[Optional(), Length(max=200)],
        description=_l("Name and address. Leave empty for an event that is only online."),
    )
    online_url = StringField(
        _l("Online link"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "For a webinar or an event you can also follow online: the whole link, starting with https://"
        ),
        render_kw={"type": "url", "dir": "ltr"},
    )
    audience = MultiCheckboxField(_l("For whom"))
    capacity = IntegerField(
        _l("Number of places"),
        validators=[
            InputRequired(message=_l("Give the number of places.")),
            NumberRange(min=1, message=_l("Give room for at least 1 person.")),
        ],
        description=_l("When every place is taken, people join the waiting list."),
    )
    deadline_date = DateField(
        _l("Registration closes on (not required)"),
        validators=[Optional()],
        description=_l("Without a date, people can register until the event starts."),
    )
    deadline_time = TimeField(
        _l("Registration closes at (not required)"),
        validators=[Optional()],
        description=_l("Without a time, registration closes at the end of that day."),
    )

    def __init__(self, *args, networks=(), centre=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", "—")] + [(k, str(v)) for k, v in kind_labels().items()]
        self.audience.choices = [(k, str(audience_labels()[k])) for k in AUDIENCE]
        choices = [(n.id, n.name) for n in networks]
        if centre:
            from ..core.i18n import gettext as _

            choices = [(0, _("The knowledge centre"))] + choices
        self.network.choices = choices

    def details(self, network_id: int | None = None) -> EventDetails:
        """What was filled in; `network_id` when the form has no choice of network."""
        day = self.starts_date.data
        deadline = None
        if self.deadline_date.data is not None:
            deadline = datetime.combine(self.deadline_date.data, self.deadline_time.data or END_OF_DAY)
        place = (self.place.data or "").strip() or None
        return EventDetails(
            kind=self.kind.data or "",
            title=self.title.data or "",
            description=self.description.data,
            starts_at=datetime.combine(day, self.starts_time.data),
            ends_at=datetime.combine(day, self.ends_time.data),
            place=place,
            online_url=(self.online_url.data or "").strip() or None,
            audience=list(self.audience.data or []),
            capacity=self.capacity.data,
            registration_deadline=deadline,
            network_id=network_id if self.network is None else (self.network.data or None),
        )

    def fill(self, event) -> None:
        starts, ends = to_local(event.starts_at), to_local(event.ends_at)
        self.kind.data, self.title.data, self.description.data = (
            str(event.kind),
            event.title,
            event.description,
        )
        if self.network is not None:
            self.network.data = event.network_id or 0
        self.starts_date.data, self.starts_time.data, self.ends_time.data = (
            starts.date(),
            starts.time(),
            ends.time(),
        )
        self.place.data, self.online_url.data = event.place, event.online_url
        self.audience.data = list(event.audience or [])
        self.capacity.data = event.capacity
        if event.registration_deadline is not None:
            deadline = to_local(event.registration_deadline)
            self.deadline_date.data, self.deadline_time.data = deadline.date(), deadline.time()
