"""The status machine of a help request. Pure Python: no Flask, no SQLAlchemy."""

from .enums import RequestStatus

S = RequestStatus

ALLOWED_TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.NEW: frozenset({S.MATCHING, S.MATCHED, S.CANCELLED, S.ESCALATED, S.EXPIRED}),
    S.MATCHING: frozenset({S.OFFERED, S.MATCHED, S.ESCALATED, S.CANCELLED, S.EXPIRED}),
    S.OFFERED: frozenset({S.MATCHING, S.MATCHED, S.ESCALATED, S.CANCELLED, S.EXPIRED}),
    S.ESCALATED: frozenset({S.MATCHING, S.OFFERED, S.MATCHED, S.CANCELLED, S.EXPIRED, S.UNRESOLVED}),
    S.MATCHED: frozenset({S.SCHEDULED, S.MATCHING, S.CANCELLED, S.UNRESOLVED, S.COMPLETED}),
    # Back to matching from matched or scheduled: the digibuddy's access ended (suspended or left).
    S.SCHEDULED: frozenset({S.MATCHED, S.MATCHING, S.COMPLETED, S.UNRESOLVED, S.CANCELLED}),
    S.COMPLETED: frozenset({S.SCHEDULED, S.MATCHED}),  # a follow-up reopens it
    S.UNRESOLVED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
}

CANCELLABLE_BY_RESIDENT = frozenset({S.NEW, S.MATCHING, S.OFFERED, S.ESCALATED, S.MATCHED, S.SCHEDULED})


def can_transition(current: RequestStatus, target: RequestStatus) -> bool:
    return target in ALLOWED_TRANSITIONS.get(RequestStatus(current), frozenset())


def resident_can_cancel(current: RequestStatus) -> bool:
    return RequestStatus(current) in CANCELLABLE_BY_RESIDENT
