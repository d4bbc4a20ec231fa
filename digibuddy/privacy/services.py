"""A resident's questions about their data, and erasure on request: the coordinator acts, the resident's
data is anonymised by the one function that retention uses too, so every figure stays as it was."""

from sqlalchemy import func, select

from ..accounts.services import coordinators_of
from ..audit.services import record
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..extensions import db
from ..notifications.messages import tell_user
from ..requests.models import HelpRequest, Resident
from ..requests.retention import anonymise_resident
from ..requests.signals import status_details
from .models import AskKind, AskOrigin, AskStatus, DataAsk

REASON_MAX = 500


def open_asks_of(resident: Resident) -> dict:
    """{kind: the open DataAsk} of one resident."""
    asks = db.session.scalars(
        select(DataAsk).where(DataAsk.resident_id == resident.id, DataAsk.status == AskStatus.OPEN)
    )
    return {ask.kind: ask for ask in asks}


def ask_from_resident(help_request: HelpRequest, kind: AskKind) -> DataAsk:
    """The resident asked on their status page (after the code and postcode check) to see or erase their
    data. Asking again while the first question is still open changes nothing."""
    return _ask(help_request.resident, kind, AskOrigin.RESIDENT, None, help_request)


def ask_for_resident(resident: Resident, kind: AskKind, staff, help_request=None) -> DataAsk:
    """The resident asked by phone or at the counter; staff of their network note the question for the
    coordinator."""
    return _ask(resident, kind, AskOrigin.STAFF, staff, help_request)


def _ask(resident: Resident, kind: AskKind, origin: AskOrigin, actor, help_request) -> DataAsk:
    if resident.anonymised_at is not None:
        raise DomainError(_("Your data has already been deleted."))
    found = open_asks_of(resident).get(kind)
    if found is not None:
        return found
    ask = DataAsk(
        network_id=resident.network_id,
        resident_id=resident.id,
        request_id=help_request.id if help_request is not None else None,
        kind=kind,
        origin=origin,
        created_at=utcnow(),
    )
    db.session.add(ask)
    db.session.flush()
    record(actor, "data_ask", "resident", resident.id, resident.network_id, detail=kind.value)
    _tell_coordinators(ask, resident.network)
    db.session.commit()
    return ask


def _tell_coordinators(ask: DataAsk, network) -> None:
    """Every coordinator of the network hears of the question at once: the month to answer has started.
    The e-mail says what was asked, not who asked."""
    for coordinator in coordinators_of(ask.network_id):
        tell_user(
            coordinator,
            "data_ask_coordinator",
            key=f"data-ask-{ask.id}-coordinator-{coordinator.id}",
            network_id=ask.network_id,
            network=network,
            ask=ask,
            answer_before=ask.answer_before,
        )


def open_count_query(network_ids):
    """The SELECT counting the networks' open data asks (a page may read it with its other figures)."""
    return select(func.count(DataAsk.id)).where(
        DataAsk.network_id.in_(network_ids), DataAsk.status == AskStatus.OPEN
    )


def _clean_reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Write down why the data is erased."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("Keep the reason under %(max)d characters.", max=REASON_MAX), field="reason")
    return reason


def finish_export(ask: DataAsk, actor, note: str | None) -> None:
    """The coordinator gave the resident their data (printed, or sent as a file)."""
    if ask.kind != AskKind.EXPORT or ask.status != AskStatus.OPEN:
        raise DomainError(_("This question was already handled."))
    ask.status = AskStatus.DONE
    ask.handled_at = utcnow()
    ask.handled_by_id = actor.id
    ask.reason = " ".join((note or "").split())[:REASON_MAX] or None
    record(actor, "data_ask_done", "resident", ask.resident_id, ask.network_id, detail=f"ask {ask.id}")
    db.session.commit()


def erase_resident(resident: Resident, actor, reason: str, now=None) -> DataAsk:
    """Erase a resident's personal data on request, with the reason recorded. Refused while a request is
    still open (cancel it first): the resident's requests, sessions and outcomes stay, anonymised, so the
    network's figures do not change."""
    now = now or utcnow()
    reason = _clean_reason(reason)
    if resident.anonymised_at is not None:
        raise DomainError(_("This resident's data was already erased."))
    still_open = [r for r in resident.requests if r.is_open]
    if still_open:
        from ..requests.references import display_reference

        raise DomainError(
            _(
                "This resident still has an open request (%(codes)s). Cancel it first, then erase the data.",
                codes=", ".join(display_reference(r.reference) for r in still_open),
            )
        )
    asks = open_asks_of(resident)
    anonymise_resident(resident, now)
    erase = asks.pop(AskKind.ERASE, None) or DataAsk(
        network_id=resident.network_id,
        resident_id=resident.id,
        kind=AskKind.ERASE,
        origin=AskOrigin.STAFF,
        created_at=now,
    )
    db.session.add(erase)
    # An export asked for and not given yet can no longer be given: nothing personal is left.
    for ask in [erase, *asks.values()]:
        ask.status = AskStatus.DONE
        ask.handled_at = now
        ask.handled_by_id = actor.id
    erase.reason = reason
    db.session.flush()
    record(actor, "erase", "resident", resident.id, resident.network_id, detail=f"ask {erase.id}")
    db.session.commit()
    return erase


@status_details.connect
def _open_asks(help_request: HelpRequest, **_) -> dict:
    """The status page says which questions about their data the resident already asked."""
    return {"data_asks": open_asks_of(help_request.resident)}
