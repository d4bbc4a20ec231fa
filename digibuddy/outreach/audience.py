"""Which digibuddies a message reaches: the network's active digibuddies, narrowed by what they speak,
know and offer, the drop-in moment they help at, or how long they have done nothing; and who of them can
be reached by e-mail or SMS.

Each criterion that is filled in narrows the group (AND); within one criterion any of the chosen values is
enough (a digibuddy who speaks Arabic *or* Turkish).

"No activity for 3 months": on the day `today` (Brussels), the cut-off is the same date three calendar
months earlier, from midnight (30 November for 28 February ... as `dateutil.relativedelta` counts). A
digibuddy is inactive when they have been a digibuddy since before the cut-off (their profile was made
before it) and since the cut-off they have
- accepted no offer (an offer with status accepted, answered on or after the cut-off),
- no help session starting on or after the cut-off that was not cancelled and that they did not miss
  (a planned session still to come counts as activity),
- no drop-in shift on or after the cut-off date (one still to come counts too)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, or_, select

from ..accounts.models import Membership, Role, User
from ..core.phones import can_receive_sms
from ..core.time import to_utc
from ..extensions import db
from ..matching.models import Offer, OfferStatus
from ..notifications.models import MessageChannel
from ..scheduling.models import DropInShift, HelpSession, SessionStatus
from ..volunteers.models import (
    CHANNEL_ATTRIBUTES,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    VolunteerTopic,
)

INACTIVE_MONTHS = 3
MODES = tuple(CHANNEL_ATTRIBUTES)  # location, home, phone, video: as the profile records them
NOT_ACTIVITY = (SessionStatus.CANCELLED, SessionStatus.VOLUNTEER_NO_SHOW)


@dataclass(frozen=True)
class Audience:
    """The group a message goes to; nothing chosen is every active digibuddy of the network."""

    languages: tuple[str, ...] = ()
    topic_ids: tuple[int, ...] = ()
    modes: tuple[str, ...] = ()
    moment_id: int | None = None  # the shift team of this drop-in moment
    inactive: bool = False  # no activity for INACTIVE_MONTHS months

    def as_dict(self) -> dict:
        return {
            "languages": list(self.languages),
            "topics": list(self.topic_ids),
            "modes": list(self.modes),
            "moment_id": self.moment_id,
            "inactive": self.inactive,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> "Audience":
        data = data or {}
        return cls(
            languages=tuple(data.get("languages") or ()),
            topic_ids=tuple(data.get("topics") or ()),
            modes=tuple(data.get("modes") or ()),
            moment_id=data.get("moment_id"),
            inactive=bool(data.get("inactive")),
        )

    @property
    def everyone(self) -> bool:
        return not (self.languages or self.topic_ids or self.modes or self.moment_id or self.inactive)


def inactive_cutoff(today: date) -> date:
    """The first day of the period in which an inactive digibuddy did nothing."""
    return today - relativedelta(months=INACTIVE_MONTHS)


def active_since(cutoff: date):
    """The ids of digibuddies with an accepted offer, a session or a shift since `cutoff` (see above)."""
    since = to_utc(datetime.combine(cutoff, datetime.min.time()))
    offers = select(Offer.volunteer_id).where(
        Offer.status == OfferStatus.ACCEPTED, func.coalesce(Offer.responded_at, Offer.created_at) >= since
    )
    sessions = select(HelpSession.volunteer_id).where(
        HelpSession.starts_at >= since, HelpSession.status.not_in(NOT_ACTIVITY)
    )
    shifts = select(DropInShift.volunteer_id).where(DropInShift.on_date >= cutoff)
    return offers.union(sessions, shifts)


def active_volunteers(network_ids):
    """Active digibuddies of these networks whose account works (not switched off, not anonymised)."""
    return (
        select(VolunteerProfile)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(
            VolunteerProfile.status == VolunteerStatus.ACTIVE,
            VolunteerProfile.user_id.in_(
                select(Membership.user_id).where(
                    Membership.network_id.in_(network_ids), Membership.role == Role.VOLUNTEER
                )
            ),
            User.active.is_(True),
            User.anonymised_at.is_(None),
        )
    )


def audience_query(network_id: int, audience: Audience, today: date):
    """A SELECT of the digibuddies `audience` names in the network, by name."""
    stmt = active_volunteers([network_id])
    if audience.languages:
        stmt = stmt.where(
            VolunteerProfile.id.in_(
                select(VolunteerLanguage.volunteer_id).where(
                    VolunteerLanguage.language_code.in_(audience.languages)
                )
            )
        )
    if audience.topic_ids:
        stmt = stmt.where(
            VolunteerProfile.id.in_(
                select(VolunteerTopic.volunteer_id).where(VolunteerTopic.topic_id.in_(audience.topic_ids))
            )
        )
    if audience.modes:
        offers_any = [
            VolunteerProfile.offers_column(mode).is_(True) for mode in audience.modes if mode in MODES
        ]
        if offers_any:
            stmt = stmt.where(or_(*offers_any))
    if audience.moment_id:
        stmt = stmt.where(
            VolunteerProfile.id.in_(
                select(DropInShift.volunteer_id).where(DropInShift.moment_id == audience.moment_id)
            )
        )
    if audience.inactive:
        cutoff = inactive_cutoff(today)
        stmt = stmt.where(
            VolunteerProfile.created_at < to_utc(datetime.combine(cutoff, datetime.min.time())),
            VolunteerProfile.id.not_in(active_since(cutoff)),
        )
    return stmt.order_by(User.name, VolunteerProfile.id)


def reachable(volunteer: VolunteerProfile, channel: MessageChannel) -> bool:
    """Whether a digibuddy can get a message on `channel`: an e-mail address, or a mobile number."""
    user = volunteer.user
    if channel == MessageChannel.EMAIL:
        return bool(user.email)
    return bool(user.phone) and can_receive_sms(user.phone)


@dataclass
class Reach:
    """Who of a group gets the message on which channel, and who cannot be reached on any chosen one."""

    volunteers: list[VolunteerProfile]
    channels: tuple[MessageChannel, ...]
    by_channel: dict[MessageChannel, list[VolunteerProfile]] = field(default_factory=dict)
    unreachable: list[VolunteerProfile] = field(default_factory=list)
    locales: list[tuple[str, int]] = field(default_factory=list)  # (language written in, how many get it)

    @property
    def reached(self) -> int:
        return len(self.volunteers) - len(self.unreachable)

    def count(self, channel: MessageChannel) -> int:
        return len(self.by_channel.get(channel, []))


def reach(volunteers: list[VolunteerProfile], channels) -> Reach:
    channels = tuple(MessageChannel(c) for c in channels)
    found = Reach(list(volunteers), channels, {channel: [] for channel in channels})
    for volunteer in volunteers:
        ways = [channel for channel in channels if reachable(volunteer, channel)]
        for channel in ways:
            found.by_channel[channel].append(volunteer)
        if not ways:
            found.unreachable.append(volunteer)
    return found


def find_volunteers(network_id: int, audience: Audience, today: date) -> list[VolunteerProfile]:
    return list(db.session.scalars(audience_query(network_id, audience, today)).unique())
