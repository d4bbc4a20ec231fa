"""Pages of the messages to digibuddies: the list, writing one (with a preview of who gets it before it is
sent), one message with its recipients and their delivery; asking cover for a drop-in date, and the page
the digibuddies who are asked open to take it."""

from collections import Counter
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Role
from ..audit.services import record_view
from ..core.auth import role_required
from ..core.exceptions import DomainError
from ..core.forms import apply_domain_error
from ..core.i18n import current_locale, ngettext
from ..core.i18n import gettext as _
from ..core.scoping import caller_network_ids, day_or_404, get_scoped_or_404, scoped
from ..core.time import local_today
from ..extensions import db
from ..network.models import LocalNetwork
from ..notifications.models import MessageChannel
from ..reference.models import Topic
from ..scheduling import dropins
from ..scheduling.forms_dropins import ActionForm
from ..scheduling.models import DropInMoment
from ..volunteers.models import VolunteerProfile
from . import services
from .audience import Audience
from .forms import LANGUAGE_TITLES, CoverForm, VolunteerMessageForm
from .models import VolunteerMessage, VolunteerMessageRecipient

bp = Blueprint("outreach", __name__)
LISTED = 200


def _sender_network_ids() -> set[int]:
    """The networks whose digibuddies the caller may write to: those they coordinate; every network for
    the central administrator."""
    if current_user.is_admin:
        return set(db.session.scalars(select(LocalNetwork.id)))
    return caller_network_ids(Role.COORDINATOR)


def sender_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not _sender_network_ids():
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _failed(form) -> int:
    return 422 if form.errors or form.form_errors else 200


# ---------------------------------------------------------------------------------------------------------
# Messages to a group


@bp.route("/volunteer-messages")
@sender_required
def index():
    ids = _sender_network_ids()
    letters = db.session.scalars(
        scoped(VolunteerMessage, network_ids=ids)
        .order_by(VolunteerMessage.created_at.desc(), VolunteerMessage.id.desc())
        .limit(LISTED)
    ).all()
    counts = dict(
        db.session.execute(
            select(
                VolunteerMessageRecipient.message_id,
                func.count(func.distinct(VolunteerMessageRecipient.volunteer_id)),
            )
            .where(VolunteerMessageRecipient.message_id.in_([letter.id for letter in letters]))
            .group_by(VolunteerMessageRecipient.message_id)
        ).all()
    )
    return render_template("outreach/index.html", letters=letters, counts=counts)


def _networks() -> list[LocalNetwork]:
    return db.session.scalars(
        select(LocalNetwork).where(LocalNetwork.id.in_(_sender_network_ids())).order_by(LocalNetwork.name)
    ).all()


def _audience(form, moments) -> Audience:
    return Audience(
        languages=tuple(form.languages.data or ()),
        topic_ids=tuple(form.topics.data or ()),
        modes=tuple(form.modes.data or ()),
        moment_id=form.moment_id.data or None,
        inactive=bool(form.inactive.data),
    )


def _chosen_network(form, networks) -> LocalNetwork:
    by_id = {network.id: network for network in networks}
    network = by_id.get(form.network_id.data) or (networks[0] if len(networks) == 1 else None)
    if network is None:
        raise DomainError(_("Choose a local network."), "network_id")
    return network


def _locales(found, subjects: dict) -> list[tuple[str, int]]:
    """How many digibuddies get the message in each language it was written in."""
    given = {locale for locale, subject in subjects.items() if subject}
    counted = Counter(
        volunteer.user.locale if volunteer.user.locale in given else "nl" for volunteer in found.volunteers
    )
    return [(locale, counted[locale]) for locale in LANGUAGE_TITLES if counted.get(locale)]


@bp.route("/volunteer-messages/new", methods=["GET", "POST"])
@sender_required
def new():
    networks = _networks()
    moments = db.session.scalars(
        scoped(DropInMoment, network_ids={n.id for n in networks}).order_by(DropInMoment.title)
    ).all()
    form = VolunteerMessageForm()
    form.set_choices(networks, moments)
    found = None
    if form.validate_on_submit():
        try:
            network = _chosen_network(form, networks)
            audience = _audience(form, moments)
            if audience.moment_id and audience.moment_id not in {
                m.id for m in moments if m.network_id == network.id
            }:
                raise DomainError(_("Choose a drop-in moment of this local network."), "moment_id")
            subjects, bodies = form.texts()
            texts = services.check_texts(subjects, bodies)
            if request.form.get("action") == "send":
                letter = services.send_message(
                    network, current_user, audience, form.channels.data, subjects, bodies
                )
                reached = len({r.volunteer_id for r in letter.recipients if r.outbox_message_id})
                flash(
                    ngettext(
                        "Your message is on its way to %(num)s digibuddy.",
                        "Your message is on its way to %(num)s digibuddies.",
                        reached,
                    ),
                    "success",
                )
                return redirect(url_for("outreach.show", volunteer_message_id=letter.id))
            found = services.preview(network.id, audience, form.channels.data)
            found.locales = _locales(found, texts.subjects)
            if not found.volunteers:
                form.form_errors.append(_("No digibuddy fits this choice. Choose fewer filters."))
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            found = None
    return render_template(
        "outreach/new.html",
        form=form,
        found=found,
        several=len(networks) > 1,
        language_titles=LANGUAGE_TITLES,
        channels=MessageChannel,
    ), _failed(form)


def _topic_names(topic_ids) -> dict[int, str]:
    if not topic_ids:
        return {}
    locale = current_locale()
    return {t.id: t.label(locale) for t in db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids)))}


@bp.route("/volunteer-messages/<id:volunteer_message_id>")
@sender_required
def show(volunteer_message_id):
    letter = db.session.scalar(
        scoped(VolunteerMessage, network_ids=_sender_network_ids()).where(
            VolunteerMessage.id == volunteer_message_id
        )
    )
    if letter is None:
        abort(404)
    record_view(current_user, "volunteer_message", letter.id, letter.network_id)
    loaded = db.session.scalars(
        select(VolunteerMessageRecipient)
        .where(VolunteerMessageRecipient.message_id == letter.id)
        .options(
            selectinload(VolunteerMessageRecipient.volunteer).joinedload(VolunteerProfile.user),
            selectinload(VolunteerMessageRecipient.outbox_message),
        )
    ).all()
    recipients = sorted(
        loaded, key=lambda r: ((r.volunteer.user.name or "").casefold(), r.volunteer_id, r.channel)
    )
    return render_template(
        "outreach/show.html",
        letter=letter,
        recipients=recipients,
        audience=Audience.from_dict(letter.audience),
        moment_titles={
            m.id: m.title for m in db.session.scalars(scoped(DropInMoment, network_ids={letter.network_id}))
        },
        topic_names=_topic_names(Audience.from_dict(letter.audience).topic_ids),
        language_titles=LANGUAGE_TITLES,
        reached=len({r.volunteer_id for r in loaded if r.outbox_message_id}),
        total=len({r.volunteer_id for r in loaded}),
    )


# ---------------------------------------------------------------------------------------------------------
# Cover for an open drop-in shift


@bp.route("/dropins/<id:moment_id>/<day>/ask-cover", methods=["GET", "POST"])
@sender_required
def ask_cover(moment_id, day):
    moment = db.session.scalar(
        scoped(DropInMoment, network_ids=_sender_network_ids()).where(DropInMoment.id == moment_id)
    )
    if moment is None:
        abort(404)
    day = day_or_404(day)
    if not dropins.is_pattern_day(moment, day):
        abort(404)
    form = CoverForm()
    occurrence = dropins.occurrence_on(moment, day)
    problem = None
    try:
        services.open_cover(moment, day)
    except DomainError as error:
        problem = error.message
    candidates = services.cover_candidates(moment, day) if problem is None else []
    if problem is None and form.validate_on_submit():
        try:
            letter = services.ask_cover(moment, day, current_user, form.channels.data, form.note.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            asked = len({r.volunteer_id for r in letter.recipients if r.outbox_message_id})
            flash(
                ngettext(
                    "%(num)s digibuddy is asked to help on %(day)s. The first to sign up gets it.",
                    "%(num)s digibuddies are asked to help on %(day)s. The first to sign up gets it.",
                    asked,
                    day=format_date(day, "long"),
                ),
                "success",
            )
            return redirect(url_for("outreach.show", volunteer_message_id=letter.id))
    channels = tuple(c for c in MessageChannel if c in set(form.channels.data or ()))
    found = services.reach(candidates, channels) if candidates and channels else None
    return render_template(
        "outreach/ask_cover.html",
        form=form,
        moment=moment,
        day=day,
        occurrence=occurrence,
        problem=problem,
        candidates=candidates,
        found=found,
        channels=MessageChannel,
    ), (_failed(form) if problem is None else (409 if request.method == "POST" else 200))


@bp.route("/dropins/<id:moment_id>/<day>/cover", methods=["GET", "POST"])
@role_required(Role.VOLUNTEER)
def cover(moment_id, day):
    """The link in a request for cover: the open place, or that someone else has taken it."""
    moment = get_scoped_or_404(DropInMoment, moment_id, Role.VOLUNTEER)
    day = day_or_404(day)
    if not dropins.is_pattern_day(moment, day):
        abort(404)
    profile = current_user.volunteer_profile
    form = ActionForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.take_cover(moment, day, profile)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            status = 409
        else:
            flash(
                _(
                    "You are signed up for %(title)s on %(day)s. Thank you!",
                    title=moment.title,
                    day=format_date(day, "long"),
                ),
                "success",
            )
            return redirect(url_for("outreach.cover", moment_id=moment.id, day=day.isoformat()))
    occurrence = dropins.occurrence_on(moment, day)
    signed_up = profile is not None and profile.id in occurrence.volunteer_ids
    return render_template(
        "outreach/cover.html",
        moment=moment,
        day=day,
        occurrence=occurrence,
        signed_up=signed_up,
        past=day < local_today() or not dropins.takes_place(moment, day),
        form=form,
    ), status
