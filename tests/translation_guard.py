"""Catch untranslated text where it is shown: every message looked up through Flask-Babel (templates,
`gettext`, lazy strings, labels) is recorded with the locale it was asked in, and checked against the
compiled catalogue of that locale. Nothing is listed by hand, so a new string on a resident page or in a
resident message is checked as soon as it is rendered."""

from contextlib import contextmanager

import flask_babel
from flask_babel import get_locale

SOURCE_LOCALE = "en"  # the message ids are English


class _Recording:
    def __init__(self, translations, seen: set):
        self._translations = translations
        self._seen = seen

    def _note(self, key, msgid):
        locale = str(get_locale() or "")
        catalogue = getattr(self._translations, "_catalog", {})
        found = bool(catalogue.get(key))
        self._seen.add((locale, msgid, found or locale == SOURCE_LOCALE))

    def ugettext(self, message):
        self._note(message, message)
        return self._translations.ugettext(message)

    gettext = ugettext

    def ungettext(self, singular, plural, n):
        self._note((singular, 0), singular)
        return self._translations.ungettext(singular, plural, n)

    ngettext = ungettext

    def upgettext(self, context, message):
        self._note(f"{context}\x04{message}", message)
        return self._translations.upgettext(context, message)

    pgettext = upgettext

    def unpgettext(self, context, singular, plural, n):
        self._note((f"{context}\x04{singular}", 0), singular)
        return self._translations.unpgettext(context, singular, plural, n)

    npgettext = unpgettext

    def __getattr__(self, name):
        return getattr(self._translations, name)


@contextmanager
def recording_translations(monkeypatch):
    """Yield a set that fills with (locale, msgid, translated) for every lookup made inside the block."""
    seen: set = set()
    original_module = flask_babel.get_translations
    original_method = flask_babel.Domain.get_translations

    monkeypatch.setattr(flask_babel, "get_translations", lambda: _Recording(original_module(), seen))
    monkeypatch.setattr(
        flask_babel.Domain, "get_translations", lambda self: _Recording(original_method(self), seen)
    )
    try:
        yield seen
    finally:
        monkeypatch.setattr(flask_babel, "get_translations", original_module)
        monkeypatch.setattr(flask_babel.Domain, "get_translations", original_method)


def untranslated(seen: set) -> list[tuple[str, str]]:
    return sorted({(locale, msgid) for locale, msgid, translated in seen if not translated})
