"""The signed session cookie, opened without redoing the same work on every request.

Flask builds a new serializer (deriving its key with HMAC) for every request and then checks the cookie's
signature, inflates it and parses its JSON: ~50 us for a visitor's cookie holding only a CSRF token, a
sixth of a public page served from memory. Here the serializer is built once per set of secret keys, and a
cookie this process has already checked is recognised by its exact text: its contents are taken again
without checking the signature anew. Only what cannot be changed through the session is remembered that
way (top-level text, numbers, true/false); a cookie holding a list or a dictionary (a receipt, the
postcodes counted today) is opened in full every time, so no page can alter what another request is
handed. The age limit of a permanent session is checked on every request, as itsdangerous does it.

A cookie is recognised only by its full text, signature included, and only under the same secret keys
it was checked with: a changed, forged or re-signed cookie is not in memory and goes through the full
check. At most MAX_REMEMBERED cookies are kept per process, the oldest forgotten first.
"""

import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

MAX_REMEMBERED = 10_000
_PLAIN = (str, int, float, bool, type(None))


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, object] = {}
        # (keys, cookie text) -> (signed at, the session's items)
        self._checked: dict[tuple, tuple[int, tuple]] = {}

    @staticmethod
    def _keys(app) -> tuple:
        return (*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key)

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        keys = self._keys(app)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        text = request.cookies.get(self.get_cookie_name(app))
        if not text:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        slot = (self._keys(app), text)
        known = self._checked.get(slot)
        if known is not None:
            signed_at, items = known
            age = int(time.time()) - signed_at
            if 0 <= age <= max_age:
                return self.session_class(items)
            return self.session_class()  # what itsdangerous answers for an expired signature
        try:
            data, signed_at = serializer.loads(text, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(
            isinstance(key, str) and isinstance(value, _PLAIN) for key, value in data.items()
        ):
            if len(self._checked) >= MAX_REMEMBERED:
                del self._checked[next(iter(self._checked))]
            self._checked[slot] = (int(signed_at.timestamp()), tuple(data.items()))
        return self.session_class(data)


def register(app) -> None:
    app.session_interface = SessionInterface()
