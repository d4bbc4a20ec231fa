"""The messages sent to a network's people, readable by its coordinators (the central administrator: all),
failed ones sent again by hand; in development also every message without logging in."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from ..accounts.models import Role
from ..audit.services import record, record_list, record_view
from ..core.i18n import gettext as _
from ..core.scoping import caller_network_ids, id_or_404, scoped
from ..extensions import db
from ..notifications.delivery import retry_failed
from ..notifications.messages import PRIVATE_KINDS
from ..notifications.models import MessageStatus, OutboxMessage

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
dev_bp = Blueprint("dev_messages", __name__, url_prefix="/dev")
RECENT = 100


def masked(recipient: str | None) -> str:
    """A recipient as the central administrator sees it: enough to tell messages apart, not to reach anyone
    ('+32•••••••33', 'm•••@•••.org')."""
    if not recipient:
        return ""
    if "@" in recipient:
        local, _at, domain = recipient.partition("@")
        return f"{local[:1]}•••@•••.{domain.rsplit('.', 1)[-1]}"
    return recipient[:3] + "•" * max(3, len(recipient) - 5) + recipient[-2:]


bp.add_app_template_filter(masked, "masked")


def _masked() -> bool:
    """The central administrator reads every network's messages, but no resident's contact details or
    message content without the explicit, audited "show" action."""
    return current_user.is_admin


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
    recent = _recent(stmt)
    if not _masked():
        shown = {m.network_id for m in (*failed, *recent) if m.network_id is not None}
        if shown:
            record_list(current_user, "outbox_message", shown, detail="messages")
    return render_template(
        "notifications/outbox.html",
        failed=failed,
        counts=counts,
        recent=recent,
        form=FlaskForm(),
        mask=_masked(),
    )


def _recent(stmt):
    """The latest messages, optionally those whose recipient or subject contains `?q=`."""
    wanted = request.args.get("q", "").strip()[:100]
    if wanted:
        pattern = f"%{wanted.replace('%', '').replace('_', '')}%"
        searched = OutboxMessage.subject.ilike(pattern)
        if not (current_user.is_authenticated and _masked()):  # no finding out whether someone got a message
            searched = searched | OutboxMessage.recipient.ilike(pattern)
        stmt = stmt.where(searched)
    return db.session.scalars(
        stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(RECENT)
    ).all()


@bp.route("/<message_id>")
@login_required
def show(message_id):
    """One message as its recipient got it; reading it is recorded like any view of personal data."""
    message = db.session.scalar(_visible().where(OutboxMessage.id == id_or_404(message_id)))
    if message is None:
        abort(404)
    if _masked():
        return render_template(
            "notifications/message.html",
            message=message,
            back=url_for("outbox.index"),
            mask=True,
            private=message.kind in PRIVATE_KINDS,
            form=FlaskForm(),
        )
    record_view(current_user, "outbox_message", message.id, message.network_id)
    return render_template(
        "notifications/message.html",
        message=message,
        back=url_for("outbox.index"),
        private=message.kind in PRIVATE_KINDS,
    )


@bp.route("/<id:message_id>/show", methods=["POST"])
@login_required
def reveal(message_id):
    """The central administrator's explicit look at one message's recipient and content, recorded."""
    message = db.session.scalar(_visible().where(OutboxMessage.id == message_id))
    if message is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("outbox.show", message_id=message.id))
    record(
        current_user, "show", "outbox_message", message.id, message.network_id, detail="recipient and content"
    )
    db.session.commit()
    return render_template(
        "notifications/message.html",
        message=message,
        back=url_for("outbox.index"),
        private=message.kind in PRIVATE_KINDS,
    )


def _counts(stmt) -> dict:
    visible = stmt.subquery()
    return dict(db.session.execute(select(visible.c.status, func.count()).group_by(visible.c.status)).all())


@bp.route("/<id:message_id>/retry", methods=["POST"])
@login_required
def retry(message_id):
    message = db.session.scalar(_visible().where(OutboxMessage.id == message_id))
    if message is None:
        abort(404)
    if FlaskForm().validate_on_submit():
        retry_failed(message)
        flash(_("The message is back in the queue."), "success")
    return redirect(url_for("outbox.index"))


@dev_bp.route("/messages")
def dev_messages():
    """Development only (DEV_MESSAGES_PAGE): every message in the outbox, newest first, with its content."""
    return render_template("notifications/dev_messages.html", recent=_recent(select(OutboxMessage)))


@dev_bp.route("/messages/<message_id>")
def dev_message(message_id):
    message = db.session.get(OutboxMessage, id_or_404(message_id))
    if message is None:
        abort(404)
    return render_template(
        "notifications/message.html", message=message, back=url_for("dev_messages.dev_messages")
    )
