"""Security headers on every response (flask-talisman) and no caching of pages with personal data.

The Content-Security-Policy allows only this site's own style sheets and images, no scripts at all (every
page works without JavaScript), no inline styles or scripts, no framing, and forms that post to this site
only. HSTS is sent in production over HTTPS (STRICT_TRANSPORT_SECURITY). A page is never stored by the
browser or a proxy (Cache-Control: no-store) when someone is logged in, when it answers a form, or when its
view is marked `personal_page` (a resident's reference code, status, slip or feedback)."""

from flask import current_app, request
from flask_login import current_user

from ..extensions import talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'none'",
    "script-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # data: for the empty favicon that spares a request
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
PERMISSIONS_POLICY = dict.fromkeys(
    (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ),
    "()",
)
REFERRER_POLICY = "same-origin"  # links to other sites never carry a page address (tokens, codes)
NO_STORE = "no-store"


def personal_page(view):
    """Mark a view whose page shows a resident's reference code or personal data: never cached."""
    view.personal_page = True
    return view


def _is_personal(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return bool(getattr(view, "personal_page", False))


def register(app) -> None:
    talisman.init_app(
        app,
        force_https=False,  # the reverse proxy redirects to HTTPS; HSTS keeps browsers there
        strict_transport_security=app.config["STRICT_TRANSPORT_SECURITY"],
        strict_transport_security_max_age=app.config["HSTS_MAX_AGE"],
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        permissions_policy=PERMISSIONS_POLICY,
        referrer_policy=REFERRER_POLICY,
        frame_options="DENY",
        x_xss_protection=False,  # obsolete: browsers ignore it or misuse it; the CSP does the job
        # The cookie settings stay those of settings.py (Secure in production only).
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
    )

    @app.after_request
    def _no_store_for_personal_data(response):
        # The cheap questions first: a public page sent to a visitor asks all three.
        endpoint = request.endpoint
        if endpoint == "static":
            return response
        if request.method not in ("GET", "HEAD") or _is_personal(endpoint) or current_user.is_authenticated:
            response.headers["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response
