"""Recruitment advice in words, per network: "Recruit digibuddies who speak Turkish near 9000 for itsme: 6
requests waited in the last 3 months." The grouping and its protection are in recruitment.py; this module
counts the waiting requests and phrases each group in the viewer's language."""

from dataclasses import dataclass, field
from datetime import datetime

from babel.lists import format_list
from flask_babel import format_number
from sqlalchemy import select

from ..core.i18n import current_locale, language_name, ngettext
from ..core.i18n import gettext as _
from ..core.time import to_local
from ..extensions import db
from ..matching.services import ESCALATE_AFTER
from ..reference.models import Municipality, Topic
from . import recruitment, rollups, stats


@dataclass
class NetworkAdvice:
    """What a dashboard shows for one network: the sentences, largest group first, and whether smaller
    groups were left out to protect residents."""

    network: object
    sentences: list[str] = field(default_factory=list)
    left_out: bool = False


def since(now: datetime) -> datetime:
    """The start of the advice's period: midnight in Brussels, recruitment.MONTHS months before today."""
    return stats.local_midnight_utc(stats.add_months(to_local(now).date(), -recruitment.MONTHS))


def _area(need: recruitment.Need, municipalities: dict) -> str:
    if need.area_kind == recruitment.POSTCODE:
        return _("near %(postcode)s", postcode=need.area)
    municipality = municipalities.get(need.area)
    name = municipality.name(current_locale()) if municipality is not None else need.area
    return _("in %(municipality)s", municipality=name)


def sentence(need: recruitment.Need, topics: dict, municipalities: dict) -> str:
    """One group of waiting requests as advice; the count formatted for the viewer's language."""
    locale = current_locale()
    topic = topics.get(need.topic_id)
    values = {
        "topic": topic.label(locale) if topic is not None else "?",
        "count": format_number(need.requests),
        "months": format_number(recruitment.MONTHS),
    }
    if need.languages:
        values["languages"] = format_list(
            [language_name(code, locale) for code in need.languages], style="or", locale=locale
        )
    if need.area_kind is not None:
        values["area"] = _area(need, municipalities)
    if need.languages and need.area_kind is not None:
        return ngettext(
            "Recruit digibuddies who speak %(languages)s %(area)s for %(topic)s: %(count)s request waited "
            "in the last %(months)s months.",
            "Recruit digibuddies who speak %(languages)s %(area)s for %(topic)s: %(count)s requests waited "
            "in the last %(months)s months.",
            need.requests,
            **values,
        )
    if need.languages:
        return ngettext(
            "Recruit digibuddies who speak %(languages)s for %(topic)s: %(count)s request waited in the "
            "last %(months)s months.",
            "Recruit digibuddies who speak %(languages)s for %(topic)s: %(count)s requests waited in the "
            "last %(months)s months.",
            need.requests,
            **values,
        )
    if need.area_kind is not None:
        return ngettext(
            "Recruit digibuddies %(area)s for %(topic)s: %(count)s request waited in the last %(months)s "
            "months.",
            "Recruit digibuddies %(area)s for %(topic)s: %(count)s requests waited in the last %(months)s "
            "months.",
            need.requests,
            **values,
        )
    return ngettext(
        "Recruit digibuddies for %(topic)s: %(count)s request waited in the last %(months)s months.",
        "Recruit digibuddies for %(topic)s: %(count)s requests waited in the last %(months)s months.",
        need.requests,
        **values,
    )


def for_networks(
    networks: list, now: datetime, *, suppress: bool, every: bool = False
) -> list[NetworkAdvice]:
    """The advice of each network, from the requests that waited in the last months (the roll-ups, after
    rollups.fold(): a dashboard folds before it reads).
    `suppress` for the central level (small groups protected, see recruitment.advise); a coordinator's own
    network exactly.
    `every`: `networks` are every network, whose requests are then read without asking whose they are."""
    ids = [n.id for n in networks]
    if not ids:
        return []
    waiting = rollups.waiting_counts(None if every else ids, since(now), now, ESCALATE_AFTER)
    found = recruitment.per_network(waiting, ids, suppress=suppress)
    needs = [need for advice in found.values() for need in advice.needs]
    topic_ids = {need.topic_id for need in needs}
    nis_codes = {need.area for need in needs if need.area_kind == recruitment.MUNICIPALITY}
    topics = (
        {t.id: t for t in db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids)))}
        if topic_ids
        else {}
    )
    municipalities = (
        {
            m.nis_code: m
            for m in db.session.scalars(select(Municipality).where(Municipality.nis_code.in_(nis_codes)))
        }
        if nis_codes
        else {}
    )
    return [
        NetworkAdvice(
            network,
            [sentence(need, topics, municipalities) for need in found[network.id].needs],
            found[network.id].left_out,
        )
        for network in networks
    ]
