"""A realistic context for every message template under templates/messages/, so that each one can be
rendered in every language. A template without a sample here fails the test that renders them all."""

from datetime import time, timedelta
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import select

from digibuddy.accounts.models import Invitation, Role
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching.models import Offer
from digibuddy.scheduling.services import place_text
from tests.dropins_helpers import make_moment, next_date
from tests.factories import make_user
from tests.outcomes_helpers import helped_request
from tests.scheduling_helpers import open_location

MESSAGES = Path(__file__).resolve().parent.parent / "templates" / "messages"


def resident_messages() -> list[str]:
    """Every message a resident can receive: the ones with an SMS version."""
    return sorted(p.name.removesuffix(".sms.txt") for p in MESSAGES.glob("*.sms.txt"))


def all_messages() -> list[str]:
    return sorted(p.name.removesuffix(".txt") for p in MESSAGES.glob("[!_]*.txt") if ".sms." not in p.name)


class Samples:
    """Builds one scenario (a network with a location, a resident with a planned session, a drop-in) and
    hands out the context each message needs."""

    def __init__(self, network):
        self.network = network
        self.location = open_location(network)
        self.request, self.session, self.volunteer = helped_request(network, hours_ago=-26)
        self.session.location_id = self.location.id
        self.session.meeting_url = "https://meet.jit.si/digibuddy-sample"  # shown only where it belongs
        self.request.feedback_token = "token-for-the-feedback-link"
        self.moment = make_moment(network, self.location, starts=time(9, 30), ends=time(11, 30))
        self.day = next_date(self.moment)
        self.offer = db.session.scalar(select(Offer).where(Offer.request_id == self.request.id))
        self.offer.expires_at = utcnow() + timedelta(hours=24)
        db.session.commit()
        self.network_coordinator = make_user(Role.COORDINATOR, network)

    @property
    def resident(self):
        return self.request.resident

    def context(self, message: str) -> dict:
        session = {"session": self.session, "where": partial(place_text, self.session, True)}
        volunteer_session = {
            "session": self.session,
            "where": partial(place_text, self.session, False),
            "user": self.volunteer.user,
            "volunteer": self.volunteer,
        }
        resident = {"resident": self.resident, "network": self.network, "request": self.request}
        dropin = {"moment": self.moment, "day": self.day}
        contexts = {
            "request_received": resident,
            "matched": {**resident, "volunteer": self.volunteer},
            "session_planned": {**resident, **session},
            "session_moved": {**resident, **session},
            "session_cancelled": {**resident, **session},
            "session_cancelled_new_digibuddy": {**resident, **session},
            "reminder": {**resident, **session},
            "feedback_invitation": resident,
            "dropin_booked": {**resident, **dropin},
            "dropin_cancelled": {**resident, **dropin},
            "dropin_reminder": {**resident, **dropin},
            "dropin_waiting": {
                **resident,
                **dropin,
                "position": 2,
                "link": "https://digibuddy.example/drop-in/waiting/sample-token?lang=nl",
            },
            "dropin_promoted": {**resident, **dropin},
            "volunteer_dropin_reminder": {**dropin, "user": self.volunteer.user, "volunteer": self.volunteer},
            "reply_confirmed": {**resident, "session": self.session},
            "reply_move_asked": resident,
            "reply_noted": resident,
            "reply_stopped": resident,
            "reply_resumed": resident,
            "ask_outcome": {
                "session": self.session,
                "user": self.volunteer.user,
                "volunteer": self.volunteer,
            },
            "volunteer_applied": {
                "user": self.volunteer.user,
                "volunteer": self.volunteer,
                "network": self.network,
            },
            "volunteer_applied_coordinator": {
                "user": self.network_coordinator,
                "volunteer": self.volunteer,
                "network": self.network,
            },
            "volunteer_limits_changed": {
                "user": self.volunteer.user,
                "volunteer": self.volunteer,
                "changed_by": self.network_coordinator,
            },
            "volunteer_active": {
                "user": self.volunteer.user,
                "volunteer": self.volunteer,
                "networks": "Gent",
            },
            "weekly_digest": {
                "user": self.network_coordinator,
                "network": self.network,
                "figures": {"new": 3, "completed": 2, "escalated": 1, "sessions_next_week": 4},
            },
            "invitation": {
                "invitation": Invitation(
                    name="Sara",
                    email="sara@example.org",
                    role=Role.COUNTER,
                    expires_at=utcnow() + timedelta(days=7),
                ),
                "network": self.network,
                "link": "https://digibuddy.example/invitation/token",
            },
            "move_asked": {**volunteer_session, "user": self.network_coordinator},
            "volunteer_session": {**volunteer_session, "change": "moved", "reason": "Ziek"},
            "volunteer_reminder": volunteer_session,
            "volunteer_dropin_cancelled": {**dropin, "user": self.volunteer.user},
            "volunteer_offer": {"offer": self.offer, "user": self.volunteer.user},
            "volunteer_access_ended": {
                "user": self.network_coordinator,
                "volunteer": self.volunteer,
                "reason": "Gedragscode niet nageleefd",
                "requests": [self.request],
                "sessions": [self.session],
                "offers": [self.offer],
                "shifts": [SimpleNamespace(on_date=self.day, moment=self.moment)],
            },
            "password_reset": {
                "user": self.network_coordinator,
                "link": "https://digibuddy.example/password/reset/sample-token",
                "expires_at": utcnow() + timedelta(hours=1),
            },
            "planning_question": {
                "request": self.request,
                "user": self.volunteer.user,
                "asker": self.volunteer.user,
                "question": "Kan het op zaterdag?",
            },
            "volunteer_cover_needed": {
                **dropin,
                "user": self.volunteer.user,
                "network": self.network,
                "places": 2,
                "link": "https://digibuddy.example/dropins/1/2027-01-05/cover",
                "note": "Ook koffie voorzien.",
            },
            "volunteer_message": {
                "user": self.volunteer.user,
                "network": self.network,
                "written_subject": "Nieuwe opleiding",
                "written_body": "Op 12 maart is er een opleiding over itsme.",
                "author": self.network_coordinator.name,
            },
            "training_again": {
                "user": self.volunteer.user,
                "title": "Veilig online",
                "code": "safety",
                "due": self.day,
            },
            "data_ask_coordinator": {
                "user": self.network_coordinator,
                "network": self.network,
                "ask": SimpleNamespace(kind="erase"),
                "answer_before": utcnow() + timedelta(days=30),
            },
        }
        event = SimpleNamespace(
            id=1,
            title="Infosessie itsme",
            starts_at=utcnow() + timedelta(days=1),
            ends_at=utcnow() + timedelta(days=1, hours=2),
        )
        event_context = {
            "user": self.volunteer.user,
            "event": event,
            "where": "Stadskantoor Gent, https://meet.jit.si/digibuddy-sample",
            "position": 2,
        }
        for kind in ("registered", "waiting", "promoted", "changed", "cancelled", "unregistered", "reminder"):
            contexts[f"event_{kind}"] = event_context
        return contexts[message]
