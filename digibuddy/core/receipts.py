"""What a resident's browser may show again of what they just did: the request they filed (confirmation,
slip), the drop-in place they booked, the request they opened with its code and postcode.

The browser's session holds the object's id and when it was remembered. It is shown for at most
RESIDENT_PAGE_MINUTES, and a receipt is forgotten as soon as the resident goes to a page that is not one of
its own: the next person at a shared computer in a library sees nothing."""

import time

from flask import current_app, request, session

_PAGES = {}  # session key -> the endpoints that show it (a receipt is forgotten on any other page)


def remember(key: str, object_id: int) -> None:
    session[key] = {"id": object_id, "at": int(time.time())}


def recall(key: str, *, refresh: bool = False) -> int | None:
    """The id remembered under `key`, if it is recent enough (`refresh`: counting again from now)."""
    kept = session.get(key)
    if (
        not isinstance(kept, dict)
        or not isinstance(kept.get("id"), int)
        or not isinstance(kept.get("at"), int)
    ):
        session.pop(key, None)
        return None
    if time.time() - kept["at"] > current_app.config["RESIDENT_PAGE_MINUTES"] * 60:
        session.pop(key, None)
        return None
    if refresh:
        remember(key, kept["id"])
    return kept["id"]


def forget(key: str) -> None:
    session.pop(key, None)


def shown_only_on(blueprint, key: str, *endpoints: str) -> None:
    """Forget `key` when the browser asks for any page but `endpoints` (static files aside)."""
    _PAGES[key] = frozenset(endpoints)

    @blueprint.before_app_request
    def _forget_when_leaving():
        if key in session and request.endpoint not in _PAGES[key] and request.endpoint != "static":
            session.pop(key, None)
