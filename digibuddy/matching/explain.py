"""Turning the engine's structured explanations and exclusion counts into translated sentences."""

from babel.dates import get_day_names
from flask_babel import format_decimal
from sqlalchemy import select
from sqlalchemy.orm.util import identity_key

from ..core.i18n import current_locale, language_name, ngettext
from ..core.i18n import gettext as _
from ..core.labels import label
from ..extensions import db
from ..reference.models import Topic
from . import engine


def _free_on(weekday: int, part: str) -> str:
    day = get_day_names("wide", locale=current_locale())[int(weekday)]
    if part == "morning":
        return _("free on %(day)s mornings", day=day)
    if part == "afternoon":
        return _("free on %(day)s afternoons", day=day)
    return _("free on %(day)s evenings", day=day)


def _topics(ids) -> dict[int, Topic]:
    """Topics by id, those not in the session yet loaded in one statement: every explanation of a page names
    only the request's own topics, so the first candidate's sentence loads them and the others' find them in
    the session (`session.get` answers from it), a page of candidates costing one query, not one each. The
    loaded topics are kept referenced for the session's life, since its identity map holds objects only
    weakly."""
    ids = list(dict.fromkeys(ids))
    missing = [i for i in ids if identity_key(Topic, i) not in db.session.identity_map]
    if missing:
        held = db.session.info.setdefault("explained_topics", [])
        held.extend(db.session.scalars(select(Topic).where(Topic.id.in_(missing))))
    found = {}
    for topic_id in ids:
        topic = db.session.get(Topic, topic_id)
        if topic is not None:
            found[topic_id] = topic
    return found


def explain(parts: list[dict] | None) -> str:
    """'2.3 km away · speaks Arabic (native) · itsme: experienced · free on Tuesday mornings · helped 4 people
    this month'"""
    if not parts:
        return ""
    locale = current_locale()
    topics = _topics(p["topic_id"] for p in parts if p.get("kind") == "topic")
    words = []
    for part in parts:
        kind = part.get("kind")
        if kind == "distance":
            words.append(_("%(km)s km away", km=format_decimal(part["km"], format="#,##0.0")))
        elif kind == "language":
            words.append(
                _(
                    "speaks %(language)s (%(level)s)",
                    language=language_name(part["code"], locale),
                    level=label("language_level", part["level"]).lower(),
                )
            )
        elif kind == "topic" and part["topic_id"] in topics:
            words.append(
                _(
                    "%(topic)s: %(level)s",
                    topic=topics[part["topic_id"]].label(locale),
                    level=label("topic_level", part["level"]).lower(),
                )
            )
        elif kind == "time":
            words.extend(_free_on(weekday, day_part) for weekday, day_part in part["windows"])
        elif kind == "continuity":
            words.append(_("helped this resident well before"))
        elif kind == "waived":
            words.append(
                _(
                    "asked anyway (%(rule)s): %(note)s",
                    rule=rule_sentence(part.get("rule"), part.get("detail") or {}),
                    note=part.get("note") or "",
                )
            )
        elif kind == "helped_this_month":
            words.append(
                ngettext(
                    "helped %(num)d person this month", "helped %(num)d people this month", part["count"]
                )
            )
    return " · ".join(words)


def rule_sentence(rule: str | None, detail: dict) -> str:
    """The one hard rule a near miss fails, in words: "full: 4 of 4 requests", "lives 3.1 km outside
    their radius of 10 km", "does not list Tax-on-web"."""
    locale = current_locale()
    if rule == engine.FULL:
        return _(
            "full: %(load)s of %(max)s requests", load=detail.get("load", "?"), max=detail.get("max", "?")
        )
    if rule == engine.DISTANCE:
        if "km_over" in detail:
            return _(
                "lives %(km)s km outside their radius of %(radius)s km",
                km=format_decimal(detail["km_over"], format="#,##0.0"),
                radius=detail.get("radius", "?"),
            )
        return _("we do not know how far they live")
    if rule == engine.TOPIC:
        topics = _topics(detail.get("topic_ids") or []).values()
        return _("does not list %(topics)s", topics=_(" or ").join(t.label(locale) for t in topics) or "?")
    if rule == engine.LANGUAGE:
        return _(
            "does not speak %(languages)s",
            languages=_(" or ").join(language_name(code, locale) for code in detail.get("languages") or []),
        )
    if rule == engine.MODE:
        return _("does not help %(mode)s", mode=label("help_mode", detail.get("mode")).lower())
    return str(rule or "")


def explain_reasons(reason_counts: dict | None, help_request=None, nobody_fits: bool = True) -> str:
    """'no candidate: 12 do not speak Tigrinya, 3 live too far, 2 are full'"""
    if not reason_counts:
        return ""
    locale = current_locale()
    languages = ""
    if help_request is not None:
        languages = _(" or ").join(language_name(lang.code, locale) for lang in help_request.languages)
    mode = label("help_mode", help_request.preferred_mode).lower() if help_request is not None else ""
    texts = []
    for reason in (*engine.REASONS, "rounds", "waiting"):
        n = int(reason_counts.get(reason, 0) or 0)
        if not n:
            continue
        if reason == engine.LANGUAGE:
            texts.append(
                ngettext(
                    "%(num)d does not speak %(languages)s",
                    "%(num)d do not speak %(languages)s",
                    n,
                    languages=languages,
                )
            )
        elif reason == engine.DISTANCE:
            texts.append(ngettext("%(num)d lives too far", "%(num)d live too far", n))
        elif reason == engine.FULL:
            texts.append(ngettext("%(num)d is full", "%(num)d are full", n))
        elif reason == engine.NOT_ACTIVE:
            texts.append(
                ngettext("%(num)d is not active or not screened", "%(num)d are not active or not screened", n)
            )
        elif reason == engine.MODE:
            texts.append(
                ngettext("%(num)d does not help %(mode)s", "%(num)d do not help %(mode)s", n, mode=mode)
            )
        elif reason == engine.TOPIC:
            texts.append(
                ngettext("%(num)d does not know these topics", "%(num)d do not know these topics", n)
            )
        elif reason == engine.ALREADY_ASKED:
            texts.append(ngettext("%(num)d was already asked", "%(num)d were already asked", n))
        elif reason == "waiting":
            texts.append(ngettext("waited %(num)d day", "waited %(num)d days", n))
        elif reason == "rounds":
            texts.append(
                ngettext("%(num)d offer round without a yes", "%(num)d offer rounds without a yes", n)
            )
    if not nobody_fits:
        return ", ".join(texts)
    return _("no candidate: %(reasons)s", reasons=", ".join(texts))
