"""Imports every model so that Alembic and the app see the whole schema."""

from .accounts.models import Invitation, Membership, Role, User  # noqa: F401
from .audit.models import AuditEntry, ChangeRecord  # noqa: F401
from .core.page_cache import DataVersion  # noqa: F401
from .events.models import EventRegistration, NetworkEvent  # noqa: F401
from .matching.models import Offer, OfferStatus  # noqa: F401
from .network.models import (  # noqa: F401
    CentralSetting,
    LocalNetwork,
    Location,
    NetworkMunicipality,
    OpeningHours,
    UncoveredAttempt,
)
from .notifications.models import OutboxMessage  # noqa: F401
from .outcomes.models import Feedback, Outcome  # noqa: F401
from .outreach.models import VolunteerMessage, VolunteerMessageRecipient  # noqa: F401
from .practices.models import Practice, PracticeUse  # noqa: F401
from .practices.search import is_search_object
from .privacy.models import DataAsk  # noqa: F401
from .reference.models import Language, Municipality, Postcode, Topic, TopicGroup  # noqa: F401
from .reports.models import RollupActive, RollupCell, RollupDirty, RollupWait  # noqa: F401
from .requests.models import (  # noqa: F401
    HelpRequest,
    RequestEvent,
    RequestTimeWindow,
    Resident,
    ResidentLanguage,
)
from .scheduler.models import JobRun  # noqa: F401
from .scheduling.models import (  # noqa: F401
    DropInBooking,
    DropInException,
    DropInMoment,
    DropInShift,
    DropInWaiting,
    HelpSession,
)
from .volunteers.models import (  # noqa: F401
    AvailabilitySlot,
    TrainingCompletion,
    TrainingModule,
    TrainingModuleVersion,
    VettingCheck,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerTopic,
)


def include_in_schema(obj, name, type_, reflected, compare_to) -> bool:
    """What Alembic compares with the models: everything but the full-text search objects, which the
    migrations make per database (an FTS5 table on SQLite, a GIN index on PostgreSQL)."""
    return not is_search_object(name)
