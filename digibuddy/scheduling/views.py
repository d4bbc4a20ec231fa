"""Planning, moving and cancelling help sessions; printing an appointment at the counter; a volunteer's
calendar feed of their sessions and shifts."""

from datetime import datetime

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.models import Role
from ..core.auth import role_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale
from ..core.scoping import get_actionable_or_404, get_scoped_or_404
from ..core.time import to_local
from ..extensions import db
from ..network.models import Location
from ..requests.models import HelpRequest
from ..volunteers import services as volunteer_services
from . import feeds, services
from .forms import CancelSessionForm, RescheduleForm, SessionForm
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


@bp.route("/requests/<request_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new(request_id):
    help_request = _request_or_404(request_id)
    locations = _locations(help_request)
    form = SessionForm(locations=locations, place_kind=help_request.preferred_mode.value)
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
                override_reason=form.override_reason.data,
                locale=current_locale(),
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The session is planned. The digibuddy and the resident are told."), "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "scheduling/session_form.html", form=form, help_request=help_request, session=None
    ), status


@bp.route("/sessions/<session_id>")
@login_required
def detail(session_id):
    session = _session_or_404(session_id)
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
    start_local, end_local = to_local(session.starts_at), to_local(session.ends_at)
    form = RescheduleForm(
        locations=_locations(session.request),
        date=start_local.date(),
        starts=start_local.time(),
        ends=end_local.time(),
        place_kind=session.place_kind.value,
        location_id=session.location_id or 0,
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
                override_reason=form.override_reason.data,
                locale=current_locale(),
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The session is moved. The digibuddy and the resident are told."), "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "scheduling/session_form.html", form=form, help_request=session.request, session=session
    ), status


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
