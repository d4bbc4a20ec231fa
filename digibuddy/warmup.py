"""Do once, at start-up, the work that would otherwise make the first page of every worker slow: build the
ORM mappers, read the message catalogues, compile the page templates, name the languages the forms offer
first in the page languages and in themselves (Babel's CLDR data), and render the busiest public pages
once (which compiles their SQL and keeps them in the page cache, core/page_cache.py), fold the dashboards'
roll-up marks left since the last fold and work out one network's local dashboard once (which compiles its
statements; the figures are not kept or shown). The database
connections this opens are closed again, so the gunicorn master can warm up before it forks its workers;
when the database is not reachable yet, the pages are skipped."""

import gc
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
    # What start-up made (modules, mappers, templates, catalogues, compiled statements) lives as long as
    # the process: moved out of the garbage collector's reach, so that no full collection walks it again
    # (the first pages of a new worker paid one of ~0.1 s), and forked workers share its memory pages.
    gc.collect()
    gc.freeze()
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
        _work_out_a_dashboard(app)
    except Exception:  # noqa: BLE001 - a database that is not there yet only makes the first pages slower
        log.warning("Warm-up: could not render the public pages", exc_info=True)
    finally:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def _work_out_a_dashboard(app) -> None:
    """Fold the roll-up marks waiting (as the scheduler does every minute; otherwise the first dashboard
    after a start folds what changed while nothing ran, ~0.5-1.5 s on the demo data) and work out the
    figures and advice of the first local network once, so that every worker inherits their compiled
    statements."""
    from flask_babel import force_locale
    from sqlalchemy import select

    from .core.db import utcnow
    from .core.time import local_today
    from .extensions import db
    from .network.models import LocalNetwork
    from .reports import advice, dashboards, rollups, stats

    with app.test_request_context("/"), force_locale("nl"):
        rollups.fold()
        network = db.session.scalars(select(LocalNetwork).order_by(LocalNetwork.id).limit(1)).first()
        if network is not None:
            now = utcnow()
            dashboards.local_dashboard(network, stats.default_range(local_today()), now)
            advice.for_networks([network], now, suppress=False)
        db.session.rollback()
