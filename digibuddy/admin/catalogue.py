"""Managing the topic catalogue: adding, editing, reordering, retiring and merging topic groups and topics.

History never breaks: a retired topic stays on the requests, volunteer profiles, outcomes and figures that
have it, and only new forms stop offering it. Merging a topic into another also gives the other topic to
the volunteers who know the first (at the same level) and to the open requests and drop-in moments that
ask for it, so that matching finds them. Every change is recorded (audit.services.record_change), and
marks the row as edited so that `flask refdata load` leaves it as the centre made it."""

from sqlalchemy import func, insert, select

from ..audit.services import differences, record_change
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..extensions import db
from ..network.services import slugify
from ..reference.catalogue import CODE_MAX_LENGTH, DIGCOMP_COMPETENCES, LOCALES
from ..reference.models import Topic, TopicGroup
from ..requests.models import OPEN_STATUSES, HelpRequest, request_topics
from ..scheduling.models import DropInMoment, dropin_topics
from ..volunteers.models import VolunteerTopic

# Every label residents can see (groups and topics on the request form) is written in these languages.
LABEL_LOCALES = LOCALES


def _clean(texts: dict | None) -> dict:
    return {
        locale: (texts or {}).get(locale, "").strip()
        for locale in LABEL_LOCALES
        if (texts or {}).get(locale, "").strip()
    }


def _check_labels(labels: dict) -> dict:
    labels = _clean(labels)
    missing = [locale for locale in LABEL_LOCALES if not labels.get(locale)]
    if missing:
        raise DomainError(
            _("Write the name in every language: residents read it too."), f"label_{missing[0]}"
        )
    return labels


def _new_code(model, text: str) -> str:
    base = slugify(text)[: CODE_MAX_LENGTH - 4] or "topic"
    code, number = base, 1
    while db.session.scalar(select(model.id).where(model.code == code)) is not None:
        number += 1
        code = f"{base}-{number}"
    return code


def _snapshot(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


GROUP_FIELDS = ("labels", "position", "active")
TOPIC_FIELDS = (
    "group_id",
    "labels",
    "hints",
    "digcomp",
    "digcomp_level",
    "position",
    "active",
    "merged_into_id",
)


def _recorded(actor, obj, subject_type: str, action: str, before: dict, fields) -> None:
    changes = differences(before, _snapshot(obj, fields))
    if changes or action != "edited":
        obj.edited_at = utcnow()
        record_change(actor, subject_type, obj.id, action, changes)


# ----------------------------------------------------------------------------------------------- groups
def save_group(group: TopicGroup | None, *, labels: dict, actor) -> TopicGroup:
    """Create a topic group (at the end of the catalogue) or change its names."""
    labels = _check_labels(labels)
    before = _snapshot(group, GROUP_FIELDS) if group is not None else {}
    action = "edited"
    if group is None:
        position = db.session.scalar(select(func.coalesce(func.max(TopicGroup.position), -1))) + 1
        group = TopicGroup(code=_new_code(TopicGroup, labels["nl"]), position=position, active=True)
        db.session.add(group)
        action = "created"
    group.labels = labels
    db.session.flush()
    _recorded(actor, group, "topic_group", action, before, GROUP_FIELDS)
    db.session.commit()
    return group


def set_group_active(group: TopicGroup, active: bool, *, actor) -> None:
    """Retire a group (its topics are no longer offered) or take it back."""
    before = _snapshot(group, GROUP_FIELDS)
    group.active = active
    _recorded(actor, group, "topic_group", "restored" if active else "retired", before, GROUP_FIELDS)
    db.session.commit()


# ----------------------------------------------------------------------------------------------- topics
def _check_digcomp(codes: list[str]) -> str:
    codes = [c for c in dict.fromkeys(codes or []) if c]
    if not codes:
        raise DomainError(_("Choose at least one DigComp competence."), "digcomp")
    if any(c not in DIGCOMP_COMPETENCES for c in codes):
        raise DomainError(_("Choose competences from the list."), "digcomp")
    return " ".join(codes)


def save_topic(
    topic: Topic | None,
    *,
    group: TopicGroup,
    labels: dict,
    hints: dict,
    digcomp: list[str],
    level: int,
    actor,
) -> Topic:
    """Create a topic (at the end of its group) or change it; moved to another group, it goes last there."""
    labels = _check_labels(labels)
    digcomp_text = _check_digcomp(digcomp)
    if not 1 <= int(level) <= 8:
        raise DomainError(_("Choose a level from 1 to 8."), "level")
    before = _snapshot(topic, TOPIC_FIELDS) if topic is not None else {}
    action = "edited"
    if topic is None:
        topic = Topic(code=_new_code(Topic, labels["nl"]), active=True)
        action = "created"
    if topic.group_id != group.id:
        with db.session.no_autoflush:
            last = db.session.scalar(
                select(func.coalesce(func.max(Topic.position), -1)).where(Topic.group_id == group.id)
            )
        topic.group_id, topic.position = group.id, last + 1
    db.session.add(topic)
    topic.labels = labels
    topic.hints = _clean(hints) or None
    topic.digcomp = digcomp_text
    topic.digcomp_level = int(level)
    db.session.flush()
    _recorded(actor, topic, "topic", action, before, TOPIC_FIELDS)
    db.session.commit()
    return topic


def set_topic_active(topic: Topic, active: bool, *, actor) -> None:
    """Retire a topic (new forms stop offering it; everything that has it keeps it) or take it back."""
    if active and topic.merged_into_id is not None:
        raise DomainError(_("This topic was merged into another one and cannot come back."))
    before = _snapshot(topic, TOPIC_FIELDS)
    topic.active = active
    _recorded(actor, topic, "topic", "restored" if active else "retired", before, TOPIC_FIELDS)
    db.session.commit()


def merge_topic(source: Topic, target: Topic, *, actor) -> dict:
    """Retire `source` in favour of `target`. Volunteers who know `source` also get `target` (at the same
    level), and so do the open requests and the active drop-in moments that ask for `source`; requests,
    profiles and outcomes keep `source` itself. Returns how many of each were given `target`."""
    if source.id == target.id:
        raise DomainError(_("Choose another topic to merge into."), "target")
    if not target.active:
        raise DomainError(_("Merge into a topic that is still offered."), "target")
    if source.merged_into_id is not None:
        raise DomainError(_("This topic was already merged into another one."), "target")
    before = _snapshot(source, TOPIC_FIELDS)

    knows_target = select(VolunteerTopic.volunteer_id).where(VolunteerTopic.topic_id == target.id)
    volunteers = db.session.execute(
        select(VolunteerTopic.volunteer_id, VolunteerTopic.level).where(
            VolunteerTopic.topic_id == source.id, VolunteerTopic.volunteer_id.not_in(knows_target)
        )
    ).all()
    for volunteer_id, level in volunteers:
        db.session.add(VolunteerTopic(volunteer_id=volunteer_id, topic_id=target.id, level=level))

    requests = db.session.scalars(
        select(request_topics.c.request_id)
        .join(HelpRequest, HelpRequest.id == request_topics.c.request_id)
        .where(
            request_topics.c.topic_id == source.id,
            HelpRequest.status.in_(list(OPEN_STATUSES)),
            request_topics.c.request_id.not_in(
                select(request_topics.c.request_id).where(request_topics.c.topic_id == target.id)
            ),
        )
    ).all()
    if requests:
        db.session.execute(
            insert(request_topics), [{"request_id": r, "topic_id": target.id} for r in requests]
        )
    moments = db.session.scalars(
        select(dropin_topics.c.moment_id)
        .join(DropInMoment, DropInMoment.id == dropin_topics.c.moment_id)
        .where(
            dropin_topics.c.topic_id == source.id,
            DropInMoment.active.is_(True),
            dropin_topics.c.moment_id.not_in(
                select(dropin_topics.c.moment_id).where(dropin_topics.c.topic_id == target.id)
            ),
        )
    ).all()
    if moments:
        db.session.execute(insert(dropin_topics), [{"moment_id": m, "topic_id": target.id} for m in moments])

    source.active = False
    source.merged_into_id = target.id
    counts = {"volunteers": len(volunteers), "requests": len(requests), "dropins": len(moments)}
    db.session.flush()
    changes = differences(before, _snapshot(source, TOPIC_FIELDS))
    changes["given_target"] = [None, counts]
    source.edited_at = utcnow()
    record_change(actor, "topic", source.id, "merged", changes)
    db.session.commit()
    return counts


# ----------------------------------------------------------------------------------------------- order
def move(item: TopicGroup | Topic, step: int, *, actor) -> None:
    """Swap a group with its neighbour in the catalogue, or a topic with its neighbour in its group
    (step -1: up, +1: down). At the top or the bottom nothing changes."""
    model = type(item)
    siblings_stmt = select(model).order_by(model.position, model.id)
    if model is Topic:
        siblings_stmt = siblings_stmt.where(Topic.group_id == item.group_id)
    siblings = db.session.scalars(siblings_stmt).all()
    index = siblings.index(item)
    other_index = index + step
    if not 0 <= other_index < len(siblings):
        return
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    subject = "topic" if model is Topic else "topic_group"
    swapped = {item.id, siblings[index].id}
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            if sibling.id in swapped:
                record_change(actor, subject, sibling.id, "moved", {"position": [sibling.position, position]})
            sibling.position = position
        sibling.edited_at = utcnow()  # the order is the centre's now
    db.session.commit()
