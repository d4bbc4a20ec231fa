"""Locale selection and language names from Babel.

Staff pages are in Dutch (default), French and English; resident-facing pages also in Arabic
(right to left), Turkish and Ukrainian.
"""

from functools import cache

import flask_babel
from babel import Locale, UnknownLocaleError
from flask import current_app, g, has_request_context, request, session
from flask_babel.speaklater import LazyString
from flask_login import current_user

UI_LOCALES = ("nl", "fr", "en")
RESIDENT_LOCALES = ("nl", "fr", "en", "ar", "tr", "uk")
RTL_LOCALES = frozenset({"ar"})
DEFAULT_LOCALE = "nl"


def current_locale() -> str:
    """The locale this request is shown in, as a plain code ("nl" outside a request)."""
    from flask_babel import get_locale

    return str(get_locale() or DEFAULT_LOCALE)


def translations():
    """The translations of the current locale, as flask_babel.get_translations gives them, remembered for the
    request (or app context) while its locale stays the same object: flask_babel finds the context, the
    locale and the catalogue anew on every lookup (about five context-local look-ups and a locale name each
    time), and a dashboard looks up a few hundred messages. force_locale sets a new locale object, so a
    message in a resident's language is looked up in that language; the remembered pair also names the
    function that found it, so a replaced flask_babel.get_translations (tests record lookups that way) is
    used from then on."""
    try:
        context = g._flask_babel
    except (AttributeError, RuntimeError):  # no app context, or no lookup yet in this one
        return flask_babel.get_translations()
    found = flask_babel.get_translations
    remembered = getattr(context, "digibuddy_translations", None)
    locale = getattr(context, "babel_locale", None)
    if remembered is not None and remembered[0] is locale and remembered[1] is found:
        return remembered[2]
    catalogue = found()
    context.digibuddy_translations = (getattr(context, "babel_locale", None), found, catalogue)
    return catalogue


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext through the remembered translations()."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num, **variables) -> str:
    """flask_babel.ngettext through the remembered translations(); `num` is also a variable."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """flask_babel.lazy_gettext, translated through gettext() above when shown."""
    return LazyString(gettext, string, **variables)


def install_template_callables(app) -> None:
    """Let templates look messages up through translations() too (after flask_babel installed its own)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )


def resident_facing(view):
    """Mark a view as resident-facing: it may be shown in every resident language."""
    view.resident_facing = True
    return view


def is_resident_page() -> bool:
    if not request or not request.endpoint:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "resident_facing", False))


def allowed_locales() -> tuple[str, ...]:
    return RESIDENT_LOCALES if is_resident_page() else UI_LOCALES


def remember_requested_locale() -> None:
    """A `?lang=xx` link (the language switcher) is kept in the session and the user's preference."""
    wanted = request.args.get("lang")
    if wanted and wanted in RESIDENT_LOCALES:
        session["lang"] = wanted
        if current_user.is_authenticated and wanted in UI_LOCALES and current_user.locale != wanted:
            from ..extensions import db

            current_user.locale = wanted
            db.session.commit()


def select_locale() -> str:
    if not has_request_context():  # scheduled jobs and the CLI: messages choose their locale explicitly
        return DEFAULT_LOCALE
    if "locale" in g:
        return g.locale
    allowed = allowed_locales()
    chosen = None
    asked = request.args.get("lang")
    wanted = asked or session.get("lang")
    if not asked and current_user and current_user.is_authenticated:
        chosen = current_user.locale if current_user.locale in allowed else None
    if chosen is None and wanted in allowed:
        chosen = wanted
    if chosen is None:
        chosen = _browser_choice(allowed)
    g.locale = chosen
    return chosen


_BROWSER_CHOICES: dict[tuple[str, tuple], str] = {}  # (Accept-Language, allowed) -> locale
MAX_BROWSER_CHOICES = 2000


def _browser_choice(allowed: tuple[str, ...]) -> str:
    """The best of `allowed` for the browser's Accept-Language, worked out once per header text (browsers
    send a handful of different ones; past MAX_BROWSER_CHOICES texts the rest are worked out every time)."""
    header = request.headers.get("Accept-Language", "")
    chosen = _BROWSER_CHOICES.get((header, allowed))
    if chosen is None:
        chosen = request.accept_languages.best_match(allowed) or DEFAULT_LOCALE
        if len(_BROWSER_CHOICES) < MAX_BROWSER_CHOICES:
            _BROWSER_CHOICES[(header, allowed)] = chosen
    return chosen


def text_direction(locale: str) -> str:
    return "rtl" if locale in RTL_LOCALES else "ltr"


@cache
def _language_names_in(locale: str) -> dict[str, str]:
    """Every language's name in one locale (one CLDR file, read once per process)."""
    try:
        return dict(Locale.parse(locale).languages)
    except (ValueError, TypeError, UnknownLocaleError):
        return {}


def language_name(code: str, in_locale: str) -> str:
    """The name of a language (ISO 639 code) in the given locale, from Babel's CLDR data."""
    return _language_names_in(in_locale).get(code) or code


_NATIVE_NAMES: dict[str, str] = {}


def native_language_name(code: str) -> str:
    """The name of a language in that language itself ('العربية' for Arabic).

    Naming a language in itself reads that language's whole CLDR file (~0.7 MB in memory each, ~8 ms),
    so the names are kept once found and the languages offered are named at start-up
    (`remember_native_names`); pages name the others in the page's language only."""
    name = _NATIVE_NAMES.get(code)
    if name is None:
        try:
            name = Locale.parse(code).get_display_name(code) or code
        except (ValueError, TypeError, Exception):  # Babel has no data for some codes
            name = code
        _NATIVE_NAMES[code] = name
    return name


def remember_native_names(codes) -> None:
    """Name these languages in themselves now (at start-up), so that no page waits for it."""
    for code in codes:
        native_language_name(code)


def switcher_links(locales: tuple[str, ...]) -> list[dict]:
    """Links for the language switcher: the current URL with ?lang=xx, each name in its own language."""
    args = request.args.to_dict(flat=True)
    links = []
    for code in locales:
        args["lang"] = code
        query = "&".join(f"{k}={v}" for k, v in args.items())
        links.append({"code": code, "name": native_language_name(code), "url": f"{request.path}?{query}"})
    return links


def friendly_datetime(value) -> str:
    """'Wednesday 2 December 2026 10:00' in the current locale and Europe/Brussels: full date, short time."""
    from flask_babel import format_date, format_time

    if value is None:
        return ""
    return f"{format_date(value, 'full')} {format_time(value, 'short')}"
