"""Do once, at start-up, the work that would otherwise make the first page of every worker slow: build the
ORM mappers, read the message catalogues, compile the page templates, and name the languages the forms
offer first in the page languages and in themselves (Babel's CLDR data). No database connection is
opened, so the gunicorn master can warm up before it forks its workers."""

import logging
import time

log = logging.getLogger("digibuddy.warmup")


def warm_up(app) -> float:
    """Warm `app` in this process; returns the seconds it took."""
    from flask_babel import force_locale, get_translations
    from sqlalchemy.orm import configure_mappers

    from .core.i18n import RESIDENT_LOCALES, language_name, remember_native_names
    from .reference.loader import LANGUAGE_PRIORITY

    started = time.perf_counter()
    configure_mappers()
    for locale in RESIDENT_LOCALES:
        language_name(locale, locale)
    remember_native_names(LANGUAGE_PRIORITY)
    with app.test_request_context("/"):
        for locale in RESIDENT_LOCALES:
            with force_locale(locale):
                get_translations()
        for name in app.jinja_env.list_templates(extensions=("html",)):
            app.jinja_env.get_template(name)
    seconds = time.perf_counter() - started
    log.info("Warmed up in %.2f s", seconds)
    return seconds
