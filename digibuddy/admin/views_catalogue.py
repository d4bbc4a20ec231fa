"""The central administrator's topic catalogue: groups and topics, their names in every language, the DigComp
mapping, the order, retiring and merging, and the history of every change."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..audit.services import change_history
from ..core.auth import admin_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.scoping import id_or_404
from ..extensions import db
from ..reference.catalogue import DIGCOMP_COMPETENCES
from ..reference.models import Topic, TopicGroup, localized
from . import catalogue
from .forms import GroupForm, MergeForm, TopicForm, fill_texts, texts
from .history import history_rows

bp = Blueprint("catalogue", __name__, url_prefix="/admin/catalogue")


def _get_or_404(model, object_id):
    found = db.session.get(model, id_or_404(object_id))
    if found is None:
        abort(404)
    return found


def _groups() -> list[TopicGroup]:
    return db.session.scalars(select(TopicGroup).order_by(TopicGroup.position, TopicGroup.id)).all()


@bp.route("")
@admin_required
def index():
    return render_template(
        "admin/catalogue.html",
        groups=_groups(),
        locale=current_locale(),
        digcomp=lambda code: localized(DIGCOMP_COMPETENCES.get(code), current_locale()),
    )


# ----------------------------------------------------------------------------------------------- groups
@bp.route("/groups/new", methods=["GET", "POST"])
@admin_required
def new_group():
    return _edit_group(None)


@bp.route("/groups/<group_id>", methods=["GET", "POST"])
@admin_required
def edit_group(group_id):
    return _edit_group(_get_or_404(TopicGroup, group_id))


def _edit_group(group: TopicGroup | None):
    form = GroupForm()
    if group is not None and not form.is_submitted():
        fill_texts(form, "label", group.labels)
    if form.validate_on_submit():
        try:
            group = catalogue.save_group(group, labels=texts(form, "label"), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The topic group is saved."), "success")
            return redirect(url_for("catalogue.index", _anchor=f"group-{group.id}"))
    history = _rows(change_history("topic_group", group.id)) if group is not None else []
    return render_template(
        "admin/catalogue_group.html", form=form, group=group, history=history, locale=current_locale()
    ), (422 if form.errors else 200)


@bp.route("/groups/<group_id>/<any(retire, restore):action>", methods=["POST"])
@admin_required
def group_active(group_id, action):
    group = _get_or_404(TopicGroup, group_id)
    catalogue.set_group_active(group, action == "restore", actor=current_user)
    flash(
        _("The topic group is offered again.")
        if action == "restore"
        else _("The topic group is retired: new forms no longer offer its topics."),
        "success",
    )
    return redirect(url_for("catalogue.index", _anchor=f"group-{group.id}"), 303)


# ----------------------------------------------------------------------------------------------- topics
@bp.route("/groups/<group_id>/topics/new", methods=["GET", "POST"])
@admin_required
def new_topic(group_id):
    return _edit_topic(None, _get_or_404(TopicGroup, group_id))


@bp.route("/topics/<topic_id>", methods=["GET", "POST"])
@admin_required
def edit_topic(topic_id):
    topic = _get_or_404(Topic, topic_id)
    return _edit_topic(topic, topic.group)


def _edit_topic(topic: Topic | None, group: TopicGroup):
    form = TopicForm(groups=_groups())
    if not form.is_submitted():
        form.group.data = group.id
        if topic is not None:
            fill_texts(form, "label", topic.labels)
            fill_texts(form, "hint", topic.hints)
            form.digcomp.data = topic.digcomp_codes
            form.level.data = topic.digcomp_level
    if form.validate_on_submit():
        chosen = db.session.get(TopicGroup, form.group.data)
        try:
            topic = catalogue.save_topic(
                topic,
                group=chosen,
                labels=texts(form, "label"),
                hints=texts(form, "hint"),
                digcomp=form.digcomp.data,
                level=form.level.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(_("The topic is saved."), "success")
            return redirect(url_for("catalogue.index", _anchor=f"topic-{topic.id}"))
    merge_form = None
    if topic is not None and topic.merged_into_id is None:
        merge_form = MergeForm(topics=_merge_targets(topic), formdata=None)
    return render_template(
        "admin/catalogue_topic.html",
        form=form,
        topic=topic,
        group=group,
        merge_form=merge_form,
        history=_rows(change_history("topic", topic.id)) if topic is not None else [],
        locale=current_locale(),
    ), (422 if form.errors else 200)


def _merge_targets(topic: Topic) -> list[Topic]:
    return db.session.scalars(
        select(Topic)
        .join(TopicGroup, TopicGroup.id == Topic.group_id)
        .where(Topic.active.is_(True), Topic.id != topic.id)
        .order_by(TopicGroup.position, Topic.position)
    ).all()


@bp.route("/topics/<topic_id>/<any(retire, restore):action>", methods=["POST"])
@admin_required
def topic_active(topic_id, action):
    topic = _get_or_404(Topic, topic_id)
    try:
        catalogue.set_topic_active(topic, action == "restore", actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(
            _("The topic is offered again.")
            if action == "restore"
            else _("The topic is retired: new forms no longer offer it. Everything that has it keeps it."),
            "success",
        )
    return redirect(url_for("catalogue.index", _anchor=f"topic-{topic.id}"), 303)


@bp.route("/topics/<topic_id>/merge", methods=["POST"])
@admin_required
def merge_topic(topic_id):
    topic = _get_or_404(Topic, topic_id)
    form = MergeForm(topics=_merge_targets(topic))
    if form.validate_on_submit():
        target = db.session.get(Topic, form.target.data)
        try:
            counts = catalogue.merge_topic(topic, target, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            flash(
                _(
                    "The topic is merged into %(target)s: %(volunteers)s digibuddies, %(requests)s open "
                    "requests and %(dropins)s drop-in moments got that topic too.",
                    target=target.label(current_locale()),
                    **counts,
                ),
                "success",
            )
            return redirect(url_for("catalogue.index", _anchor=f"topic-{target.id}"), 303)
    edit_form = TopicForm(groups=_groups(), formdata=None)
    fill_texts(edit_form, "label", topic.labels)
    fill_texts(edit_form, "hint", topic.hints)
    edit_form.group.data, edit_form.digcomp.data, edit_form.level.data = (
        topic.group_id,
        topic.digcomp_codes,
        topic.digcomp_level,
    )
    return render_template(
        "admin/catalogue_topic.html",
        form=edit_form,
        topic=topic,
        group=topic.group,
        merge_form=form,
        history=_rows(change_history("topic", topic.id)),
        locale=current_locale(),
    ), 422


# ----------------------------------------------------------------------------------------------- order
@bp.route("/<any(groups, topics):kind>/<item_id>/move", methods=["POST"])
@admin_required
def move(kind, item_id):
    item = _get_or_404(TopicGroup if kind == "groups" else Topic, item_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction"))
    if step is None:
        abort(400)
    catalogue.move(item, step, actor=current_user)
    anchor = f"group-{item.id}" if kind == "groups" else f"topic-{item.id}"
    return redirect(url_for("catalogue.index", _anchor=anchor), 303)


@bp.route("/history")
@admin_required
def history():
    entries = change_history("topic", limit=200) + change_history("topic_group", limit=200)
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    topics = {t.id: t for t in db.session.scalars(select(Topic))}
    groups = {g.id: g for g in _groups()}

    def subject(entry):
        found = (topics if entry.subject_type == "topic" else groups).get(entry.subject_id)
        return found.label(current_locale()) if found else ""

    return render_template("admin/catalogue_history.html", rows=_rows(entries[:200], subject))


def _rows(entries, subject=None) -> list:
    """History rows with topic groups and topics named, not numbered."""
    locale = current_locale()
    names = {
        "group_id": {g.id: g.label(locale) for g in _groups()},
        "merged_into_id": {t.id: t.label(locale) for t in db.session.scalars(select(Topic))},
    }
    return history_rows(entries, locale, subject=subject, names=names)
