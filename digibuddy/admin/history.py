"""How a recorded change (audit.models.ChangeRecord) reads on a history page: the action and each changed
field with its value before and after, in the viewer's language."""

from dataclasses import dataclass

from ..core.i18n import gettext as _
from ..core.i18n import lazy_gettext as _l
from ..reference.models import localized

ACTIONS = {
    "created": _l("Created"),
    "edited": _l("Changed"),
    "retired": _l("Retired"),
    "restored": _l("Offered again"),
    "merged": _l("Merged"),
    "moved": _l("Moved"),
    "published": _l("Published"),
    "new_version": _l("New version"),
}

FIELDS = {
    "labels": _l("Names"),
    "hints": _l("Hints"),
    "digcomp": _l("DigComp competences"),
    "digcomp_level": _l("DigComp level"),
    "position": _l("Place in the list"),
    "active": _l("Offered"),
    "group_id": _l("Topic group"),
    "merged_into_id": _l("Merged into"),
    "given_target": _l("Given the other topic"),
}


def action_text(action: str) -> str:
    return str(ACTIONS.get(action, action))


def _value(value, locale: str, names: dict) -> str:
    if value is None or value == "" or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        if set(value) <= {"volunteers", "requests", "dropins"}:
            return _(
                "%(volunteers)s digibuddies, %(requests)s requests, %(dropins)s drop-in moments",
                volunteers=value.get("volunteers", 0),
                requests=value.get("requests", 0),
                dropins=value.get("dropins", 0),
            )
        return localized(value, locale)
    if isinstance(value, list):
        return ", ".join(_value(v, locale, names) for v in value)
    return str(names.get(value, value))


def change_lines(
    entry, locale: str, field_labels: dict | None = None, names: dict | None = None
) -> list[str]:
    """'Names: Smartphone → Smartphone en tablet' for each changed field. `names` turns ids into names
    (a topic group's id into its name, for example)."""
    labels = {**FIELDS, **(field_labels or {})}
    lines = []
    for field, (before, after) in (entry.changes or {}).items():
        resolved = (names or {}).get(field, {})
        label = str(labels.get(field, field))
        if before is None and field == "given_target":
            lines.append(f"{label}: {_value(after, locale, resolved)}")
        else:
            lines.append(f"{label}: {_value(before, locale, resolved)} → {_value(after, locale, resolved)}")
    return lines


@dataclass
class HistoryRow:
    at: object
    who: str
    action: str
    subject: str
    lines: list[str]


def history_rows(entries, locale: str, *, subject=None, field_labels=None, names=None) -> list[HistoryRow]:
    """The rows of a history page; `subject(entry)` names the changed item where a page lists several."""
    return [
        HistoryRow(
            entry.at,
            entry.user.name if entry.user else _("The system"),
            action_text(entry.action),
            subject(entry) if subject else "",
            change_lines(entry, locale, field_labels, names),
        )
        for entry in entries
    ]
