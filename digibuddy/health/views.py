"""`/healthz`: the process is alive (touches no database and no personal data). `/readyz`: it can serve
pages: the database answers at the expected schema and Redis answers when configured; 503 otherwise."""

from flask import Blueprint, current_app, jsonify

from ..extensions import csrf, db, limiter
from . import checks

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
@limiter.exempt
@csrf.exempt
def readyz():
    migrations = current_app.extensions["migrate"].directory
    results = checks.database(db.engine, migrations) | checks.redis(
        current_app.config.get("RATELIMIT_STORAGE_URI")
    )
    ready = checks.is_ready(results)
    response = jsonify(status="ready" if ready else "not ready", checks=results)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response
