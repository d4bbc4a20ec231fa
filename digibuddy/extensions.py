"""Every Flask extension is created here once; other modules import them from here."""

import flask_limiter
import flask_login
import flask_talisman
import flask_wtf
from flask import Response, current_app, request, session
from flask_babel import Babel
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so that Alembic can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class LoginManager(flask_login.LoginManager):
    """Flask-Login with "strong" session protection checked only on a session that holds a log-in.

    A visitor's session holds no log-in (a CSRF token, the chosen language, a receipt): the check has
    nothing in it to remove, yet Flask-Login counted it as a mismatch on every page and so marked the
    session changed, sending a newly signed session cookie and a remember-cookie deletion with every
    response."""

    def _session_protection_failed(self):
        if not any(key in session for key in flask_login.config.SESSION_KEYS):
            return False
        return super()._session_protection_failed()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()


class CSRFProtect(flask_wtf.CSRFProtect):
    """Flask-WTF's CSRF protection, answering a GET without first looking up whether its view is exempt:
    only POST, PUT, PATCH and DELETE are checked, exempt or not."""

    def protect(self, apply_exemptions=False):
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return None
        return super().protect(apply_exemptions=apply_exemptions)


csrf = CSRFProtect()
babel = Babel()


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter without its check before every request while no limit applies to every request.

    The limits here are on views (`@limiter.limit`: log-in, status look-up, booking), which check themselves
    when called. The check before every request is for default, application, blueprint and meta limits and
    for limits on callables other than views; with none of them it finds nothing, and finding nothing cost
    more than the rest of a page served from memory. As soon as one exists, every request is checked."""

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if in_middleware and not self._limits_every_request():
            return None
        return super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    def _limits_every_request(self) -> bool:
        manager = self.limit_manager
        return bool(
            manager.application_limits
            or manager.default_limits
            or getattr(self, "_meta_limits", True)  # not there in another version: always check
            or getattr(manager, "_blueprint_limits", True)
            or getattr(manager, "_endpoint_hints", True)
        )


# Rate limits (e.g. status look-ups); storage from RATELIMIT_STORAGE_URI (memory:// or redis://).
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class Talisman(flask_talisman.Talisman):
    """flask-talisman with each view's headers worked out once, not on every response: it looked the options
    up four times per request, joined the Content-Security-Policy anew and set each header through a search
    of the headers already there. The headers are the same (per view, and with or without HTTPS for HSTS);
    a page with a CSP nonce still gets its policy built for it."""

    def init_app(self, app, **kwargs):
        self._options_of: dict[str | None, dict] = {}
        self._policy_texts: dict[int, tuple[object, str]] = {}
        self._headers_of: dict[tuple[str | None, bool], tuple[tuple[str, str, str], ...]] = {}
        super().init_app(app, **kwargs)

    def _get_local_options(self):
        endpoint = request.endpoint
        options = self._options_of.get(endpoint)
        if options is None:
            options = self._options_of[endpoint] = super()._get_local_options()
        return options

    def _parse_policy(self, policy):
        if getattr(request, "csp_nonce", None):
            return super()._parse_policy(policy)
        known = self._policy_texts.get(id(policy))
        if known is None or known[0] is not policy:
            known = self._policy_texts[id(policy)] = (policy, super()._parse_policy(policy))
        return known[1]

    def _force_https(self):
        if self._get_local_options()["force_https"]:
            return super()._force_https()
        # What flask-talisman does on every request besides redirecting: keep the session cookie Secure.
        if self.session_cookie_secure and not self.app.debug:
            self.app.config["SESSION_COOKIE_SECURE"] = True
        return None

    def _set_response_headers(self, response):
        if getattr(request, "csp_nonce", None):
            return super()._set_response_headers(response)
        secure = request.is_secure or request.headers.get("X-Forwarded-Proto", "http") == "https"
        slot = (request.endpoint, secure)
        wanted = self._headers_of.get(slot)
        if wanted is None:
            probe, bare = Response(), {name.lower() for name, _value in Response().headers}
            super()._set_response_headers(probe)
            wanted = self._headers_of[slot] = tuple(
                (name, name.lower(), value)
                for name, value in probe.headers.items()
                if name.lower() not in bare
            )
        headers = response.headers
        present = {name.lower() for name, _value in headers}
        for name, lowered, value in wanted:
            if lowered in present:
                headers[name] = value
            else:
                headers.add(name, value)
        return response


# Security headers (Content-Security-Policy, frame and referrer policies, HSTS): core/security.py.
talisman = Talisman()
