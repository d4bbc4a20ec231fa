"""Readiness checks: can this process reach what it needs to serve a page? Each check answers "ok" or
"unavailable" (the reason goes to the log, never to the caller) and gives up within a few seconds."""

import logging
from functools import cache

from alembic.script import ScriptDirectory
from sqlalchemy import text

log = logging.getLogger("digibuddy.health")

OK = "ok"
UNAVAILABLE = "unavailable"
BEHIND = "behind"  # the database answers, but the migrations of this release have not all run yet
NOT_CONFIGURED = "not configured"
REDIS_TIMEOUT_SECONDS = 2


@cache
def migration_heads(directory: str) -> frozenset[str]:
    """The newest revisions in the migrations folder this release ships (read once per process)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def database(engine, migrations_directory: str) -> dict[str, str]:
    """The database answers, and its schema is at the revision this release expects."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except Exception:  # noqa: BLE001 - any failure to reach or read the database means "not ready"
        log.warning("Readiness: the database is unavailable", exc_info=True)
        return {"database": UNAVAILABLE}
    expected = migration_heads(migrations_directory)
    if current != expected:
        log.warning("Readiness: schema at %s, this release expects %s", sorted(current), sorted(expected))
        return {"database": OK, "schema": BEHIND}
    return {"database": OK, "schema": OK}


@cache
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )


def redis(url: str | None) -> dict[str, str]:
    """Redis (the shared rate-limit store) answers a PING, when one is configured."""
    if not url or not url.startswith(("redis://", "rediss://", "redis+")):
        return {"redis": NOT_CONFIGURED}
    try:
        _redis_client(url).ping()
    except Exception:  # noqa: BLE001 - any failure to reach Redis means "not ready"
        log.warning("Readiness: Redis is unavailable", exc_info=True)
        return {"redis": UNAVAILABLE}
    return {"redis": OK}


def is_ready(results: dict[str, str]) -> bool:
    return all(value in (OK, NOT_CONFIGURED) for value in results.values())
