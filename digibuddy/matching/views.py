"""Offers for volunteers (accept, decline) and the coordinator's matching tools (suggestions, offer,
assign directly, batch proposal)."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..accounts.models import Role
from ..audit.services import record_view
from ..core.auth import role_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import gettext as _
from ..core.labels import label
from ..core.scoping import caller_network_ids, get_scoped_or_404, id_or_404
from ..extensions import db
from ..requests import services as request_services
from ..requests.forms import RequestChangeForm
from ..requests.models import HelpRequest, RequestStatus
from ..volunteers.models import VolunteerProfile
from . import services
from .explain import explain, explain_reasons, rule_sentence
from .forms import AcceptForm, AssignForm, BatchConfirmForm, DeclineForm, OfferToForm
from .models import Offer

bp = Blueprint("matching", __name__)


def _own_offer(offer_id) -> Offer:
    profile = current_user.volunteer_profile
    offer = db.session.get(Offer, id_or_404(offer_id))
    if profile is None or offer is None or offer.volunteer_id != profile.id:
        abort(404)
    return offer


@bp.route("/offers/<offer_id>")
@login_required
def offer(offer_id):
    offer = _own_offer(offer_id)
    record_view(current_user, "help_request", offer.request_id, offer.request.network_id, detail="offer")
    return render_template(
        "matching/offer.html",
        offer=offer,
        explanation=explain(offer.explanation),
        accept_form=AcceptForm(),
        decline_form=DeclineForm(),
    )


@bp.route("/offers/<offer_id>/accept", methods=["POST"])
@login_required
def accept(offer_id):
    offer = _own_offer(offer_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.accept_offer(offer.id, current_user.volunteer_profile)
    except services.AlreadyTaken as error:
        flash(error.message, "info")
        return redirect(url_for("public.dashboard"))
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("matching.offer", offer_id=offer.id))
    flash(_("Thank you! The resident is yours. Contact them to plan a first session."), "success")
    return redirect(url_for("matching.offer", offer_id=offer.id))


@bp.route("/offers/<offer_id>/decline", methods=["POST"])
@login_required
def decline(offer_id):
    offer = _own_offer(offer_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline_offer(offer, current_user.volunteer_profile, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("Thank you for letting us know. We ask another digibuddy."), "info")
            return redirect(url_for("public.dashboard"))
    return render_template(
        "matching/offer.html",
        offer=offer,
        explanation=explain(offer.explanation),
        accept_form=AcceptForm(),
        decline_form=form,
    ), 422


REASON_COUNTS = re.compile(r"^(?:[a-z_]+: \d+)(?:, [a-z_]+: \d+)*$")


@bp.app_template_global()
def event_note(event) -> str:
    """A line of the event log as people read it: an escalation's note holds the counted reasons
    ("full: 8, language: 2"), shown as translated sentences, a change what was changed, in words; any other
    note as it was written."""
    note = event.note or ""
    if event.kind == "request_changed":
        return _(
            "Changed: %(parts)s", parts=", ".join(label("request_part", part) for part in note.split(", "))
        )
    if event.to_status == RequestStatus.ESCALATED and REASON_COUNTS.match(note):
        counts = {key: int(value) for key, value in (part.split(": ") for part in note.split(", "))}
        return explain_reasons(counts, event.request)
    return note


def _coordinated_request(request_id) -> HelpRequest:
    return get_scoped_or_404(HelpRequest, request_id, Role.COORDINATOR)


@bp.route("/requests/<request_id>/matching")
@role_required(Role.COORDINATOR)
def suggestions(request_id, assign_form=None):
    help_request = _coordinated_request(request_id)
    record_view(current_user, "help_request", help_request.id, help_request.network_id, detail="matching")
    can_match = help_request.status in services.OPEN_FOR_MATCHING
    if can_match:
        result, misses = services.suggestions_and_near_misses(help_request, limit=15)
    else:
        result, misses = services.suggestions(help_request, limit=15), []
    # Every digibuddy the page names (candidates, near misses, those already asked), with their user, at once.
    offers = db.session.scalars(
        db.select(Offer).where(Offer.request_id == help_request.id).order_by(Offer.created_at)
    ).all()
    named = {c.volunteer_id for c in result.candidates} | {m.volunteer_id for m in misses}
    named |= {o.volunteer_id for o in offers}
    profiles = {
        p.id: p for p in db.session.scalars(db.select(VolunteerProfile).where(VolunteerProfile.id.in_(named)))
    }
    rows = [
        {"candidate": c, "volunteer": profiles[c.volunteer_id], "explanation": explain(c.explanation)}
        for c in result.candidates
    ]
    near = [
        {"miss": m, "volunteer": profiles[m.volunteer_id], "missing": rule_sentence(m.reason, m.detail)}
        for m in misses
    ]
    return render_template(
        "matching/suggestions.html",
        help_request=help_request,
        rows=rows,
        near=near,
        offers=offers,
        reasons=explain_reasons(result.reason_counts, help_request, nobody_fits=not rows),
        escalation=explain_reasons(help_request.escalation_reasons, help_request),
        offer_form=OfferToForm(),
        assign_form=assign_form or AssignForm(),
        start_form=AcceptForm(),
        can_match=can_match,
    )


def _volunteer_for(form) -> VolunteerProfile:
    volunteer = db.session.get(VolunteerProfile, form.volunteer_id.data)
    if volunteer is None:
        abort(404)
    return volunteer


@bp.route("/requests/<request_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_request(request_id):
    """A coordinator changes what, how, in which languages and when; a request still looking for its
    digibuddy is matched again from the first round."""
    help_request = _coordinated_request(request_id)
    if help_request.resident.anonymised_at is not None:
        abort(404)
    if request.method == "GET":
        record_view(current_user, "help_request", help_request.id, help_request.network_id, detail="change")
    form = RequestChangeForm() if request.method == "POST" else RequestChangeForm.for_request(help_request)
    form.existing_street_address = help_request.resident.street_address
    if form.validate_on_submit():
        try:
            changed = request_services.change_request(
                help_request, form.request_details(), form.street_address.data, current_user
            )
            offer = services.rematch_after_change(help_request, changed, current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            if not changed:
                flash(_("Nothing was changed."), "info")
            elif offer is not None:
                flash(
                    _("The request was changed and offered to the digibuddy who fits it best now."), "success"
                )
            elif help_request.status == RequestStatus.ESCALATED:
                flash(_("The request was changed. Still nobody fits it: it needs you."), "info")
            else:
                flash(_("The request was changed."), "success")
            return redirect(url_for("queue.detail", request_id=help_request.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("matching/edit_request.html", form=form, help_request=help_request), status


@bp.route("/requests/<request_id>/matching/start", methods=["POST"])
@role_required(Role.COORDINATOR)
def start(request_id):
    help_request = _coordinated_request(request_id)
    if AcceptForm().validate_on_submit():
        try:
            offer = services.start_matching(help_request, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(
                _("The request was offered to the best digibuddy.")
                if offer
                else _("Nobody fits this request: it needs you."),
                "info",
            )
    return redirect(url_for("matching.suggestions", request_id=help_request.id))


@bp.route("/requests/<request_id>/matching/offer", methods=["POST"])
@role_required(Role.COORDINATOR)
def offer_to(request_id):
    help_request = _coordinated_request(request_id)
    form = OfferToForm()
    if form.validate_on_submit():
        try:
            services.offer_to(help_request, _volunteer_for(form), current_user, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("The offer is sent."), "success")
    return redirect(url_for("matching.suggestions", request_id=help_request.id))


@bp.route("/requests/<request_id>/matching/assign", methods=["POST"])
@role_required(Role.COORDINATOR)
def assign(request_id):
    help_request = _coordinated_request(request_id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            services.assign_directly(help_request, _volunteer_for(form), current_user, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("The digibuddy is assigned."), "success")
            return redirect(url_for("queue.detail", request_id=help_request.id))
    else:
        flash(_("Give a reason for assigning directly."), "error")
    return redirect(url_for("matching.suggestions", request_id=help_request.id))


@bp.route("/matching/batch", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def batch():
    network_ids = caller_network_ids(Role.COORDINATOR)
    form = BatchConfirmForm()
    if form.validate_on_submit():
        pairs = []
        for key, value in request.form.items():
            if key.startswith("assign-") and value:
                try:
                    pairs.append((int(key[len("assign-") :]), int(value)))
                except ValueError:
                    continue
        made = services.confirm_batch(pairs, network_ids, current_user)
        flash(_("%(count)s offers were sent.", count=made), "success")
        return redirect(url_for("matching.batch"))
    proposal, scores, ranked = services.batch_proposal(network_ids, per_request=None)
    requests_by_id = {
        r.id: r for r in db.session.scalars(db.select(HelpRequest).where(HelpRequest.id.in_(list(ranked))))
    }
    volunteer_ids = {c.volunteer_id for cands in ranked.values() for c in cands[:5]} | set(
        proposal.assignments.values()
    )
    volunteers = {
        v.id: v
        for v in db.session.scalars(db.select(VolunteerProfile).where(VolunteerProfile.id.in_(volunteer_ids)))
    }
    rows = []
    for request_id, cands in ranked.items():
        chosen = proposal.assignments.get(request_id)
        options = list(cands[:5])
        if chosen and chosen not in {c.volunteer_id for c in options}:
            options.append(next(c for c in cands if c.volunteer_id == chosen))
        rows.append({"request": requests_by_id[request_id], "chosen": chosen, "options": options})
    rows.sort(key=lambda row: row["request"].created_at)
    return render_template(
        "matching/batch.html",
        rows=rows,
        volunteers=volunteers,
        form=form,
        total=proposal.total_score,
        assigned=len(proposal.assignments),
    )
