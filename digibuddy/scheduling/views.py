"""Planning, moving and cancelling help sessions; printing an appointment at the counter; a volunteer's
calendar feed of their sessions and shifts."""

from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..accounts.models import Role
from ..audit.services import record_view
from ..core.auth import role_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale, resident_facing
from ..core.i18n import gettext as _
from ..core.scoping import get_actionable_or_404, get_scoped_or_404
from ..core.time import local_today, to_local
from ..extensions import db
from ..network.models import Location
from ..requests.models import HelpRequest
from ..volunteers import services as volunteer_services
from . import feeds, planning, services
from .forms import AskCoordinatorForm, CancelSessionForm, PlanningFactsForm, RescheduleForm, SessionForm
from .models import HelpSession, PlaceKind

bp = Blueprint("sessions", __name__)


def _request_or_404(request_id) -> HelpRequest:
    """A request the caller may plan for: as its network's coordinator, or as the volunteer who accepted
    it."""
    return get_actionable_or_404(HelpRequest, request_id, Role.COORDINATOR, assigned=services.accepted_by)


def _session_or_404(session_id) -> HelpSession:
    return get_actionable_or_404(HelpSession, session_id, Role.COORDINATOR)


def _locations(help_request):
    return db.session.scalars(
        select(Location)
        .where(Location.network_id == help_request.network_id, Location.active.is_(True))
        .order_by(Location.name)
    ).all()


def _times(form):
    return datetime.combine(form.date.data, form.starts.data), datetime.combine(
        form.date.data, form.ends.data
    )


def _planning_context(help_request, locations, *, session=None) -> dict:
    """The facts for the chosen day (location's opening hours, resident's windows, volunteer's availability
    and appointments) and the first three free moments that fit all of them, from the ?day= form."""
    volunteer = session.volunteer if session else services.assigned_volunteer(help_request)
    default_place = session.place_kind.value if session else help_request.preferred_mode.value
    default_location = session.location if session else planning.nearest_location(help_request, locations)
    facts_form = PlanningFactsForm(
        request.args,
        locations=locations,
        place=default_place,
        location=default_location.id if default_location else None,
        minutes=int((session.ends_at - session.starts_at).total_seconds() // 60) if session else 60,
    )
    facts_form.validate()
    place = PlaceKind(
        facts_form.place.data if facts_form.place.data in PlaceKind._value2member_map_ else default_place
    )
    location = next((loc for loc in locations if loc.id == facts_form.location.data), default_location)
    duration = timedelta(
        minutes=facts_form.minutes.data if facts_form.minutes.data in planning.DURATIONS else 60
    )
    context = {"facts_form": facts_form, "place": place, "location": location, "proposals": [], "facts": None}
    if volunteer is None:
        return context
    locale = current_locale()
    proposals = planning.proposals(
        help_request, volunteer, place, location, duration, locale, session.id if session else None
    )
    today = local_today()
    day = facts_form.day.data if not facts_form.day.errors and facts_form.day.data else None
    if day is None or not today <= day <= today + timedelta(days=366):
        day = proposals[0][0].date() if proposals else today
    facts_form.day.data = day
    (facts,) = planning.facts_for_days(
        help_request, volunteer, place, location, day, 1, locale, session.id if session else None
    )
    context.update(proposals=proposals, facts=facts, volunteer=volunteer)
    return context


@bp.route("/requests/<request_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new(request_id):
    help_request = _request_or_404(request_id)
    if request.method == "GET":
        record_view(current_user, "help_request", help_request.id, help_request.network_id, detail="planning")
    locations = _locations(help_request)
    context = _planning_context(help_request, locations)
    form = SessionForm(
        locations=locations,
        may_override=services.may_override(help_request, current_user),
        place_kind=context["place"].value,
        location_id=context["location"].id if context["location"] else 0,
    )
    if form.validate_on_submit():
        start, end = _times(form)
        location = next((loc for loc in locations if loc.id == form.location_id.data), None)
        try:
            session = services.plan_session(
                help_request,
                start_local=start,
                end_local=end,
                place_kind=PlaceKind(form.place_kind.data),
                location=location,
                actor=current_user,
                override_reason=form.override_reason.data if form.override_reason else None,
                locale=current_locale(),
                meeting_url=form.meeting_url.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The session is planned. The digibuddy and the resident are told."), "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "scheduling/session_form.html",
        form=form,
        help_request=help_request,
        session=None,
        ask_form=AskCoordinatorForm(),
        **context,
    ), status


@bp.route("/requests/<request_id>/sessions/ask", methods=["POST"])
@login_required
def ask_coordinator(request_id):
    """A volunteer asks the coordinator for a moment only a coordinator may plan."""
    help_request = _request_or_404(request_id)
    form = AskCoordinatorForm()
    if form.validate_on_submit():
        services.ask_coordinator(help_request, message=form.message.data, actor=current_user)
        flash(_("Your question is sent to the coordinator."), "success")
    else:
        flash(" ".join(str(e) for e in form.message.errors) or _("Write what you need."), "error")
    return redirect(url_for("sessions.new", request_id=help_request.id))


@bp.route("/sessions/<session_id>")
@login_required
def detail(session_id):
    session = _session_or_404(session_id)
    record_view(current_user, "help_session", session.id, session.request.network_id)
    return render_template(
        "scheduling/session.html",
        session=session,
        local=to_local,
        place=services.place_text(session, for_resident=False),
        cancel_form=CancelSessionForm(),
    )


@bp.route("/sessions/<session_id>/move", methods=["GET", "POST"])
@login_required
def move(session_id):
    session = _session_or_404(session_id)
    if request.method == "GET":
        record_view(current_user, "help_session", session.id, session.request.network_id, detail="move")
    start_local, end_local = to_local(session.starts_at), to_local(session.ends_at)
    locations = _locations(session.request)
    context = _planning_context(session.request, locations, session=session)
    chosen = _chosen_proposal()
    form = RescheduleForm(
        locations=locations,
        may_override=services.may_override(session.request, current_user),
        date=chosen[0] if chosen else start_local.date(),
        starts=chosen[1] if chosen else start_local.time(),
        ends=chosen[2] if chosen else end_local.time(),
        place_kind=session.place_kind.value,
        location_id=session.location_id or 0,
        meeting_url=session.meeting_url,
    )
    if form.validate_on_submit():
        start, end = _times(form)
        try:
            services.reschedule_session(
                session,
                start_local=start,
                end_local=end,
                reason=form.reason.data,
                actor=current_user,
                override_reason=form.override_reason.data if form.override_reason else None,
                locale=current_locale(),
                meeting_url=form.meeting_url.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The session is moved. The digibuddy and the resident are told."), "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "scheduling/session_form.html",
        form=form,
        help_request=session.request,
        session=session,
        ask_form=AskCoordinatorForm(),
        **context,
    ), status


def _chosen_proposal():
    """A proposed moment picked on the move page (?start=2026-12-08T10:00&end=...): date, start, end."""
    try:
        start = datetime.fromisoformat(request.args.get("start", ""))
        end = datetime.fromisoformat(request.args.get("end", ""))
    except ValueError:
        return None
    if start.date() != end.date() or end <= start:
        return None
    return start.date(), start.time(), end.time()


@bp.route("/sessions/<session_id>/cancel", methods=["POST"])
@login_required
def cancel(session_id):
    session = _session_or_404(session_id)
    form = CancelSessionForm()
    if form.validate_on_submit():
        try:
            services.cancel_session(session, reason=form.reason.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("The session is cancelled."), "success")
    else:
        flash(_("Give a reason for cancelling."), "error")
    return redirect(url_for("sessions.detail", session_id=session.id))


@bp.route("/sessions/<session_id>/print")
@role_required(Role.COUNTER, Role.COORDINATOR)
def print_appointment(session_id):
    """The appointment on paper for the resident, in their language; never shows the home address."""
    from flask_babel import force_locale

    session = get_scoped_or_404(HelpSession, session_id, Role.COUNTER, Role.COORDINATOR)
    record_view(
        current_user, "help_session", session.id, session.request.network_id, detail="printed appointment"
    )
    with force_locale(session.request.resident.locale):
        return render_template(
            "scheduling/appointment_slip.html",
            session=session,
            place=services.place_text(session, for_resident=True),
        )


@bp.route("/volunteers/calendar/<token>.ics")
def calendar(token):
    """A volunteer's private calendar feed of their sessions and shifts, opened by its secret link."""
    profile = volunteer_services.profile_for_calendar_token(token)
    if profile is None:
        abort(404)
    response = make_response(feeds.calendar_feed(profile))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="digibuddy.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/status/move", methods=["POST"])
@resident_facing
def ask_to_move():
    """From the resident's status page: they cannot come to the next appointment; the volunteer and the
    coordinator are told."""
    from ..requests.presenters import status_view
    from ..requests.views_public import status_request

    view = status_view(status_request())
    if FlaskForm().validate_on_submit() and view.can_ask_to_move:
        try:
            services.ask_to_move(view.next_session, via="web")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            return redirect(url_for("requests.status_detail", move_asked=1))
    return redirect(url_for("requests.status_detail"))
