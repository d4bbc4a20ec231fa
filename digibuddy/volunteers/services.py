"""State changes of volunteers: applying, the profile, vetting, status, training and the calendar link.

Each function checks the business rules, raises DomainError (translated, naming the form field) when it
refuses, and commits its change together with any e-mail it causes."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from flask_babel import force_locale, format_date
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..accounts.forms import MIN_PASSWORD_LENGTH
from ..accounts.models import Membership, Role, User
from ..accounts.services import coordinators_of, find_user_by_email
from ..audit.services import record as audit
from ..audit.signals import person_records
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..core.labels import label
from ..core.time import local_today
from ..extensions import db
from ..network.models import LocalNetwork
from ..network.services import network_for_postcode
from ..network.settings import central_settings, default_settings, network_settings
from ..notifications.messages import tell_user, tell_volunteer
from ..reference.loader import seeding, upsert
from ..reference.models import Language, Postcode, Topic
from . import lifecycle, training
from .models import (
    CHANNEL_ATTRIBUTES,
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
from .signals import access_ended
from .training_content import TRAINING_MODULES, validate_training_modules

MAX_PAUSE_DAYS = 2 * 366
CALENDAR_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


def volunteer_networks(profile: VolunteerProfile) -> list[LocalNetwork]:
    """The local networks in which this person is a volunteer."""
    return sorted(
        {m.network for m in profile.user.memberships if m.role == Role.VOLUNTEER}, key=lambda n: n.name
    )


def extract_max_age_months(profile: VolunteerProfile) -> int:
    """The strictest extract age of the volunteer's networks: a vetted volunteer is vetted for each of
    them."""
    central = central_settings()
    networks = volunteer_networks(profile)
    if not networks:
        return default_settings(central).extract_max_age_months
    return min(network_settings(n, central).extract_max_age_months for n in networks)


# --------------------------------------------------------------------------------------------- applying
@dataclass
class Application:
    name: str
    email: str
    password: str
    postcode: str
    phone: str | None = None
    motivation: str | None = None
    locale: str = "nl"


def apply_as_volunteer(application: Application) -> VolunteerProfile:
    """Create an account and an `applied` profile in the local network that covers the applicant's
    postcode."""
    name = (application.name or "").strip()
    email = (application.email or "").strip()
    if not name:
        raise DomainError(_("Fill in your name."), "name")
    if not email or "@" not in email or len(email) > 254:
        raise DomainError(_("This e-mail address is not complete."), "email")
    if find_user_by_email(email) is not None:
        raise DomainError(
            _(
                "You cannot apply with this e-mail address. Do you already have an account? Log in, "
                "or ask your coordinator."
            ),
            "email",
        )
    if len(application.password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("Choose a password of at least %(count)s characters.", count=MIN_PASSWORD_LENGTH), "password"
        )
    postcode = db.session.get(Postcode, (application.postcode or "").strip())
    if postcode is None:
        raise DomainError(_("We do not know this postcode. Please check it."), "postcode")
    network = network_for_postcode(postcode.code)
    if network is None:
        raise DomainError(
            _(
                "There is no digibuddy network in %(municipality)s yet. Call your municipality to ask "
                "how you can help.",
                municipality=postcode.municipality.name(application.locale),
            ),
            "postcode",
        )
    user = User(
        email=email,
        name=name[:120],
        phone=(application.phone or "").strip() or None,
        locale=application.locale,
    )
    user.set_password(application.password)
    user.memberships.append(Membership(network_id=network.id, role=Role.VOLUNTEER))
    profile = VolunteerProfile(
        user=user,
        home_postcode_code=postcode.code,
        status=VolunteerStatus.APPLIED,
        motivation=(application.motivation or "").strip()[:2000] or None,
        travel_radius_km=10,
        max_concurrent=2,
        offers_location=True,
        calendar_token=new_calendar_token(),
        status_changed_at=utcnow(),
    )
    db.session.add(profile)
    try:
        db.session.flush()
    except IntegrityError:  # the same e-mail address, sent twice at the same moment
        db.session.rollback()
        raise DomainError(
            _(
                "You cannot apply with this e-mail address. Do you already have an account? Log in, "
                "or ask your coordinator."
            ),
            "email",
        ) from None
    _queue_application_emails(profile, network)
    db.session.commit()
    return profile


def _queue_application_emails(profile: VolunteerProfile, network: LocalNetwork) -> None:
    tell_volunteer(
        profile,
        "volunteer_applied",
        key=f"volunteer-applied-{profile.id}",
        network_id=network.id,
        network=network,
    )
    coordinators = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.network_id == network.id, Membership.role == Role.COORDINATOR, User.active.is_(True)
        )
    ).all()
    for coordinator in coordinators:
        tell_user(
            coordinator,
            "volunteer_applied_coordinator",
            key=f"volunteer-applied-{profile.id}-coordinator-{coordinator.id}",
            network_id=network.id,
            network=network,
            volunteer=profile,
        )


# --------------------------------------------------------------------------------------------- profile
@dataclass
class ProfileDetails:
    name: str
    home_postcode: str
    travel_radius_km: int
    max_concurrent: int
    channels: list[str]
    languages: list[tuple[str, str]]
    topics: list[tuple[int, str]] = field(default_factory=list)
    slots: list[tuple[int, time, time]] = field(default_factory=list)
    phone: str | None = None


def _check_profile(details: ProfileDetails) -> None:
    if not (details.name or "").strip() or len(details.name) > 120:
        raise DomainError(_("Fill in your name."), "name")
    if db.session.get(Postcode, (details.home_postcode or "").strip()) is None:
        raise DomainError(_("We do not know this postcode. Please check it."), "home_postcode")
    if not isinstance(details.travel_radius_km, int) or not 0 <= details.travel_radius_km <= 100:
        raise DomainError(_("Choose a distance between 0 and 100 km."), "travel_radius_km")
    if not isinstance(details.max_concurrent, int) or not 1 <= details.max_concurrent <= 20:
        raise DomainError(_("Choose a number between 1 and 20."), "max_concurrent")
    if not details.channels or set(details.channels) - set(CHANNEL_ATTRIBUTES):
        raise DomainError(_("Choose at least one way to help."), "channels")
    codes = [code for code, _level in details.languages]
    if not codes:
        raise DomainError(_("Choose at least one language you speak."), "languages")
    if len(set(codes)) != len(codes):
        raise DomainError(_("You chose a language twice."), "languages")
    known = set(db.session.scalars(select(Language.code).where(Language.code.in_(codes))))
    if known != set(codes):
        raise DomainError(_("We do not know this language. Choose one from the list."), "languages")
    if any(level not in LanguageLevel._value2member_map_ for _code, level in details.languages):
        raise DomainError(_("Choose a level from the list."), "languages")
    topic_ids = [topic_id for topic_id, _level in details.topics]
    if len(set(topic_ids)) != len(topic_ids):
        raise DomainError(_("You chose a topic twice."), "topics")
    active = set(db.session.scalars(select(Topic.id).where(Topic.id.in_(topic_ids), Topic.active.is_(True))))
    if active != set(topic_ids):
        raise DomainError(_("This topic is not in the catalogue."), "topics")
    if any(level not in TopicLevel._value2member_map_ for _id, level in details.topics):
        raise DomainError(_("Choose a level from the list."), "topics")
    seen = []
    for weekday, starts, ends in details.slots:
        if not (isinstance(weekday, int) and 0 <= weekday <= 6):
            raise DomainError(_("Choose a day from the list."), "slots")
        if not (isinstance(starts, time) and isinstance(ends, time)) or ends <= starts:
            raise DomainError(_("The end time must be after the start time."), "slots")
        if any(day == weekday and s < ends and starts < e for day, s, e in seen):
            raise DomainError(_("Two of your times overlap on the same day."), "slots")
        seen.append((weekday, starts, ends))


def update_profile(profile: VolunteerProfile, details: ProfileDetails) -> VolunteerProfile:
    """Replace the volunteer's profile with `details` after checking every part of it."""
    _check_profile(details)
    user = profile.user
    user.name = details.name.strip()
    user.phone = (details.phone or "").strip() or None
    profile.home_postcode_code = details.home_postcode.strip()
    profile.travel_radius_km = details.travel_radius_km
    profile.max_concurrent = details.max_concurrent
    for code, attribute in CHANNEL_ATTRIBUTES.items():
        setattr(profile, attribute, code in details.channels)

    # Update rows in place: replacing them would insert the same primary key before deleting the old row.
    wanted_languages = {code: LanguageLevel(level) for code, level in details.languages}
    for row in list(profile.languages):
        if row.language_code in wanted_languages:
            row.level = wanted_languages.pop(row.language_code)
        else:
            profile.languages.remove(row)
    for code, level in wanted_languages.items():
        profile.languages.append(VolunteerLanguage(language_code=code, level=level))

    wanted_topics = {topic_id: TopicLevel(level) for topic_id, level in details.topics}
    for row in list(profile.topics):
        if row.topic_id in wanted_topics:
            row.level = wanted_topics.pop(row.topic_id)
        elif row.topic.active:  # a retired topic is not on the form: the profile keeps it
            profile.topics.remove(row)
    for topic_id, level in wanted_topics.items():
        profile.topics.append(VolunteerTopic(topic_id=topic_id, level=level))

    profile.availability = [
        AvailabilitySlot(weekday=d, starts=s, ends=e) for d, s, e in sorted(details.slots)
    ]
    db.session.commit()
    return profile


# --------------------------------------------------------------------------------------------- vetting
def vetting_item(value) -> VettingItem:
    try:
        return VettingItem(value)
    except ValueError:
        raise DomainError(_("This is not an item of the checklist.")) from None


def tick_vetting_item(
    profile: VolunteerProfile,
    item,
    actor: User | None,
    *,
    document_date: date | None = None,
    note: str | None = None,
    today: date | None = None,
) -> VettingCheck:
    """Record that a checklist item is done, by whom (None: the system) and when; the extract needs its
    date."""
    item = vetting_item(item)
    today = today or local_today()
    if profile.status == VolunteerStatus.LEFT:
        raise DomainError(_("This digibuddy has left. Move them back to vetting first."))
    if actor is not None and actor.id == profile.user_id:
        raise DomainError(_("You cannot vet yourself. Ask another coordinator."))
    if item == VettingItem.CRIMINAL_RECORD:
        months = extract_max_age_months(profile)
        if document_date is None:
            raise DomainError(_("Fill in the date of issue of the extract."), "document_date")
        if document_date > today:
            raise DomainError(_("The date of issue cannot be in the future."), "document_date")
        if lifecycle.extract_too_old(document_date, months, today):
            raise DomainError(
                _("This extract is older than %(months)s months. Ask for a new one.", months=months),
                "document_date",
            )
    else:
        document_date = None
    check = db.session.get(VettingCheck, (profile.id, item))
    if check is None:
        check = VettingCheck(volunteer_id=profile.id, item=item)
        db.session.add(check)
    check.checked_by_id = getattr(actor, "id", None)
    check.checked_at = utcnow()
    check.document_date = document_date
    check.note = (note or "").strip()[:300] or None
    audit(actor, "vetting", "volunteer_profile", profile.id, _first_network_id(profile), detail=item.value)
    db.session.commit()
    return check


def untick_vetting_item(profile: VolunteerProfile, item, actor: User | None) -> None:
    """Take back a tick given by mistake; an active or paused digibuddy keeps a complete checklist."""
    item = vetting_item(item)
    if profile.status in (VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED):
        raise DomainError(
            _(
                "An active or paused digibuddy keeps a complete checklist. Suspend them first if a "
                "check is no longer valid."
            )
        )
    if actor is not None and actor.id == profile.user_id:
        raise DomainError(_("You cannot vet yourself. Ask another coordinator."))
    check = db.session.get(VettingCheck, (profile.id, item))
    if check is not None:
        db.session.delete(check)
        audit(
            actor,
            "vetting_undone",
            "volunteer_profile",
            profile.id,
            _first_network_id(profile),
            detail=item.value,
        )
        db.session.commit()


def _first_network_id(profile: VolunteerProfile) -> int | None:
    networks = volunteer_networks(profile)
    return networks[0].id if networks else None


def activation_problems(
    profile: VolunteerProfile, today: date | None = None
) -> list[lifecycle.ActivationProblem]:
    checks = {check.item.value: check for check in profile.vetting_checks}
    record = checks.get(lifecycle.CRIMINAL_RECORD)
    parts = [
        part
        for part, present in zip(
            lifecycle.PROFILE_PARTS, (profile.languages, profile.topics, profile.availability), strict=True
        )
        if present
    ]
    return lifecycle.activation_problems(
        checks,
        record.document_date if record else None,
        extract_max_age_months(profile),
        today or local_today(),
        profile_parts=parts,
    )


def describe_problem(problem: lifecycle.ActivationProblem) -> str:
    if problem.kind == "profile":
        return {
            "languages": _("the profile names no language yet"),
            "topics": _("the profile names nothing to help with yet"),
            "availability": _("the profile names no free time yet"),
        }[problem.item]
    if problem.kind == "missing":
        return _("not done yet: %(item)s", item=label("vetting_item", problem.item))
    if problem.kind == "extract_too_old":
        return _(
            "the extract from the criminal record is too old (it was valid until %(date)s)",
            date=format_date(problem.valid_until),
        )
    if problem.kind == "extract_in_future":
        return _("the date of the extract from the criminal record is in the future")
    return _("the date of the extract from the criminal record is missing")


# --------------------------------------------------------------------------------------------- status
def change_status(
    profile: VolunteerProfile,
    target,
    actor: User | None,
    *,
    reason: str | None = None,
    paused_until: date | None = None,
    today: date | None = None,
) -> VolunteerProfile:
    """Move a volunteer to another status as the life cycle allows; `active` needs the complete checklist.

    A volunteer may only pause and resume themselves. Becoming active (by a coordinator) queues an e-mail
    to the volunteer, in their language, in the same transaction."""
    try:
        target = VolunteerStatus(target)
    except ValueError:
        raise DomainError(_("Choose a status from the list."), "status") from None
    today = today or local_today()
    current = profile.status
    by_volunteer = actor is not None and actor.id == profile.user_id
    if by_volunteer and not lifecycle.volunteer_may_change(current, target):
        raise DomainError(_("Only your coordinator can change this."), "status")
    if not lifecycle.can_transition(current, target):
        raise DomainError(
            _(
                "A digibuddy cannot go from “%(current)s” to “%(target)s”.",
                current=label("volunteer_status", current),
                target=label("volunteer_status", target),
            ),
            "status",
        )
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise DomainError(_("Keep the reason under 500 characters."), "reason")
    if target in lifecycle.REASON_REQUIRED and not reason:
        raise DomainError(_("Give a reason for the suspension."), "reason")
    if target == VolunteerStatus.PAUSED and paused_until is not None:
        if paused_until <= today:
            raise DomainError(_("Choose a date after today."), "paused_until")
        if paused_until > today + timedelta(days=MAX_PAUSE_DAYS):
            raise DomainError(_("Choose a date within two years."), "paused_until")
    if target == VolunteerStatus.ACTIVE:
        problems = activation_problems(profile, today)
        if problems:
            details = "; ".join(describe_problem(p) for p in problems)
            message = (
                _(
                    "You cannot be active again yet: %(problems)s. Please contact your coordinator.",
                    problems=details,
                )
                if by_volunteer
                else _("This digibuddy cannot be active yet: %(problems)s.", problems=details)
            )
            raise DomainError(message, "status")

    profile.status = target
    profile.status_reason = reason or None
    profile.status_changed_at = utcnow()
    profile.paused_until = paused_until if target == VolunteerStatus.PAUSED else None
    audit(
        actor,
        "status",
        "volunteer_profile",
        profile.id,
        _first_network_id(profile),
        detail=f"{current.value} -> {target.value}",
    )
    if target == VolunteerStatus.ACTIVE and not by_volunteer:
        _queue_activation_email(profile)
    if target in lifecycle.WITHOUT_ACCESS and current not in lifecycle.WITHOUT_ACCESS:
        _end_access(profile, actor, reason or None)
    db.session.commit()
    return profile


def _end_access(profile: VolunteerProfile, actor: User | None, reason: str | None) -> None:
    """Suspended or left: every session of the account ends now; matching and scheduling give back the
    digibuddy's offers, accepted requests and coming sessions (signals.access_ended), and the coordinators
    get one message that lists it all."""
    profile.user.end_sessions()
    now = utcnow()
    released = {"offers": [], "requests": [], "sessions": [], "shifts": []}
    for _receiver, given_back in access_ended.send(profile, actor=actor, reason=reason, now=now):
        for kind, items in (given_back or {}).items():
            released[kind] += items
    if any(released.values()):
        _tell_coordinators(profile, released, reason, now)


def _tell_coordinators(profile: VolunteerProfile, released: dict, reason: str | None, now) -> None:
    """One message to each coordinator of the digibuddy's networks and of the requests concerned, listing
    only what belongs to the networks they coordinate."""
    network_of = {
        "offers": lambda offer: offer.request.network_id,
        "requests": lambda request: request.network_id,
        "sessions": lambda session: session.request.network_id,
        "shifts": lambda shift: shift.moment.network_id,
    }
    network_ids = {m.network_id for m in profile.user.memberships if m.role == Role.VOLUNTEER}
    for kind, items in released.items():
        network_ids |= {network_of[kind](item) for item in items}
    told = set()
    for network_id in sorted(network_ids):
        for coordinator in coordinators_of(network_id):
            if coordinator.id in told:
                continue
            told.add(coordinator.id)
            theirs = coordinator.network_ids(Role.COORDINATOR)
            tell_user(
                coordinator,
                "volunteer_access_ended",
                key=f"volunteer-{profile.id}-access-ended-{now.isoformat()}-{coordinator.id}",
                network_id=network_id,
                volunteer=profile,
                reason=reason,
                **{
                    kind: [item for item in items if network_of[kind](item) in theirs]
                    for kind, items in released.items()
                },
            )


def change_limits(profile: VolunteerProfile, max_concurrent: int, travel_radius_km: int, actor) -> bool:
    """A coordinator changes how many residents a digibuddy helps at once and how far they travel; kept in
    the audit log and told to the digibuddy. Returns whether anything changed."""
    before = (profile.max_concurrent, profile.travel_radius_km)
    if before == (max_concurrent, travel_radius_km):
        return False
    profile.max_concurrent = max_concurrent
    profile.travel_radius_km = travel_radius_km
    network_id = _first_network_id(profile)
    audit(
        actor,
        "limits",
        "volunteer_profile",
        profile.id,
        network_id,
        detail=f"{before[0]} -> {max_concurrent} residents, {before[1]} -> {travel_radius_km} km",
    )
    tell_volunteer(
        profile,
        "volunteer_limits_changed",
        key=f"volunteer-limits-{profile.id}-{utcnow().isoformat()}",
        network_id=network_id,
        changed_by=actor,
    )
    db.session.commit()
    return True


def _queue_activation_email(profile: VolunteerProfile) -> None:
    tell_volunteer(
        profile,
        "volunteer_active",
        key=f"volunteer-active-{profile.id}-{profile.status_changed_at.isoformat()}",
        network_id=_first_network_id(profile),
        networks=", ".join(n.name for n in volunteer_networks(profile)),
    )


# --------------------------------------------------------------------------------------------- training
def _network_ids(profile: VolunteerProfile) -> set[int]:
    return {network.id for network in volunteer_networks(profile)}


def required_modules(profile: VolunteerProfile) -> list[TrainingModule]:
    return [m for m in training.modules_for_volunteer(_network_ids(profile)) if m.required]


def training_record(profile: VolunteerProfile) -> tuple[list[TrainingModule], dict[int, TrainingCompletion]]:
    """The modules this volunteer takes (central ones, then their networks' own) in their order, and this
    volunteer's completions by module id."""
    modules = training.modules_for_volunteer(_network_ids(profile))
    completions = {
        c.module_id: c
        for c in db.session.scalars(
            select(TrainingCompletion).where(TrainingCompletion.volunteer_id == profile.id)
        )
    }
    return modules, completions


def module_for_volunteer(profile: VolunteerProfile, code: str) -> TrainingModule | None:
    """The active module with this code, if this volunteer takes it."""
    return next((m for m in training.modules_for_volunteer(_network_ids(profile)) if m.code == code), None)


def current_module_ids(profile: VolunteerProfile, modules) -> set[int]:
    """The modules whose pass still counts (no material change since)."""
    completions = {
        c.module_id: c
        for c in db.session.scalars(
            select(TrainingCompletion)
            .where(TrainingCompletion.volunteer_id == profile.id)
            .options(joinedload(TrainingCompletion.version))  # the version passed, not a query per module
        )
    }
    return {m.id for m in modules if training.is_current(completions.get(m.id), m)}


@dataclass
class QuizResult:
    passed: bool
    score: int
    total: int
    wrong: list[int]  # indexes of the questions answered wrongly
    training_done: bool = False  # this pass completed every required module


def complete_training(profile: VolunteerProfile, module: TrainingModule, answers: list) -> QuizResult:
    """Check the answers of a module's quiz; a pass (every answer right) records a completion.

    When the volunteer has then passed every required module, the "training" checklist item is ticked
    by the system (checked_by_id None), unless it was ticked already."""
    if not module.active:
        raise DomainError(_("This training module is no longer available."))
    quiz = module.quiz or []
    if len(answers) != len(quiz):
        raise DomainError(_("Answer every question."))
    wrong = [
        index
        for index, (question, answer) in enumerate(zip(quiz, answers, strict=True))
        if sorted(answer if isinstance(answer, list) else [answer]) != training.right_answers(question)
    ]
    result = QuizResult(passed=not wrong, score=len(quiz) - len(wrong), total=len(quiz), wrong=wrong)
    if not result.passed:
        return result
    completion = db.session.get(TrainingCompletion, (profile.id, module.id))
    if completion is None:
        completion = TrainingCompletion(volunteer_id=profile.id, module_id=module.id)
        db.session.add(completion)
    completion.completed_at = utcnow()
    completion.score = result.score
    completion.version_id = db.session.scalar(
        select(TrainingModuleVersion.id).where(
            TrainingModuleVersion.module_id == module.id, TrainingModuleVersion.number == module.version
        )
    )
    db.session.flush()
    required = required_modules(profile)
    if {m.id for m in required} <= current_module_ids(profile, required) and db.session.get(
        VettingCheck, (profile.id, VettingItem.TRAINING)
    ) is None:
        with force_locale(profile.user.locale):
            note = _("All required training modules passed.")
        db.session.add(
            VettingCheck(
                volunteer_id=profile.id,
                item=VettingItem.TRAINING,
                checked_by_id=None,
                checked_at=utcnow(),
                note=note,
            )
        )
        result.training_done = True
    db.session.commit()
    return result


# --------------------------------------------------------------------------------------------- calendar
def reset_calendar_token(profile: VolunteerProfile) -> str:
    """Give the volunteer a new secret calendar link; the old link stops working at once."""
    profile.calendar_token = new_calendar_token()
    db.session.commit()
    return profile.calendar_token


def profile_for_calendar_token(token: str) -> VolunteerProfile | None:
    if not CALENDAR_TOKEN.fullmatch(token or ""):
        return None
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.calendar_token == token))
    if profile is None or not profile.user.is_active:
        return None
    return profile


@seeding.connect
def load_training_modules(report, **_) -> None:
    """`flask refdata load` also seeds the default training modules (training_content.py), matched on
    their code. The seeded modules are the starting point: a module the centre edited here is left as it
    is, and an unedited one follows the seed, each change of its content a new version (not material)."""
    validate_training_modules()
    all_modules = {(m.code,): m for m in db.session.scalars(select(TrainingModule))}
    untouched = {key: m for key, m in all_modules.items() if m.edited_at is None and m.network_id is None}
    for position, module in enumerate(TRAINING_MODULES):
        key = (module["code"],)
        if key in all_modules and key not in untouched:
            continue
        row = upsert(
            report,
            "training modules",
            untouched,
            TrainingModule,
            {"code": module["code"]},
            {
                "position": position,
                "required": module["required"],
                "titles": dict(module["titles"]),
                "bodies": dict(module["bodies"]),
                "quiz": [dict(question) for question in module["quiz"]],
            },
        )
        db.session.flush()
        _keep_version(row)
    db.session.flush()
    report.totals["training modules"] = db.session.scalar(select(func.count()).select_from(TrainingModule))


def _keep_version(module: TrainingModule) -> None:
    """Save the module's content as a version when it differs from its latest one (or it has none)."""
    latest = db.session.scalar(
        select(TrainingModuleVersion)
        .where(TrainingModuleVersion.module_id == module.id)
        .order_by(TrainingModuleVersion.number.desc())
        .limit(1)
    )
    content = {
        "titles": module.titles,
        "bodies": module.bodies,
        "quiz": module.quiz,
        "required": module.required,
    }
    if latest is not None and all(getattr(latest, name) == value for name, value in content.items()):
        return
    number = latest.number + 1 if latest is not None else 1
    module.version = number
    if latest is None:
        module.material_version = 1
    db.session.add(
        TrainingModuleVersion(module_id=module.id, number=number, material=latest is None, **content)
    )


@person_records.connect
def _profile_of_volunteer(kind, person_id, **_) -> dict:
    """For the audit log: a digibuddy's profile and their account."""
    if kind != "volunteer":
        return {}
    user_id = db.session.scalar(select(VolunteerProfile.user_id).where(VolunteerProfile.id == person_id))
    return {"volunteer_profile": {person_id}, "user": {user_id} if user_id else set()}
