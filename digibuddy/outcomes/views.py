"""Recording outcomes (volunteer or coordinator), closing requests (coordinator), and resident feedback:
through the public link, taken down by staff, or filled in by the resident at the counter."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.models import Role
from ..audit.services import record_list, record_view
from ..core.auth import role_required
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import RESIDENT_LOCALES, resident_facing
from ..core.i18n import gettext as _
from ..core.scoping import actionable, caller_network_ids, get_actionable_or_404, get_scoped_or_404
from ..core.security import personal_page
from ..extensions import db
from ..requests.models import HelpRequest
from ..scheduling.models import HelpSession, SessionStatus
from . import services, vocabulary
from .forms import CloseRequestForm, FeedbackForm, OutcomeForm, StaffFeedbackForm
from .models import Feedback, FeedbackChannel, Outcome

bp = Blueprint("outcomes", __name__)
STAFF = (Role.COUNTER, Role.COORDINATOR)


def _session_for_caller(session_id) -> HelpSession:
    """The session, if the caller is its volunteer or coordinates its request's network; else 404."""
    return get_actionable_or_404(HelpSession, session_id, Role.COORDINATOR)


@bp.route("/outcomes")
@login_required
def index():
    if current_user.volunteer_profile is None and not caller_network_ids(Role.COORDINATOR):
        abort(403)
    stmt = actionable(HelpSession, Role.COORDINATOR)
    now = utcnow()
    waiting = db.session.scalars(
        stmt.where(HelpSession.status == SessionStatus.PLANNED, HelpSession.starts_at <= now)
        .options(selectinload(HelpSession.request))
        .order_by(HelpSession.starts_at)
        .limit(200)
    ).all()
    recent = db.session.scalars(
        stmt.join(Outcome, Outcome.session_id == HelpSession.id)
        .order_by(Outcome.recorded_at.desc())
        .limit(20)
    ).all()
    shown = {s.request.network_id for s in (*waiting, *recent)}
    if shown:
        record_list(current_user, "help_session", shown, detail="outcomes to record")
    return render_template("outcomes/index.html", waiting=waiting, recent=recent)


def _form_defaults(session: HelpSession) -> dict:
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    return {"topics": [t.id for t in session.request.topics], "minutes_spent": minutes}


@bp.route("/sessions/<session_id>/outcome", methods=["GET", "POST"])
@login_required
def record(session_id):
    session = _session_for_caller(session_id)
    if request.method == "GET":
        record_view(current_user, "help_session", session.id, session.request.network_id, detail="outcome")
    if session.outcome is not None or session.status != SessionStatus.PLANNED:
        return render_template("outcomes/recorded.html", session=session)
    form = OutcomeForm(data=None if request.method == "POST" else _form_defaults(session))
    if form.is_submitted():
        valid = form.validate()
        if not form.took_place:
            # A session that did not take place needs none of the other answers.
            for field in form:
                if field.name not in ("attendance", "csrf_token"):
                    field.errors = []
            valid = not form.attendance.errors and not form.csrf_token.errors
        if valid:
            took_place = form.took_place
            try:
                services.record_outcome(
                    session,
                    actor=current_user,
                    attendance=form.attendance.data,
                    result=form.result.data if took_place else None,
                    referred_to=form.referral() if took_place else None,
                    topic_ids=form.topics.data if took_place else (),
                    minutes_spent=form.minutes_spent.data if took_place else None,
                    confidence_before=form.confidence(form.confidence_before) if took_place else None,
                    confidence_after=form.confidence(form.confidence_after) if took_place else None,
                    follow_up_needed=took_place and form.follow_up.data == "yes",
                )
            except DomainError as error:
                db.session.rollback()
                if error.field == "referred_to" and form.referred_to.data == "other":
                    error.field = "referred_other"
                apply_domain_error(form, error)
            else:
                if not took_place:
                    flash(
                        _("Thank you. The session is marked as not held; a new session can be planned."),
                        "info",
                    )
                elif form.follow_up.data == "yes":
                    flash(_("Thank you. The outcome is recorded; plan the follow-up session."), "success")
                else:
                    flash(_("Thank you. The outcome is recorded and the request is closed."), "success")
                return redirect(url_for("outcomes.index"))
    status = 422 if (form.errors or form.form_errors) else 200
    return render_template("outcomes/record.html", session=session, form=form), status


def _staff_request(request_id, *roles) -> HelpRequest:
    help_request = get_scoped_or_404(HelpRequest, request_id, *(roles or STAFF))
    if help_request.resident.anonymised_at is not None:
        abort(404)
    return help_request


def _request_page(help_request, close_form=None, status=200):
    sessions = db.session.scalars(
        select(HelpSession).where(HelpSession.request_id == help_request.id).order_by(HelpSession.starts_at)
    ).all()
    feedback = db.session.scalar(select(Feedback).where(Feedback.request_id == help_request.id))
    may_close = current_user.has_role(Role.COORDINATOR, help_request.network_id)
    return render_template(
        "outcomes/request.html",
        help_request=help_request,
        sessions=sessions,
        feedback=feedback,
        close_form=close_form or CloseRequestForm(),
        may_close=may_close,
        feedback_possible=services.feedback_possible(help_request),
    ), status


@bp.route("/requests/<request_id>/outcomes")
@role_required(*STAFF)
def request_outcomes(request_id):
    return _request_page(_staff_request(request_id))


@bp.route("/requests/<request_id>/close", methods=["POST"])
@role_required(Role.COORDINATOR)
def close(request_id):
    help_request = _staff_request(request_id, Role.COORDINATOR)
    form = CloseRequestForm()
    if form.validate_on_submit():
        try:
            services.close_request(
                help_request,
                actor=current_user,
                result=form.result.data or None,
                unresolved=form.closing.data == "unresolved",
                note=form.note.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The request is closed."), "success")
            return redirect(url_for("outcomes.request_outcomes", request_id=help_request.id))
    return _request_page(help_request, form, 422)


@bp.route("/requests/<request_id>/feedback", methods=["GET", "POST"])
@role_required(*STAFF)
def staff_feedback(request_id):
    help_request = _staff_request(request_id)
    form = StaffFeedbackForm()
    if form.validate_on_submit():
        try:
            services.record_feedback(
                help_request,
                channel=form.channel.data,
                satisfaction=form.satisfaction.data,
                ease=form.ease.data,
                trust=form.trust.data,
                comment=form.comment.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("Thank you. The feedback is recorded."), "success")
            return redirect(url_for("outcomes.request_outcomes", request_id=help_request.id))
    status = 422 if (form.errors or form.form_errors) else 200
    return render_template("outcomes/staff_feedback.html", help_request=help_request, form=form), status


def _resident_form_page(help_request, form, action, status=200):
    return render_template(
        "outcomes/feedback.html", form=form, action=action, network=help_request.network, at_counter=True
    ), status


@bp.route("/requests/<request_id>/feedback/resident", methods=["GET", "POST"])
@resident_facing
@role_required(*STAFF)
def counter_feedback(request_id):
    """The resident fills in the faces themselves on the counter's screen, in their own language."""
    help_request = _staff_request(request_id)
    locale = request.args.get("lang")
    locale = locale if locale in RESIDENT_LOCALES else help_request.resident.locale
    with force_locale(locale):
        form = FeedbackForm()
        action = url_for("outcomes.counter_feedback", request_id=help_request.id)
        if db.session.scalar(select(Feedback.id).where(Feedback.request_id == help_request.id)):
            return render_template(
                "outcomes/feedback_thanks.html",
                network=help_request.network,
                at_counter=True,
                back_url=url_for("outcomes.request_outcomes", request_id=help_request.id),
            )
        if form.validate_on_submit():
            try:
                services.record_feedback(
                    help_request,
                    channel=FeedbackChannel.COUNTER,
                    satisfaction=form.satisfaction.data,
                    ease=form.ease.data,
                    trust=form.trust.data,
                    comment=form.comment.data,
                    actor=current_user,
                )
            except DomainError as error:
                db.session.rollback()
                apply_domain_error(form, error)
            else:
                return redirect(action)
        status = 422 if (form.errors or form.form_errors) else 200
        return _resident_form_page(help_request, form, action, status)


@bp.route("/feedback/<token>", methods=["GET", "POST"])
@resident_facing
@personal_page
def feedback(token):
    """The public feedback page behind the link sent to the resident. Shows nothing personal."""
    if not token or len(token) > 64:
        abort(404)
    help_request = db.session.scalar(select(HelpRequest).where(HelpRequest.feedback_token == token))
    if help_request is None or help_request.resident.anonymised_at is not None:
        abort(404)
    if db.session.scalar(select(Feedback.id).where(Feedback.request_id == help_request.id)):
        return render_template("outcomes/feedback_thanks.html", network=help_request.network)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            services.record_feedback(
                help_request,
                channel=FeedbackChannel.LINK,
                satisfaction=form.satisfaction.data,
                ease=form.ease.data,
                trust=form.trust.data,
                comment=form.comment.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            return redirect(url_for("outcomes.feedback", token=token))
    status = 422 if (form.errors or form.form_errors) else 200
    return render_template(
        "outcomes/feedback.html",
        form=form,
        network=help_request.network,
        action=url_for("outcomes.feedback", token=token),
    ), status


# The vocabulary of outcomes, for the templates.
bp.add_app_template_global(vocabulary.referral_label, "referral_label")
bp.add_app_template_global(vocabulary.satisfaction_label, "satisfaction_label")
bp.add_app_template_global(vocabulary.feedback_channel_label, "feedback_channel_label")
bp.add_app_template_global(vocabulary.ease_label, "ease_label")
bp.add_app_template_global(vocabulary.trust_label, "trust_label")
