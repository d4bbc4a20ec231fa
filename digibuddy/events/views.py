"""Learning-network events. The central administrator organises events for the whole network (or for one
network), a coordinator for their own network; the people each event is for (coordinators, counter staff,
digibuddies) register and cancel themselves, and the organiser records attendance afterwards."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.models import Role
from ..audit.services import change_history, record_list
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import gettext as _
from ..core.scoping import caller_network_ids, get_scoped_or_404, scoped
from ..extensions import db
from ..network.models import LocalNetwork
from . import services
from .forms import EventForm, audience_labels, kind_labels
from .models import Attendance, EventRegistration, NetworkEvent, RegistrationStatus

bp = Blueprint("events", __name__)


def _may_organise() -> bool:
    return current_user.is_admin or current_user.has_role(Role.COORDINATOR)


def _organised_or_404(event_id: int) -> NetworkEvent:
    """An event the caller organises: any for the central administrator, their networks' own for a
    coordinator (a central event or another network's is a 404)."""
    if current_user.is_admin:
        return db.session.get(NetworkEvent, event_id) or abort(404)
    return get_scoped_or_404(NetworkEvent, event_id, Role.COORDINATOR)


def _organises(event: NetworkEvent) -> bool:
    return current_user.is_admin or (
        event.network_id is not None and event.network_id in caller_network_ids(Role.COORDINATOR)
    )


@bp.app_template_global()
def event_kind_label(kind) -> str:
    return str(kind_labels().get(str(kind), kind))


@bp.app_template_global()
def event_audience_text(audience) -> str:
    labels = audience_labels()
    return ", ".join(str(labels[a]) for a in audience or [] if a in labels)


@bp.app_template_global()
def change_action_text(action) -> str:
    return {
        "created": _("Created"),
        "edited": _("Changed"),
        "cancelled": _("Cancelled"),
    }.get(action, action)


# ----------------------------------------------------------------------------------------------- attendees
@bp.route("/events")
@login_required
def index():
    events = services.upcoming_for(current_user)
    mine = services.registrations_of(current_user, [e.id for e in events])
    return render_template(
        "events/index.html",
        events=events,
        mine=mine,
        organiser=_may_organise(),
        now=utcnow(),
        placed={e.id: services.placed_count(e.id) for e in events},
    )


@bp.route("/events/<id:event_id>")
@login_required
def detail(event_id):
    event = db.session.get(NetworkEvent, event_id) or abort(404)
    registration = services.registrations_of(current_user, [event.id]).get(event.id)
    may_attend = services.registering_network(current_user, event) is not None
    organises = _organises(event)
    # A coordinator follows the centre's events for their network: who of their people registered.
    follows = event.network_id is None and current_user.has_role(Role.COORDINATOR)
    if not (may_attend or organises or follows or registration is not None):
        abort(404)
    if event.cancelled_at is not None and not (organises or registration is not None):
        abort(404)
    ours = []
    if follows and not current_user.is_admin:
        ours = db.session.scalars(
            scoped(EventRegistration, Role.COORDINATOR)
            .where(
                EventRegistration.event_id == event.id,
                EventRegistration.status != RegistrationStatus.CANCELLED,
                EventRegistration.user_id.is_not(None),
            )
            .order_by(EventRegistration.created_at)
        ).all()
        if ours:
            record_list(
                current_user, "event_registration", {r.network_id for r in ours}, detail=str(event.id)
            )
    now = utcnow()
    return render_template(
        "events/detail.html",
        event=event,
        registration=registration,
        position=services.waiting_position(registration) if registration else None,
        may_attend=may_attend,
        is_open=services.registration_open(event, now),
        organises=organises,
        placed=services.placed_count(event.id),
        ours=ours,
        now=now,
    )


@bp.route("/events/<id:event_id>/register", methods=["POST"])
@login_required
def register(event_id):
    event = db.session.get(NetworkEvent, event_id) or abort(404)
    if services.registering_network(current_user, event) is None:
        abort(404)
    try:
        registration = services.register(event, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            flash(_("You are registered. The invitation is in your mailbox."), "success")
        else:
            flash(
                _("The event is full: you are on the waiting list. We e-mail you when a place frees up."),
                "success",
            )
    return redirect(url_for("events.detail", event_id=event_id), 303)


@bp.route("/events/<id:event_id>/unregister", methods=["POST"])
@login_required
def unregister(event_id):
    event = db.session.get(NetworkEvent, event_id) or abort(404)
    if services.registrations_of(current_user, [event.id]).get(event.id) is None:
        abort(404)
    try:
        services.cancel_registration(event, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("events.detail", event_id=event_id), 303)


@bp.route("/events/<id:event_id>/invite.ics")
@login_required
def invite(event_id):
    """The calendar invitation, for someone with a place (also attached to their confirmation e-mail)."""
    event = db.session.get(NetworkEvent, event_id) or abort(404)
    registration = services.registrations_of(current_user, [event.id]).get(event.id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        abort(404)
    name, content_type, text = services.invitation(event, cancelled=event.cancelled_at is not None)
    response = Response(text, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ----------------------------------------------------------------------------------------------- organisers
def _organisable_networks() -> list[LocalNetwork]:
    stmt = select(LocalNetwork).order_by(LocalNetwork.name)
    if not current_user.is_admin:
        stmt = stmt.where(LocalNetwork.id.in_(caller_network_ids(Role.COORDINATOR)))
    return db.session.scalars(stmt).all()


@bp.route("/admin/events")
@login_required
def central():
    """The central administrator's list: every event of every organiser."""
    if not current_user.is_admin:
        abort(403)
    return manage()


@bp.route("/events/organise")
@login_required
def manage():
    if not _may_organise():
        abort(403)
    stmt = select(NetworkEvent).order_by(NetworkEvent.starts_at.desc(), NetworkEvent.id)
    if not current_user.is_admin:
        stmt = scoped(NetworkEvent, Role.COORDINATOR).order_by(NetworkEvent.starts_at.desc(), NetworkEvent.id)
    events = db.session.scalars(stmt).all()
    now = utcnow()
    central = []
    if not current_user.is_admin:  # a coordinator follows who of their network goes to the centre's events
        central = db.session.scalars(
            select(NetworkEvent)
            .where(
                NetworkEvent.network_id.is_(None),
                NetworkEvent.ends_at > now,
                NetworkEvent.cancelled_at.is_(None),
            )
            .order_by(NetworkEvent.starts_at, NetworkEvent.id)
        ).all()
    return render_template(
        "events/manage.html",
        central=central,
        upcoming=[e for e in events if e.ends_at > now][::-1],
        past=[e for e in events if e.ends_at <= now],
        placed={e.id: services.placed_count(e.id) for e in events},
        waiting={e.id: len(services.waiting_list(e.id)) for e in events},
    )


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new():
    if not _may_organise():
        abort(403)
    return _edit(None)


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id):
    return _edit(_organised_or_404(event_id))


def _edit(event: NetworkEvent | None):
    networks = _organisable_networks()
    if not current_user.is_admin and not networks:
        abort(403)
    form = EventForm(networks=networks, centre=current_user.is_admin)
    single = not current_user.is_admin and len(networks) == 1
    if single:  # a coordinator of one network organises for it: nothing to choose
        del form.network
    if event is not None and not form.is_submitted():
        form.fill(event)
    if form.validate_on_submit():
        details = form.details(network_id=networks[0].id if single else None)
        try:
            event = services.save_event(event, details, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.registrations", event_id=event.id), 303)
    history = change_history(services.CHANGE_SUBJECT, event.id) if event is not None else []
    return render_template("events/form.html", form=form, event=event, networks=networks, history=history), (
        422 if form.errors or form.form_errors else 200
    )


@bp.route("/events/<id:event_id>/cancel", methods=["POST"])
@login_required
def cancel(event_id):
    event = _organised_or_404(event_id)
    try:
        services.cancel_event(event, actor=current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("The event is cancelled. Everyone who registered gets an e-mail."), "success")
    return redirect(url_for("events.registrations", event_id=event.id), 303)


@bp.route("/events/<id:event_id>/registrations", methods=["GET", "POST"])
@login_required
def registrations(event_id):
    """Who registered and who waits; after the start, the organiser marks who came."""
    event = _organised_or_404(event_id)
    now = utcnow()
    if request.method == "POST":
        from flask_wtf.csrf import validate_csrf
        from wtforms.validators import ValidationError

        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        marks = {}
        for key, value in request.form.items():
            if key.startswith("attendance-") and key[11:].isdigit() and len(key) < 24:
                marks[int(key[11:])] = value if value in {a.value for a in Attendance} else ""
        try:
            changed = services.record_attendance(event, marks, actor=current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Attendance is saved (%(count)s changed).", count=changed), "success")
        return redirect(url_for("events.registrations", event_id=event.id), 303)
    stmt = select(EventRegistration) if current_user.is_admin else scoped(EventRegistration, Role.COORDINATOR)
    found = db.session.scalars(
        stmt.where(EventRegistration.event_id == event.id).order_by(
            EventRegistration.created_at, EventRegistration.id
        )
    ).all()
    if found:
        record_list(
            current_user, "event_registration", {r.network_id for r in found if r.network_id}, str(event.id)
        )
    placed = [r for r in found if r.status == RegistrationStatus.REGISTERED]
    waiting = services.waiting_list(event.id) if found else []
    return render_template(
        "events/registrations.html",
        event=event,
        placed=placed,
        waiting=[r for r in waiting if r in found],
        cancelled=[r for r in found if r.status == RegistrationStatus.CANCELLED],
        started=event.starts_at <= now,
        history=change_history(services.CHANGE_SUBJECT, event.id),
        networks_by_id={n.id: n.name for n in db.session.scalars(select(LocalNetwork))},
        now=now,
    )
