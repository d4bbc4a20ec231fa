"""Training modules written here: by the central administrator for the whole network, by a coordinator for
their own network (local modules). Every save that changes the content is a new version, and the old ones are
kept; a pass names the version passed.

A change marked material makes earlier passes out of date. For a required module the volunteers who passed an
older version are told (by e-mail, through the outbox) to pass it again within the module's number of days;
until they do they are "behind", and once that date is past they get no new offers (see
`overdue_volunteer_ids`, used by the matching pre-filter). Their status and checklist stay as they are: the
coordinator sees who is behind, and passing the module again is all it takes."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from ..audit.services import differences, record_change
from ..core.db import utcnow
from ..core.i18n import gettext as _
from ..core.time import local_today
from ..extensions import db
from ..network.services import slugify
from ..notifications.messages import tell_volunteer
from ..reference.models import localized
from .models import (
    TRAINING_AUDIENCES,
    TrainingCompletion,
    TrainingModule,
    TrainingModuleVersion,
    VolunteerProfile,
    VolunteerStatus,
)
from .training_content import LOCALES

MAX_QUESTIONS = 20
MAX_OPTIONS = 6
TITLE_MAX = 200
BODY_MAX = 50_000
TEXT_MAX = 500
RETRAIN_DAYS = (1, 365)
# The content a version holds: a change of any of these is a new version.
CONTENT_FIELDS = ("titles", "bodies", "quiz", "required")
SETTING_FIELDS = ("audiences", "retrain_days", "active")


def right_answers(question: dict) -> list[int]:
    """The indexes of a question's right options (seeded questions name one as "answer")."""
    answers = question.get("answers")
    if answers is None:
        answers = [question["answer"]] if question.get("answer") is not None else []
    return sorted(int(a) for a in answers)


def locales_needed(network_id: int | None) -> tuple[str, ...]:
    """A central module is read in every language of the network's staff pages; a local one at least in
    Dutch (its volunteers read the other languages where the coordinator wrote them, Dutch otherwise)."""
    return LOCALES if network_id is None else ("nl",)


@dataclass
class ModuleContent:
    titles: dict
    bodies: dict
    quiz: list  # [{"question": {locale: text}, "options": [{locale: text}], "answers": [index]}]
    required: bool
    audiences: list
    retrain_days: int


def _clean(texts: dict | None) -> dict:
    return {loc: (texts or {}).get(loc, "").strip() for loc in LOCALES if (texts or {}).get(loc, "").strip()}


def check_content(raw: dict, network_id: int | None) -> tuple[ModuleContent | None, list[tuple[str, str]]]:
    """Check what the editor typed and turn it into module content; else the (field, message) errors, each
    naming the field of the editing form it belongs to.

    `raw` holds "titles", "bodies" ({locale: text}), "questions" (a list with, per question, "text"
    {locale: text} and "options": a list of {"text": {locale: text}, "right": bool}; empty slots are
    skipped), "required", "audiences" and "retrain_days"."""
    errors: list[tuple[str, str]] = []
    needed = locales_needed(network_id)
    titles, bodies = _clean(raw.get("titles")), _clean(raw.get("bodies"))
    for loc in needed:
        if not titles.get(loc):
            errors.append((f"title_{loc}", _("Write the title in this language.")))
        if not bodies.get(loc):
            errors.append((f"body_{loc}", _("Write the text of the module in this language.")))
    for loc, title in titles.items():
        if len(title) > TITLE_MAX:
            errors.append((f"title_{loc}", _("Keep the title under %(max)s characters.", max=TITLE_MAX)))
    for loc, body in bodies.items():
        if len(body) > BODY_MAX:
            errors.append((f"body_{loc}", _("Keep the text under %(max)s characters.", max=BODY_MAX)))

    quiz = []
    for q_index, question in enumerate(raw.get("questions") or []):
        text = _clean(question.get("text"))
        slots = question.get("options") or []
        filled = [(o_index, _clean(o.get("text")), bool(o.get("right"))) for o_index, o in enumerate(slots)]
        if not text and not any(option_text or right for _i, option_text, right in filled):
            continue  # an empty slot
        prefix = f"q{q_index}"
        number = len(quiz) + 1
        for loc in needed:
            if not text.get(loc):
                errors.append(
                    (
                        f"{prefix}_text_{loc}",
                        _("Question %(n)s: write the question in this language.", n=number),
                    )
                )
        options, answers = [], []
        for o_index, option_text, right in filled:
            if not option_text:
                if right:
                    errors.append(
                        (
                            f"{prefix}_o{o_index}_right",
                            _("Question %(n)s: tick only answers you wrote.", n=number),
                        )
                    )
                continue
            for loc in needed:
                if not option_text.get(loc):
                    errors.append(
                        (
                            f"{prefix}_o{o_index}_{loc}",
                            _("Question %(n)s: write this answer in this language.", n=number),
                        )
                    )
            if any(len(t) > TEXT_MAX for t in option_text.values()):
                errors.append(
                    (f"{prefix}_o{o_index}_nl", _("Keep each answer under %(max)s characters.", max=TEXT_MAX))
                )
            if right:
                answers.append(len(options))
            options.append(option_text)
        if any(len(t) > TEXT_MAX for t in text.values()):
            errors.append(
                (f"{prefix}_text_nl", _("Keep the question under %(max)s characters.", max=TEXT_MAX))
            )
        if len(options) < 2:
            empty = next((i for i, option_text, _r in filled if not option_text), 0)
            errors.append(
                (f"{prefix}_o{empty}_nl", _("Question %(n)s: give at least two answers.", n=number))
            )
        elif not answers:
            errors.append(
                (f"{prefix}_o0_right", _("Question %(n)s: tick at least one right answer.", n=number))
            )
        elif len(answers) == len(options):
            errors.append(
                (f"{prefix}_o0_right", _("Question %(n)s: at least one answer must be wrong.", n=number))
            )
        quiz.append({"question": text, "options": options, "answers": answers})
    if not quiz and not any(field.startswith("q") for field, _m in errors):
        errors.append(("q0_text_nl", _("Write at least one question for the check.")))

    audiences = [a for a in TRAINING_AUDIENCES if a in (raw.get("audiences") or [])]
    required = bool(raw.get("required"))
    if not audiences:
        errors.append(("audiences", _("Choose who the module is for.")))
    elif required and "volunteer" not in audiences:
        errors.append(("audiences", _("A required module is for digibuddies: tick them too.")))
    days = raw.get("retrain_days")
    if days is None or not RETRAIN_DAYS[0] <= int(days) <= RETRAIN_DAYS[1]:
        errors.append(("retrain_days", _("Give a number of days from 1 to 365.")))
    if errors:
        return None, errors
    return ModuleContent(titles, bodies, quiz, required, audiences, int(days)), []


def normal_quiz(quiz) -> list:
    """A quiz with each question's right answers as a list (seeded ones name one as "answer")."""
    return [
        {"question": q.get("question") or {}, "options": q.get("options") or [], "answers": right_answers(q)}
        for q in quiz or []
    ]


def _snapshot(module: TrainingModule) -> dict:
    """The module as the editor compares it: texts without surrounding blanks, answers as lists."""
    values = {name: getattr(module, name) for name in CONTENT_FIELDS + SETTING_FIELDS}
    values["titles"], values["bodies"] = _clean(module.titles), _clean(module.bodies)
    values["quiz"] = normal_quiz(module.quiz)
    return values


def _new_code(title: str) -> str:
    base = slugify(title)[:34] or "module"
    code, number = base, 1
    while db.session.scalar(select(TrainingModule.id).where(TrainingModule.code == code)) is not None:
        number += 1
        code = f"{base}-{number}"
    return code


@dataclass
class SaveResult:
    module: TrainingModule
    new_version: bool
    asked: int = 0  # volunteers asked to pass the module again


def save_module(
    module: TrainingModule | None,
    content: ModuleContent,
    *,
    material: bool,
    actor,
    network_id: int | None = None,
    today: date | None = None,
) -> SaveResult:
    """Create a module, or save a change. A change of the content is a new version; a material one makes
    earlier passes out of date and, for a required module, asks those volunteers to pass it again."""
    today = today or local_today()
    created = module is None
    if created:
        last = db.session.scalar(
            select(func.coalesce(func.max(TrainingModule.position), -1)).where(
                TrainingModule.network_id.is_(None)
                if network_id is None
                else TrainingModule.network_id == network_id
            )
        )
        module = TrainingModule(
            code=_new_code(content.titles.get("nl") or next(iter(content.titles.values()))),
            network_id=network_id,
            position=last + 1,
            active=True,
            version=0,
            material_version=1,
        )
        db.session.add(module)
        before = {}
    else:
        before = _snapshot(module)
    module.titles, module.bodies, module.quiz = content.titles, content.bodies, content.quiz
    module.required, module.audiences, module.retrain_days = (
        content.required,
        content.audiences,
        content.retrain_days,
    )
    changes = differences(before, _snapshot(module))
    content_changed = created or any(name in changes for name in CONTENT_FIELDS)
    result = SaveResult(module, new_version=content_changed)
    if not changes and not created:
        return result
    if content_changed:
        module.version = (module.version or 0) + 1
        material = created or material
        version = TrainingModuleVersion(
            module=module,
            number=module.version,
            titles=content.titles,
            bodies=content.bodies,
            quiz=content.quiz,
            required=content.required,
            material=material,
            retrain_by=today + timedelta(days=content.retrain_days) if material and not created else None,
            created_by_id=getattr(actor, "id", None),
        )
        db.session.add(version)
        if material:
            module.material_version = module.version
        db.session.flush()
        if material and not created and module.required:
            result.asked = _ask_to_retrain(module, version)
        changes["version"] = [module.version - 1 or None, module.version]
        if not created:
            changes["material"] = [None, material]
    module.edited_at = utcnow()
    db.session.flush()
    record_change(
        actor,
        "training_module",
        module.id,
        "created" if created else ("new_version" if content_changed else "edited"),
        _recorded(changes),
        network_id=module.network_id,
    )
    db.session.commit()
    return result


def _recorded(changes: dict) -> dict:
    """The change record keeps titles and settings in full; bodies and questions are in the versions."""
    kept = {}
    for name, (before, after) in changes.items():
        if name in ("bodies", "quiz"):
            kept[name] = [None, True]  # "changed": the texts themselves are in the versions
        else:
            kept[name] = [before, after]
    return kept


def set_module_active(module: TrainingModule, active: bool, *, actor) -> None:
    """Withdraw a module (volunteers no longer see it; passes stay) or offer it again."""
    if module.active == active:
        return
    module.active = active
    module.edited_at = utcnow()
    record_change(
        actor,
        "training_module",
        module.id,
        "restored" if active else "retired",
        {"active": [not active, active]},
        network_id=module.network_id,
    )
    db.session.commit()


# --------------------------------------------------------------------------------------------- who sees what
def _visible_clause(network_ids):
    return or_(TrainingModule.network_id.is_(None), TrainingModule.network_id.in_(list(network_ids) or [-1]))


def modules_for_volunteer(network_ids) -> list[TrainingModule]:
    """The active modules a volunteer of these networks takes: the central ones and their networks' own
    ones, central ones first, for digibuddies."""
    modules = db.session.scalars(
        select(TrainingModule)
        .where(TrainingModule.active.is_(True), _visible_clause(network_ids))
        .order_by(TrainingModule.network_id.is_not(None), TrainingModule.position, TrainingModule.id)
    ).all()
    return [m for m in modules if "volunteer" in (m.audiences or [])]


def modules_for_staff(role: str, network_ids) -> list[TrainingModule]:
    """The active modules for counter staff or coordinators of these networks, to read."""
    modules = db.session.scalars(
        select(TrainingModule)
        .where(TrainingModule.active.is_(True), _visible_clause(network_ids))
        .order_by(TrainingModule.network_id.is_not(None), TrainingModule.position, TrainingModule.id)
    ).all()
    return [m for m in modules if role in (m.audiences or [])]


def passed_number(completion: TrainingCompletion | None) -> int:
    """The version number a pass was of (passes from before versions existed were of version 1)."""
    if completion is None:
        return 0
    return completion.version.number if completion.version is not None else 1


def is_current(completion: TrainingCompletion | None, module: TrainingModule) -> bool:
    """Whether a pass still counts: of the last materially changed version or later."""
    return completion is not None and passed_number(completion) >= module.material_version


def retrain_by(module: TrainingModule) -> date | None:
    """The date by which volunteers who passed an older version must pass this one again."""
    return db.session.scalar(
        select(TrainingModuleVersion.retrain_by).where(
            TrainingModuleVersion.module_id == module.id,
            TrainingModuleVersion.number == module.material_version,
        )
    )


def _outdated_passes():
    """(volunteer id, module id, due date) of the passes of required modules that a material change made
    out of date."""
    passed = aliased(TrainingModuleVersion)
    due = aliased(TrainingModuleVersion)
    return (
        select(TrainingCompletion.volunteer_id, TrainingCompletion.module_id, due.retrain_by)
        .join(TrainingModule, TrainingModule.id == TrainingCompletion.module_id)
        .outerjoin(passed, passed.id == TrainingCompletion.version_id)
        .join(due, and_(due.module_id == TrainingModule.id, due.number == TrainingModule.material_version))
        .where(
            TrainingModule.active.is_(True),
            TrainingModule.required.is_(True),
            func.coalesce(passed.number, 1) < TrainingModule.material_version,
        )
    )


def overdue_volunteer_ids(today=None):
    """A SELECT of the volunteers past the date to pass a materially changed required module again: they get
    no new offers until they pass it. `today`: a date or a bound parameter (default: today)."""
    outdated = _outdated_passes().subquery()
    return select(outdated.c.volunteer_id).where(
        outdated.c.retrain_by < (today if today is not None else local_today())
    )


def _ask_to_retrain(module: TrainingModule, version: TrainingModuleVersion) -> int:
    """Tell every volunteer who passed an older version (and still volunteers) to pass it again by the
    version's date; returns how many were told."""
    profiles = db.session.scalars(
        select(VolunteerProfile)
        .join(TrainingCompletion, TrainingCompletion.volunteer_id == VolunteerProfile.id)
        .outerjoin(TrainingModuleVersion, TrainingModuleVersion.id == TrainingCompletion.version_id)
        .where(
            TrainingCompletion.module_id == module.id,
            func.coalesce(TrainingModuleVersion.number, 1) < version.number,
            VolunteerProfile.status.not_in([VolunteerStatus.LEFT, VolunteerStatus.SUSPENDED]),
        )
    ).all()
    for profile in profiles:
        tell_volunteer(
            profile,
            "training_again",
            key=f"training-again-{module.id}-{version.number}-{profile.id}",
            network_id=module.network_id,
            title=localized(module.titles, profile.user.locale),
            due=version.retrain_by,
            code=module.code,
        )
    return len(profiles)


@dataclass
class Behind:
    volunteer: VolunteerProfile
    module: TrainingModule
    passed_version: int
    due: date | None
    overdue: bool


def behind(volunteers_select, today: date | None = None) -> list[Behind]:
    """The volunteers (of a scoped SELECT of VolunteerProfile) who passed an older version of a materially
    changed required module and have not passed it again: soonest due first."""
    today = today or local_today()
    outdated = _outdated_passes().subquery()
    rows = db.session.execute(
        select(VolunteerProfile, TrainingModule, outdated.c.retrain_by)
        .join(outdated, outdated.c.volunteer_id == VolunteerProfile.id)
        .join(TrainingModule, TrainingModule.id == outdated.c.module_id)
        .where(
            VolunteerProfile.id.in_(volunteers_select.with_only_columns(VolunteerProfile.id)),
            VolunteerProfile.status.not_in([VolunteerStatus.LEFT, VolunteerStatus.SUSPENDED]),
        )
        .order_by(outdated.c.retrain_by, VolunteerProfile.id)
    ).all()
    completions = {
        (c.volunteer_id, c.module_id): c
        for c in db.session.scalars(
            select(TrainingCompletion).where(
                TrainingCompletion.volunteer_id.in_([profile.id for profile, _m, _d in rows] or [-1])
            )
        )
    }
    return [
        Behind(
            profile,
            module,
            passed_number(completions.get((profile.id, module.id))),
            due,
            due is not None and due < today,
        )
        for profile, module, due in rows
    ]


# --------------------------------------------------------------------------------------------- attestation
@dataclass
class AttestedTraining:
    title: str
    version: int
    passed_on: datetime
    required: bool
    current: bool


def attested_training(profile: VolunteerProfile, locale: str) -> list[AttestedTraining]:
    """Every module the volunteer passed, as passed (the title of the version passed), oldest first."""
    completions = db.session.scalars(
        select(TrainingCompletion)
        .where(TrainingCompletion.volunteer_id == profile.id)
        .order_by(TrainingCompletion.completed_at)
    ).all()
    return [
        AttestedTraining(
            localized((c.version.titles if c.version else c.module.titles), locale),
            passed_number(c),
            c.completed_at,
            c.module.required,
            is_current(c, c.module),
        )
        for c in completions
    ]
