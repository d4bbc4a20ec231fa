"""What a resident sees of their request: status in plain words, the volunteer's first name, the next
session."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.db import utcnow
from ..extensions import db
from ..matching.models import Offer, OfferStatus
from ..scheduling.models import HelpSession, PlaceKind, SessionStatus
from .enums import RequestStatus

PLAIN_STATUS = {
    RequestStatus.NEW: _l("We received your question. We are looking for a digibuddy for you."),
    RequestStatus.MATCHING: _l("We are looking for a digibuddy for you."),
    RequestStatus.OFFERED: _l("We asked a digibuddy to help you. We are waiting for their answer."),
    RequestStatus.ESCALATED: _l(
        "It takes a bit longer to find a digibuddy. The coordinator is looking for you."
    ),
    RequestStatus.MATCHED: _l("We found a digibuddy for you. They will contact you to make an appointment."),
    RequestStatus.SCHEDULED: _l("You have an appointment with your digibuddy."),
    RequestStatus.COMPLETED: _l("Your question was handled. Thank you!"),
    RequestStatus.UNRESOLVED: _l("We could not solve your question. The coordinator can tell you more."),
    RequestStatus.CANCELLED: _l("This request was cancelled."),
    RequestStatus.EXPIRED: _l("This request has expired. You can ask for help again."),
}


@dataclass
class StatusView:
    status: RequestStatus
    plain_text: str
    volunteer_first_name: str | None
    next_session: HelpSession | None
    next_session_place: str | None
    can_cancel: bool
    can_ask_to_move: bool
    feedback_token: str | None  # once the help is complete and no feedback was given yet


def status_view(help_request) -> StatusView:
    from .lifecycle import resident_can_cancel

    volunteer_name = None
    if help_request.status in (RequestStatus.MATCHED, RequestStatus.SCHEDULED, RequestStatus.COMPLETED):
        offer = db.session.scalar(
            select(Offer).where(Offer.request_id == help_request.id, Offer.status == OfferStatus.ACCEPTED)
        )
        if offer is not None:
            volunteer_name = offer.volunteer.user.first_name
    upcoming = db.session.scalar(
        select(HelpSession)
        .where(
            HelpSession.request_id == help_request.id,
            HelpSession.status == SessionStatus.PLANNED,
            HelpSession.starts_at >= utcnow(),
        )
        .order_by(HelpSession.starts_at)
        .limit(1)
    )
    feedback_token = None
    if help_request.status == RequestStatus.COMPLETED and help_request.feedback_token:
        # Feedback, however it was given, is logged on the request (outcomes.services.record_feedback).
        given = any(event.kind == "feedback" for event in help_request.events)
        feedback_token = None if given else help_request.feedback_token
    return StatusView(
        status=help_request.status,
        plain_text=str(PLAIN_STATUS[help_request.status]),
        volunteer_first_name=volunteer_name,
        next_session=upcoming,
        next_session_place=session_place(upcoming) if upcoming else None,
        can_cancel=resident_can_cancel(help_request.status),
        can_ask_to_move=upcoming is not None and upcoming.move_asked_at is None,
        feedback_token=feedback_token,
    )


def session_place(session: HelpSession) -> str:
    if session.place_kind == PlaceKind.LOCATION and session.location is not None:
        return f"{session.location.name}, {session.location.address}"
    return {
        PlaceKind.HOME: str(_l("At your home")),
        PlaceKind.PHONE: str(_l("By phone: your digibuddy calls you")),
        PlaceKind.VIDEO: str(_l("By video call")),
    }.get(session.place_kind, "")
