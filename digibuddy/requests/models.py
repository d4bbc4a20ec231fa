"""Residents and their help requests, with the timestamped log of every status change."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import PhoneNumber, enum_type, utcnow, weekday_check
from ..extensions import db
from .enums import (  # noqa: F401  (re-exported: the models' vocabulary)
    OPEN_STATUSES,
    AgeBand,
    DayPart,
    HelpMode,
    IntakeChannel,
    RequestStatus,
)


class Resident(db.Model):
    """A resident who asked for help. Minimal data: no account, e-mail never required."""

    __tablename__ = "residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    phone: Mapped[str | None] = mapped_column(PhoneNumber, index=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    has_no_email: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    postcode_code: Mapped[str | None] = mapped_column(sa.ForeignKey("postcodes.code"), index=True)
    street_address: Mapped[str | None] = mapped_column(sa.String(200))  # only for home visits
    locale: Mapped[str] = mapped_column(sa.String(8), default="nl")
    age_band: Mapped[AgeBand | None] = mapped_column(enum_type(AgeBand, "age_band"))
    needs_low_vision: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    needs_hearing: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    needs_mobility: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    consent_at: Mapped[datetime | None]
    consent_channel: Mapped[IntakeChannel | None] = mapped_column(enum_type(IntakeChannel, "consent_channel"))
    consent_version: Mapped[str | None] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    anonymised_at: Mapped[datetime | None]
    # The resident answered STOP to an SMS (or asked staff): no message of any kind goes out any more.
    messages_stopped_at: Mapped[datetime | None]

    network = relationship("LocalNetwork")
    postcode = relationship("Postcode")
    languages = relationship("ResidentLanguage", cascade="all, delete-orphan", back_populates="resident")
    requests = relationship("HelpRequest", back_populates="resident", order_by="HelpRequest.created_at")

    __table_args__ = (sa.Index("ix_residents_network_first_name", "network_id", "first_name"),)

    @property
    def language_codes(self) -> list[str]:
        return [rl.language_code for rl in self.languages]


class ResidentLanguage(db.Model):
    __tablename__ = "resident_languages"

    resident_id: Mapped[int] = mapped_column(
        sa.ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    language_code: Mapped[str] = mapped_column(sa.ForeignKey("languages.code"), primary_key=True)

    resident = relationship("Resident", back_populates="languages")


request_topics = sa.Table(
    "request_topics",
    db.metadata,
    sa.Column("request_id", sa.ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topics.id"), primary_key=True, index=True),
)

request_languages = sa.Table(
    "request_languages",
    db.metadata,
    sa.Column("request_id", sa.ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("language_code", sa.ForeignKey("languages.code"), primary_key=True, index=True),
)


class HelpRequest(db.Model):
    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    resident_id: Mapped[int] = mapped_column(sa.ForeignKey("residents.id"), index=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"))
    intake_channel: Mapped[IntakeChannel] = mapped_column(
        enum_type(IntakeChannel, "intake_channel"), index=True
    )
    preferred_mode: Mapped[HelpMode] = mapped_column(enum_type(HelpMode, "help_mode"))
    description: Mapped[str | None] = mapped_column(sa.Text)
    deadline: Mapped[date | None]
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus, "request_status"), default=RequestStatus.NEW
    )
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    offer_round: Mapped[int] = mapped_column(sa.Integer, default=0)
    escalation_reasons: Mapped[dict | None] = mapped_column(sa.JSON)
    result: Mapped[str | None] = mapped_column(sa.String(20))
    intake_location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    feedback_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    resident = relationship("Resident", back_populates="requests")
    network = relationship("LocalNetwork")
    created_by = relationship("User", foreign_keys=[created_by_id])
    intake_location = relationship("Location")
    topics = relationship("Topic", secondary=request_topics, order_by="Topic.position")
    languages = relationship("Language", secondary=request_languages)
    time_windows = relationship(
        "RequestTimeWindow",
        cascade="all, delete-orphan",
        back_populates="request",
        order_by="(RequestTimeWindow.weekday, RequestTimeWindow.day_part)",
    )
    events = relationship(
        "RequestEvent",
        cascade="all, delete-orphan",
        back_populates="request",
        order_by="RequestEvent.at",
    )

    __table_args__ = (
        sa.Index("ix_help_requests_network_status", "network_id", "status"),
        # Dashboards (reports/queries.py): a network's requests of a period, answered from the index alone.
        sa.Index(
            "ix_help_requests_network_created",
            "network_id",
            "created_at",
            postgresql_include=["id", "intake_channel", "resident_id"],
        ),
        # Dashboards: the open queue of every network.
        sa.Index("ix_help_requests_status_network_created", "status", "network_id", "created_at"),
        # Dashboards: requests that hold the reasons nobody fitted (a JSON column stores None as JSON null).
        sa.Index(
            "ix_help_requests_escalated",
            "network_id",
            "created_at",
            postgresql_where=sa.text("json_typeof(escalation_reasons) <> 'null'"),
            sqlite_where=sa.text("json_type(escalation_reasons) <> 'null'"),
        ),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestTimeWindow(db.Model):
    __tablename__ = "request_time_windows"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True
    )
    weekday: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    day_part: Mapped[DayPart] = mapped_column(enum_type(DayPart, "day_part"), primary_key=True)

    request = relationship("HelpRequest", back_populates="time_windows")

    __table_args__ = (weekday_check("weekday"),)


class RequestEvent(db.Model):
    """One line of a request's event log: a status change or another notable action."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    from_status: Mapped[RequestStatus | None] = mapped_column(enum_type(RequestStatus, "event_from_status"))
    to_status: Mapped[RequestStatus | None] = mapped_column(enum_type(RequestStatus, "event_to_status"))
    note: Mapped[str | None] = mapped_column(sa.Text)

    request = relationship("HelpRequest", back_populates="events")
    actor = relationship("User")

    __table_args__ = (
        # Dashboards: when a request first found a digibuddy (the queries compare with the literal 'matched').
        sa.Index(
            "ix_request_events_matched",
            "request_id",
            "at",
            postgresql_where=sa.text("to_status = 'matched'"),
            sqlite_where=sa.text("to_status = 'matched'"),
        ),
        # Recruitment advice: the requests escalated in a period (compared with the literal 'escalated').
        sa.Index(
            "ix_request_events_escalated",
            "at",
            "request_id",
            postgresql_where=sa.text("to_status = 'escalated'"),
            sqlite_where=sa.text("to_status = 'escalated'"),
        ),
    )
