"""Every URL the app answers, and one network's worth of people and objects to fill them in.

`app_routes(app)` lists the URL rules with their methods and their arguments' converters;
`Route.url(values)` fills a rule with any values, also ones its converter would refuse (so that a test
can try text, zero or huge numbers where an id belongs). `populate(postcode)` builds a local network
with a person in every local role and one object of every kind a URL names; its `ids` fill a route's
object arguments and its `values` the others. Tests that walk all routes (scoping, bad input) share
these, so a route added later is walked too."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote, urlencode

from sqlalchemy import select
from werkzeug.routing import Map

from digibuddy.accounts.models import Role, User
from digibuddy.core.db import utcnow
from digibuddy.events.models import EventRegistration, NetworkEvent, NetworkEventKind, RegistrationStatus
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.network.models import LocalNetwork
from digibuddy.notifications.models import MessageChannel, MessageStatus, OutboxMessage
from digibuddy.outreach.models import LetterKind, VolunteerMessage, VolunteerMessageRecipient
from digibuddy.practices.models import Practice, PracticeStatus
from digibuddy.privacy.models import AskKind, AskOrigin, DataAsk
from digibuddy.reference.models import Topic
from digibuddy.requests.models import HelpMode, RequestStatus
from digibuddy.scheduling.models import BookingKind, DropInBooking, DropInWaiting
from digibuddy.volunteers.models import TrainingModule, TrainingModuleVersion, VettingItem
from tests.dropins_helpers import make_moment, next_date
from tests.factories import NetworkFactory, make_admin, make_user
from tests.matching_helpers import make_request
from tests.outcomes_helpers import helped_request
from tests.scheduling_helpers import open_location

# Answer only the methods a form or link can use; HEAD and OPTIONS come with every GET.
METHODS = ("GET", "POST")
LOCAL_ROLES = ("coordinator", "counter", "volunteer")
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^>]*)\))?:)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    methods: tuple[str, ...]
    converters: Mapping[str, str]  # argument -> converter name: "string", "int", "any", "path", ...
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # an `any` argument's values

    @property
    def arguments(self) -> tuple[str, ...]:
        return tuple(self.converters)

    @property
    def object_arguments(self) -> tuple[str, ...]:
        """The arguments that name a stored object by its id (by convention `<thing>_id`)."""
        return tuple(name for name in self.converters if name.endswith("_id"))

    def url(self, values: Mapping[str, object], query: Mapping[str, object] | None = None) -> str:
        """The rule with each argument replaced by `values[name]` (percent-encoded, unchecked)."""
        missing = [name for name in self.converters if name not in values]
        if missing:
            raise KeyError(f"{self.rule} needs a value for {', '.join(missing)}")
        path = _ARGUMENT.sub(lambda m: quote(str(values[m.group("name")]), safe=""), self.rule)
        return f"{path}?{urlencode(query, doseq=True)}" if query else path

    def __str__(self) -> str:
        return f"{'/'.join(self.methods)} {self.rule}"


def _converter_names(url_map: Map) -> dict[type, str]:
    names = {}
    for name, converter in url_map.converters.items():
        names.setdefault(converter, "string" if name == "default" else name)
    return names


def app_routes(app, *, methods: Iterable[str] = METHODS, include_static: bool = False) -> list[Route]:
    """Every URL rule of the app, sorted by rule, with the methods (of `methods`) it accepts."""
    names = _converter_names(app.url_map)
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" and not include_static:
            continue
        converters = {
            m.group("name"): names.get(type(rule._converters[m.group("name")]), "string")
            for m in _ARGUMENT.finditer(rule.rule)
        }
        choices = {
            m.group("name"): tuple(item.strip() for item in m.group("args").split(","))
            for m in _ARGUMENT.finditer(rule.rule)
            if m.group("converter") == "any" and m.group("args")
        }
        accepted = tuple(method for method in methods if method in (rule.methods or ()))
        if accepted:
            found.append(Route(rule.rule, rule.endpoint, accepted, converters, choices))
    return sorted(found, key=lambda route: (route.rule, route.endpoint))


@dataclass
class World:
    """One local network with a person in each local role and an object of every kind a URL names."""

    network: LocalNetwork
    people: dict[str, User]  # LOCAL_ROLES -> user
    ids: dict[str, int]  # object argument -> id of an object of this network
    values: dict[str, str] = field(default_factory=dict)  # other arguments -> a valid value

    def url(self, route: Route, query=None, **overrides) -> str:
        """The route filled with this network's objects (an `any` argument with its first value);
        `overrides` replace single arguments."""
        first_choices = {name: values[0] for name, values in route.choices.items()}
        return route.url({**first_choices, **self.ids, **self.values, **overrides}, query)


def populate(postcode: str = "9000", name: str | None = None) -> World:
    """A network covering `postcode`, its coordinator, counter clerk and an active volunteer who has a
    pending offer, an accepted request with a planned session and a drop-in shift; a location, a drop-in
    moment with a booked place and a resident on its waiting list, a message in the outbox and a message to
    the digibuddies."""
    network = NetworkFactory(postcodes=[postcode], **({"name": name} if name else {}))
    coordinator = make_user(Role.COORDINATOR, network)
    counter = make_user(Role.COUNTER, network)
    location = open_location(network)
    request, session, volunteer = helped_request(network)
    offered = make_request(network, mode=HelpMode.LOCATION, postcode=postcode, languages=("nl",))
    offered.status = RequestStatus.OFFERED
    offer = Offer(request_id=offered.id, volunteer_id=volunteer.id, status=OfferStatus.PENDING)
    moment = make_moment(network, location)
    day = next_date(moment)
    booking = DropInBooking(
        moment_id=moment.id, on_date=day, kind=BookingKind.BOOKED, resident_id=request.resident_id
    )
    waiting = DropInWaiting(moment_id=moment.id, on_date=day, resident_id=request.resident_id)
    message = OutboxMessage(
        channel=MessageChannel.SMS,
        recipient="+32470112233",
        body="Test",
        kind="test",
        dedupe_key=f"routes-{network.id}",
        network_id=network.id,
        status=MessageStatus.FAILED,
        next_attempt_at=utcnow(),
    )
    proposal = Practice(
        title="Koffie en formulieren",
        summary="Een vast moment in de bib.",
        body="Elke dinsdag.",
        network_id=network.id,
        status=PracticeStatus.PROPOSED,
        created_by_id=coordinator.id,
    )
    event = NetworkEvent(
        kind=NetworkEventKind.TRAINING,
        title="Infosessie itsme",
        starts_at=utcnow() + timedelta(days=10),
        ends_at=utcnow() + timedelta(days=10, hours=2),
        place="Bibliotheek",
        audience=["coordinator", "counter", "volunteer"],
        capacity=10,
        network_id=network.id,
    )
    event.registrations = [
        EventRegistration(
            user_id=volunteer.user_id, network_id=network.id, status=RegistrationStatus.REGISTERED
        )
    ]
    topic = db.session.scalars(select(Topic).order_by(Topic.id)).first()
    ask = DataAsk(
        network_id=network.id,
        resident_id=request.resident_id,
        request_id=request.id,
        kind=AskKind.EXPORT,
        origin=AskOrigin.RESIDENT,
    )
    letter = VolunteerMessage(
        network_id=network.id,
        kind=LetterKind.MESSAGE,
        subjects={"nl": "Vorming"},
        bodies={"nl": "Op 12 januari."},
        created_by_id=coordinator.id,
    )
    letter.recipients.append(
        VolunteerMessageRecipient(volunteer_id=volunteer.id, channel=MessageChannel.EMAIL)
    )

    local_module = TrainingModule(
        code=f"local-{network.id}",
        network_id=network.id,
        titles={"nl": "Lokaal"},
        bodies={"nl": "Tekst."},
        quiz=[{"question": {"nl": "?"}, "options": [{"nl": "ja"}, {"nl": "nee"}], "answers": [0]}],
    )
    db.session.add_all([offer, booking, waiting, message, proposal, ask, event, letter, local_module])
    db.session.flush()
    db.session.add(
        TrainingModuleVersion(
            module_id=local_module.id,
            number=1,
            titles=local_module.titles,
            bodies=local_module.bodies,
            quiz=local_module.quiz,
            material=True,
        )
    )
    db.session.commit()
    central_module = db.session.scalar(select(TrainingModule).where(TrainingModule.code == "phishing"))
    return World(
        network=network,
        people={"coordinator": coordinator, "counter": counter, "volunteer": volunteer.user},
        ids={
            "network_id": network.id,
            "user_id": coordinator.id,
            "member_id": counter.id,  # a member of staff a coordinator manages
            "location_id": location.id,
            "request_id": request.id,
            "resident_id": request.resident_id,
            "session_id": session.id,
            "offer_id": offer.id,
            "volunteer_id": volunteer.id,
            "moment_id": moment.id,
            "booking_id": booking.id,
            "waiting_id": waiting.id,
            "message_id": message.id,
            "volunteer_message_id": letter.id,
            "ask_id": ask.id,
            "practice_id": proposal.id,  # a proposal: the network's own until the centre publishes it
            "event_id": event.id,  # an event the network organises; its digibuddy registered
            # The topic catalogue is the whole network's (reference data, managed centrally).
            "topic_id": topic.id,
            "group_id": topic.group_id,
            "item_id": topic.id,
            "module_id": local_module.id,  # a local training module: its network's own
            "training_id": central_module.id,  # a central training module (managed centrally)
        },
        values={
            "day": day.isoformat(),
            "item": VettingItem.TRAINING.value,
            "table_key": "channel",
            "fmt": "csv",
            "code": "safeguarding",
            "token": "0" * 32,  # a well-formed token that opens nothing
            "filename": "app.css",
        },
    )


def central_admin() -> User:
    return make_admin()
