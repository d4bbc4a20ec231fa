"""Do once, at start-up, the work that would otherwise make the first page of every worker slow: build the
ORM mappers, read the message catalogues, compile the page templates, name the languages the forms offer
first in the page languages and in themselves (Babel's CLDR data), and render the busiest public pages
once (which compiles their SQL and keeps them in the page cache, core/page_cache.py). The database
connections this opens are closed again, so the gunicorn master can warm up before it forks its workers;
when the database is not reachable yet, the pages are skipped."""

import logging
import time

log = logging.getLogger("digibuddy.warmup")
# Public pages that read the database but write nothing and show no personal data.
WARM_PAGES = ("/", "/help", "/status", "/volunteers/become")


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
    _render_pages(app)
    seconds = time.perf_counter() - started
    log.info("Warmed up in %.2f s", seconds)
    return seconds


def _render_pages(app) -> None:
    from .core.page_cache import ensure_versions
    from .extensions import db

    client = app.test_client()
    try:
        with app.app_context():
            ensure_versions()  # then the public pages rendered here stay in memory for every worker
        for path in WARM_PAGES:
            client.get(path, headers={"Accept-Language": "nl"})
    except Exception:  # noqa: BLE001 - a database that is not there yet only makes the first pages slower
        log.warning("Warm-up: could not render the public pages", exc_info=True)
    finally:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
