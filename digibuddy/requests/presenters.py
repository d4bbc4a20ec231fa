"""What a resident sees of their request: status in plain words, the volunteer's first name, the next
session."""

from dataclasses import dataclass, field
from typing import Any

from ..core.i18n import lazy_gettext as _l
from .enums import RequestStatus
from .signals import status_details

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
    can_cancel: bool
    feedback_token: str | None  # once the help is complete and no feedback was given yet
    # Filled in by the areas that know them (requests.signals.status_details): matching, scheduling, privacy.
    volunteer_first_name: str | None = None
    next_session: Any = None  # a scheduling HelpSession
    next_session_place: str | None = None
    can_ask_to_move: bool = False
    # privacy: the resident's open questions about their data, by kind ("export", "erase") -> DataAsk.
    data_asks: dict = field(default_factory=dict)


def status_view(help_request) -> StatusView:
    from .lifecycle import resident_can_cancel

    feedback_token = None
    if help_request.status == RequestStatus.COMPLETED and help_request.feedback_token:
        # Feedback, however it was given, is logged on the request (outcomes.services.record_feedback).
        given = any(event.kind == "feedback" for event in help_request.events)
        feedback_token = None if given else help_request.feedback_token
    details = {}
    for _receiver, fields in status_details.send(help_request):
        details.update(fields)
    return StatusView(
        status=help_request.status,
        plain_text=str(PLAIN_STATUS[help_request.status]),
        can_cancel=resident_can_cancel(help_request.status),
        feedback_token=feedback_token,
        **details,
    )
