"""What an outcome does to its request, and the safeguarding checks on what is written down.

Pure Python (no Flask, no SQLAlchemy): the services apply these decisions inside a transaction."""

from ..requests.enums import RequestStatus

S = RequestStatus

# Problems the service turns into translated messages.
STILL_PLANNED = "still_planned"
REQUEST_CLOSED = "request_closed"

MINUTES_MAX = 1440
CONFIDENCE_RANGE = range(1, 6)
SATISFACTION_RANGE = range(1, 6)
ANSWER_RANGE = range(1, 5)  # ease and trust: four answers in words
COMMENT_MAX = 1000


def contains_code(text: str | None) -> bool:
    """True when a text holds four or more digits: it could be a PIN, a bank code or an itsme code."""
    return bool(text) and sum(ch.isdigit() for ch in text) >= 4


def status_after_outcome(
    current: RequestStatus, *, took_place: bool, follow_up: bool, other_planned: bool
) -> tuple[RequestStatus | None, str | None]:
    """(the request's next status or None to leave it, a problem code or None).

    - Follow-up needed: back to MATCHED so a new session can be planned, from SCHEDULED (unless another
      session is already planned) or from COMPLETED.
    - Did not take place (a no-show): like a follow-up; the request waits for a new session.
    - Handled: COMPLETED, unless another session is still planned (the volunteer must say what happens
      with it first); a request already completed stays so."""
    current = S(current)
    if not took_place or follow_up:
        if current in (S.UNRESOLVED, S.CANCELLED, S.EXPIRED):
            return None, (REQUEST_CLOSED if follow_up else None)
        if current == S.COMPLETED or (current == S.SCHEDULED and not other_planned):
            return S.MATCHED, None
        return None, None
    if other_planned:
        return None, STILL_PLANNED
    if current in (S.MATCHED, S.SCHEDULED):
        return S.COMPLETED, None
    return None, None
