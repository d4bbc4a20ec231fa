"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (or `make serve-production`).

Every value comes from the environment, with defaults for a small server behind a reverse proxy. The
scheduled jobs do not run here: start `flask --app wsgi scheduler run` as its own process."""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


# Where to listen: GUNICORN_BIND, else 0.0.0.0:$PORT (the convention of most platforms), else port 8000.
bind = [os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_int('PORT', 8000)}"]
# Sync workers: one page at a time each. The usual rule is two per core plus one.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A page that takes longer than this is stopped and the worker replaced (the slowest dashboard takes ~1 s).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart (deploy), workers finish the pages they are serving for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds to keep an idle connection from the reverse proxy open.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Replace each worker after about this many requests (0: never), spread by the jitter so not all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Load the application once in the master and fork the workers from it: a new worker starts warm (see
# `post_fork` and `when_ready`) and shares the master's memory.
preload_app = _bool("GUNICORN_PRELOAD", True)

# Logs on standard output and error, for the process manager to collect. Set ACCESS_LOG to "" to stop the
# access log. The format leaves out the query string: a status look-up carries a reference code there.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = os.environ.get("ERROR_LOG", "-")
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = os.environ.get(
    "ACCESS_LOG_FORMAT", '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
)
# The proxy's address whose X-Forwarded-* headers gunicorn itself believes (the application has its own
# setting for the client address it rate-limits on).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "digibuddy"


def _app_of(server):
    return server.app.wsgi()


def _is_digibuddy(app) -> bool:
    """These hooks warm digibuddy; the benchmarks serve a bare Flask app with the same settings too."""
    return getattr(app, "import_name", None) == "digibuddy"


def when_ready(server):
    """With preload, warm the application once in the master, before any worker is forked."""
    if preload_app and _is_digibuddy(_app_of(server)):
        import gc

        from digibuddy.warmup import warm_up

        warm_up(_app_of(server))
        # Keep what the warm-up built out of the garbage collector's reach, so that collections in the
        # workers do not write to (and so copy) the memory they share with the master.
        gc.freeze()


def post_fork(server, worker):
    """A forked worker opens its own database connections: never one inherited from the master."""
    if preload_app and _is_digibuddy(_app_of(server)):
        from digibuddy.extensions import db

        with _app_of(server).app_context():
            db.engine.dispose(close=False)


def post_worker_init(worker):
    """Without preload every worker loads the application itself: warm it before it takes a request."""
    if not preload_app and _is_digibuddy(worker.wsgi):
        from digibuddy.warmup import warm_up

        warm_up(worker.wsgi)
