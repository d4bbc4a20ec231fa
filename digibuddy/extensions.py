"""Every Flask extension is created here once; other modules import them from here."""

import flask_login
from flask import session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
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
csrf = CSRFProtect()
babel = Babel()
# Rate limits (e.g. status look-ups); storage from RATELIMIT_STORAGE_URI (memory:// or redis://).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Security headers (Content-Security-Policy, frame and referrer policies, HSTS): core/security.py.
talisman = Talisman()
