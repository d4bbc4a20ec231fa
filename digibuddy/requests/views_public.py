"""Resident-facing pages: ask for help online, the confirmation and slip, and the status check."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from ..core import page_cache, receipts
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale, resident_facing
from ..core.i18n import gettext as _
from ..core.security import personal_page
from ..core.time import local_today
from ..extensions import db, limiter
from ..network.coverage import count_uncovered_attempt
from ..network.services import nearest_networks, network_for_postcode
from ..reference.models import Language, Topic, TopicGroup
from . import services
from .forms import CancelForm, OnlineRequestForm, StatusLookupForm
from .models import HelpRequest, IntakeChannel
from .presenters import status_view
from .references import display_reference

bp = Blueprint("requests", __name__)
bp.add_app_template_filter(display_reference, "reference")

CONFIRMED_KEY = "confirmed_request"
STATUS_KEY = "status_request"
COUNTED_KEY = "uncovered_counted"  # the postcodes of today this browser was already counted for
receipts.shown_only_on(bp, CONFIRMED_KEY, "requests.confirmation", "requests.confirmation_slip")
# The request form offers the topic catalogue (with its hints) and the languages in their ranking.
page_cache.watch("catalogue", TopicGroup, Topic, Language)


@bp.route("/help", methods=["GET", "POST"])
@resident_facing
@page_cache.cached_for_visitors("catalogue", key=lambda: tuple(services.most_asked_topic_ids()))
def new():
    form = OnlineRequestForm()
    found = {"postcode": None, "network": None, "nearest": []}
    if form.is_submitted():
        form.validate()
        postcode = form.postcode.postcode
        if postcode is not None:
            found["postcode"] = postcode
            found["network"] = network_for_postcode(postcode.code)
            if found["network"] is None:
                _count_uncovered(postcode.code)
                found["nearest"] = nearest_networks(postcode)
                form.postcode.errors = list(form.postcode.errors) + [
                    _(
                        "There is no digibuddy network in %(municipality)s yet. See below how to get help "
                        "anyway.",
                        municipality=postcode.municipality.name(current_locale()),
                    )
                ]
        if "check_postcode" in request.form:
            # Only checking the postcode: show the municipality, not the errors of the other questions.
            for field in form:
                if field.name != "postcode":
                    field.errors = []
        elif not form.errors and found["network"] is not None:
            resident, details = form.details(current_locale())
            try:
                created = services.create_request(
                    network=found["network"],
                    resident_details=resident,
                    request_details=details,
                    channel=IntakeChannel.ONLINE,
                    consent_given=form.consent.data,
                )
            except DomainError as error:
                db.session.rollback()
                apply_domain_error(form, error)
            else:
                receipts.remember(CONFIRMED_KEY, created.id)
                return redirect(url_for("requests.confirmation"))
    status = 200 if not form.errors else 422
    return render_template("requests/public/new.html", form=form, found=found), status


def _count_uncovered(code: str) -> None:
    """Count an attempt from a postcode no network covers (the postcode and the day, nothing else), once per
    browser and day: checking the postcode and then sending the whole form is one attempt."""
    mark = f"{local_today().isoformat()}:{code}"
    counted = [item for item in session.get(COUNTED_KEY, []) if item[:10] == mark[:10]]
    if mark in counted:
        return
    count_uncovered_attempt(code)
    session[COUNTED_KEY] = [*counted, mark]


def _confirmed_request() -> HelpRequest:
    request_id = receipts.recall(CONFIRMED_KEY)
    found = db.session.get(HelpRequest, request_id) if request_id is not None else None
    if found is None:
        abort(404)
    return found


@bp.route("/help/confirmation")
@resident_facing
@personal_page
def confirmation():
    return render_template("requests/public/confirmation.html", help_request=_confirmed_request())


@bp.route("/help/slip")
@resident_facing
@personal_page
def confirmation_slip():
    help_request = _confirmed_request()
    return render_template(
        "requests/slip.html",
        help_request=help_request,
        layout=request.args.get("layout", "a4"),
        back_url=url_for("requests.confirmation"),
    )


def _lookup_limit():
    return current_app.config["STATUS_LOOKUP_LIMIT"]


@bp.route("/status", methods=["GET", "POST"])
@resident_facing
@personal_page
@page_cache.cached_for_visitors()  # a GET from memory is no look-up: the limit is on POST only
@limiter.limit(_lookup_limit, methods=["POST"])
def status():
    form = StatusLookupForm()
    if form.validate_on_submit():
        found = services.find_for_status(form.reference.data, form.postcode.data)
        if found is not None:
            receipts.remember(STATUS_KEY, found.id)
            return redirect(url_for("requests.status_detail"))
        # The same answer for every wrong combination: no hint which part was wrong.
        form.form_errors.append(
            _(
                "We could not find a request with this code and postcode. "
                "Check both and try again, or call your local network."
            )
        )
    return render_template("requests/public/status_lookup.html", form=form), (
        200 if not form.errors and not form.form_errors else 422
    )


def status_request() -> HelpRequest:
    """The request this browser opened with its code and postcode, else 404."""
    request_id = receipts.recall(STATUS_KEY, refresh=True)
    found = db.session.get(HelpRequest, request_id) if request_id is not None else None
    if found is None or found.resident.anonymised_at is not None:  # erased since: nothing to show
        abort(404)
    return found


@bp.route("/status/request")
@resident_facing
@personal_page
def status_detail():
    help_request = status_request()
    return render_template(
        "requests/public/status.html",
        view=status_view(help_request),
        help_request=help_request,
        cancel_form=CancelForm(),
    )


@bp.route("/status/cancel", methods=["POST"])
@resident_facing
@personal_page
def cancel():
    help_request = status_request()
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_by_resident(help_request, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            return redirect(url_for("requests.status_detail", cancelled=1))
    return render_template(
        "requests/public/status.html",
        view=status_view(help_request),
        help_request=help_request,
        cancel_form=form,
    ), 422


@bp.route("/status/close", methods=["POST"])
@resident_facing
def close_status():
    receipts.forget(STATUS_KEY)
    return redirect(url_for("requests.status"))
