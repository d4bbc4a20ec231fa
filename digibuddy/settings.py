"""Configuration read from the environment, with safe development defaults."""

import os
import secrets
from pathlib import Path


class ConfigurationError(RuntimeError):
    pass


# Keys that appear in examples and tutorials: a production server signing sessions with one of them would
# let anyone who read the same example forge a log-in.
PLACEHOLDER_SECRET_KEYS = frozenset(
    {"change-me", "changeme", "change-this", "secret", "secret-key", "dev", "development", "test", "default"}
)
MIN_PRODUCTION_SECRET_KEY_LENGTH = 32


def _bool(value, default=False):
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY")
    if production:
        check_production_secret_key(key)
        return key
    if key:
        return key
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def check_production_secret_key(key: str | None) -> None:
    """Refuse to serve in production without a real secret: unset, an example value or too short."""
    if not key:
        raise ConfigurationError("SECRET_KEY must be set in production (DIGIBUDDY_ENV=production).")
    if key.strip().lower() in PLACEHOLDER_SECRET_KEYS or len(key) < MIN_PRODUCTION_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            "SECRET_KEY is an example value or shorter than "
            f"{MIN_PRODUCTION_SECRET_KEY_LENGTH} characters; generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )


def engine_options(url: str) -> dict:
    """Check a pooled connection before use; on PostgreSQL give up connecting after a few seconds, so that
    the readiness check answers 'not ready' instead of hanging while the database is away."""
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))}
    return options


def database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{instance_path / 'digibuddy.sqlite'}"
    # Accept the common postgres:// spelling and use the psycopg 3 driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def from_environment(instance_path: Path) -> dict:
    env = os.environ.get("DIGIBUDDY_ENV", "development")
    production = env == "production"
    return {
        "ENV_NAME": env,
        "SECRET_KEY": _secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url(instance_path)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _bool(os.environ.get("SESSION_COOKIE_SECURE")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
        # Development without a mail server writes e-mail to the log (and the development messages page).
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND")
        or ("smtp" if production or os.environ.get("MAIL_SERVER") else "log"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(os.environ.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "digibuddy@localhost"),
        "SMS_BACKEND": os.environ.get("SMS_BACKEND", "log"),
        # Every message the outbox holds, readable without logging in: development only, never in production.
        "DEV_MESSAGES_PAGE": not production and _bool(os.environ.get("DEV_MESSAGES_PAGE"), default=True),
        "TWILIO_ACCOUNT_SID": os.environ.get("TWILIO_ACCOUNT_SID") or None,
        "TWILIO_AUTH_TOKEN": os.environ.get("TWILIO_AUTH_TOKEN") or None,
        "TWILIO_FROM": os.environ.get("TWILIO_FROM") or None,
        "TWILIO_MESSAGING_SERVICE_SID": os.environ.get("TWILIO_MESSAGING_SERVICE_SID") or None,
        "TWILIO_API_URL": os.environ.get("TWILIO_API_URL") or None,
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Several installations (or test runs) sharing one Redis keep their counters apart by a prefix.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        "RATELIMIT_HEADERS_ENABLED": True,
        # How passwords are hashed (User.set_password): scrypt, never read from the environment. Only the
        # test suite sets a cheap method, so that thousands of test log-ins do not cost 0.2 s each.
        "PASSWORD_HASH_METHOD": "scrypt",
        "LOGIN_LIMIT": os.environ.get("LOGIN_LIMIT", "30 per 15 minutes"),
        # Failed log-ins (password or code) per account, whatever address they come from.
        "LOGIN_ACCOUNT_LIMIT": os.environ.get("LOGIN_ACCOUNT_LIMIT", "10 per 15 minutes"),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (0: none).
        "TRUSTED_PROXY_HOPS": int(os.environ.get("TRUSTED_PROXY_HOPS", "0")),
        # "Forgot my password": per client address, and per e-mail address typed (the account).
        "PASSWORD_RESET_LIMIT": os.environ.get("PASSWORD_RESET_LIMIT", "10 per hour"),
        "PASSWORD_RESET_ACCOUNT_LIMIT": os.environ.get("PASSWORD_RESET_ACCOUNT_LIMIT", "3 per hour"),
        "PASSWORD_RESET_VALID_MINUTES": int(os.environ.get("PASSWORD_RESET_VALID_MINUTES", "60")),
        "STATUS_LOOKUP_LIMIT": os.environ.get("STATUS_LOOKUP_LIMIT", "10 per 15 minutes"),
        "INVITATION_VALID_DAYS": int(os.environ.get("INVITATION_VALID_DAYS", "7")),
        "TWO_FACTOR_REQUIRED": _bool(os.environ.get("TWO_FACTOR_REQUIRED"), default=production),
        # Strict-Transport-Security over HTTPS: on in production; browsers then refuse plain HTTP for a year.
        "STRICT_TRANSPORT_SECURITY": _bool(os.environ.get("STRICT_TRANSPORT_SECURITY"), default=production),
        "HSTS_MAX_AGE": int(os.environ.get("HSTS_MAX_AGE", str(365 * 24 * 3600))),
        # How long a resident's browser shows what they just filed (confirmation, slip, booked place) and a
        # request opened with its code and postcode: the next person at a shared computer sees nothing.
        "RESIDENT_PAGE_MINUTES": int(os.environ.get("RESIDENT_PAGE_MINUTES", "10")),
        # How long the audit log keeps who viewed or changed which personal record (then the daily retention
        # job deletes the entries: the only place audit entries are ever deleted).
        "AUDIT_RETENTION_MONTHS": int(os.environ.get("AUDIT_RETENTION_MONTHS", "24")),
    }
