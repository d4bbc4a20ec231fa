"""Building request-form data the way a resident fills it in."""

from sqlalchemy import select

from digibuddy.extensions import db
from digibuddy.reference.models import Topic


def topic_id(code: str) -> int:
    return db.session.scalar(select(Topic.id).where(Topic.code == code))


def any_topic_ids(count=2) -> list[int]:
    return db.session.scalars(
        select(Topic.id).where(Topic.active.is_(True)).order_by(Topic.id).limit(count)
    ).all()  # active ones: another test may have switched a topic off in the shared catalogue


def online_form(**overrides) -> dict:
    data = {
        "topics": any_topic_ids(2),
        "description": "Ik wil mijn belastingaangifte doen via Tax-on-web.",
        "preferred_mode": "location",
        "postcode": "9000",
        "languages": ["nl"],
        "time_windows": ["1-morning", "3-afternoon"],
        "first_name": "Maria",
        "phone": "0470 12 34 56",
        "has_no_email": "y",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
