"""Writing a demo plan (:func:`digibuddy.demo.plan.build_plan`) to the database, one kind of row after
another: networks and locations, accounts and volunteer profiles, residents, requests with their
offers, sessions and feedback, drop-ins, the central steering (practices, network events), and last a
coordinator's message to the digibuddies, sent through the outbox.

Every time in the plan is a number of minutes from today's midnight in Brussels (or from now, for a few
requests that are still waiting) and every day an offset from today; :class:`PlanWriter` turns them into
stored values. The order of the writes is fixed, so the same plan always gives the same ids."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..accounts.models import Membership, Role, User
from ..core.time import to_utc
from ..events.models import (
    Attendance,
    EventRegistration,
    NetworkEvent,
    NetworkEventKind,
    RegistrationStatus,
)
from ..extensions import db
from ..matching.models import Offer, OfferStatus
from ..network.models import LocalNetwork, Location, LocationKind, OpeningHours, UncoveredAttempt
from ..network.services import save_network
from ..network.settings import central_settings, save_central_settings, save_network_overrides
from ..network.steering import WEIGHT_KEYS, Central
from ..outcomes.models import Feedback, FeedbackChannel, Outcome, OutcomeResult
from ..outreach.audience import Audience
from ..outreach.services import send_message
from ..practices import search
from ..practices.models import Practice, PracticeStatus
from ..reference.models import Language, Topic
from ..requests.enums import RequestStatus
from ..requests.models import (
    AgeBand,
    DayPart,
    HelpMode,
    HelpRequest,
    IntakeChannel,
    RequestEvent,
    RequestTimeWindow,
    Resident,
    ResidentLanguage,
)
from ..scheduling.models import (
    BookingKind,
    DropInBooking,
    DropInException,
    DropInMoment,
    DropInShift,
    DropInWaiting,
    HelpSession,
    PlaceKind,
    Recurrence,
    SessionStatus,
)
from ..volunteers.models import (
    AvailabilitySlot,
    LanguageLevel,
    TopicLevel,
    TrainingCompletion,
    TrainingModule,
    TrainingModuleVersion,
    VettingCheck,
    VettingItem,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    VolunteerTopic,
)
from .data import CONSENT_VERSION, DEMO_PASSWORD, MAX_OFFER_ROUNDS, OFFER_TIMEOUT_HOURS

ROLES = {"coordinator": Role.COORDINATOR, "counter": Role.COUNTER, "volunteer": Role.VOLUNTEER}


def clock(text: str) -> time:
    return time.fromisoformat(text)


def with_topic_id(part: dict, topics: dict) -> dict:
    """Explanation parts name topics by code in the plan; the engine's format uses the topic id."""
    if "topic" not in part:
        return part
    part = dict(part)
    part["topic_id"] = topics[part.pop("topic")].id
    return part


class PlanWriter:
    """Writes one plan; each method writes one kind of row and keeps what later ones point at."""

    def __init__(self, plan: dict, now: datetime, today: date):
        self.plan, self.now, self.today = plan, now, today
        self.midnight = datetime.combine(today, time(0))

    def write(self) -> None:
        self.networks()
        self.locations()
        self.accounts()
        self.volunteer_details()
        self.residents()
        self.requests()
        self.dropins()
        self.steering()
        self.local_training()
        self.uncovered_attempts()
        self.network_settings()
        db.session.commit()
        self.volunteer_messages()

    # ------------------------------------------------------------------------------- the plan's clock
    def at(self, minutes: int, anchor: str = "day") -> datetime:
        """Minutes from today's midnight (anchor "day": wall-clock arithmetic in Brussels, correct across
        DST changes) or from now, as stored (naive UTC)."""
        if anchor == "now":
            return self.now + timedelta(minutes=minutes)
        return to_utc(self.midnight + timedelta(minutes=minutes))

    def day(self, offset: int | None) -> date | None:
        return self.today + timedelta(days=offset) if offset is not None else None

    def actor(self, key) -> int | None:
        return self.user_ids[key] if key else None

    # ------------------------------------------------------------------------------- networks
    def networks(self) -> None:
        """save_network commits each one."""
        self.network_ids = {}
        for net in self.plan["networks"]:
            network = save_network(
                None,
                name=net["name"],
                municipality_codes=net["nis"],
                phone=net["phone"],
                email=net["email"],
                address=net["address"],
                postcode_code=net["postcode"],
                # Each network follows the central settings, except where it lets requests overflow.
                allow_overflow=True if net["allow_overflow"] else None,
            )
            self.network_ids[net["key"]] = network.id

    def locations(self) -> None:
        self.location_rows = {
            loc["key"]: Location(
                network_id=self.network_ids[loc["network"]],
                name=loc["name"],
                kind=LocationKind(loc["kind"]),
                street=loc["street"],
                postcode_code=loc["postcode"],
                latitude=loc["latitude"],
                longitude=loc["longitude"],
                accessibility_notes=loc["accessibility_notes"],
                phone=loc["phone"],
                opening_hours=[
                    OpeningHours(weekday=w, opens=clock(o), closes=clock(c))
                    for w, o, c in loc["opening_hours"]
                ],
            )
            for loc in self.plan["locations"]
        }
        db.session.add_all(self.location_rows.values())

    # ------------------------------------------------------------------------------- accounts
    def accounts(self) -> None:
        """Staff and volunteers, with one scrypt hash shared by every demo user."""
        self.users, self.profiles = {}, {}
        self.password_hash = None
        for person in self.plan["staff"]:
            self.users[person["key"]] = self._staff(person)
        for vol in self.plan["volunteers"]:
            user = self._volunteer_user(vol, [(net_key, "volunteer") for net_key in vol["networks"]])
            self.users[f"volunteer:{vol['email']}"] = user
            self.profiles[vol["email"]] = self._profile(vol, user)
        db.session.add_all(self.users.values())
        db.session.add_all(self.profiles.values())
        db.session.flush()
        self.user_ids = {key: user.id for key, user in self.users.items()}

    def _staff(self, person: dict) -> User:
        user = User(
            email=person["email"],
            name=person["name"],
            phone=person["phone"],
            locale=person["locale"],
            is_admin=person["is_admin"],
            created_at=self.at(person["created"]),
        )
        if self.password_hash is None:
            user.set_password(DEMO_PASSWORD)
            self.password_hash = user.password_hash
        user.password_hash = self.password_hash
        self._memberships(user, person["memberships"], person["created"])
        return user

    def _volunteer_user(self, vol: dict, memberships) -> User:
        user = User(
            email=vol["email"],
            name=vol["name"],
            phone=vol["phone"],
            locale=vol["locale"],
            password_hash=self.password_hash,
            created_at=self.at(vol["created"]),
        )
        self._memberships(user, memberships, vol["created"])
        return user

    def _memberships(self, user: User, memberships, created: int) -> None:
        for net_key, role in memberships:
            user.memberships.append(
                Membership(
                    network_id=self.network_ids[net_key], role=ROLES[role], created_at=self.at(created)
                )
            )

    def _profile(self, vol: dict, user: User) -> VolunteerProfile:
        return VolunteerProfile(
            user=user,
            home_postcode_code=vol["home_postcode"],
            travel_radius_km=vol["travel_radius_km"],
            max_concurrent=vol["max_concurrent"],
            status=VolunteerStatus(vol["status"]),
            status_reason=vol["status_reason"],
            status_changed_at=self.at(vol["status_changed"]),
            paused_until=self.day(vol["paused_until_day"]),
            offers_home_visits=vol["offers_home_visits"],
            offers_location=vol["offers_location"],
            offers_phone=vol["offers_phone"],
            offers_video=vol["offers_video"],
            motivation=vol["motivation"],
            created_at=self.at(vol["created"]),
            languages=[
                VolunteerLanguage(language_code=c, level=LanguageLevel(level))
                for c, level in vol["languages"]
            ],
            availability=[
                AvailabilitySlot(weekday=w, starts=clock(s), ends=clock(e)) for w, s, e in vol["availability"]
            ],
        )

    def volunteer_details(self) -> None:
        """Training passed, topics known and vetting done, once the profiles have ids."""
        self.topics = {t.code: t for t in db.session.scalars(select(Topic))}
        self.languages = {lang.code: lang for lang in db.session.scalars(select(Language))}
        modules = {m.code: m.id for m in db.session.scalars(select(TrainingModule))}
        for vol in self.plan["volunteers"]:
            profile = self.profiles[vol["email"]]
            db.session.add_all(
                TrainingCompletion(
                    volunteer_id=profile.id,
                    module_id=modules[code],
                    completed_at=self.at(when),
                    score=questions,
                )
                for code, when, questions in vol["training"]
                if code in modules
            )
            profile.topics = [
                VolunteerTopic(topic_id=self.topics[c].id, level=TopicLevel(level))
                for c, level in vol["topics"]
            ]
            profile.vetting_checks = [
                VettingCheck(
                    item=VettingItem(check["item"]),
                    checked_by_id=self.actor(check["checked_by"]),
                    checked_at=self.at(check["checked"]),
                    document_date=self.day(check["document_day"]),
                    note=check["note"],
                )
                for check in vol["vetting"]
            ]

    # ------------------------------------------------------------------------------- residents, requests
    def residents(self) -> None:
        self.resident_rows = {res["key"]: self._resident(res) for res in self.plan["residents"]}
        db.session.add_all(self.resident_rows.values())

    def _resident(self, res: dict) -> Resident:
        created = self.at(res["created"], res["anchor"])
        return Resident(
            network_id=self.network_ids[res["network"]],
            first_name=res["first_name"],
            phone=res["phone"],
            email=res["email"],
            has_no_email=res["has_no_email"],
            postcode_code=res["postcode"],
            street_address=res["street_address"],
            locale=res["locale"],
            age_band=AgeBand(res["age_band"]) if res["age_band"] else None,
            needs_low_vision="low_vision" in res["needs"],
            needs_hearing="hearing" in res["needs"],
            needs_mobility="mobility" in res["needs"],
            consent_at=created,
            consent_channel=IntakeChannel(res["consent_channel"]),
            consent_version=CONSENT_VERSION,
            created_at=created,
            created_by_id=self.actor(res["created_by"]),
            languages=[ResidentLanguage(language_code=c) for c in res["languages"]],
        )

    def requests(self) -> None:
        """Requests with their event log, offers, sessions (and outcomes) and feedback. An event's note
        may name a volunteer's or a session's id, filled in once those have one."""
        request_rows, offers, sessions, feedback = {}, [], [], []
        self.session_notes = []  # (event, the request's sessions, index of the session it names)
        for req in self.plan["requests"]:
            request = self._request(req)
            request_sessions = [self._session(request, item) for item in req["sessions"]]
            self._events(request, req, request_sessions)
            request_rows[req["reference"]] = request
            offers += [self._offer(request, item, req["anchor"]) for item in req["offers"]]
            sessions += request_sessions
            if req["feedback"]:
                feedback.append(self._feedback(request, req["feedback"]))
        db.session.add_all(request_rows.values())
        db.session.flush()
        db.session.add_all(offers)
        db.session.add_all(sessions)
        db.session.add_all(feedback)
        db.session.flush()
        for logged, request_sessions, index in self.session_notes:
            logged.note = logged.note.replace("{session_id}", str(request_sessions[index].id))

    def _request(self, req: dict) -> HelpRequest:
        anchor = req["anchor"]
        return HelpRequest(
            reference=req["reference"],
            resident=self.resident_rows[req["resident"]],
            network_id=self.network_ids[req["network"]],
            intake_channel=IntakeChannel(req["intake_channel"]),
            preferred_mode=HelpMode(req["preferred_mode"]),
            description=req["description"],
            deadline=self.day(req["deadline_day"]),
            status=RequestStatus(req["status"]),
            status_changed_at=self.at(req["status_changed"], anchor),
            offer_round=req["offer_round"],
            escalation_reasons=req["escalation_reasons"],
            result=req["result"],
            intake_location=self.location_rows[req["intake_location"]] if req["intake_location"] else None,
            created_at=self.at(req["created"], anchor),
            created_by_id=self.actor(req["created_by"]),
            topics=[self.topics[c] for c in req["topics"]],
            languages=[self.languages[c] for c in req["languages"]],
            time_windows=[RequestTimeWindow(weekday=w, day_part=DayPart(p)) for w, p in req["time_windows"]],
        )

    def _events(self, request: HelpRequest, req: dict, request_sessions: list) -> None:
        for e in req["events"]:
            note = e["note"]
            if note and e["volunteer"]:
                note = note.replace("{volunteer_id}", str(self.profiles[e["volunteer"]].id))
            logged = RequestEvent(
                at=self.at(e["at"], req["anchor"]),
                actor_id=self.actor(e["actor"]),
                kind=e["kind"],
                from_status=RequestStatus(e["from"]) if e["from"] else None,
                to_status=RequestStatus(e["to"]) if e["to"] else None,
                note=note,
            )
            request.events.append(logged)
            if e["session"] is not None:
                self.session_notes.append((logged, request_sessions, e["session"]))

    def _offer(self, request: HelpRequest, item: dict, anchor: str) -> Offer:
        return Offer(
            request=request,
            volunteer=self.profiles[item["volunteer"]],
            round=item["round"],
            score=item["score"],
            explanation=[with_topic_id(part, self.topics) for part in item["explanation"]],
            status=OfferStatus(item["status"]),
            created_at=self.at(item["created"], anchor),
            expires_at=self.at(item["expires"], anchor),
            responded_at=self.at(item["responded"], anchor) if item["responded"] is not None else None,
            decline_reason=item["decline_reason"],
        )

    def _session(self, request: HelpRequest, item: dict) -> HelpSession:
        past = item["status"] != "planned"
        start, end, created = self.at(item["start"]), self.at(item["end"]), self.at(item["created"])
        session = HelpSession(
            request=request,
            volunteer=self.profiles[item["volunteer"]],
            starts_at=start,
            ends_at=end,
            place_kind=PlaceKind(item["place_kind"]),
            location=self.location_rows[item["location"]] if item["location"] else None,
            status=SessionStatus(item["status"]),
            cancel_reason=item["cancel_reason"],
            created_by_id=self.actor(item["created_by"]),
            created_at=created,
            # Past sessions: the reminders and the outcome question already went out.
            reminded_24h_at=max(created, start - timedelta(hours=24)) if past else None,
            reminded_2h_at=max(created, start - timedelta(hours=2)) if past else None,
            outcome_asked_at=end + timedelta(minutes=30) if past and item["status"] != "cancelled" else None,
        )
        if item["outcome"]:
            out = item["outcome"]
            session.outcome = Outcome(
                result=OutcomeResult(out["result"]),
                referred_to=out["referred_to"],
                minutes_spent=out["minutes_spent"],
                confidence_before=out["confidence_before"],
                confidence_after=out["confidence_after"],
                follow_up_needed=out["follow_up_needed"],
                recorded_by_id=self.actor(f"volunteer:{item['volunteer']}"),
                recorded_at=self.at(out["recorded"]),
                topics=[self.topics[c] for c in out["topics"]],
            )
        return session

    def _feedback(self, request: HelpRequest, fb: dict) -> Feedback:
        return Feedback(
            request=request,
            channel=FeedbackChannel(fb["channel"]),
            satisfaction=fb["satisfaction"],
            ease=fb["ease"],
            trust=fb["trust"],
            comment=fb["comment"],
            created_at=self.at(fb["created"]),
            recorded_by_id=self.actor(fb["recorded_by"]),
        )

    # ------------------------------------------------------------------------------- drop-ins
    def dropins(self) -> None:
        """Drop-in moments, their one-off cancellations, the volunteers' shifts, and one full date with its
        bookings and waiting list."""
        moments = {
            item["key"]: DropInMoment(
                network_id=self.network_ids[item["network"]],
                location=self.location_rows[item["location"]],
                title=item["title"],
                recurrence=Recurrence(item["recurrence"]),
                weekday=item["weekday"],
                starts=clock(item["starts"]),
                ends=clock(item["ends"]),
                first_date=self.day(item["first_day"]),
                last_date=None,
                resident_capacity=item["resident_capacity"],
                volunteers_needed=item["volunteers_needed"],
                topics=[self.topics[c] for c in item["topics"]],
                languages=[self.languages[c] for c in item["languages"]],
            )
            for item in self.plan["dropins"]
        }
        db.session.add_all(moments.values())
        for item in self.plan["dropin_exceptions"]:
            db.session.add(
                DropInException(
                    moment=moments[item["moment"]], on_date=self.day(item["day"]), reason=item["reason"]
                )
            )
        for item in self.plan["shifts"]:
            db.session.add(
                DropInShift(
                    moment=moments[item["moment"]],
                    on_date=self.day(item["day"]),
                    volunteer=self.profiles[item["volunteer"]],
                    created_at=self.at(item["created"]),
                )
            )
        for item in self.plan["dropin_bookings"]:
            db.session.add(
                DropInBooking(
                    moment=moments[item["moment"]],
                    on_date=self.day(item["day"]),
                    kind=BookingKind.BOOKED,
                    resident=self.resident_rows[item["resident"]],
                    created_at=self.at(item["created"]),
                )
            )
        for item in self.plan["dropin_waiting"]:
            db.session.add(
                DropInWaiting(
                    moment=moments[item["moment"]],
                    on_date=self.day(item["day"]),
                    resident=self.resident_rows[item["resident"]],
                    joined_at=self.at(item["joined"]),
                )
            )

    # ------------------------------------------------------------------------------- messages to digibuddies
    def volunteer_messages(self) -> None:
        """Messages a coordinator sent to the network's digibuddies, through the outbox like any other;
        dated as the plan says."""
        for item in self.plan.get("volunteer_messages", []):
            network = db.session.get(LocalNetwork, self.network_ids[item["network"]])
            author = db.session.get(User, self.actor(item["by"]))
            letter = send_message(
                network, author, Audience(), item["channels"], item["subjects"], item["bodies"], self.today
            )
            sent = self.at(item["created"])
            letter.created_at = sent
            for recipient in letter.recipients:
                if recipient.outbox_message is not None:
                    recipient.outbox_message.created_at = sent
                    recipient.outbox_message.next_attempt_at = sent
            db.session.commit()

    # ------------------------------------------------------------------------------- coverage
    def uncovered_attempts(self) -> None:
        """The anonymous counts of residents who asked for help from a postcode no network covers."""
        for item in self.plan.get("uncovered_attempts", []):
            day = self.day(item["day"])
            db.session.add(UncoveredAttempt(postcode_code=item["postcode"], day=day, count=item["count"]))

    # ------------------------------------------------------------------------------- central steering
    def local_training(self) -> None:
        """Every pass is of a module's first version; Gent has a required module of its own, changed
        materially three days ago: two of its digibuddies who passed the first version must pass it again
        (the coordinator's training page lists them), one did already."""
        firsts = dict(
            db.session.execute(
                select(TrainingModuleVersion.module_id, TrainingModuleVersion.id).where(
                    TrainingModuleVersion.number == 1
                )
            ).all()
        )
        for completion in db.session.scalars(select(TrainingCompletion)):
            completion.version_id = firsts.get(completion.module_id)
        gent = self.network_ids.get("gent")
        if gent is None:
            return
        quiz = [
            {
                "question": {
                    "nl": "Waar meld je je voor een huisbezoek in Gent?",
                    "fr": "Où vous signalez-vous avant une visite à domicile à Gand ?",
                    "en": "Where do you report before a home visit in Ghent?",
                },
                "options": [
                    {"nl": "Bij niemand.", "fr": "Auprès de personne.", "en": "Nobody."},
                    {
                        "nl": "Bij de coördinator, via het platform.",
                        "fr": "Auprès du coordinateur, via la plateforme.",
                        "en": "The coordinator, through the platform.",
                    },
                ],
                "answers": [1],
            }
        ]
        titles = {
            "nl": "Op huisbezoek in Gent",
            "fr": "Visites à domicile à Gand",
            "en": "Home visits in Ghent",
        }
        bodies_v1 = {
            "nl": "## Voor je vertrekt\n\nZeg je coördinator wanneer je gaat.",
            "fr": "## Avant de partir\n\nDites à votre coordinateur quand vous y allez.",
            "en": "## Before you go\n\nTell your coordinator when you go.",
        }
        bodies_v2 = {
            "nl": bodies_v1["nl"]
            + "\n\n## Nieuw\n\nMeld je na afloop **binnen de dag** af via het platform.",
            "fr": bodies_v1["fr"]
            + "\n\n## Nouveau\n\nSignalez la fin de la visite **le jour même** sur la plateforme.",
            "en": bodies_v1["en"] + "\n\n## New\n\nReport back **the same day** through the platform.",
        }
        coordinator = self.user_ids.get("coordinator:gent")
        module = TrainingModule(
            code="gent-huisbezoek",
            network_id=gent,
            position=0,
            required=True,
            titles=titles,
            bodies=bodies_v2,
            quiz=quiz,
            audiences=["volunteer", "coordinator"],
            version=2,
            material_version=2,
            retrain_days=14,
            edited_at=self.at(-3 * 24 * 60, "now"),
        )
        db.session.add(module)
        db.session.flush()
        first = TrainingModuleVersion(
            module_id=module.id,
            number=1,
            titles=titles,
            bodies=bodies_v1,
            quiz=quiz,
            required=True,
            material=True,
            created_at=self.at(-60 * 24 * 60, "now"),
            created_by_id=coordinator,
        )
        second = TrainingModuleVersion(
            module_id=module.id,
            number=2,
            titles=titles,
            bodies=bodies_v2,
            quiz=quiz,
            required=True,
            material=True,
            retrain_by=self.today + timedelta(days=11),
            created_at=self.at(-3 * 24 * 60, "now"),
            created_by_id=coordinator,
        )
        db.session.add_all([first, second])
        db.session.flush()
        gent_volunteers = [
            self.profiles[vol["email"]]
            for vol in self.plan["volunteers"]
            if "gent" in vol["networks"] and vol.get("status") == "active"
        ][:3]
        for index, profile in enumerate(gent_volunteers):
            version = second if index == 2 else first
            db.session.add(
                TrainingCompletion(
                    volunteer_id=profile.id,
                    module_id=module.id,
                    version_id=version.id,
                    completed_at=version.created_at + timedelta(days=1),
                    score=1,
                )
            )

    def network_settings(self) -> None:
        """The centre's defaults and bounds, and Gent's own offer time and language weight, each saved
        through the settings service so that the settings pages show their history."""
        admin = db.session.get(User, self.user_ids["admin"])
        bounds = {
            "offer_timeout_hours": (OFFER_TIMEOUT_HOURS, 12, 72),
            "max_offer_rounds": (MAX_OFFER_ROUNDS, 1, 5),
            "retention_months": (24, 12, 36),
            "extract_max_age_months": (12, 6, 24),
        }
        central = central_settings()
        central.update({key: Central(*map(float, values)) for key, values in bounds.items()})
        for key in WEIGHT_KEYS:
            central[key] = Central(central[key].value, 0.0, 60.0)
        save_central_settings(central, admin)
        gent = db.session.get(LocalNetwork, self.network_ids["gent"])
        coordinator = db.session.get(User, self.user_ids["coordinator:gent"])
        save_network_overrides(gent, {"offer_timeout_hours": 36.0, "weight_language": 20.0}, coordinator)

    def steering(self) -> None:
        """The good-practice library (indexed for search) and the network's events with registrations."""
        for item in self.plan["practices"]:
            practice = Practice(
                title=item["title"],
                summary=item["summary"],
                body=item["body"],
                tags=item["tags"],
                topic_groups=item.get("topic_groups", []),
                target_groups=item.get("target_groups", []),
                channels=item.get("channels", []),
                network_id=self.network_ids.get(item["network"]) if item["network"] else None,
                created_by_id=self.actor(item["by"]),
                created_at=self.at(item["created"]),
                updated_at=self.at(item["created"]),
                published_at=self.at(item["created"]),
                status=PracticeStatus.PUBLISHED,
            )
            db.session.add(practice)
            db.session.flush()
            search.index(practice)
        for item in self.plan["network_events"]:
            created = self.at(item["created"])
            event = NetworkEvent(
                kind=NetworkEventKind(item["kind"]),
                title=item["title"],
                description=item["description"],
                starts_at=self.at(item["start"]),
                ends_at=self.at(item["end"]),
                place=item.get("place"),
                online_url=item.get("online_url"),
                audience=item["audience"],
                capacity=item["capacity"],
                registration_deadline=self.at(item["deadline"]) if item.get("deadline") else None,
                network_id=self.network_ids.get(item["network"]) if item.get("network") else None,
                created_by_id=self.actor(item["by"]),
                created_at=created,
            )
            event.registrations = [
                EventRegistration(
                    user_id=self.user_ids[key if ":" in key else f"volunteer:{key}"],
                    network_id=self.network_ids[network],
                    status=RegistrationStatus(status),
                    created_at=created + timedelta(days=1, minutes=number),
                    placed_at=created + timedelta(days=1, minutes=number) if status == "registered" else None,
                    attendance=Attendance(attendance) if attendance else None,
                    attendance_recorded_at=self.at(item["end"]) if attendance else None,
                )
                for number, (key, network, status, attendance) in enumerate(item["registrations"])
            ]
            db.session.add(event)
