"""Drop-in pages: the coordinator's moments and shortages, volunteers' shifts, the counter (bookings,
walk-ins, printable day list), and the resident-facing list and online booking."""

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import Role
from ..audit.services import record
from ..core import receipts, waitlist
from ..core.auth import role_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale, resident_facing
from ..core.i18n import gettext as _
from ..core.scoping import day_or_404, get_scoped_or_404, id_or_404, scoped
from ..core.security import personal_page
from ..core.time import local_today, public_holiday_name
from ..core.urls import safe_next_url
from ..extensions import db, limiter
from ..network.models import LocalNetwork, Location
from ..network.services import network_for_postcode
from ..requests.forms import ResidentSearchForm
from ..requests.models import IntakeChannel, Resident
from ..requests.services import search_residents
from ..volunteers.models import VolunteerProfile, VolunteerStatus
from . import dropins
from .forms_dropins import (
    ActionForm,
    CancelDateForm,
    CounterBookingForm,
    MomentForm,
    OnlineBookingForm,
    PostcodeFinderForm,
    WalkInForm,
)
from .models import BookingKind, DropInBooking, DropInMoment, DropInShift, DropInWaiting, Recurrence

bp = Blueprint("dropins", __name__)

STAFF = (Role.COUNTER, Role.COORDINATOR)
OVERVIEW_WEEKS, MAX_OVERVIEW_WEEKS = 4, 12
MOMENT_WEEKS = 12
PAST_WEEKS = 8
SHIFT_WEEKS = 8
COUNTER_DAYS = 14
PUBLIC_WEEKS = 4
BOOKED_KEY = "dropin_booking"
receipts.shown_only_on(bp, BOOKED_KEY, "dropins.public_booked")
WAITING_KEY = "dropin_waiting"
receipts.shown_only_on(bp, WAITING_KEY, "dropins.public_waiting_receipt")


def _pattern_day(moment: DropInMoment, value: str) -> date:
    """A date from the URL that belongs to the moment's pattern (it may be skipped), else 404."""
    day = day_or_404(value)
    if not dropins.is_pattern_day(moment, day):
        abort(404)
    return day


def _weeks(value, default: int) -> int:
    try:
        return min(MAX_OVERVIEW_WEEKS, max(1, int(value)))
    except (TypeError, ValueError):
        return default


def _failed(form) -> int:
    return 422 if form.errors or form.form_errors else 200


# ---------------------------------------------------------------------------------------------------------
# Coordinator


@bp.route("/dropins")
@role_required(Role.COORDINATOR)
def index():
    weeks = _weeks(request.args.get("weeks"), OVERVIEW_WEEKS)
    today = local_today()
    moments = db.session.scalars(
        scoped(DropInMoment, Role.COORDINATOR).order_by(
            DropInMoment.active.desc(), DropInMoment.weekday, DropInMoment.starts, DropInMoment.title
        )
    ).all()
    lacking = dropins.lacking_volunteers(moments, today, today + timedelta(weeks=weeks, days=-1))
    return render_template(
        "scheduling/dropins/index.html",
        moments=moments,
        lacking=lacking,
        weeks=weeks,
        week_choices=(1, 2, 4, 8, 12),
    )


def _locations(moment: DropInMoment | None) -> list[Location]:
    stmt = scoped(Location, Role.COORDINATOR).where(Location.active.is_(True))
    if moment is not None:
        stmt = scoped(Location, Role.COORDINATOR).where(
            Location.network_id == moment.network_id,
            (Location.active.is_(True)) | (Location.id == moment.location_id),
        )
    return db.session.scalars(stmt.order_by(Location.name)).all()


def _edit_moment(moment: DropInMoment | None):
    locations = _locations(moment)
    if moment is not None and request.method == "GET":
        form = MomentForm(
            obj=moment,
            locations=locations,
            chosen_languages=[lang.code for lang in moment.languages],
            recurrence=moment.recurrence.value,
            week_of_month=moment.week_of_month or 0,
            topics=[t.id for t in moment.topics],
            languages=[lang.code for lang in moment.languages],
        )
    else:
        form = MomentForm(locations=locations)
    if not locations:
        form.location_id.description = _("Add a location first, under Locations.")
    if form.validate_on_submit():
        location = next(loc for loc in locations if loc.id == form.location_id.data)
        details = dropins.MomentDetails(
            title=form.title.data,
            location=location,
            recurrence=Recurrence(form.recurrence.data),
            weekday=form.weekday.data,
            starts=form.starts.data,
            ends=form.ends.data,
            first_date=form.first_date.data,
            last_date=form.last_date.data,
            resident_capacity=form.resident_capacity.data,
            volunteers_needed=form.volunteers_needed.data,
            skip_public_holidays=form.skip_public_holidays.data,
            week_of_month=form.week_of_month.data or None,
            topic_ids=form.topics.data or [],
            language_codes=form.languages.data or [],
            active=form.active.data if moment is not None else True,
        )
        try:
            saved = dropins.save_moment(moment, details)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The drop-in moment %(title)s is saved.", title=saved.title), "success")
            return redirect(url_for("dropins.moment", moment_id=saved.id))
    return render_template("scheduling/dropins/moment_form.html", form=form, moment=moment), _failed(form)


@bp.route("/dropins/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_moment():
    return _edit_moment(None)


@bp.route("/dropins/<moment_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_moment(moment_id):
    return _edit_moment(get_scoped_or_404(DropInMoment, moment_id, Role.COORDINATOR))


def _volunteers_by_id(occurrences) -> dict[int, VolunteerProfile]:
    ids = {volunteer_id for occurrence in occurrences for volunteer_id in occurrence.volunteer_ids}
    if not ids:
        return {}
    found = scoped(VolunteerProfile, Role.COORDINATOR).where(VolunteerProfile.id.in_(ids))
    return {v.id: v for v in db.session.scalars(found)}


@bp.route("/dropins/<moment_id>")
@role_required(Role.COORDINATOR)
def moment(moment_id):
    moment = get_scoped_or_404(DropInMoment, moment_id, Role.COORDINATOR)
    today = local_today()
    until = today + timedelta(weeks=MOMENT_WEEKS, days=-1)
    upcoming = dropins.occurrence_overview([moment], today, until)
    past = list(
        reversed(
            dropins.occurrence_overview(
                [moment], today - timedelta(weeks=PAST_WEEKS), today - timedelta(days=1)
            )
        )
    )
    return render_template(
        "scheduling/dropins/moment.html",
        moment=moment,
        upcoming=upcoming,
        past=past,
        skipped=dropins.skipped_dates(moment, today, until, current_locale()),
        volunteers=_volunteers_by_id(upcoming),
        action_form=ActionForm(),
        weeks=MOMENT_WEEKS,
        past_weeks=PAST_WEEKS,
    )


@bp.route("/dropins/<moment_id>/<day>/cancel", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def cancel_date(moment_id, day):
    moment = get_scoped_or_404(DropInMoment, moment_id, Role.COORDINATOR)
    day = _pattern_day(moment, day)
    form = CancelDateForm()
    if form.validate_on_submit():
        try:
            bookings, shifts = dropins.cancel_occurrence(moment, day, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(
                _(
                    "The drop-in of %(day)s is cancelled. %(bookings)s residents and %(shifts)s digibuddies "
                    "were signed up; those we can reach are told.",
                    day=format_date(day, "long"),
                    bookings=bookings,
                    shifts=shifts,
                ),
                "success",
            )
            return redirect(url_for("dropins.moment", moment_id=moment.id))
    return render_template(
        "scheduling/dropins/cancel.html",
        form=form,
        moment=moment,
        day=day,
        occurrence=dropins.occurrence_on(moment, day),
    ), _failed(form)


@bp.route("/dropins/<moment_id>/<day>/restore", methods=["POST"])
@role_required(Role.COORDINATOR)
def restore_date(moment_id, day):
    moment = get_scoped_or_404(DropInMoment, moment_id, Role.COORDINATOR)
    day = _pattern_day(moment, day)
    if ActionForm().validate_on_submit():
        try:
            dropins.restore_occurrence(moment, day)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(
                _(
                    "The drop-in of %(day)s takes place again. Bookings that were cancelled stay cancelled.",
                    day=format_date(day, "long"),
                ),
                "success",
            )
    return redirect(url_for("dropins.moment", moment_id=moment.id))


@bp.route("/dropins/<moment_id>/<day>/day-list")
@role_required(*STAFF)
def day_list(moment_id, day):
    """The printable list of one date: digibuddies, booked residents and walk-ins, and empty lines."""
    moment = get_scoped_or_404(DropInMoment, moment_id, *STAFF)
    day = _pattern_day(moment, day)
    occurrence = dropins.occurrence_on(moment, day)
    bookings = db.session.scalars(
        scoped(DropInBooking, *STAFF)
        .where(DropInBooking.moment_id == moment.id, DropInBooking.on_date == day)
        .order_by(DropInBooking.created_at, DropInBooking.id)
    ).all()
    shifts = db.session.scalars(
        scoped(DropInShift, *STAFF)
        .where(DropInShift.moment_id == moment.id, DropInShift.on_date == day)
        .order_by(DropInShift.created_at, DropInShift.id)
    ).all()
    waiting = db.session.scalars(
        scoped(DropInWaiting, *STAFF)
        .where(
            DropInWaiting.moment_id == moment.id,
            DropInWaiting.on_date == day,
            DropInWaiting.ended_at.is_(None),
        )
        .order_by(DropInWaiting.joined_at, DropInWaiting.id)
    ).all()
    record(current_user, "view", "dropin_day_list", moment.id, moment.network_id, detail=day.isoformat())
    db.session.commit()
    booked = [b for b in bookings if b.kind == BookingKind.BOOKED]
    walk_ins = [b for b in bookings if b.kind == BookingKind.WALK_IN and b.cancelled_at is None]
    cancelled = dropins.cancelled_dates(moment)
    holiday = None
    if moment.skip_public_holidays:
        holiday = public_holiday_name(day, current_locale())
    today = local_today()
    return render_template(
        "scheduling/dropins/day_list.html",
        moment=moment,
        day=day,
        occurrence=occurrence,
        booked=booked,
        walk_ins=walk_ins,
        shifts=shifts,
        waiting=waiting,
        is_cancelled=day in cancelled,
        cancel_reason=cancelled.get(day),
        holiday=holiday,
        is_today=day == today,
        is_past=day < today,
        walkin_form=WalkInForm(),
        action_form=ActionForm(),
        blank_lines=max(3, occurrence.places_left),
    )


# ---------------------------------------------------------------------------------------------------------
# Volunteers


@bp.route("/dropins/shifts")
@role_required(Role.VOLUNTEER)
def shifts():
    today = local_today()
    moments = db.session.scalars(
        scoped(DropInMoment, Role.VOLUNTEER).where(DropInMoment.active.is_(True))
    ).all()
    occurrences = dropins.occurrence_overview(moments, today, today + timedelta(weeks=SHIFT_WEEKS, days=-1))
    profile = current_user.volunteer_profile
    can_sign_up = profile is not None and profile.status == VolunteerStatus.ACTIVE
    return render_template(
        "scheduling/dropins/shifts.html",
        occurrences=occurrences,
        profile=profile,
        can_sign_up=can_sign_up,
        action_form=ActionForm(),
        weeks=SHIFT_WEEKS,
    )


def _shift_action(moment_id, day, operation, done_message):
    moment = get_scoped_or_404(DropInMoment, moment_id, Role.VOLUNTEER)
    day = day_or_404(day)
    if ActionForm().validate_on_submit():
        try:
            operation(moment, day, current_user.volunteer_profile)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(done_message(moment, day), "success")
    return redirect(url_for("dropins.shifts") + f"#shift-{moment.id}-{day.isoformat()}")


@bp.route("/dropins/<moment_id>/<day>/shift", methods=["POST"])
@role_required(Role.VOLUNTEER)
def sign_up(moment_id, day):
    return _shift_action(
        moment_id,
        day,
        dropins.sign_up_shift,
        lambda moment, day: _(
            "You are signed up for %(title)s on %(day)s. Thank you!",
            title=moment.title,
            day=format_date(day, "long"),
        ),
    )


@bp.route("/dropins/<moment_id>/<day>/shift/withdraw", methods=["POST"])
@role_required(Role.VOLUNTEER)
def withdraw(moment_id, day):
    return _shift_action(
        moment_id,
        day,
        dropins.withdraw_shift,
        lambda moment, day: _(
            "You are no longer signed up for %(title)s on %(day)s.",
            title=moment.title,
            day=format_date(day, "long"),
        ),
    )


# ---------------------------------------------------------------------------------------------------------
# Counter


@bp.route("/dropins/counter")
@role_required(*STAFF)
def counter():
    today = local_today()
    moments = db.session.scalars(scoped(DropInMoment, *STAFF).where(DropInMoment.active.is_(True))).all()
    return render_template(
        "scheduling/dropins/counter.html",
        today=today,
        walkin_form=WalkInForm(),
        today_occurrences=dropins.occurrence_overview(moments, today, today),
        upcoming=dropins.occurrence_overview(
            moments, today + timedelta(days=1), today + timedelta(days=COUNTER_DAYS)
        ),
        days=COUNTER_DAYS,
    )


@bp.route("/dropins/<moment_id>/<day>/walk-in", methods=["POST"])
@role_required(*STAFF)
def walk_in(moment_id, day):
    moment = get_scoped_or_404(DropInMoment, moment_id, *STAFF)
    day = day_or_404(day)
    form = WalkInForm()
    back = safe_next_url(form.next.data) or url_for("dropins.counter")
    if form.validate_on_submit():
        try:
            result = dropins.register_walk_in(
                moment,
                day,
                staff=current_user,
                topic_id=form.topic_id.data or None,
                language_code=form.language_code.data or None,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(
                _(
                    "Walk-in registered for %(title)s: %(count)s residents today.",
                    title=moment.title,
                    count=result.residents,
                ),
                "success",
            )
            if result.over_capacity:
                flash(
                    _(
                        "There are more residents (%(count)s) than places (%(capacity)s). Ask them to wait, "
                        "or ask a digibuddy or colleague to help.",
                        count=result.residents,
                        capacity=result.capacity,
                    ),
                    "warning",
                )
    else:
        flash(_("This did not work. Check the choices and try again."), "error")
    return redirect(back)


@bp.route("/dropins/<moment_id>/<day>/book", methods=["GET", "POST"])
@role_required(*STAFF)
def book(moment_id, day):
    """Book a place for a resident at the counter (or on the phone): find them, or register them briefly."""
    moment = get_scoped_or_404(DropInMoment, moment_id, *STAFF)
    day = _pattern_day(moment, day)
    search = ResidentSearchForm(request.args)
    matches = []
    if any((search.first_name.data, search.phone.data)) and search.validate():
        matches = search_residents(
            {moment.network_id},
            first_name=search.first_name.data,
            postcode=search.postcode.data,
            phone=search.phone.data,
        )
    form = CounterBookingForm()
    if form.validate_on_submit():
        resident = None
        if form.chosen_resident_id is not None:
            resident = get_scoped_or_404(Resident, form.chosen_resident_id, *STAFF)
        try:
            booking = dropins.book_slot(
                moment,
                day,
                channel=IntakeChannel.COUNTER,
                resident=resident,
                new_resident=None
                if resident
                else dropins.NewResident(
                    first_name=form.first_name.data,
                    postcode=form.postcode.data,
                    phone=form.phone.data,
                    locale=form.locale.data,
                ),
                consent_given=form.consent.data,
                topic_id=form.topic_id.data or None,
                language_code=form.language_code.data or None,
                staff=current_user,
                wait_if_full=form.wants_to_wait,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            if isinstance(booking, DropInWaiting):
                flash(
                    _(
                        "%(name)s is number %(position)s on the waiting list for %(day)s. If a place "
                        "becomes free, they get it and we tell them.",
                        name=booking.resident.first_name,
                        position=dropins.waiting_position(booking),
                        day=format_date(day, "long"),
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "%(name)s has a place on %(day)s.",
                        name=booking.resident.first_name,
                        day=format_date(day, "long"),
                    ),
                    "success",
                )
            return redirect(url_for("dropins.day_list", moment_id=moment.id, day=day.isoformat()))
    occurrence = dropins.occurrence_on(moment, day)
    offer_waiting = _offers_waiting(occurrence)
    form.waiting.data = "1" if offer_waiting else ""
    return render_template(
        "scheduling/dropins/book.html",
        moment=moment,
        day=day,
        form=form,
        search=search,
        matches=matches,
        occurrence=occurrence,
        offer_waiting=offer_waiting,
        takes_place=dropins.takes_place(moment, day),
        searched=any((search.first_name.data, search.phone.data)),
    ), _failed(form)


@bp.route("/dropins/bookings/<booking_id>/cancel", methods=["POST"])
@role_required(*STAFF)
def cancel_booking(booking_id):
    booking = get_scoped_or_404(DropInBooking, booking_id, *STAFF)
    if ActionForm().validate_on_submit():
        try:
            promoted = dropins.cancel_booking(booking)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            if promoted:
                flash(
                    _(
                        "The place went to %(names)s from the waiting list. We tell them.",
                        names=", ".join(entry.resident.first_name for entry in promoted),
                    ),
                    "success",
                )
            else:
                flash(_("The place is free again."), "success")
    return redirect(url_for("dropins.day_list", moment_id=booking.moment_id, day=booking.on_date.isoformat()))


@bp.route("/dropins/waiting/<id:waiting_id>/leave", methods=["POST"])
@role_required(*STAFF)
def leave_waiting(waiting_id):
    """Take a resident off the waiting list (they told the counter they no longer wait)."""
    entry = get_scoped_or_404(DropInWaiting, waiting_id, *STAFF)
    if ActionForm().validate_on_submit():
        try:
            dropins.leave_waiting_list(entry)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            record(current_user, "leave", "dropin_waiting", entry.id, entry.moment.network_id)
            db.session.commit()
            flash(_("%(name)s is no longer on the waiting list.", name=entry.resident.first_name), "success")
    return redirect(url_for("dropins.day_list", moment_id=entry.moment_id, day=entry.on_date.isoformat()))


def _offers_waiting(occurrence) -> bool:
    """Whether a booking now would land on the waiting list: full, or others already wait."""
    return not occurrence.started and waitlist.must_wait(
        occurrence.capacity, occurrence.residents, occurrence.waiting
    )


# ---------------------------------------------------------------------------------------------------------
# Residents (no account)


def _public_moment(moment_id) -> DropInMoment:
    moment = db.session.get(DropInMoment, id_or_404(moment_id))
    if moment is None or not moment.active or not moment.network.active:
        abort(404)
    return moment


def _public_day(moment: DropInMoment, value: str) -> date:
    day = day_or_404(value)
    today = local_today()
    if not today <= day <= today + timedelta(weeks=dropins.BOOKING_HORIZON_WEEKS) or not dropins.takes_place(
        moment, day
    ):
        abort(404)
    return day


@bp.route("/drop-in")
@resident_facing
def public_list():
    form = PostcodeFinderForm(request.args)
    network, occurrences, searched = None, [], "postcode" in request.args
    if searched and form.validate():
        network = network_for_postcode(form.postcode.data)
        if network is None:
            form.postcode.errors.append(
                _(
                    "There are no drop-in moments for this postcode yet. "
                    "Call your municipality and ask where you can get help."
                )
            )
        else:
            today = local_today()
            moments = db.session.scalars(
                select(DropInMoment).where(
                    DropInMoment.network_id == network.id, DropInMoment.active.is_(True)
                )
            ).all()
            occurrences = dropins.occurrence_overview(
                moments, today, today + timedelta(weeks=PUBLIC_WEEKS, days=-1)
            )
    return render_template(
        "scheduling/dropins/public_list.html",
        form=form,
        network=network,
        occurrences=occurrences,
        searched=searched,
        weeks=PUBLIC_WEEKS,
    )


def _booking_limit():
    return current_app.config.get("DROPIN_BOOKING_LIMIT", "20 per hour")


@bp.route("/drop-in/<moment_id>/<day>", methods=["GET", "POST"])
@resident_facing
@limiter.limit(_booking_limit, methods=["POST"])
def public_book(moment_id, day):
    moment = _public_moment(moment_id)
    day = _public_day(moment, day)
    form = OnlineBookingForm()
    if form.validate_on_submit():
        try:
            booking = dropins.book_slot(
                moment,
                day,
                channel=IntakeChannel.ONLINE,
                consent_given=form.consent.data,
                new_resident=dropins.NewResident(
                    first_name=form.first_name.data,
                    postcode=form.postcode.data,
                    phone=form.phone.data,
                    locale=current_locale(),
                ),
                topic_id=form.topic_id.data or None,
                wait_if_full=form.wants_to_wait,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            if isinstance(booking, DropInWaiting):
                receipts.remember(WAITING_KEY, booking.id)
                return redirect(url_for("dropins.public_waiting_receipt"))
            receipts.remember(BOOKED_KEY, booking.id)
            return redirect(url_for("dropins.public_booked"))
    occurrence = dropins.occurrence_on(moment, day)
    offer_waiting = _offers_waiting(occurrence)
    form.waiting.data = "1" if offer_waiting else ""
    if offer_waiting:
        form.phone.label.text = _("Your mobile number")
    status = _failed(form)
    return render_template(
        "scheduling/dropins/public_book.html",
        moment=moment,
        day=day,
        form=form,
        occurrence=occurrence,
        offer_waiting=offer_waiting,
    ), status


@bp.route("/drop-in/booked")
@resident_facing
@personal_page
def public_booked():
    booking_id = receipts.recall(BOOKED_KEY)
    booking = db.session.get(DropInBooking, booking_id) if booking_id is not None else None
    if booking is None or booking.cancelled_at is not None:
        abort(404)
    network = db.session.get(LocalNetwork, booking.moment.network_id)
    return render_template(
        "scheduling/dropins/public_booked.html", booking=booking, moment=booking.moment, network=network
    )


@bp.route("/drop-in/waiting")
@resident_facing
@personal_page
def public_waiting_receipt():
    """Right after joining: the resident's place in line."""
    entry_id = receipts.recall(WAITING_KEY)
    entry = db.session.get(DropInWaiting, entry_id) if entry_id is not None else None
    if entry is None:
        abort(404)
    return _waiting_page(entry, token=None)


def _waiting_page(entry: DropInWaiting, token: str | None):
    return render_template(
        "scheduling/dropins/public_waiting.html",
        entry=entry,
        moment=entry.moment,
        position=dropins.waiting_position(entry),
        network=db.session.get(LocalNetwork, entry.moment.network_id),
        token=token,
        action_form=ActionForm(),
    )


def _entry_for_token(token: str) -> DropInWaiting:
    entry = dropins.waiting_entry_for_token(token)
    if entry is None or entry.resident.anonymised_at is not None:
        abort(404)
    return entry


@bp.route("/drop-in/waiting/<token>")
@resident_facing
@personal_page
def public_waiting(token):
    """The resident's own link (in the message they got): their place in line, and a way to leave."""
    return _waiting_page(_entry_for_token(token), token=token)


@bp.route("/drop-in/waiting/<token>/leave", methods=["POST"])
@resident_facing
def public_leave_waiting(token):
    entry = _entry_for_token(token)
    if ActionForm().validate_on_submit():
        try:
            dropins.leave_waiting_list(entry)
        except DomainError:
            db.session.rollback()  # already promoted or closed: the page says how it stands
        else:
            flash(_("You are no longer on the waiting list."), "success")
    return redirect(url_for("dropins.public_waiting", token=token))
