"""Writing to digibuddies: checking the texts, sending a message to a group, and asking for cover of one
date of a drop-in moment. Every message goes through notifications.messages into the outbox, in the same
transaction as the message and its recipients; every send is in the audit log. Each operation commits, or
raises DomainError with a translated message (and the field it is about)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..accounts.models import User
from ..audit.services import record
from ..audit.signals import person_records
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..core.time import local_today
from ..core.urls import external_url
from ..extensions import db
from ..notifications.messages import render_message, tell_volunteer_by
from ..notifications.models import MessageChannel
from ..scheduling import dropins
from ..scheduling.models import DropInMoment, DropInShift
from ..volunteers.models import VolunteerLanguage, VolunteerProfile
from .audience import Audience, Reach, active_volunteers, find_volunteers, reach
from .models import LetterKind, VolunteerMessage, VolunteerMessageRecipient

# The languages a coordinator can write in: those of the staff pages, which are those a digibuddy can
# choose for their account. Dutch is required; a digibuddy gets their own language where it is given.
LETTER_LOCALES = ("nl", "fr", "en")
MAX_SUBJECT = 150
MAX_BODY = 3000
MAX_NOTE = 500


@dataclass(frozen=True)
class Texts:
    subjects: dict[str, str]
    bodies: dict[str, str]


def check_texts(subjects: dict, bodies: dict) -> Texts:
    """The subject and text per language; Dutch required, French and English each complete or empty."""
    clean_subjects, clean_bodies = {}, {}
    for locale in LETTER_LOCALES:
        subject = " ".join((subjects.get(locale) or "").split())
        body = (bodies.get(locale) or "").strip().replace("\r\n", "\n")
        if locale == "nl" or subject or body:
            if not subject:
                raise DomainError(_("Write a subject."), f"subject_{locale}")
            if not body:
                raise DomainError(_("Write the message."), f"body_{locale}")
        if len(subject) > MAX_SUBJECT:
            raise DomainError(
                _("Keep the subject under %(max)s characters.", max=MAX_SUBJECT), f"subject_{locale}"
            )
        if len(body) > MAX_BODY:
            raise DomainError(_("Keep the message under %(max)s characters.", max=MAX_BODY), f"body_{locale}")
        if subject:
            clean_subjects[locale], clean_bodies[locale] = subject, body
    return Texts(clean_subjects, clean_bodies)


def check_channels(channels) -> tuple[MessageChannel, ...]:
    chosen = tuple(MessageChannel(c) for c in MessageChannel if c in set(channels or ()))
    if not chosen:
        raise DomainError(_("Choose e-mail, SMS or both."), "channels")
    return chosen


def letter_locale(letter: VolunteerMessage, wanted: str | None) -> str:
    """The digibuddy's own language where the message was written in it, else Dutch."""
    return wanted if wanted in letter.bodies and wanted in letter.subjects else "nl"


def preview(network_id: int, audience: Audience, channels, today: date | None = None) -> Reach:
    """Who would get the message, on which channel, and who cannot be reached: shown before sending."""
    return reach(find_volunteers(network_id, audience, today or local_today()), check_channels(channels))


def _queue(letter: VolunteerMessage, found: Reach, message: str, context) -> None:
    """Each digibuddy of `found` on each channel that reaches them, in their language where written in
    it; `context(locale)` gives the template's values. One recipient row per digibuddy and channel, with
    no outbox message for a channel that cannot reach them."""
    for channel in found.channels:
        for volunteer in found.volunteers:
            locale = letter_locale(letter, volunteer.user.locale)
            outbox = tell_volunteer_by(
                volunteer,
                channel,
                message,
                key=f"volunteer-message-{letter.id}-{volunteer.id}-{channel}",
                locale=locale,
                network_id=letter.network_id,
                kind=f"volunteer_{letter.kind}",
                network=letter.network,
                **context(locale),
            )
            letter.recipients.append(
                VolunteerMessageRecipient(
                    volunteer_id=volunteer.id, channel=channel, locale=locale, outbox_message=outbox
                )
            )


def send_message(
    network,
    author,
    audience: Audience,
    channels,
    subjects: dict,
    bodies: dict,
    today: date | None = None,
) -> VolunteerMessage:
    """Send a message to the digibuddies of `network` that `audience` names; kept with its recipients."""
    texts = check_texts(subjects, bodies)
    found = preview(network.id, audience, channels, today)
    if not found.volunteers:
        raise DomainError(_("No digibuddy fits this choice. Choose fewer filters."))
    letter = VolunteerMessage(
        network_id=network.id,
        network=network,
        kind=LetterKind.MESSAGE,
        subjects=texts.subjects,
        bodies=texts.bodies,
        by_email=MessageChannel.EMAIL in found.channels,
        by_sms=MessageChannel.SMS in found.channels,
        audience=audience.as_dict(),
        created_by_id=author.id,
    )
    db.session.add(letter)
    db.session.flush()
    _queue(
        letter,
        found,
        "volunteer_message",
        lambda locale: {
            "author": author.name,
            "written_subject": letter.subjects[locale],
            "written_body": letter.bodies[locale],
        },
    )
    _record_send(letter, author, found)
    db.session.commit()
    return letter


def _record_send(letter: VolunteerMessage, author, found: Reach) -> None:
    counts = ", ".join(f"{channel}: {found.count(channel)}" for channel in found.channels)
    record(
        author,
        "send",
        "volunteer_message",
        letter.id,
        letter.network_id,
        detail=f"{letter.kind}: {len(found.volunteers)} digibuddies; {counts}; unreachable: "
        f"{len(found.unreachable)}",
    )


# ---------------------------------------------------------------------------------------------------------
# Cover for a drop-in date


def cover_candidates(moment: DropInMoment, day: date) -> list[VolunteerProfile]:
    """Who could take an open shift: active digibuddies of the moment's network (not suspended, paused or
    gone), speaking one of the moment's languages if it names any, not already signed up for that date."""
    stmt = active_volunteers([moment.network_id]).where(
        VolunteerProfile.id.not_in(
            select(DropInShift.volunteer_id).where(
                DropInShift.moment_id == moment.id, DropInShift.on_date == day
            )
        )
    )
    codes = [language.code for language in moment.languages]
    if codes:
        stmt = stmt.where(
            VolunteerProfile.id.in_(
                select(VolunteerLanguage.volunteer_id).where(VolunteerLanguage.language_code.in_(codes))
            )
        )
    return list(db.session.scalars(stmt.order_by(User.name, VolunteerProfile.id)).unique())


def open_cover(moment: DropInMoment, day: date, today: date | None = None) -> dropins.Occurrence:
    """The date's figures if cover can be asked for it: it takes place, has not begun, and lacks people."""
    today = today or local_today()
    if not moment.active:
        raise DomainError(_("This drop-in moment no longer takes place."))
    if day < today or dropins.has_started(moment, day):
        raise DomainError(_("This date has already passed."))
    if not dropins.takes_place(moment, day):
        raise DomainError(_("There is no drop-in on this date."))
    occurrence = dropins.occurrence_on(moment, day)
    if not occurrence.shortage:
        raise DomainError(_("This date has enough digibuddies."))
    return occurrence


class _Nobody:
    first_name = ""


def cover_subjects(moment: DropInMoment, day: date, places: int) -> dict[str, str]:
    """The subject of the cover message in each language, to keep with the message."""
    subjects = {}
    for locale in LETTER_LOCALES:
        rendered = render_message(
            "volunteer_cover_needed",
            MessageChannel.EMAIL,
            locale,
            user=_Nobody(),
            moment=moment,
            day=day,
            places=places,
            link="",
            note="",
            network=moment.network,
        )
        subjects[locale] = rendered.subject or ""
    return subjects


def ask_cover(
    moment: DropInMoment, day: date, author, channels, note: str | None = None, today: date | None = None
) -> VolunteerMessage:
    """Tell the digibuddies who could take the open places of one date; the first to sign up gets them."""
    found_channels = check_channels(channels)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(_("Keep the message under %(max)s characters.", max=MAX_NOTE), "note")
    occurrence = open_cover(moment, day, today)
    candidates = cover_candidates(moment, day)
    if not candidates:
        raise DomainError(_("No other digibuddy of this network can take this shift."))
    found = reach(candidates, found_channels)
    places = occurrence.shortage
    letter = VolunteerMessage(
        network_id=moment.network_id,
        network=moment.network,
        kind=LetterKind.COVER,
        subjects=cover_subjects(moment, day, places),
        bodies=dict.fromkeys(LETTER_LOCALES, note),
        by_email=MessageChannel.EMAIL in found.channels,
        by_sms=MessageChannel.SMS in found.channels,
        audience={"cover": True, "languages": [language.code for language in moment.languages]},
        moment_id=moment.id,
        on_date=day,
        created_by_id=author.id,
    )
    db.session.add(letter)
    db.session.flush()
    link = external_url("outreach.cover", moment_id=moment.id, day=day.isoformat())
    _queue(
        letter,
        found,
        "volunteer_cover_needed",
        lambda locale: {"moment": moment, "day": day, "places": places, "link": link, "note": note},
    )
    _record_send(letter, author, found)
    db.session.commit()
    return letter


def take_cover(moment: DropInMoment, day: date, volunteer: VolunteerProfile | None, today=None):
    """Sign up for an open place asked cover for: refused as taken once the places needed are filled."""
    return dropins.sign_up_shift(moment, day, volunteer, today, open_places_only=True)


# ---------------------------------------------------------------------------------------------------------
# The audit log's person filter


@person_records.connect
def _messages_to_volunteer(kind, person_id, **_) -> dict:
    """For the audit log: the messages a digibuddy was among the recipients of."""
    if kind != "volunteer":
        return {}
    ids = db.session.scalars(
        select(VolunteerMessageRecipient.message_id).where(
            VolunteerMessageRecipient.volunteer_id == person_id
        )
    )
    return {"volunteer_message": set(ids)}
