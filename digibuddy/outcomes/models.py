"""What each session achieved, and what residents thought of the help."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import enum_type, utcnow
from ..core.scoping import through
from ..extensions import db
from ..requests.models import HelpRequest
from ..scheduling.models import HelpSession


class OutcomeResult(enum.StrEnum):
    SOLVED = "solved"
    PARTLY_SOLVED = "partly_solved"
    REFERRED = "referred"
    NOT_SOLVED = "not_solved"


outcome_topics = sa.Table(
    "outcome_topics",
    db.metadata,
    sa.Column("outcome_id", sa.ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topics.id"), primary_key=True, index=True),
)


class Outcome(db.Model):
    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("help_sessions.id"), unique=True)
    result: Mapped[OutcomeResult] = mapped_column(enum_type(OutcomeResult, "outcome_result"))
    referred_to: Mapped[str | None] = mapped_column(sa.String(200))
    minutes_spent: Mapped[int] = mapped_column(sa.Integer)
    confidence_before: Mapped[int | None] = mapped_column(sa.SmallInteger)
    confidence_after: Mapped[int | None] = mapped_column(sa.SmallInteger)
    follow_up_needed: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    session = relationship("HelpSession", back_populates="outcome")
    topics = relationship("Topic", secondary=outcome_topics)

    __table_args__ = (
        sa.CheckConstraint("minutes_spent BETWEEN 0 AND 1440", name="minutes_range"),
        sa.CheckConstraint("confidence_before BETWEEN 1 AND 5", name="confidence_before_range"),
        sa.CheckConstraint("confidence_after BETWEEN 1 AND 5", name="confidence_after_range"),
        sa.CheckConstraint("result <> 'referred' OR referred_to IS NOT NULL", name="referral_named"),
        # Dashboards: a session's outcome figures, answered from the index alone on PostgreSQL.
        sa.Index(
            "ix_outcomes_session_figures",
            "session_id",
            postgresql_include=[
                "result",
                "referred_to",
                "minutes_spent",
                "confidence_before",
                "confidence_after",
                "follow_up_needed",
            ],
        ),
    )

    @classmethod
    def in_networks(cls, network_ids):
        return through(cls.session_id, HelpSession, network_ids)


class FeedbackChannel(enum.StrEnum):
    LINK = "link"
    PHONE = "phone"
    COUNTER = "counter"


class Feedback(db.Model):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("help_requests.id"), unique=True)
    channel: Mapped[FeedbackChannel] = mapped_column(enum_type(FeedbackChannel, "feedback_channel"))
    satisfaction: Mapped[int] = mapped_column(sa.SmallInteger)
    # How easy it was to get help this way, and how much the resident trusts it: 1-4 (see vocabulary), None
    # for feedback given before these were asked.
    ease: Mapped[int | None] = mapped_column(sa.SmallInteger)
    trust: Mapped[int | None] = mapped_column(sa.SmallInteger)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    request = relationship("HelpRequest")

    __table_args__ = (
        sa.CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_range"),
        sa.CheckConstraint("ease BETWEEN 1 AND 4", name="ease_range"),
        sa.CheckConstraint("trust BETWEEN 1 AND 4", name="trust_range"),
    )

    @classmethod
    def in_networks(cls, network_ids):
        return through(cls.request_id, HelpRequest, network_ids)
