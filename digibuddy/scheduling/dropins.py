"""Drop-in moments: defining them, cancelling one date, volunteers' shifts, residents' bookings and walk-ins,
and the figures per date. Every operation commits, or raises DomainError with a translated message.

Capacity rules (the views, the tests and any later job call these same functions):
- a moment takes place on the dates `recurrence.occurrences` gives: its weekly or two-weekly pattern, minus
  Belgian public holidays (unless the location opens on holidays) and one-off cancellations;
- up to `volunteers_needed + SHIFT_SURPLUS` digibuddies may sign up for a date (someone may drop out);
  fewer than `volunteers_needed` is a shortage the coordinator sees;
- bookings (online or at the counter) are refused once booked places plus walk-ins reach the capacity;
  the resident may join the date's waiting list instead (the rule is core.waitlist: those waiting go
  first, in the order they joined). Whenever a place frees (a booking cancelled, the capacity raised) the
  first in line gets it, under the same lock as booking, and is told. A waiting entry is not a booking:
  no figure, day count or reminder counts it;
- walk-ins are registered on the day even beyond the capacity: the resident is already there, and the
  figures must show who really came. The counter gets a warning instead of a refusal.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import format_date
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role
from ..audit.signals import person_records
from ..core import waitlist
from ..core.db import retry_on_conflict, utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..core.phones import can_receive_sms
from ..core.time import local_today, public_holiday_name, to_local
from ..core.urls import public_url
from ..extensions import db
from ..notifications.messages import resident_channel, tell_resident, tell_volunteer
from ..reference.models import Language, Topic
from ..requests.models import IntakeChannel, Resident
from ..requests.services import CONSENT_VERSION
from ..requests.signals import resident_anonymised
from ..volunteers.models import VolunteerProfile, VolunteerStatus
from ..volunteers.signals import access_ended
from . import recurrence
from .models import (
    BookingKind,
    DropInBooking,
    DropInException,
    DropInMoment,
    DropInShift,
    DropInWaiting,
    Recurrence,
)

EVERY_WEEKS = {Recurrence.WEEKLY: 1, Recurrence.BIWEEKLY: 2, Recurrence.MONTHLY: 1}
SHIFT_SURPLUS = 2
BOOKING_HORIZON_WEEKS = 12
MAX_CAPACITY = 200
MAX_VOLUNTEERS_NEEDED = 50


def has_started(moment: DropInMoment, day: date, now_local: datetime | None = None) -> bool:
    """Whether that date's moment has begun (or is over): from then on nobody books a place, they walk in."""
    now_local = now_local or to_local(utcnow())
    return datetime.combine(day, moment.starts) <= now_local


# ---------------------------------------------------------------------------------------------------------
# When a moment takes place


def _pattern(moment: DropInMoment) -> tuple:
    return moment.first_date, moment.last_date, moment.weekday, EVERY_WEEKS[Recurrence(moment.recurrence)]


def _week_of_month(recurrence_kind, week_of_month: int | None) -> dict:
    """The keyword that makes a pattern monthly, for a monthly moment only."""
    return {"week_of_month": week_of_month if Recurrence(recurrence_kind) == Recurrence.MONTHLY else None}


def cancelled_dates(moment: DropInMoment) -> dict[date, str | None]:
    return {exception.on_date: exception.reason for exception in moment.exceptions}


def moment_dates(moment: DropInMoment, start: date, end: date) -> list[date]:
    """The dates between start and end (inclusive) on which the moment takes place."""
    if not moment.active:
        return []
    return recurrence.occurrences(
        *_pattern(moment),
        start,
        end,
        cancelled_dates(moment),
        skip_public_holidays=moment.skip_public_holidays,
        **_week_of_month(moment.recurrence, moment.week_of_month),
    )


def takes_place(moment: DropInMoment, day: date) -> bool:
    return moment_dates(moment, day, day) == [day]


def is_pattern_day(moment: DropInMoment, day: date) -> bool:
    """Whether `day` belongs to the moment's pattern, even when it is skipped (holiday, cancelled)."""
    return recurrence.is_pattern_date(
        day, *_pattern(moment), **_week_of_month(moment.recurrence, moment.week_of_month)
    )


@dataclass
class SkippedDate:
    day: date
    holiday: str | None = None
    cancelled: bool = False
    reason: str | None = None


def skipped_dates(
    moment: DropInMoment, start: date, end: date, locale: str | None = None
) -> list[SkippedDate]:
    """Dates of the pattern on which the moment does not take place, and why."""
    cancelled = cancelled_dates(moment)
    skipped = []
    monthly = _week_of_month(moment.recurrence, moment.week_of_month)
    for day in recurrence.pattern_dates(*_pattern(moment), start, end, **monthly):
        holiday = public_holiday_name(day, locale) if moment.skip_public_holidays else None
        if day in cancelled or holiday:
            skipped.append(SkippedDate(day, holiday, day in cancelled, cancelled.get(day)))
    return skipped


# ---------------------------------------------------------------------------------------------------------
# Figures per date


@dataclass
class Occurrence:
    """One date of a moment with its sign-ups and bookings."""

    moment: DropInMoment
    day: date
    volunteer_ids: list[int] = field(default_factory=list)
    booked: int = 0
    walk_ins: int = 0
    waiting: int = 0  # residents on the waiting list (not counted among the residents)

    @property
    def volunteers(self) -> int:
        return len(self.volunteer_ids)

    @property
    def needed(self) -> int:
        return self.moment.volunteers_needed

    @property
    def started(self) -> bool:
        return has_started(self.moment, self.day)

    @property
    def shortage(self) -> int:
        return max(0, self.needed - self.volunteers)

    @property
    def shift_places_left(self) -> int:
        return max(0, self.needed + SHIFT_SURPLUS - self.volunteers)

    @property
    def residents(self) -> int:
        return self.booked + self.walk_ins

    @property
    def capacity(self) -> int:
        return self.moment.resident_capacity

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.residents)

    @property
    def is_full(self) -> bool:
        return self.residents >= self.capacity

    @property
    def key(self) -> str:
        return f"{self.moment.id}-{self.day.isoformat()}"


def _fill_figures(occurrences: dict[tuple[int, date], Occurrence], start: date, end: date) -> None:
    moment_ids = {moment_id for moment_id, _day in occurrences}
    if not moment_ids:
        return
    shifts = db.session.execute(
        select(DropInShift.moment_id, DropInShift.on_date, DropInShift.volunteer_id)
        .where(DropInShift.moment_id.in_(moment_ids), DropInShift.on_date.between(start, end))
        .order_by(DropInShift.created_at, DropInShift.id)
    )
    for moment_id, day, volunteer_id in shifts:
        if (moment_id, day) in occurrences:
            occurrences[(moment_id, day)].volunteer_ids.append(volunteer_id)
    counts = db.session.execute(
        select(DropInBooking.moment_id, DropInBooking.on_date, DropInBooking.kind, func.count())
        .where(
            DropInBooking.moment_id.in_(moment_ids),
            DropInBooking.on_date.between(start, end),
            DropInBooking.cancelled_at.is_(None),
        )
        .group_by(DropInBooking.moment_id, DropInBooking.on_date, DropInBooking.kind)
    )
    for moment_id, day, kind, count in counts:
        occurrence = occurrences.get((moment_id, day))
        if occurrence is None:
            continue
        if BookingKind(kind) == BookingKind.WALK_IN:
            occurrence.walk_ins = count
        else:
            occurrence.booked = count
    waiting = db.session.execute(
        select(DropInWaiting.moment_id, DropInWaiting.on_date, func.count())
        .where(
            DropInWaiting.moment_id.in_(moment_ids),
            DropInWaiting.on_date.between(start, end),
            DropInWaiting.ended_at.is_(None),
        )
        .group_by(DropInWaiting.moment_id, DropInWaiting.on_date)
    )
    for moment_id, day, count in waiting:
        if (moment_id, day) in occurrences:
            occurrences[(moment_id, day)].waiting = count


def occurrence_overview(moments, start: date, end: date) -> list[Occurrence]:
    """Every date between start and end (inclusive) on which one of `moments` takes place, with its
    volunteers, bookings and walk-ins, in time order."""
    found = {
        (moment.id, day): Occurrence(moment, day)
        for moment in moments
        for day in moment_dates(moment, start, end)
    }
    _fill_figures(found, start, end)
    return sorted(found.values(), key=lambda o: (o.day, o.moment.starts, o.moment.title, o.moment.id))


def occurrence_on(moment: DropInMoment, day: date) -> Occurrence:
    """The figures of one date, whether or not the moment takes place then (a cancelled date keeps its
    past)."""
    found = {(moment.id, day): Occurrence(moment, day)}
    _fill_figures(found, day, day)
    return found[(moment.id, day)]


def lacking_volunteers(moments, start: date, end: date) -> list[Occurrence]:
    return [o for o in occurrence_overview(moments, start, end) if o.shortage]


# ---------------------------------------------------------------------------------------------------------
# Defining a moment


@dataclass
class MomentDetails:
    title: str
    location: object  # network.models.Location
    recurrence: Recurrence
    weekday: int
    starts: time
    ends: time
    first_date: date
    last_date: date | None = None
    resident_capacity: int = 8
    volunteers_needed: int = 2
    skip_public_holidays: bool = True
    week_of_month: int | None = None  # for a monthly moment: 1-4, or -1 for the last
    topic_ids: list[int] = field(default_factory=list)
    language_codes: list[str] = field(default_factory=list)
    active: bool = True


def _check_details(details: MomentDetails) -> tuple[str, date]:
    title = (details.title or "").strip()
    if not title:
        raise DomainError(_("Give the drop-in moment a name."), "title")
    if details.weekday not in range(7):
        raise DomainError(_("Choose a day of the week."), "weekday")
    if details.recurrence == Recurrence.MONTHLY and details.week_of_month not in recurrence.WEEKS_OF_MONTH:
        raise DomainError(_("Choose which week of the month."), "week_of_month")
    if details.starts >= details.ends:
        raise DomainError(_("The end must be after the start."), "ends")
    if not 1 <= details.resident_capacity <= MAX_CAPACITY:
        raise DomainError(
            _("Choose between %(low)s and %(high)s places.", low=1, high=MAX_CAPACITY), "resident_capacity"
        )
    if not 0 <= details.volunteers_needed <= MAX_VOLUNTEERS_NEEDED:
        raise DomainError(
            _("Choose between %(low)s and %(high)s digibuddies.", low=0, high=MAX_VOLUNTEERS_NEEDED),
            "volunteers_needed",
        )
    first_date = recurrence.first_on_or_after(details.first_date, details.weekday)
    if details.last_date is not None and details.last_date < first_date:
        raise DomainError(
            _(
                "The last date must be on or after the first drop-in (%(day)s).",
                day=format_date(first_date, "long"),
            ),
            "last_date",
        )
    return title, first_date


def _dates_in_use(moment: DropInMoment, today: date) -> set[date]:
    """Today's and future dates on which residents have a place or digibuddies signed up."""
    booked = db.session.scalars(
        select(DropInBooking.on_date).where(
            DropInBooking.moment_id == moment.id,
            DropInBooking.on_date >= today,
            DropInBooking.cancelled_at.is_(None),
        )
    )
    shifts = db.session.scalars(
        select(DropInShift.on_date).where(DropInShift.moment_id == moment.id, DropInShift.on_date >= today)
    )
    waiting = db.session.scalars(
        select(DropInWaiting.on_date).where(
            DropInWaiting.moment_id == moment.id,
            DropInWaiting.on_date >= today,
            DropInWaiting.ended_at.is_(None),
        )
    )
    return set(booked) | set(shifts) | set(waiting)


def save_moment(
    moment: DropInMoment | None, details: MomentDetails, today: date | None = None
) -> DropInMoment:
    """Create a moment (moment=None) or change one. Its network is its location's network. A change that
    would drop a date on which residents or digibuddies are signed up (or residents wait) is refused: cancel
    that date first, so that they are told. Places a raised capacity frees go to those waiting."""
    today = today or local_today()
    title, first_date = _check_details(details)
    location = details.location
    if moment is None:
        moment = DropInMoment(network_id=location.network_id)
        db.session.add(moment)
    elif location.network_id != moment.network_id:
        raise DomainError(_("Choose a location of the same local network."), "location_id")
    else:
        new_pattern = (first_date, details.last_date, details.weekday, EVERY_WEEKS[details.recurrence])
        lost = sorted(
            day
            for day in _dates_in_use(moment, today)
            if not details.active
            or not recurrence.is_occurrence(
                day,
                *new_pattern,
                cancelled_dates(moment),
                skip_public_holidays=details.skip_public_holidays,
                **_week_of_month(details.recurrence, details.week_of_month),
            )
        )
        if lost:
            raise DomainError(
                _(
                    "Residents or digibuddies are signed up for %(dates)s. With this change the drop-in "
                    "would not take place then. Cancel those dates first, so that they are told.",
                    dates=", ".join(format_date(day, "medium") for day in lost[:5]),
                )
            )
    moment.location_id = location.id
    moment.title = title
    moment.recurrence = details.recurrence
    moment.week_of_month = details.week_of_month if details.recurrence == Recurrence.MONTHLY else None
    moment.weekday = details.weekday
    moment.starts, moment.ends = details.starts, details.ends
    moment.first_date, moment.last_date = first_date, details.last_date
    moment.resident_capacity = details.resident_capacity
    moment.volunteers_needed = details.volunteers_needed
    moment.skip_public_holidays = details.skip_public_holidays
    moment.active = details.active
    moment.topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(details.topic_ids or []))))
    moment.languages = list(
        db.session.scalars(select(Language).where(Language.code.in_(details.language_codes or [])))
    )
    db.session.flush()
    _lock(moment.id)
    for day in _dates_waited_for(moment.id, today):
        _promote(moment, day)
    db.session.commit()
    return moment


# ---------------------------------------------------------------------------------------------------------
# Cancelling one date


def cancel_occurrence(
    moment: DropInMoment, day: date, reason: str | None, today: date | None = None
) -> tuple[int, int]:
    """Cancel one date: its bookings are cancelled, its waiting list closed and its shifts removed, and
    everyone with an address or phone number is told through the outbox. Returns (bookings cancelled,
    shifts removed)."""
    today = today or local_today()
    if day < today:
        raise DomainError(_("This date has already passed."))
    if not takes_place(moment, day):
        raise DomainError(_("There is no drop-in on this date."))
    moment.exceptions.append(DropInException(on_date=day, reason=(reason or "").strip()[:300] or None))
    now = utcnow()
    bookings = db.session.scalars(
        select(DropInBooking).where(
            DropInBooking.moment_id == moment.id,
            DropInBooking.on_date == day,
            DropInBooking.cancelled_at.is_(None),
        )
    ).all()
    for booking in bookings:
        booking.cancelled_at = now
        _tell_resident_cancelled(booking)
    for entry in _open_waiting(moment.id, day):
        _end_wait(entry, waitlist.WaitEnd.CANCELLED, now)
        tell_resident(
            entry.resident,
            "dropin_cancelled",
            key=f"dropin-waiting-{entry.id}-cancelled",
            moment=moment,
            day=day,
        )
    shifts = db.session.scalars(
        select(DropInShift).where(DropInShift.moment_id == moment.id, DropInShift.on_date == day)
    ).all()
    for shift in shifts:
        _tell_volunteer_cancelled(shift)
        db.session.delete(shift)
    try:
        db.session.commit()
    except IntegrityError:  # cancelled twice at the same moment
        db.session.rollback()
        raise DomainError(_("This date is already cancelled.")) from None
    return len(bookings), len(shifts)


def restore_occurrence(moment: DropInMoment, day: date, today: date | None = None) -> None:
    """Undo a cancellation. Bookings cancelled with it stay cancelled: those residents were told."""
    today = today or local_today()
    exception = next((e for e in moment.exceptions if e.on_date == day), None)
    if exception is None:
        raise DomainError(_("This date is not cancelled."))
    if day < today:
        raise DomainError(_("This date has already passed."))
    moment.exceptions.remove(exception)
    db.session.commit()


def _tell_resident_cancelled(booking: DropInBooking) -> None:
    moment = booking.moment
    tell_resident(
        booking.resident,
        "dropin_cancelled",
        key=f"dropin-cancelled-{booking.id}",
        moment=moment,
        day=booking.on_date,
    )


def _tell_volunteer_cancelled(shift: DropInShift) -> None:
    tell_volunteer(
        shift.volunteer,
        "volunteer_dropin_cancelled",
        key=f"dropin-shift-cancelled-{shift.id}",
        kind="dropin_shift_cancelled",
        network_id=shift.moment.network_id,
        moment=shift.moment,
        day=shift.on_date,
    )


# ---------------------------------------------------------------------------------------------------------
# Serialising capacity checks


def _lock(moment_id: int) -> None:
    """Queue capacity checks of one moment: a no-op UPDATE takes the row lock on PostgreSQL and the write
    lock on SQLite, so two requests for the last place cannot both see it free."""
    db.session.execute(
        update(DropInMoment)
        .where(DropInMoment.id == moment_id)
        .values(active=DropInMoment.active)
        .execution_options(synchronize_session=False)
    )


def _check_date_open(moment: DropInMoment, day: date, today: date) -> None:
    if not moment.active:
        raise DomainError(_("This drop-in moment no longer takes place."))
    if day < today:
        raise DomainError(_("This date has already passed."))
    if not takes_place(moment, day):
        raise DomainError(_("There is no drop-in on this date."))


# ---------------------------------------------------------------------------------------------------------
# Volunteers' shifts


def _check_volunteer(moment: DropInMoment, volunteer: VolunteerProfile | None) -> None:
    if volunteer is None or volunteer.status != VolunteerStatus.ACTIVE:
        raise DomainError(_("Only active digibuddies can sign up for a shift."))
    if not volunteer.user.has_role(Role.VOLUNTEER, moment.network_id):
        raise DomainError(_("This drop-in moment belongs to another local network."))


def sign_up_shift(
    moment: DropInMoment,
    day: date,
    volunteer: VolunteerProfile | None,
    today: date | None = None,
    *,
    open_places_only: bool = False,
) -> DropInShift:
    """Sign an active volunteer of the moment's network up for one date (once; at most needed + 2).
    `open_places_only` (taking cover that was asked for): at most the number needed, so once the open
    places are filled, a later sign-up is refused as taken."""
    today = today or local_today()
    _check_volunteer(moment, volunteer)
    _check_date_open(moment, day, today)
    moment_id, volunteer_id = moment.id, volunteer.id
    limit = moment.volunteers_needed + (0 if open_places_only else SHIFT_SURPLUS)
    full = (
        _("Someone else has already taken this shift. Thank you for wanting to help!")
        if open_places_only
        else _("Enough digibuddies have signed up for this date. Thank you!")
    )
    already = _("You are already signed up for this date.")

    def once():
        _lock(moment_id)
        signed_up = db.session.scalars(
            select(DropInShift.volunteer_id).where(
                DropInShift.moment_id == moment_id, DropInShift.on_date == day
            )
        ).all()
        if volunteer_id in signed_up:
            raise DomainError(already)
        if len(signed_up) >= limit:
            raise DomainError(full)
        shift = DropInShift(moment_id=moment_id, on_date=day, volunteer_id=volunteer_id)
        db.session.add(shift)
        db.session.commit()
        return shift

    return retry_on_conflict(once, on_duplicate=lambda: DomainError(already))


def withdraw_shift(
    moment: DropInMoment, day: date, volunteer: VolunteerProfile | None, today: date | None = None
) -> None:
    today = today or local_today()
    if day < today:
        raise DomainError(_("This date has already passed."))
    shift = volunteer and db.session.scalar(
        select(DropInShift).where(
            DropInShift.moment_id == moment.id,
            DropInShift.on_date == day,
            DropInShift.volunteer_id == volunteer.id,
        )
    )
    if not shift:
        raise DomainError(_("You are not signed up for this date."))
    db.session.delete(shift)
    db.session.commit()


# ---------------------------------------------------------------------------------------------------------
# Residents: bookings and walk-ins


@dataclass
class NewResident:
    """The little a resident gives to book a place: no account, no e-mail address."""

    first_name: str
    postcode: str
    phone: str | None = None
    locale: str = "nl"


def _active_bookings(moment_id: int, day: date):
    return (
        select(func.count())
        .select_from(DropInBooking)
        .where(
            DropInBooking.moment_id == moment_id,
            DropInBooking.on_date == day,
            DropInBooking.cancelled_at.is_(None),
        )
    )


def _topic_id(topic_id: int | None) -> int | None:
    if not topic_id:
        return None
    return db.session.scalar(select(Topic.id).where(Topic.id == topic_id, Topic.active.is_(True)))


def _language_code(code: str | None) -> str | None:
    return db.session.scalar(select(Language.code).where(Language.code == code)) if code else None


def book_slot(
    moment: DropInMoment,
    day: date,
    *,
    channel: IntakeChannel,
    resident: Resident | None = None,
    new_resident: NewResident | None = None,
    consent_given: bool = False,
    topic_id: int | None = None,
    language_code: str | None = None,
    staff=None,
    wait_if_full: bool = False,
    today: date | None = None,
) -> DropInBooking | DropInWaiting:
    """Book a place for a known resident (counter) or for a new one (online or counter, consent recorded).
    Refused when booked places and walk-ins already fill the capacity, or when those waiting have the
    claim on the places left; with `wait_if_full` the resident joins the waiting list instead (and the
    result is their DropInWaiting)."""
    if channel not in (IntakeChannel.ONLINE, IntakeChannel.COUNTER):
        raise ValueError(f"a drop-in place is booked online or at the counter, not {channel}")
    today = today or local_today()
    _check_date_open(moment, day, today)
    if has_started(moment, day):
        raise DomainError(
            _("This drop-in has already started. You can still walk in, or choose another date.")
        )
    if day > today + timedelta(weeks=BOOKING_HORIZON_WEEKS):
        raise DomainError(_("You can book at most %(weeks)s weeks ahead.", weeks=BOOKING_HORIZON_WEEKS))
    if resident is not None:
        if resident.network_id != moment.network_id or resident.anonymised_at is not None:
            raise DomainError(_("This resident belongs to another local network."))
    else:
        if new_resident is None or not (new_resident.first_name or "").strip():
            raise DomainError(_("Fill in a name we can use."), "first_name")
        if not new_resident.postcode:
            raise DomainError(_("Fill in your postcode."), "postcode")
        if not consent_given:
            raise DomainError(_("We can only help you if you agree that we store these details."), "consent")
    moment_id, network_id, capacity = moment.id, moment.network_id, moment.resident_capacity
    resident_id = resident.id if resident is not None else None
    resident_name = resident.first_name if resident is not None else ""
    topic_id, language_code = _topic_id(topic_id), _language_code(language_code)

    def once():
        _lock(moment_id)
        if resident_id is not None and db.session.scalar(
            _active_bookings(moment_id, day).where(DropInBooking.resident_id == resident_id)
        ):
            raise DomainError(_("%(name)s already has a place on this date.", name=resident_name))
        waiting = _open_waiting(moment_id, day)
        if resident_id is not None and any(entry.resident_id == resident_id for entry in waiting):
            raise DomainError(_("%(name)s is already on the waiting list for this date.", name=resident_name))
        must_wait = waitlist.must_wait(
            capacity, db.session.scalar(_active_bookings(moment_id, day)), len(waiting)
        )
        if must_wait and not wait_if_full:
            raise DomainError(
                _("This drop-in is full on this date. You can join the waiting list, or choose another date.")
            )
        if must_wait:
            _check_reachable(resident_id, resident_name, new_resident)
        if resident_id is None:
            person = Resident(
                network_id=network_id,
                first_name=new_resident.first_name.strip()[:80],
                postcode_code=new_resident.postcode,
                phone=(new_resident.phone or "").strip() or None,
                has_no_email=True,
                locale=new_resident.locale or "nl",
                consent_at=utcnow(),
                consent_channel=channel,
                consent_version=CONSENT_VERSION,
                created_by_id=getattr(staff, "id", None),
            )
            db.session.add(person)
            db.session.flush()
        else:
            person = db.session.get(Resident, resident_id)
        details = {
            "moment_id": moment_id,
            "on_date": day,
            "resident_id": person.id,
            "topic_id": topic_id,
            "language_code": language_code,
            "created_by_id": getattr(staff, "id", None),
        }
        if must_wait:
            entry = _join_waiting_list(details, position=len(waiting) + 1)
            db.session.commit()
            return entry
        booking = DropInBooking(kind=BookingKind.BOOKED, **details)
        db.session.add(booking)
        db.session.flush()
        _tell_resident_booked(booking)
        db.session.commit()
        return booking

    return retry_on_conflict(once)


def _tell_resident_booked(booking: DropInBooking) -> None:
    tell_resident(
        booking.resident,
        "dropin_booked",
        key=f"dropin-booked-{booking.id}",
        moment=booking.moment,
        day=booking.on_date,
    )


@dataclass
class WalkIn:
    booking: DropInBooking
    residents: int  # booked places and walk-ins of the day, this one included
    capacity: int

    @property
    def over_capacity(self) -> bool:
        return self.residents > self.capacity


def register_walk_in(
    moment: DropInMoment,
    day: date,
    *,
    staff,
    topic_id: int | None = None,
    language_code: str | None = None,
    today: date | None = None,
) -> WalkIn:
    """Count a resident who walked in, on the day itself. No personal data: only what they came for.
    Allowed beyond the capacity (the result says so, for a warning)."""
    today = today or local_today()
    if day != today:
        raise DomainError(_("Walk-ins can only be registered on the day itself."))
    _check_date_open(moment, day, today)
    booking = DropInBooking(
        moment_id=moment.id,
        on_date=day,
        kind=BookingKind.WALK_IN,
        topic_id=_topic_id(topic_id),
        language_code=_language_code(language_code),
        created_by_id=getattr(staff, "id", None),
    )
    db.session.add(booking)
    db.session.commit()
    return WalkIn(booking, db.session.scalar(_active_bookings(moment.id, day)), moment.resident_capacity)


def cancel_booking(booking: DropInBooking, today: date | None = None) -> list[DropInWaiting]:
    """Free a booked place (the resident cannot come) or remove a walk-in registered by mistake. The place
    goes to the first on the waiting list, if any: the entries promoted are returned."""
    today = today or local_today()
    if booking.cancelled_at is not None:
        raise DomainError(_("This booking is already cancelled."))
    if booking.on_date < today:
        raise DomainError(_("This date has already passed."))
    booking_id, moment_id, day = booking.id, booking.moment_id, booking.on_date

    def once():
        _lock(moment_id)
        freed = db.session.get(DropInBooking, booking_id)
        db.session.refresh(freed)
        if freed.cancelled_at is not None:
            raise DomainError(_("This booking is already cancelled."))
        freed.cancelled_at = utcnow()
        db.session.flush()
        promoted = _promote(freed.moment, day)
        db.session.commit()
        return promoted

    return retry_on_conflict(once)


# ---------------------------------------------------------------------------------------------------------
# The waiting list of a full date (the rule itself: core.waitlist)


def _open_waiting(moment_id: int, day: date) -> list[DropInWaiting]:
    """Who waits for a place on that date, first in line first."""
    return db.session.scalars(
        select(DropInWaiting)
        .where(
            DropInWaiting.moment_id == moment_id,
            DropInWaiting.on_date == day,
            DropInWaiting.ended_at.is_(None),
        )
        .order_by(DropInWaiting.joined_at, DropInWaiting.id)
    ).all()


def _dates_waited_for(moment_id: int, today: date) -> list[date]:
    return db.session.scalars(
        select(DropInWaiting.on_date)
        .where(
            DropInWaiting.moment_id == moment_id,
            DropInWaiting.on_date >= today,
            DropInWaiting.ended_at.is_(None),
        )
        .distinct()
        .order_by(DropInWaiting.on_date)
    ).all()


def waiting_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def waiting_link(token: str, locale: str) -> str:
    """The resident's own link to see their place in line and to leave the list (on PUBLIC_BASE_URL, so a
    forged Host header cannot point it elsewhere)."""
    return public_url("dropins.public_waiting", token=token, lang=locale)


def _check_reachable(resident_id: int | None, name: str, new_resident: NewResident | None) -> None:
    """Someone waits only if we can tell them when a place frees: by SMS, or by e-mail."""
    if resident_id is None:
        if not can_receive_sms((new_resident.phone or "").strip() or None):
            raise DomainError(
                _("Give a mobile number, so that we can send you a text message when a place is free."),
                "phone",
            )
    elif resident_channel(db.session.get(Resident, resident_id)) is None:
        raise DomainError(
            _(
                "We cannot reach %(name)s by text message or e-mail, so we could not tell them about a free "
                "place. Add a mobile number or an e-mail address first, or choose another date.",
                name=name,
            )
        )


def _join_waiting_list(details: dict, position: int) -> DropInWaiting:
    token = secrets.token_urlsafe(24)
    entry = DropInWaiting(token_hash=waiting_token_hash(token), **details)
    db.session.add(entry)
    db.session.flush()
    tell_resident(
        entry.resident,
        "dropin_waiting",
        key=f"dropin-waiting-{entry.id}-joined",
        moment=entry.moment,
        day=entry.on_date,
        position=position,
        link=waiting_link(token, entry.resident.locale),
    )
    return entry


def _end_wait(entry: DropInWaiting, how: waitlist.WaitEnd, now=None) -> None:
    entry.ended_at = now or utcnow()
    entry.ended_as = how


def _promote(moment: DropInMoment, day: date) -> list[DropInWaiting]:
    """Give the places that are free on `day` to the first in line, and tell them. Call under `_lock`."""
    waiting = _open_waiting(moment.id, day)
    if not waiting or not moment.active or has_started(moment, day) or not takes_place(moment, day):
        return []
    taken = db.session.scalar(_active_bookings(moment.id, day))
    promoted = waitlist.to_promote(moment.resident_capacity, taken, waiting)
    for entry in promoted:
        booking = DropInBooking(
            moment_id=moment.id,
            on_date=day,
            kind=BookingKind.BOOKED,
            resident_id=entry.resident_id,
            topic_id=entry.topic_id,
            language_code=entry.language_code,
            created_by_id=entry.created_by_id,
        )
        db.session.add(booking)
        db.session.flush()
        _end_wait(entry, waitlist.WaitEnd.PROMOTED)
        entry.booking_id = booking.id
        tell_resident(
            entry.resident,
            "dropin_promoted",
            key=f"dropin-waiting-{entry.id}-promoted",
            moment=moment,
            day=day,
        )
    return promoted


def waiting_position(entry: DropInWaiting) -> int | None:
    """The entry's place in line (1 for the first), or None once it no longer waits."""
    if not entry.waiting:
        return None
    line = _open_waiting(entry.moment_id, entry.on_date)
    return waitlist.position_of(entry.id, line, key=lambda other: other.id)


def waiting_entry_for_token(token: str) -> DropInWaiting | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(DropInWaiting).where(DropInWaiting.token_hash == waiting_token_hash(token))
    )


def leave_waiting_list(entry: DropInWaiting) -> None:
    """The resident no longer waits (they said so, by their link or at the counter). Under the lock, so
    that a place given to them at that very moment is not lost: then they keep it and cancel it instead."""
    entry_id, moment_id = entry.id, entry.moment_id

    def once():
        _lock(moment_id)
        found = db.session.get(DropInWaiting, entry_id)
        db.session.refresh(found)
        if not found.waiting:
            raise DomainError(_("This resident is no longer on the waiting list."))
        _end_wait(found, waitlist.WaitEnd.LEFT)
        db.session.commit()

    retry_on_conflict(once)


def close_waiting_lists(now=None) -> int:
    """The scheduled job: entries of dates that have started or passed end as expired (nobody is promoted
    into a place they could no longer take). Returns how many."""
    now_local = to_local(now or utcnow())
    entries = db.session.scalars(
        select(DropInWaiting)
        .where(DropInWaiting.ended_at.is_(None), DropInWaiting.on_date <= now_local.date())
        .order_by(DropInWaiting.id)
    ).all()
    closed = 0
    for entry in entries:
        starts_at = datetime.combine(entry.on_date, entry.moment.starts)
        if waitlist.expired(starts_at, now_local):
            _end_wait(entry, waitlist.WaitEnd.EXPIRED, now)
            closed += 1
    db.session.commit()
    return closed


# A volunteer's moment (volunteers.signals): a digibuddy whose access ends no longer helps at drop-ins.


@access_ended.connect
def _give_up_shifts(profile: VolunteerProfile, now=None, **_) -> dict:
    """The digibuddy's shifts from today on are given up, so the moment shows the places as open again."""
    today = to_local(now).date() if now else local_today()
    shifts = db.session.scalars(
        select(DropInShift)
        .where(DropInShift.volunteer_id == profile.id, DropInShift.on_date >= today)
        .order_by(DropInShift.on_date)
    ).all()
    for shift in shifts:
        db.session.delete(shift)
    db.session.flush()
    return {"shifts": shifts}


# A resident's moments (requests.signals, audit.signals).


@resident_anonymised.connect
def _stop_waiting(resident: Resident, now=None, **_) -> None:
    """An anonymised resident no longer waits, and the link in their message opens nothing any more."""
    for entry in db.session.scalars(select(DropInWaiting).where(DropInWaiting.resident_id == resident.id)):
        if entry.waiting:
            _end_wait(entry, waitlist.WaitEnd.LEFT, now)
        entry.token_hash = None


@person_records.connect
def _waiting_of_person(kind, person_id, **_) -> dict:
    """For the audit log: a resident's places on waiting lists."""
    if kind != "resident":
        return {}
    ids = db.session.scalars(select(DropInWaiting.id).where(DropInWaiting.resident_id == person_id))
    return {"dropin_waiting": set(ids)}
