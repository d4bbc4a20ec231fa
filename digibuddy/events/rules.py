"""Pure rules of events (no Flask, no SQLAlchemy): the shared waiting-list rule (core.waitlist) applied to an
event whose capacity may be open, and what counts as an online link."""

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlsplit

from ..core import waitlist

Entry = TypeVar("Entry")


def newcomer_gets_place(capacity: int | None, taken: int, waiting: int) -> bool:
    """Someone registering now gets a place (else they join the waiting list); no capacity: always."""
    return capacity is None or not waitlist.must_wait(capacity, taken, waiting)


def promoted(capacity: int | None, taken: int, waiting: Sequence[Entry]) -> list[Entry]:
    """The first ones on the waiting list (in its order) that get the free places now."""
    if capacity is None:
        return list(waiting)
    return waitlist.to_promote(capacity, taken, waiting)


def is_https_url(text: str) -> bool:
    """A whole https:// address with a host name (what a calendar and a mail client can open safely)."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and " " not in text.strip()
