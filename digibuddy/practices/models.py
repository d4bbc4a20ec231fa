"""Practice sheets and the networks that use them."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import enum_type, utcnow
from ..extensions import db


class PracticeStatus(enum.StrEnum):
    PROPOSED = "proposed"  # by a coordinator, waiting for the central administrator
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Practice(db.Model):
    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(500))
    body: Mapped[str] = mapped_column(sa.Text)  # Markdown, rendered safely
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)  # free keywords
    topic_groups: Mapped[list] = mapped_column(sa.JSON, default=list)  # topic group codes
    target_groups: Mapped[list] = mapped_column(sa.JSON, default=list)  # see TARGET_GROUPS
    channels: Mapped[list] = mapped_column(sa.JSON, default=list)  # click, call, face, home
    contact_name: Mapped[str | None] = mapped_column(sa.String(120))
    contact_details: Mapped[str | None] = mapped_column(sa.String(200))
    links: Mapped[list] = mapped_column(sa.JSON, default=list)
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    status: Mapped[PracticeStatus] = mapped_column(
        enum_type(PracticeStatus, "practice_status"), default=PracticeStatus.PROPOSED
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime | None]

    network = relationship("LocalNetwork")
    created_by = relationship("User", foreign_keys=[created_by_id])
    uses = relationship("PracticeUse", cascade="all, delete-orphan", back_populates="practice")


class PracticeUse(db.Model):
    """A local network that says "we use this"."""

    __tablename__ = "practice_uses"

    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True
    )
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"), primary_key=True)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice = relationship("Practice", back_populates="uses")
    network = relationship("LocalNetwork")
