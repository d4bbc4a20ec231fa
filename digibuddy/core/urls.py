from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def safe_next_url(target: str | None) -> str | None:
    """Only follow a ?next= that stays on this site (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail or SMS: from the current request, or from PUBLIC_BASE_URL when a
    scheduled job writes the message outside any request."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return public_url(endpoint, **values)


def public_url(endpoint: str, **values) -> str:
    """An absolute link on PUBLIC_BASE_URL, whatever Host the current request named: for links that must
    not lead elsewhere when someone sends a forged Host header (a link to choose a new password)."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    with current_app.test_request_context(base_url=base or None):
        return url_for(endpoint, _external=True, **values)
