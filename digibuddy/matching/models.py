"""Offers of a request to a volunteer. The database guarantees at most one accepted offer per request."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import enum_type, utcnow
from ..core.scoping import through
from ..extensions import db
from ..requests.models import HelpRequest


class OfferStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class Offer(db.Model):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("help_requests.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    round: Mapped[int] = mapped_column(sa.Integer, default=1)
    score: Mapped[float] = mapped_column(sa.Float, default=0)
    explanation: Mapped[list | None] = mapped_column(sa.JSON)
    status: Mapped[OfferStatus] = mapped_column(
        enum_type(OfferStatus, "offer_status"), default=OfferStatus.PENDING
    )
    direct_assignment: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    expires_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(sa.String(500))

    request = relationship("HelpRequest")
    volunteer = relationship("VolunteerProfile")

    __table_args__ = (
        sa.UniqueConstraint("request_id", "volunteer_id"),
        sa.Index("ix_offers_status_expires_at", "status", "expires_at"),
        # Dashboards: a request's first offer.
        sa.Index("ix_offers_request_created", "request_id", "created_at"),
        # Two volunteers accepting at the same instant: the database lets only one win.
        sa.Index(
            "uq_offers_one_accepted_per_request",
            "request_id",
            unique=True,
            sqlite_where=sa.text("status = 'accepted'"),
            postgresql_where=sa.text("status = 'accepted'"),
        ),
    )

    @classmethod
    def in_networks(cls, network_ids):
        return through(cls.request_id, HelpRequest, network_ids)

    @classmethod
    def assigned_to(cls, volunteer_id):
        """An offer is answered by the volunteer it was made to."""
        return cls.volunteer_id == volunteer_id
