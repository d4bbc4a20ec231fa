"""A believable, deterministic demo network on top of the reference data (`flask demo seed`).

Two steps: :func:`load_reference` reads the reference data as plain lists and
:func:`digibuddy.demo.plan.build_plan` decides everything from it (see there); :func:`seed_demo` then
writes the plan to the database. The plan's fixed material (names, texts) is in
:mod:`digibuddy.demo.data`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import click
from sqlalchemy import func, select

from ..core.time import BRUSSELS
from ..requests.enums import RequestStatus
from .data import (
    CONSENT_VERSION,
    DEMO_PASSWORD,
    MAX_OFFER_ROUNDS,
    OFFER_TIMEOUT_HOURS,
    STATUSES,
)
from .plan import PlanError, build_plan

# ---------------------------------------------------------------------------------------------
# Reference data as plain lists
# ---------------------------------------------------------------------------------------------


def reference_present() -> bool:
    from ..extensions import db
    from ..reference.models import Language, Municipality, Postcode, Topic

    return all(
        db.session.scalar(select(model).limit(1)) is not None
        for model in (Municipality, Postcode, Language, Topic)
    )


def load_reference() -> dict:
    """The reference data the plan needs, as plain sorted lists (no ORM objects)."""
    from ..extensions import db
    from ..reference.models import Language, Municipality, Postcode, Topic, TopicGroup
    from ..volunteers.models import TrainingModule

    municipalities = [
        [nis, name, region]
        for nis, name, region in db.session.execute(
            select(Municipality.nis_code, Municipality.name_nl, Municipality.region_code).order_by(
                Municipality.nis_code
            )
        )
    ]
    postcodes = [
        [code, locality, float(lat), float(lon), nis]
        for code, locality, lat, lon, nis in db.session.execute(
            select(
                Postcode.code,
                Postcode.locality,
                Postcode.latitude,
                Postcode.longitude,
                Postcode.municipality_nis,
            ).order_by(Postcode.code)
        )
    ]
    languages = list(db.session.scalars(select(Language.code).order_by(Language.code)))
    topics = [
        [code, group]
        for code, group in db.session.execute(
            select(Topic.code, TopicGroup.code)
            .join(TopicGroup, TopicGroup.id == Topic.group_id)
            .where(Topic.active.is_(True))
            .order_by(TopicGroup.position, Topic.position, Topic.code)
        )
    ]
    training = [
        [module.code, bool(module.required), len(module.quiz or [])]
        for module in db.session.scalars(
            select(TrainingModule)
            .where(TrainingModule.active.is_(True))
            .order_by(TrainingModule.position, TrainingModule.code)
        )
    ]
    return {
        "municipalities": municipalities,
        "postcodes": postcodes,
        "languages": languages,
        "topics": topics,
        "training_modules": training,
    }


# ---------------------------------------------------------------------------------------------
# Writing the plan to the database
# ---------------------------------------------------------------------------------------------


def seed_demo(seed: int = 2026, if_empty: bool = False, echo=print) -> dict:
    """Seed the demo network; refuse (or, with if_empty, skip) when local networks already exist."""
    from ..core.db import utcnow
    from ..extensions import db
    from ..network.models import LocalNetwork

    if db.session.scalar(select(LocalNetwork.id).limit(1)) is not None:
        if if_empty:
            echo("Local networks already exist: demo data not seeded, nothing changed.")
            return {}
        raise click.ClickException(
            "The database already holds local networks; seeding demo data would duplicate them. "
            "Use an empty database, or pass --if-empty to skip quietly."
        )
    if not reference_present():
        from ..reference.loader import load_all

        echo("Reference data missing: loading municipalities, postcodes, languages and topics first.")
        load_all()
    now = utcnow()
    today = now.replace(tzinfo=UTC).astimezone(BRUSSELS).date()
    try:
        plan = build_plan(seed, load_reference(), today=today)
    except PlanError as exc:
        raise click.ClickException(str(exc)) from exc
    counts = _write(plan, now, today)
    _echo_summary(counts, plan, echo)
    return counts


def _write(plan: dict, now: datetime, today: date) -> dict:
    from ..accounts.models import Membership, Role, User
    from ..admin.models import EventRegistration, NetworkEvent, NetworkEventKind
    from ..extensions import db
    from ..matching.models import Offer, OfferStatus
    from ..network.models import Location, LocationKind, OpeningHours
    from ..network.services import save_network
    from ..outcomes.models import Feedback, FeedbackChannel, Outcome, OutcomeResult
    from ..practices import search
    from ..practices.models import Practice, PracticeStatus
    from ..reference.models import Language, Topic
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
        DropInException,
        DropInMoment,
        DropInShift,
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
        VettingCheck,
        VettingItem,
        VolunteerLanguage,
        VolunteerProfile,
        VolunteerStatus,
        VolunteerTopic,
    )

    midnight = datetime.combine(today, time(0), tzinfo=BRUSSELS)

    def at(minutes: int, anchor: str = "day") -> datetime:
        if anchor == "now":
            return now + timedelta(minutes=minutes)
        # Wall-clock arithmetic in Brussels, then to naive UTC (correct across DST changes).
        local = midnight + timedelta(minutes=minutes)
        return local.astimezone(UTC).replace(tzinfo=None)

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    def clock(text: str) -> time:
        return time.fromisoformat(text)

    # Networks (save_network commits each one).
    networks = {}
    for net in plan["networks"]:
        networks[net["key"]] = save_network(
            None,
            name=net["name"],
            municipality_codes=net["nis"],
            phone=net["phone"],
            email=net["email"],
            address=net["address"],
            postcode_code=net["postcode"],
            offer_timeout_hours=OFFER_TIMEOUT_HOURS,
            max_offer_rounds=MAX_OFFER_ROUNDS,
            retention_months=24,
            extract_max_age_months=12,
            allow_overflow=net["allow_overflow"],
        )
    network_ids = {key: network.id for key, network in networks.items()}

    locations = {}
    for loc in plan["locations"]:
        locations[loc["key"]] = Location(
            network_id=network_ids[loc["network"]],
            name=loc["name"],
            kind=LocationKind(loc["kind"]),
            street=loc["street"],
            postcode_code=loc["postcode"],
            latitude=loc["latitude"],
            longitude=loc["longitude"],
            accessibility_notes=loc["accessibility_notes"],
            phone=loc["phone"],
            opening_hours=[
                OpeningHours(weekday=w, opens=clock(o), closes=clock(c)) for w, o, c in loc["opening_hours"]
            ],
        )
    db.session.add_all(locations.values())

    # Accounts: one scrypt hash, shared by every demo user.
    users = {}
    password_hash = None
    roles = {"coordinator": Role.COORDINATOR, "counter": Role.COUNTER, "volunteer": Role.VOLUNTEER}
    for person in plan["staff"]:
        user = User(
            email=person["email"],
            name=person["name"],
            phone=person["phone"],
            locale=person["locale"],
            is_admin=person["is_admin"],
            created_at=at(person["created"]),
        )
        if password_hash is None:
            user.set_password(DEMO_PASSWORD)
            password_hash = user.password_hash
        user.password_hash = password_hash
        for net_key, role in person["memberships"]:
            user.memberships.append(
                Membership(
                    network_id=network_ids[net_key], role=roles[role], created_at=at(person["created"])
                )
            )
        users[person["key"]] = user
    profiles = {}
    for vol in plan["volunteers"]:
        user = User(
            email=vol["email"],
            name=vol["name"],
            phone=vol["phone"],
            locale=vol["locale"],
            password_hash=password_hash,
            created_at=at(vol["created"]),
        )
        for net_key in vol["networks"]:
            user.memberships.append(
                Membership(
                    network_id=network_ids[net_key], role=Role.VOLUNTEER, created_at=at(vol["created"])
                )
            )
        users[f"volunteer:{vol['email']}"] = user
        profiles[vol["email"]] = VolunteerProfile(
            user=user,
            home_postcode_code=vol["home_postcode"],
            travel_radius_km=vol["travel_radius_km"],
            max_concurrent=vol["max_concurrent"],
            status=VolunteerStatus(vol["status"]),
            status_reason=vol["status_reason"],
            status_changed_at=at(vol["status_changed"]),
            paused_until=day(vol["paused_until_day"]) if vol["paused_until_day"] is not None else None,
            offers_home_visits=vol["offers_home_visits"],
            offers_location=vol["offers_location"],
            offers_phone=vol["offers_phone"],
            offers_video=vol["offers_video"],
            motivation=vol["motivation"],
            created_at=at(vol["created"]),
            languages=[
                VolunteerLanguage(language_code=c, level=LanguageLevel(level))
                for c, level in vol["languages"]
            ],
            availability=[
                AvailabilitySlot(weekday=w, starts=clock(s), ends=clock(e)) for w, s, e in vol["availability"]
            ],
        )
    db.session.add_all(users.values())
    db.session.add_all(profiles.values())
    db.session.flush()
    user_ids = {key: user.id for key, user in users.items()}

    def actor(key):
        return user_ids[key] if key else None

    topics = {t.code: t for t in db.session.scalars(select(Topic))}
    languages = {lang.code: lang for lang in db.session.scalars(select(Language))}
    modules = {m.code: m.id for m in db.session.scalars(select(TrainingModule))}
    for vol in plan["volunteers"]:
        profile = profiles[vol["email"]]
        db.session.add_all(
            TrainingCompletion(
                volunteer_id=profile.id, module_id=modules[code], completed_at=at(when), score=questions
            )
            for code, when, questions in vol["training"]
            if code in modules
        )
        profile.topics = [
            VolunteerTopic(topic_id=topics[c].id, level=TopicLevel(level)) for c, level in vol["topics"]
        ]
        profile.vetting_checks = [
            VettingCheck(
                item=VettingItem(check["item"]),
                checked_by_id=actor(check["checked_by"]),
                checked_at=at(check["checked"]),
                document_date=(day(check["document_day"]) if check["document_day"] is not None else None),
                note=check["note"],
            )
            for check in vol["vetting"]
        ]

    # Residents and their requests.
    residents = {}
    for res in plan["residents"]:
        created = at(res["created"], res["anchor"])
        residents[res["key"]] = Resident(
            network_id=network_ids[res["network"]],
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
            created_by_id=actor(res["created_by"]),
            languages=[ResidentLanguage(language_code=c) for c in res["languages"]],
        )
    db.session.add_all(residents.values())

    requests = {}
    offers, sessions, feedback, session_notes = [], [], [], []
    for req in plan["requests"]:
        anchor = req["anchor"]
        request = HelpRequest(
            reference=req["reference"],
            resident=residents[req["resident"]],
            network_id=network_ids[req["network"]],
            intake_channel=IntakeChannel(req["intake_channel"]),
            preferred_mode=HelpMode(req["preferred_mode"]),
            description=req["description"],
            deadline=day(req["deadline_day"]) if req["deadline_day"] is not None else None,
            status=RequestStatus(req["status"]),
            status_changed_at=at(req["status_changed"], anchor),
            offer_round=req["offer_round"],
            escalation_reasons=req["escalation_reasons"],
            result=req["result"],
            intake_location=locations[req["intake_location"]] if req["intake_location"] else None,
            created_at=at(req["created"], anchor),
            created_by_id=actor(req["created_by"]),
            topics=[topics[c] for c in req["topics"]],
            languages=[languages[c] for c in req["languages"]],
            time_windows=[RequestTimeWindow(weekday=w, day_part=DayPart(p)) for w, p in req["time_windows"]],
        )
        request_sessions = []
        for e in req["events"]:
            note = e["note"]
            if note and e["volunteer"]:
                note = note.replace("{volunteer_id}", str(profiles[e["volunteer"]].id))
            logged = RequestEvent(
                at=at(e["at"], anchor),
                actor_id=actor(e["actor"]),
                kind=e["kind"],
                from_status=RequestStatus(e["from"]) if e["from"] else None,
                to_status=RequestStatus(e["to"]) if e["to"] else None,
                note=note,
            )
            request.events.append(logged)
            if e["session"] is not None:
                session_notes.append((logged, request_sessions, e["session"]))
        requests[req["reference"]] = request
        for item in req["offers"]:
            offers.append(
                Offer(
                    request=request,
                    volunteer=profiles[item["volunteer"]],
                    round=item["round"],
                    score=item["score"],
                    explanation=[_with_topic_id(part, topics) for part in item["explanation"]],
                    status=OfferStatus(item["status"]),
                    created_at=at(item["created"], anchor),
                    expires_at=at(item["expires"], anchor),
                    responded_at=at(item["responded"], anchor) if item["responded"] is not None else None,
                    decline_reason=item["decline_reason"],
                )
            )
        for item in req["sessions"]:
            past = item["status"] != "planned"
            start, end = at(item["start"]), at(item["end"])
            session = HelpSession(
                request=request,
                volunteer=profiles[item["volunteer"]],
                starts_at=start,
                ends_at=end,
                place_kind=PlaceKind(item["place_kind"]),
                location=locations[item["location"]] if item["location"] else None,
                status=SessionStatus(item["status"]),
                cancel_reason=item["cancel_reason"],
                created_by_id=actor(item["created_by"]),
                created_at=at(item["created"]),
                # Past sessions: the reminders and the outcome question already went out.
                reminded_24h_at=max(at(item["created"]), start - timedelta(hours=24)) if past else None,
                reminded_2h_at=max(at(item["created"]), start - timedelta(hours=2)) if past else None,
                outcome_asked_at=(
                    end + timedelta(minutes=30) if past and item["status"] != "cancelled" else None
                ),
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
                    recorded_by_id=actor(f"volunteer:{item['volunteer']}"),
                    recorded_at=at(out["recorded"]),
                    topics=[topics[c] for c in out["topics"]],
                )
            sessions.append(session)
            request_sessions.append(session)
        if req["feedback"]:
            fb = req["feedback"]
            feedback.append(
                Feedback(
                    request=request,
                    channel=FeedbackChannel(fb["channel"]),
                    satisfaction=fb["satisfaction"],
                    comment=fb["comment"],
                    created_at=at(fb["created"]),
                    recorded_by_id=actor(fb["recorded_by"]),
                )
            )
    db.session.add_all(requests.values())
    db.session.flush()
    db.session.add_all(offers)
    db.session.add_all(sessions)
    db.session.add_all(feedback)
    db.session.flush()
    for logged, request_sessions, index in session_notes:
        logged.note = logged.note.replace("{session_id}", str(request_sessions[index].id))

    # Drop-in moments and shifts.
    moments = {}
    for item in plan["dropins"]:
        moments[item["key"]] = DropInMoment(
            network_id=network_ids[item["network"]],
            location=locations[item["location"]],
            title=item["title"],
            recurrence=Recurrence(item["recurrence"]),
            weekday=item["weekday"],
            starts=clock(item["starts"]),
            ends=clock(item["ends"]),
            first_date=day(item["first_day"]),
            last_date=None,
            resident_capacity=item["resident_capacity"],
            volunteers_needed=item["volunteers_needed"],
            topics=[topics[c] for c in item["topics"]],
            languages=[languages[c] for c in item["languages"]],
        )
    db.session.add_all(moments.values())
    for item in plan["dropin_exceptions"]:
        db.session.add(
            DropInException(moment=moments[item["moment"]], on_date=day(item["day"]), reason=item["reason"])
        )
    for item in plan["shifts"]:
        db.session.add(
            DropInShift(
                moment=moments[item["moment"]],
                on_date=day(item["day"]),
                volunteer=profiles[item["volunteer"]],
                created_at=at(item["created"]),
            )
        )

    # Central steering.
    for item in plan["practices"]:
        practice = Practice(
            title=item["title"],
            summary=item["summary"],
            body=item["body"],
            tags=item["tags"],
            topic_groups=item.get("topic_groups", []),
            target_groups=item.get("target_groups", []),
            channels=item.get("channels", []),
            network_id=network_ids.get(item["network"]) if item["network"] else None,
            created_by_id=actor(item["by"]),
            created_at=at(item["created"]),
            updated_at=at(item["created"]),
            published_at=at(item["created"]),
            status=PracticeStatus.PUBLISHED,
        )
        db.session.add(practice)
        db.session.flush()
        search.index(practice)
    for item in plan["network_events"]:
        event = NetworkEvent(
            kind=NetworkEventKind(item["kind"]),
            title=item["title"],
            description=item["description"],
            starts_at=at(item["start"]),
            ends_at=at(item["end"]),
            place=item["place"],
            capacity=item["capacity"],
            created_at=at(item["created"]),
        )
        event.registrations = [
            EventRegistration(
                user_id=user_ids[key if ":" in key else f"volunteer:{key}"],
                created_at=at(item["created"]) + timedelta(days=1),
            )
            for key in item["registrations"]
        ]
        db.session.add(event)
    db.session.commit()
    return _counts(plan)


def _with_topic_id(part: dict, topics: dict) -> dict:
    """Explanation parts name topics by code in the plan; the engine's format uses the topic id."""
    if "topic" not in part:
        return part
    part = dict(part)
    part["topic_id"] = topics[part.pop("topic")].id
    return part


def _counts(plan: dict) -> dict:
    from ..accounts.models import User
    from ..admin.models import NetworkEvent
    from ..extensions import db
    from ..matching.models import Offer
    from ..network.models import LocalNetwork, Location
    from ..outcomes.models import Feedback, Outcome
    from ..practices.models import Practice
    from ..requests.models import HelpRequest, Resident
    from ..scheduling.models import DropInMoment, DropInShift, HelpSession
    from ..volunteers.models import TrainingCompletion, VolunteerProfile

    def count(model):
        return db.session.scalar(select(func.count()).select_from(model))

    by_status = dict(
        db.session.execute(select(HelpRequest.status, func.count()).group_by(HelpRequest.status)).all()
    )
    vol_status = dict(
        db.session.execute(
            select(VolunteerProfile.status, func.count()).group_by(VolunteerProfile.status)
        ).all()
    )
    return {
        "networks": count(LocalNetwork),
        "locations": count(Location),
        "users": count(User),
        "volunteers": count(VolunteerProfile),
        "training_completions": count(TrainingCompletion),
        "volunteers_by_status": {str(k): v for k, v in sorted(vol_status.items())},
        "residents": count(Resident),
        "requests": count(HelpRequest),
        "requests_by_status": {s: by_status.get(RequestStatus(s), 0) for s in STATUSES},
        "offers": count(Offer),
        "sessions": count(HelpSession),
        "outcomes": count(Outcome),
        "feedback": count(Feedback),
        "dropin_moments": count(DropInMoment),
        "dropin_shifts": count(DropInShift),
        "practices": count(Practice),
        "network_events": count(NetworkEvent),
    }


def _echo_summary(counts: dict, plan: dict, echo) -> None:
    echo(
        f"Demo data seeded: {counts['networks']} local networks, {counts['locations']} locations, "
        f"{counts['users']} users, {counts['volunteers']} volunteers "
        f"({counts['training_completions']} training modules passed), {counts['residents']} residents, "
        f"{counts['requests']} requests, {counts['offers']} offers, {counts['sessions']} sessions, "
        f"{counts['outcomes']} outcomes, {counts['feedback']} feedback, {counts['dropin_moments']} drop-in "
        f"moments ({counts['dropin_shifts']} shifts), {counts['practices']} practices, "
        f"{counts['network_events']} network events."
    )
    echo("Volunteers by status: " + ", ".join(f"{k} {v}" for k, v in counts["volunteers_by_status"].items()))
    echo("Requests by status: " + ", ".join(f"{k} {v}" for k, v in counts["requests_by_status"].items()))
    echo("")
    names = {p["email"]: p["name"] for p in plan["staff"] + plan["volunteers"]}
    demo = next((v["email"] for v in plan["volunteers"] if v["demo"]), None)
    logins = [
        ("central administrator", "admin@digibuddy.demo"),
        ("coordinator (Gent)", "coordinator@gent.digibuddy.demo"),
        ("counter staff (Gent)", "counter@gent.digibuddy.demo"),
    ]
    if demo:
        logins.append(("volunteer (Gent)", demo))
    echo(f"Demo logins (password for every demo account: {DEMO_PASSWORD})")
    width = max(len(role) for role, _e in logins)
    email_width = max(len(email) for _r, email in logins)
    echo(f"  {'role'.ljust(width)}  {'e-mail'.ljust(email_width)}  name")
    for role, email in logins:
        echo(f"  {role.ljust(width)}  {email.ljust(email_width)}  {names.get(email, '')}")
    others = [p["email"] for p in plan["staff"] if p["key"].split(":")[-1] not in ("gent", "admin")]
    if others:
        echo("  Other networks: " + ", ".join(others))
