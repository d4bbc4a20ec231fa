"""Volunteer profiles: languages, topics, availability, channels, vetting and training."""

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Membership, Role
from ..core.db import enum_type, utcnow, weekday_check
from ..extensions import db
from . import lifecycle


class VolunteerStatus(enum.StrEnum):
    APPLIED = "applied"
    VETTING = "vetting"
    ACTIVE = "active"
    PAUSED = "paused"
    SUSPENDED = "suspended"
    LEFT = "left"


class LanguageLevel(enum.StrEnum):
    NATIVE = "native"
    FLUENT = "fluent"
    BASIC = "basic"


class TopicLevel(enum.StrEnum):
    CAN_EXPLAIN = "can_explain"
    EXPERIENCED = "experienced"


class VettingItem(enum.StrEnum):
    IDENTITY = "identity"
    CRIMINAL_RECORD = "criminal_record"  # extract "model 2", with the date it was issued
    CHARTER = "charter"
    TRAINING = "training"


# How a volunteer helps (the channels; a request's preferred mode names one) -> the profile column saying
# that they offer it.
CHANNEL_ATTRIBUTES = {
    "location": "offers_location",
    "home": "offers_home_visits",
    "phone": "offers_phone",
    "video": "offers_video",
}


class VolunteerProfile(db.Model):
    __tablename__ = "volunteer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    home_postcode_code: Mapped[str] = mapped_column(sa.ForeignKey("postcodes.code"), index=True)
    travel_radius_km: Mapped[int] = mapped_column(sa.Integer, default=10)
    max_concurrent: Mapped[int] = mapped_column(sa.Integer, default=2)
    status: Mapped[VolunteerStatus] = mapped_column(
        enum_type(VolunteerStatus, "volunteer_status"), default=VolunteerStatus.APPLIED, index=True
    )
    status_reason: Mapped[str | None] = mapped_column(sa.String(500))
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    paused_until: Mapped[date | None]
    offers_home_visits: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    offers_location: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    offers_phone: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    offers_video: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    motivation: Mapped[str | None] = mapped_column(sa.Text)
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", back_populates="volunteer_profile", lazy="joined")
    home_postcode = relationship("Postcode")
    languages = relationship("VolunteerLanguage", cascade="all, delete-orphan", back_populates="volunteer")
    topics = relationship("VolunteerTopic", cascade="all, delete-orphan", back_populates="volunteer")
    availability = relationship(
        "AvailabilitySlot",
        cascade="all, delete-orphan",
        back_populates="volunteer",
        order_by="(AvailabilitySlot.weekday, AvailabilitySlot.starts)",
    )
    vetting_checks = relationship("VettingCheck", cascade="all, delete-orphan", back_populates="volunteer")

    __table_args__ = (
        sa.CheckConstraint("travel_radius_km BETWEEN 0 AND 100", name="radius_range"),
        sa.CheckConstraint("max_concurrent BETWEEN 1 AND 20", name="max_concurrent_range"),
    )

    def __repr__(self):
        return f"<VolunteerProfile {self.id} {self.status}>"

    @classmethod
    def in_networks(cls, network_ids):
        """A volunteer belongs to the networks where they hold a volunteer membership (core.scoping)."""
        return cls.user_id.in_(
            sa.select(Membership.user_id).where(
                Membership.network_id.in_(network_ids), Membership.role == Role.VOLUNTEER
            )
        )

    @classmethod
    def offers_column(cls, channel: str):
        """The column that says whether a volunteer offers `channel` ("home", "location", ...)."""
        return getattr(cls, CHANNEL_ATTRIBUTES[channel])

    @property
    def channels(self) -> list[str]:
        """The channels this volunteer offers, in CHANNEL_ATTRIBUTES order."""
        return [channel for channel, attribute in CHANNEL_ATTRIBUTES.items() if getattr(self, attribute)]

    @property
    def access_ended(self) -> bool:
        """Suspended or left: the account's volunteer access is over until a coordinator reactivates it."""
        return str(self.status) in lifecycle.WITHOUT_ACCESS


class VolunteerLanguage(db.Model):
    __tablename__ = "volunteer_languages"

    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    language_code: Mapped[str] = mapped_column(sa.ForeignKey("languages.code"), primary_key=True, index=True)
    level: Mapped[LanguageLevel] = mapped_column(enum_type(LanguageLevel, "language_level"))

    volunteer = relationship("VolunteerProfile", back_populates="languages")


class VolunteerTopic(db.Model):
    __tablename__ = "volunteer_topics"

    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id"), primary_key=True, index=True)
    level: Mapped[TopicLevel] = mapped_column(enum_type(TopicLevel, "topic_level"))

    volunteer = relationship("VolunteerProfile", back_populates="topics")
    topic = relationship("Topic")


class AvailabilitySlot(db.Model):
    __tablename__ = "availability_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    starts: Mapped[time]
    ends: Mapped[time]

    volunteer = relationship("VolunteerProfile", back_populates="availability")

    __table_args__ = (
        weekday_check("weekday"),
        sa.CheckConstraint("starts < ends", name="starts_before_ends"),
    )


class VettingCheck(db.Model):
    """One ticked item of the vetting checklist: who ticked it and when."""

    __tablename__ = "vetting_checks"

    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[VettingItem] = mapped_column(enum_type(VettingItem, "vetting_item"), primary_key=True)
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_date: Mapped[date | None]  # the issue date of the criminal record extract
    note: Mapped[str | None] = mapped_column(sa.String(300))

    volunteer = relationship("VolunteerProfile", back_populates="vetting_checks")
    checked_by = relationship("User")


# Who a training module is for (the roles that read it); volunteers take its check.
TRAINING_AUDIENCES = ("volunteer", "counter", "coordinator")


class TrainingModule(db.Model):
    """A training module as it reads now (the content of its latest version). A central module (no
    network) is for the whole network; a local module belongs to one local network and only its people see
    it."""

    __tablename__ = "training_modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    required: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    titles: Mapped[dict] = mapped_column(sa.JSON)  # {locale: title}
    bodies: Mapped[dict] = mapped_column(sa.JSON)  # {locale: Markdown}
    # [{"question": {locale: text}, "options": [{locale: text}, ...], "answers": [index, ...]}]
    # (seeded questions name their one right answer as "answer": index)
    quiz: Mapped[list] = mapped_column(sa.JSON, default=list)
    audiences: Mapped[list] = mapped_column(sa.JSON, default=lambda: ["volunteer"])
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    version: Mapped[int] = mapped_column(sa.Integer, default=1)  # the number of the latest version
    # A pass of an older version than this one no longer counts (the last material change).
    material_version: Mapped[int] = mapped_column(sa.Integer, default=1)
    retrain_days: Mapped[int] = mapped_column(sa.Integer, default=30)
    edited_at: Mapped[datetime | None]  # set once someone edits it here: `flask refdata load` then leaves it

    network = relationship("LocalNetwork")
    versions = relationship(
        "TrainingModuleVersion",
        back_populates="module",
        cascade="all, delete-orphan",
        order_by="TrainingModuleVersion.number",
    )

    __table_args__ = (
        sa.CheckConstraint("retrain_days BETWEEN 1 AND 365", name="retrain_days_range"),
        sa.CheckConstraint("material_version BETWEEN 1 AND version", name="material_version_range"),
    )

    @classmethod
    def in_networks(cls, network_ids):
        """A local module belongs to its network (core.scoping); central modules belong to none."""
        return cls.network_id.in_(network_ids)

    @property
    def is_local(self) -> bool:
        return self.network_id is not None


class TrainingModuleVersion(db.Model):
    """One saved state of a module's content; kept for good, so every pass names what was passed."""

    __tablename__ = "training_module_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_modules.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(sa.Integer)
    titles: Mapped[dict] = mapped_column(sa.JSON)
    bodies: Mapped[dict] = mapped_column(sa.JSON)
    quiz: Mapped[list] = mapped_column(sa.JSON, default=list)
    required: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    material: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    retrain_by: Mapped[date | None]  # a material change of a required module: pass it again by then
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    module = relationship("TrainingModule", back_populates="versions")
    created_by = relationship("User")

    __table_args__ = (sa.UniqueConstraint("module_id", "number", name="module_number"),)


class TrainingCompletion(db.Model):
    """A volunteer's latest pass of a module, and the version they passed."""

    __tablename__ = "training_completions"

    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("training_modules.id"), primary_key=True)
    version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_module_versions.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    score: Mapped[int] = mapped_column(sa.Integer, default=0)

    module = relationship("TrainingModule")
    version = relationship("TrainingModuleVersion")
