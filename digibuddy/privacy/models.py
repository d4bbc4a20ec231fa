"""A resident's question about their data (see it, or have it erased), and how the coordinator answered."""

import enum
from datetime import datetime

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import enum_type, utcnow
from ..extensions import db


class AskKind(enum.StrEnum):
    EXPORT = "export"  # see everything the platform holds (GDPR art. 15)
    ERASE = "erase"  # have it erased (GDPR art. 17)


class AskOrigin(enum.StrEnum):
    RESIDENT = "resident"  # on the status page, with the reference code and postcode
    STAFF = "staff"  # told a coordinator (by phone, at the counter), who recorded it


class AskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class DataAsk(db.Model):
    """One question about a resident's data. It holds nothing personal itself, so it outlives the
    anonymisation it led to: the record that the resident asked and what was done, when and by whom."""

    __tablename__ = "data_asks"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    resident_id: Mapped[int] = mapped_column(sa.ForeignKey("residents.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("help_requests.id"))
    kind: Mapped[AskKind] = mapped_column(enum_type(AskKind, "data_ask_kind"))
    origin: Mapped[AskOrigin] = mapped_column(enum_type(AskOrigin, "data_ask_origin"))
    status: Mapped[AskStatus] = mapped_column(enum_type(AskStatus, "data_ask_status"), default=AskStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Why the data was erased, or how the export reached the resident (no personal data: staff are told so).
    reason: Mapped[str | None] = mapped_column(sa.String(500))

    resident = relationship("Resident")
    request = relationship("HelpRequest")
    handled_by = relationship("User")

    __table_args__ = (sa.Index("ix_data_asks_network_status", "network_id", "status"),)

    @property
    def answer_before(self) -> datetime:
        """The GDPR's deadline (art. 12(3)): one month after the question, by the calendar."""
        return self.created_at + relativedelta(months=1)
