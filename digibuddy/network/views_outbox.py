"""Failed notifications, for coordinators (their networks) and the central administrator (all)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from ..accounts.models import Role
from ..core.scoping import caller_network_ids, scoped
from ..extensions import db
from ..notifications.delivery import retry_failed
from ..notifications.models import MessageStatus, OutboxMessage

bp = Blueprint("outbox", __name__, url_prefix="/outbox")


def _visible():
    """Administrators see every message; coordinators those of their networks."""
    if current_user.is_admin:
        return select(OutboxMessage)
    if not caller_network_ids(Role.COORDINATOR):
        abort(403)
    return scoped(OutboxMessage, Role.COORDINATOR)


@bp.route("/")
@login_required
def index():
    stmt = _visible()
    failed = db.session.scalars(
        stmt.where(OutboxMessage.status == MessageStatus.FAILED)
        .order_by(OutboxMessage.created_at.desc())
        .limit(200)
    ).all()
    counts = _counts(stmt)
    return render_template("notifications/outbox.html", failed=failed, counts=counts, form=FlaskForm())


def _counts(stmt) -> dict:
    visible = stmt.subquery()
    return dict(db.session.execute(select(visible.c.status, func.count()).group_by(visible.c.status)).all())


@bp.route("/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(message_id):
    message = db.session.scalar(_visible().where(OutboxMessage.id == message_id))
    if message is None:
        abort(404)
    if FlaskForm().validate_on_submit():
        retry_failed(message)
        flash(_("The message is back in the queue."), "success")
    return redirect(url_for("outbox.index"))
