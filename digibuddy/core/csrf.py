"""The signed CSRF token of a browser's session, signed once per process instead of on every page.

Flask-WTF signs the session's token anew for every request that shows a form (a new serializer, a key
derivation and an HMAC: ~20 us, a tenth of a public page served from memory). Tokens here never expire
(WTF_CSRF_TIME_LIMIT is None: a resident may take an hour over the request form), so a token signed
earlier for the same session token and secret key is exactly as valid as a new one, and validation is
Flask-WTF's own. With a time limit set, every token is signed anew as Flask-WTF does it.
"""

from flask import current_app, g, session
from flask_wtf.csrf import generate_csrf

MAX_REMEMBERED = 10_000
_SIGNED: dict[tuple, str] = {}  # (secret key, session token) -> signed token


def csrf_token() -> str:
    """The signed token of this request's session (creating the session's token if it has none)."""
    config = current_app.config
    field = config["WTF_CSRF_FIELD_NAME"]
    signed = g.get(field)
    if signed is None:
        signed = _SIGNED.get(_slot(config, field))
        if signed is not None:
            setattr(g, field, signed)
            return signed
        signed = generate_csrf()
    # Signed just now, here or by a form (Flask-WTF keeps it in `g`): the next pages reuse it.
    slot = _slot(config, field)
    if slot is not None and slot not in _SIGNED:
        if len(_SIGNED) >= MAX_REMEMBERED:
            del _SIGNED[next(iter(_SIGNED))]
        _SIGNED[slot] = signed
    return signed


def _slot(config, field: str) -> tuple | None:
    raw = session.get(field)
    if not isinstance(raw, str) or config["WTF_CSRF_TIME_LIMIT"] is not None:
        return None
    return (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)
