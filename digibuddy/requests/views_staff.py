"""Staff pages: counter and phone intake with duplicate search, printable slips, the request queue."""

from dataclasses import dataclass
from datetime import timedelta

from babel import dates
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_babel, get_locale, get_timezone
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import Role
from ..audit.services import record_list, record_view
from ..core.auth import role_required
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale, language_name
from ..core.i18n import gettext as _
from ..core.labels import label
from ..core.scoping import caller_network_ids, get_scoped_or_404, id_or_none, scoped
from ..extensions import db
from ..network.models import Location
from ..network.services import network_for_postcode
from ..reference.models import Topic, TopicGroup
from . import services
from .forms import IntakeForm, QueueFilterForm, ResidentSearchForm
from .models import (
    OPEN_STATUSES,
    HelpRequest,
    IntakeChannel,
    RequestEvent,
    RequestStatus,
    Resident,
    request_languages,
    request_topics,
)

bp = Blueprint("queue", __name__)
STAFF = (Role.COUNTER, Role.COORDINATOR)
QUEUE_PAGE_SIZE = 50


@bp.route("/intake")
@role_required(*STAFF)
def intake():
    form = ResidentSearchForm(request.args)
    searched = any((form.first_name.data, form.phone.data))
    matches = []
    if searched and form.validate():
        matches = services.search_residents(
            caller_network_ids(*STAFF),
            first_name=form.first_name.data,
            postcode=form.postcode.data,
            phone=form.phone.data,
        )
        record_list(
            current_user, "resident", caller_network_ids(*STAFF), detail=f"search: {len(matches)} found"
        )
    return render_template("requests/staff/intake_search.html", form=form, matches=matches, searched=searched)


@bp.route("/intake/new", methods=["GET", "POST"])
@role_required(*STAFF)
def intake_new():
    network_ids = caller_network_ids(*STAFF)
    resident = None
    if request.args.get("resident"):
        resident = get_scoped_or_404(Resident, request.args["resident"], *STAFF)
    locations = db.session.scalars(
        scoped(Location, *STAFF).where(Location.active.is_(True)).order_by(Location.name)
    ).all()
    prefill = {}
    if resident is not None and request.method == "GET":
        prefill = {
            "first_name": resident.first_name,
            "postcode": resident.postcode_code,
            "phone": resident.phone,
            "email": resident.email,
            "has_no_email": resident.has_no_email,
            "locale": resident.locale,
            "age_band": resident.age_band.value if resident.age_band else "",
            "languages": list(resident.language_codes),
        }
    form = IntakeForm(locations=locations, **prefill)
    if resident is not None:
        form.existing_street_address = resident.street_address
    if form.is_submitted() and form.validate():
        network = network_for_postcode(form.postcode.data)
        if network is None or network.id not in network_ids:
            form.postcode.errors.append(
                _(
                    "This postcode is not covered by your local network. Give the resident the phone number "
                    "of their own network (see the home page)."
                )
            )
        else:
            resident_details, request_details = form.details(form.locale.data)
            try:
                created = services.create_request(
                    network=network,
                    resident=resident,
                    resident_details=resident_details,
                    request_details=request_details,
                    channel=IntakeChannel(form.channel.data),
                    consent_given=form.consent.data,
                    staff=current_user,
                    intake_location_id=form.intake_location_id.data or None,
                )
            except DomainError as error:
                db.session.rollback()
                apply_domain_error(form, error)
            else:
                return redirect(url_for("queue.slip", request_id=created.id, new=1))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("requests/staff/intake_form.html", form=form, resident=resident), status


@bp.route("/requests/<request_id>/slip")
@role_required(*STAFF)
def slip(request_id):
    help_request = get_scoped_or_404(HelpRequest, request_id, *STAFF)
    record_view(current_user, "help_request", help_request.id, help_request.network_id, detail="slip")
    with force_locale(help_request.resident.locale):
        return render_template(
            "requests/slip.html",
            help_request=help_request,
            layout=request.args.get("layout", "a4"),
            back_url=url_for("queue.detail", request_id=help_request.id),
            staff_copy=True,
        )


def _apply_filters(stmt, form: QueueFilterForm):
    data = {name: (field.data if not field.errors else None) for name, field in form._fields.items()}
    if data["status"] == "open":
        stmt = stmt.where(HelpRequest.status.in_(OPEN_STATUSES))
    elif data["status"] in RequestStatus._value2member_map_:
        stmt = stmt.where(HelpRequest.status == RequestStatus(data["status"]))
    if data["channel"] in IntakeChannel._value2member_map_:
        stmt = stmt.where(HelpRequest.intake_channel == IntakeChannel(data["channel"]))
    if data["group"]:
        stmt = stmt.where(
            HelpRequest.id.in_(
                select(request_topics.c.request_id)
                .join(Topic, Topic.id == request_topics.c.topic_id)
                .join(TopicGroup, TopicGroup.id == Topic.group_id)
                .where(TopicGroup.code == data["group"])
            )
        )
    if data["language"]:
        stmt = stmt.where(
            HelpRequest.id.in_(
                select(request_languages.c.request_id).where(
                    request_languages.c.language_code == data["language"]
                )
            )
        )
    if data["older_than"] and data["older_than"].isdigit():
        stmt = stmt.where(HelpRequest.created_at < utcnow() - timedelta(days=int(data["older_than"])))
    return stmt


@dataclass(frozen=True)
class QueueRow:
    """One row of the queue as it reads: the request and its cells in the page's language."""

    request: HelpRequest
    topics: str
    languages: str
    mode: str
    channel: str
    status: str
    waiting: str
    created: str


def queue_rows(requests: list[HelpRequest], now) -> list[QueueRow]:
    """The queue's rows, formatted as the template filters (flask_babel's) format them, with the locale,
    time zone and date format looked up once for the page instead of for every cell of its 50 rows, and
    each label once."""
    locale, babel_locale, zone = current_locale(), get_locale(), get_timezone()
    short = get_babel().instance.date_formats["datetime.short"] or "short"
    labels: dict[tuple, str] = {}

    def named(kind, value):
        key = (kind, value)
        if key not in labels:
            labels[key] = label(kind, value)
        return labels[key]

    return [
        QueueRow(
            request=r,
            topics=", ".join(topic.label(locale) for topic in r.topics),
            languages=", ".join(language_name(language.code, locale) for language in r.languages),
            mode=named("help_mode", r.preferred_mode),
            channel=named("intake_channel", r.intake_channel),
            status=named("request_status", r.status),
            waiting=dates.format_timedelta(now - r.created_at, "second", threshold=1.5, locale=babel_locale),
            created=dates.format_datetime(r.created_at, short, tzinfo=zone, locale=babel_locale),
        )
        for r in requests
    ]


# The queue's filter fields as rendered, by what decides them: about 70 options through WTForms and the
# field macro cost as much as the queue's 50 rows. Bounded: emptied when it holds this many.
_FILTERS: dict[tuple, Markup] = {}
FILTERS_KEPT = 512


@bp.app_template_global()
def queue_filter_fields(form) -> Markup:
    """The filter form's fields (requests/staff/_queue_filters.html), rendered once per language, choices,
    chosen values and errors."""
    key = (
        current_locale(),
        *(
            (f.name, f.data, tuple((value, str(text)) for value, text in f.choices), tuple(f.errors))
            for f in form
        ),
    )
    found = _FILTERS.get(key)
    if found is None:
        if len(_FILTERS) >= FILTERS_KEPT:
            _FILTERS.clear()
        found = _FILTERS[key] = Markup(render_template("requests/staff/_queue_filters.html", form=form))
    return found


@bp.route("/requests")
@role_required(*STAFF)
def index():
    form = QueueFilterForm(request.args)
    form.validate()
    stmt = _apply_filters(scoped(HelpRequest, *STAFF), form)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    # Oldest first by default: the resident who has waited longest is the next one to help.
    order = HelpRequest.created_at.desc() if request.args.get("sort") == "newest" else HelpRequest.created_at
    rows = db.session.scalars(
        stmt.order_by(order, HelpRequest.id)
        .limit(QUEUE_PAGE_SIZE)
        .offset((page - 1) * QUEUE_PAGE_SIZE)
        # Each row shows its resident, topics and languages: three queries for the page, not three per row.
        .options(
            joinedload(HelpRequest.resident),
            selectinload(HelpRequest.topics),
            selectinload(HelpRequest.languages),
        )
    ).all()
    args = {k: v for k, v in request.args.items() if k != "page"}
    record_list(current_user, "help_request", caller_network_ids(*STAFF), detail=f"queue page {page}")
    return render_template(
        "requests/staff/queue.html",
        form=form,
        rows=queue_rows(rows, utcnow()),
        total=total,
        page=page,
        pages=max(1, -(-total // QUEUE_PAGE_SIZE)),
        args=args,
    )


@bp.route("/requests/<request_id>")
@role_required(*STAFF)
def detail(request_id):
    # What the page shows of the request: its resident and their place, who registered it, each session's
    # digibuddy and who did what in its log joined to it, the lists in one statement each.
    shown = (
        joinedload(HelpRequest.resident).joinedload(Resident.postcode),
        joinedload(HelpRequest.created_by),
        selectinload(HelpRequest.topics),
        selectinload(HelpRequest.languages),
        selectinload(HelpRequest.time_windows),
        # The sessions' class belongs to scheduling, a higher area this one does not import: reached
        # through the relationship instead.
        selectinload(HelpRequest.sessions).joinedload(HelpRequest.sessions.property.mapper.class_.volunteer),
        selectinload(HelpRequest.events).joinedload(RequestEvent.actor),
    )
    help_request = get_scoped_or_404(HelpRequest, request_id, *STAFF, options=shown)
    if help_request.resident.anonymised_at is not None:
        abort(404)
    from ..audit.services import record_view

    record_view(current_user, "help_request", help_request.id, help_request.network_id)
    duplicates = []
    if help_request.network_id in caller_network_ids(Role.COORDINATOR):
        resident = help_request.resident
        duplicates = [
            other
            for other in services.search_residents(
                [help_request.network_id],
                first_name=resident.first_name,
                postcode=resident.postcode_code,
                phone=resident.phone,
            )
            if other.id != resident.id
        ]
    return render_template(
        "requests/staff/detail.html", help_request=help_request, duplicates=duplicates, form=FlaskForm()
    )


@bp.route("/residents/<resident_id>/messages", methods=["POST"])
@role_required(*STAFF)
def resident_messages(resident_id):
    """Staff stop every message to a resident who asks for it (by phone, at the counter), or start them
    again; the request page they came from stays open."""
    resident = get_scoped_or_404(Resident, resident_id, *STAFF)
    if resident.anonymised_at is not None:
        abort(404)
    if FlaskForm().validate_on_submit():
        if request.form.get("action") == "resume":
            services.resume_messages(resident, via="staff", actor=current_user)
            flash(_("Messages go out to this resident again."), "success")
        else:
            services.stop_messages(resident, via="staff", actor=current_user)
            flash(_("No message goes out to this resident any more."), "success")
    of_resident = HelpRequest.resident_id == resident.id
    came_from = id_or_none(request.form.get("request_id"))
    back = db.session.scalar(select(HelpRequest.id).where(HelpRequest.id == came_from, of_resident))
    back = back or db.session.scalar(select(func.max(HelpRequest.id)).where(of_resident))
    return redirect(url_for("queue.detail", request_id=back) if back else url_for("queue.index"))


@bp.route("/residents/<resident_id>/merge", methods=["POST"])
@role_required(Role.COORDINATOR)
def merge_resident(resident_id):
    """A coordinator makes two records of one person one; the request page they came from stays open."""
    keep = get_scoped_or_404(Resident, resident_id, Role.COORDINATOR)
    duplicate = None
    if request.form.get("duplicate"):
        duplicate = get_scoped_or_404(Resident, request.form.get("duplicate"), Role.COORDINATOR)
    back = id_or_none(request.form.get("request_id"))
    if duplicate is None:
        flash(_("Choose another resident to merge with."), "error")
    elif FlaskForm().validate_on_submit():
        try:
            services.merge_residents(keep, duplicate, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("The two residents are now one. Every request is kept."), "success")
    mine = db.session.scalar(
        select(HelpRequest.id).where(HelpRequest.id == (back or 0), HelpRequest.resident_id == keep.id)
    )
    if mine is None:
        mine = db.session.scalar(select(HelpRequest.id).where(HelpRequest.resident_id == keep.id))
    return redirect(url_for("queue.detail", request_id=mine) if mine else url_for("queue.index"))
