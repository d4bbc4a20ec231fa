"""Volunteer pages: becoming a digibuddy, the own profile, training and the calendar link; and the
coordinator's list of volunteers with the vetting page."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..accounts.models import Role
from ..audit.services import record_list
from ..core import page_cache
from ..core.auth import role_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.labels import label
from ..core.scoping import caller_network_ids, get_scoped_or_404, scoped
from ..core.time import local_today
from ..extensions import db
from ..reference.models import localized
from . import lifecycle, services
from . import training as training_service
from .forms import (
    ApplyForm,
    ConfirmForm,
    LimitsForm,
    PauseForm,
    StatusForm,
    VettingForm,
    VolunteerFilterForm,
    build_profile_form,
    build_quiz_form,
)
from .lists import Filters, volunteer_list
from .models import TrainingCompletion, TrainingModule, VettingItem, VolunteerProfile, VolunteerStatus

bp = Blueprint("volunteers", __name__, url_prefix="/volunteers")
LIST_PAGE_SIZE = 50
FILTER_ARGS = ("status", "language", "topic", "channel", "postcode", "km")
MODULE_CODE = re.compile(r"[a-z0-9-]{1,40}")
_markdown = MarkdownIt("commonmark", {"html": False})


def _status(form, *others) -> int:
    return 422 if any(f is not None and (f.errors or f.form_errors) for f in (form, *others)) else 200


# --------------------------------------------------------------------------------------------- public
@bp.route("/become")
@page_cache.cached_for_visitors()
def become():
    return render_template("volunteers/become.html")


@bp.route("/apply", methods=["GET", "POST"])
def apply():
    if current_user.is_authenticated:
        flash(_("You are logged in already. Ask your coordinator to add you as a digibuddy."), "info")
        return redirect(url_for("public.dashboard"))
    form = ApplyForm()
    if form.validate_on_submit():
        try:
            profile = services.apply_as_volunteer(
                services.Application(
                    name=form.name.data,
                    email=form.email.data,
                    password=form.password.data,
                    postcode=form.postcode.data,
                    phone=form.phone.data,
                    motivation=form.motivation.data,
                    locale=current_locale(),
                )
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            login_user(profile.user)
            flash(
                _(
                    "Thank you for applying! Your coordinator will contact you soon. Meanwhile, tell us "
                    "below what you can do and when you are free."
                ),
                "success",
            )
            return redirect(url_for("volunteers.profile"))
    return render_template("volunteers/apply.html", form=form), _status(form)


# --------------------------------------------------------------------------------------------- own profile
def _own_profile() -> VolunteerProfile:
    profile = current_user.volunteer_profile
    if profile is None:
        abort(403)
    return profile


def _profile_page(profile, form=None, pause_form=None):
    form = form or build_profile_form(profile, current_locale())
    pause_form = pause_form or PauseForm(formdata=None)
    calendar_url = (
        url_for("sessions.calendar", token=profile.calendar_token, _external=True)
        if profile.calendar_token
        else None
    )
    return render_template(
        "volunteers/profile.html",
        profile=profile,
        form=form,
        pause_form=pause_form,
        confirm_form=ConfirmForm(),
        networks=services.volunteer_networks(profile),
        calendar_url=calendar_url,
    ), _status(form, pause_form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    profile = _own_profile()
    form = build_profile_form(profile, current_locale(), with_data=request.method != "POST")
    if form.is_submitted():
        valid = form.validate()
        rows_valid = form.check_rows()
        if valid and rows_valid:
            try:
                services.update_profile(
                    profile,
                    services.ProfileDetails(
                        name=form.name.data,
                        phone=form.phone.data,
                        home_postcode=form.home_postcode.data,
                        travel_radius_km=form.travel_radius_km.data,
                        max_concurrent=form.max_concurrent.data,
                        channels=list(form.channels.data),
                        languages=form.chosen_languages,
                        topics=form.chosen_topics,
                        slots=form.chosen_slots,
                    ),
                )
            except DomainError as error:
                db.session.rollback()
                apply_domain_error(form, error)
            else:
                flash(_("Your profile is saved."), "success")
                return redirect(url_for("volunteers.profile"))
        if not form.errors and not form.form_errors:  # a rule of the rows without a field of its own
            form.form_errors.append(_("Please check your answers."))
    return _profile_page(profile, form=form)


@bp.route("/profile/pause", methods=["POST"])
@login_required
def pause():
    profile = _own_profile()
    form = PauseForm()
    if form.validate_on_submit():
        try:
            services.change_status(
                profile, VolunteerStatus.PAUSED, current_user, paused_until=form.paused_until.data
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            if error.field == "status":
                form.paused_until.errors = list(form.paused_until.errors) + [error.message]
                form.form_errors.remove(error.message)
        else:
            flash(_("You are on a break. We do not send you requests until you are back."), "success")
            return redirect(url_for("volunteers.profile"))
    return _profile_page(profile, pause_form=form)


@bp.route("/profile/resume", methods=["POST"])
@login_required
def resume():
    profile = _own_profile()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.change_status(profile, VolunteerStatus.ACTIVE, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Welcome back! You can receive requests again."), "success")
    return redirect(url_for("volunteers.profile"))


@bp.route("/profile/calendar", methods=["POST"])
@login_required
def reset_calendar():
    profile = _own_profile()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.reset_calendar_token(profile)
    flash(_("You have a new calendar link. The old link no longer works."), "success")
    return redirect(url_for("volunteers.profile") + "#calendar")


# --------------------------------------------------------------------------------------------- training
def _module_or_404(profile: VolunteerProfile, code: str) -> TrainingModule:
    """A module this volunteer takes: a central one, or one of their own networks'; else 404."""
    if not MODULE_CODE.fullmatch(code or ""):
        abort(404)
    module = services.module_for_volunteer(profile, code)
    if module is None:
        abort(404)
    return module


@bp.route("/training")
@login_required
def training():
    profile = _own_profile()
    modules, completions = services.training_record(profile)
    required = [m for m in modules if m.required]
    locale = current_locale()
    outdated = {
        m.id: training_service.retrain_by(m)
        for m in modules
        if m.id in completions and not training_service.is_current(completions[m.id], m)
    }
    return render_template(
        "volunteers/training.html",
        completions=completions,
        outdated=outdated,
        modules=[(m, localized(m.titles, locale)) for m in modules],
        required_done=sum(1 for m in required if m.id in completions and m.id not in outdated),
        required_total=len(required),
        today=local_today(),
    )


@bp.route("/training/<code>", methods=["GET", "POST"])
@login_required
def training_module(code):
    profile = _own_profile()
    module = _module_or_404(profile, code)
    locale = current_locale()
    form = build_quiz_form(module, locale)
    if form.validate_on_submit():
        try:
            result = services.complete_training(profile, module, [q.data for q in form.questions])
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            if result.passed:
                flash(
                    _("Well done: you passed “%(title)s”.", title=localized(module.titles, locale)), "success"
                )
                if result.training_done:
                    flash(
                        _("You have done all the required training. Your coordinator can see it."), "success"
                    )
                return redirect(url_for("volunteers.training"))
            for index in result.wrong:
                form.questions[index].errors = list(form.questions[index].errors) + [
                    _("This answer is not right. Read that part again and try once more.")
                ]
            form.form_errors.append(
                _(
                    "%(score)s of %(total)s answers are right. Correct the others to pass.",
                    score=result.score,
                    total=result.total,
                )
            )
    completion = db.session.get(TrainingCompletion, (profile.id, module.id))
    body = Markup(_markdown.render(localized(module.bodies, locale)))
    return render_template(
        "volunteers/training_module.html",
        module=module,
        form=form,
        body=body,
        title=localized(module.titles, locale),
        completion=completion,
    ), _status(form)


# --------------------------------------------------------------------------------------------- coordinator
def _coordinated_volunteer(volunteer_id) -> VolunteerProfile:
    return get_scoped_or_404(VolunteerProfile, volunteer_id, Role.COORDINATOR)


@bp.route("/manage")
@role_required(Role.COORDINATOR)
def manage():
    form = VolunteerFilterForm(request.args)
    form.validate()
    data = {name: (field.data if not field.errors else None) for name, field in form._fields.items()}
    filters = Filters(
        status=data["status"] or None,
        language=data["language"] or None,
        topic=data["topic"] or None,
        channel=data["channel"] or None,
        near=form.postcode.postcode if not form.postcode.errors else None,
        km=data["km"],
    )
    result = volunteer_list(scoped(VolunteerProfile, Role.COORDINATOR), filters)
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    pages = max(1, -(-result.total // LIST_PAGE_SIZE))
    page = min(page, pages)
    rows = result.rows[(page - 1) * LIST_PAGE_SIZE : page * LIST_PAGE_SIZE]
    args = {name: request.args[name] for name in FILTER_ARGS if request.args.get(name)}
    record_list(
        current_user, "volunteer_profile", caller_network_ids(Role.COORDINATOR), detail=f"list page {page}"
    )
    return render_template(
        "volunteers/manage.html",
        form=form,
        rows=rows,
        total=result.total,
        counts=result.counts,
        statuses=list(VolunteerStatus),
        page=page,
        pages=pages,
        args=args,
        near=filters.near,
        checklist_size=len(VettingItem),
    )


def _vetting_page(profile, *, tick_forms=None, status_form=None, limits_form=None):
    from ..audit.services import record_view

    checks = {check.item.value: check for check in profile.vetting_checks}
    tick_forms = dict(tick_forms or {})
    for item in VettingItem:
        tick_forms.setdefault(item.value, VettingForm(prefix=item.value, formdata=None))
    acting_on_self = profile.user_id == current_user.id
    targets = [] if acting_on_self else lifecycle.allowed_targets(profile.status)
    status_form = status_form or StatusForm(formdata=None, targets=targets)
    limits_form = limits_form or LimitsForm(formdata=None, obj=profile)
    record = checks.get(VettingItem.CRIMINAL_RECORD.value)
    months = services.extract_max_age_months(profile)
    modules, completions = services.training_record(profile)
    networks = services.volunteer_networks(profile)
    record_view(current_user, "volunteer_profile", profile.id, networks[0].id if networks else None)
    problems = [services.describe_problem(p) for p in services.activation_problems(profile)]
    return render_template(
        "volunteers/vetting.html",
        profile=profile,
        checks=checks,
        items=list(VettingItem),
        tick_forms=tick_forms,
        status_form=status_form,
        limits_form=limits_form,
        confirm_form=ConfirmForm(),
        targets=targets,
        acting_on_self=acting_on_self,
        extract_valid_until=lifecycle.extract_valid_until(record.document_date, months)
        if record and record.document_date
        else None,
        months=months,
        modules=modules,
        completions=completions,
        networks=networks,
        problems=problems,
        locale=current_locale(),
        today=local_today(),
    ), (
        422
        if any(f.errors for f in tick_forms.values())
        or status_form.errors
        or status_form.form_errors
        or limits_form.errors
        else 200
    )


@bp.route("/manage/<volunteer_id>")
@role_required(Role.COORDINATOR)
def vetting(volunteer_id):
    return _vetting_page(_coordinated_volunteer(volunteer_id))


@bp.route("/manage/<volunteer_id>/checklist/<item>", methods=["POST"])
@role_required(Role.COORDINATOR)
def tick(volunteer_id, item):
    profile = _coordinated_volunteer(volunteer_id)
    if item not in VettingItem._value2member_map_:
        abort(404)
    form = VettingForm(prefix=item)
    if form.validate_on_submit():
        try:
            services.tick_vetting_item(
                profile, item, current_user, document_date=form.document_date.data, note=form.note.data
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("Saved: %(item)s.", item=label("vetting_item", item)), "success")
            return redirect(url_for("volunteers.vetting", volunteer_id=profile.id) + "#checklist")
    return _vetting_page(profile, tick_forms={item: form})


@bp.route("/manage/<volunteer_id>/checklist/<item>/undo", methods=["POST"])
@role_required(Role.COORDINATOR)
def untick(volunteer_id, item):
    profile = _coordinated_volunteer(volunteer_id)
    if item not in VettingItem._value2member_map_:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.untick_vetting_item(profile, item, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Taken back: %(item)s.", item=label("vetting_item", item)), "info")
    return redirect(url_for("volunteers.vetting", volunteer_id=profile.id) + "#checklist")


@bp.route("/manage/<volunteer_id>/limits", methods=["POST"])
@role_required(Role.COORDINATOR)
def change_limits(volunteer_id):
    profile = _coordinated_volunteer(volunteer_id)
    form = LimitsForm()
    if form.validate_on_submit():
        if services.change_limits(
            profile, form.max_concurrent.data, form.travel_radius_km.data, current_user
        ):
            flash(_("Saved. %(name)s gets an e-mail about it.", name=profile.user.first_name), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for("volunteers.vetting", volunteer_id=profile.id) + "#limits")
    return _vetting_page(profile, limits_form=form)


@bp.route("/manage/<volunteer_id>/status", methods=["POST"])
@role_required(Role.COORDINATOR)
def change_status(volunteer_id):
    profile = _coordinated_volunteer(volunteer_id)
    targets = [] if profile.user_id == current_user.id else lifecycle.allowed_targets(profile.status)
    form = StatusForm(targets=targets)
    if form.validate_on_submit():
        try:
            services.change_status(
                profile,
                form.status.data,
                current_user,
                reason=form.reason.data,
                paused_until=form.paused_until.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(
                _(
                    "%(name)s is now: %(status)s.",
                    name=profile.user.name,
                    status=label("volunteer_status", profile.status),
                ),
                "success",
            )
            return redirect(url_for("volunteers.vetting", volunteer_id=profile.id))
    elif not targets:
        form.form_errors.append(_("The status of this digibuddy cannot be changed here."))
    return _vetting_page(profile, status_form=form)


# --------------------------------------------------------------------------------------------- staff reading
def _staff_roles() -> list[str]:
    return [role for role in (Role.COUNTER, Role.COORDINATOR) if current_user.has_role(role)]


@bp.route("/staff-training")
@role_required(Role.COUNTER, Role.COORDINATOR)
def staff_training():
    """The modules for counter staff and coordinators (central ones and their networks' own), to read; and
    the digibuddies' modules, so staff know what the digibuddies learn."""
    network_ids = caller_network_ids(Role.COUNTER, Role.COORDINATOR)
    locale = current_locale()
    mine = {
        m.id: m for role in _staff_roles() for m in training_service.modules_for_staff(str(role), network_ids)
    }
    others = [m for m in training_service.modules_for_volunteer(network_ids) if m.id not in mine]
    return render_template(
        "volunteers/staff_training.html",
        mine=[(m, localized(m.titles, locale)) for m in mine.values()],
        others=[(m, localized(m.titles, locale)) for m in others],
    )


@bp.route("/staff-training/<code>")
@role_required(Role.COUNTER, Role.COORDINATOR)
def staff_training_module(code):
    if not MODULE_CODE.fullmatch(code or ""):
        abort(404)
    network_ids = caller_network_ids(Role.COUNTER, Role.COORDINATOR)
    visible = {
        m.code: m
        for m in training_service.modules_for_volunteer(network_ids)
        + [m for role in _staff_roles() for m in training_service.modules_for_staff(str(role), network_ids)]
    }
    module = visible.get(code)
    if module is None:
        abort(404)
    locale = current_locale()
    return render_template(
        "volunteers/staff_training_module.html",
        module=module,
        title=localized(module.titles, locale),
        body=Markup(_markdown.render(localized(module.bodies, locale))),
    )
