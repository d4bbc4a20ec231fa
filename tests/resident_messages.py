"""The messages shown on resident-facing pages: these must exist in every resident language."""

from pathlib import Path

from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
RESIDENT_TEMPLATES = [
    "base.html",
    "macros.html",
    "errors/error.html",
    "public/home.html",
    "requests/_request_fields.html",
    "requests/slip.html",
    "requests/public/new.html",
    "requests/public/confirmation.html",
    "requests/public/status_lookup.html",
    "requests/public/status.html",
    "scheduling/dropins/public_list.html",
    "scheduling/dropins/public_book.html",
    "scheduling/dropins/public_booked.html",
]
RESIDENT_MODULES = [
    "digibuddy/requests/forms.py",
    "digibuddy/requests/presenters.py",
    "digibuddy/requests/views_public.py",
    "digibuddy/requests/services.py",
    "digibuddy/core/forms.py",
    "digibuddy/core/errors.py",
    "digibuddy/core/labels.py",
    "digibuddy/scheduling/views_dropins.py",
    "digibuddy/scheduling/forms_dropins.py",
    "digibuddy/scheduling/dropins.py",
]
RESIDENT_LOCALES_ONLY = ("ar", "tr", "uk")


def resident_message_ids() -> set[str]:
    ids = set()
    for name in RESIDENT_TEMPLATES:
        path = ROOT / "templates" / name
        for _lineno, message, _comments, _context in extract_from_file(
            "jinja2",
            str(path),
            keywords=KEYWORDS,
            options={"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "true"},
        ):
            ids.add(message if isinstance(message, str) else message[0])
    for name in RESIDENT_MODULES:
        for _lineno, message, _comments, _context in extract_from_file(
            "python", str(ROOT / name), keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return {m for m in ids if m}


if __name__ == "__main__":  # list them: python -m tests.resident_messages
    for message_id in sorted(resident_message_ids()):
        print(message_id)
