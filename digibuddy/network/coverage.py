"""Which Flemish municipalities a local network covers and which none does, and where residents tried to
ask for help online from a postcode no network covers (a count per postcode and day, nothing personal)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..core.time import local_today
from ..extensions import db
from ..reference.models import REGION_FLANDERS, Municipality, Postcode
from . import mapping
from .models import LocalNetwork, NetworkMunicipality, UncoveredAttempt

ATTEMPT_MONTHS = 12  # the coverage page counts the attempts of the last year


def count_uncovered_attempt(postcode_code: str, day: date | None = None) -> None:
    """One more attempt from this postcode today: the day's row is created or its count goes up by one, in
    one statement, so two residents at the same moment both count. Commits."""
    day = day or local_today()
    table = UncoveredAttempt.__table__
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(postcode_code=postcode_code, day=day, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.postcode_code, table.c.day], set_={"count": table.c.count + 1}
    )
    db.session.execute(statement)
    db.session.commit()


def attempts_since(today: date | None = None) -> date:
    """The first day the page counts: the same day a year ago (ATTEMPT_MONTHS), plus one."""
    today = today or local_today()
    return today - timedelta(days=round(ATTEMPT_MONTHS * 365 / 12)) + timedelta(days=1)


@dataclass
class MunicipalityRow:
    nis_code: str
    name: str
    latitude: float
    longitude: float
    network_id: int | None = None
    network_name: str | None = None
    attempts: int = 0
    attempts_shown: bool = True  # False: a coordinator outside the province does not see this count

    @property
    def state(self) -> str:
        if self.network_id is not None:
            return mapping.COVERED
        return mapping.ATTEMPTED if self.attempts and self.attempts_shown else mapping.UNCOVERED


@dataclass
class ProvinceRows:
    code: str
    name: str
    rows: list[MunicipalityRow] = field(default_factory=list)

    @property
    def covered(self) -> int:
        return sum(1 for row in self.rows if row.network_id is not None)

    @property
    def uncovered(self) -> int:
        return len(self.rows) - self.covered

    @property
    def attempts(self) -> int:
        return sum(row.attempts for row in self.rows if row.attempts_shown)


@dataclass
class Coverage:
    provinces: list[ProvinceRows]
    since: date
    until: date
    attempts_in: set[str] | None  # the provinces whose attempts are shown; None: all of them
    attempts_elsewhere: int = 0  # from postcodes in Brussels and Wallonia (the central page only)

    @property
    def municipalities(self) -> list[MunicipalityRow]:
        return [row for province in self.provinces for row in province.rows]

    @property
    def total(self) -> int:
        return len(self.municipalities)

    @property
    def covered(self) -> int:
        return sum(province.covered for province in self.provinces)

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def attempts(self) -> int:
        return sum(province.attempts for province in self.provinces)

    @property
    def attempted(self) -> int:
        """Uncovered municipalities from which residents tried to ask for help."""
        return sum(1 for row in self.municipalities if row.state == mapping.ATTEMPTED)


def flemish_coverage(
    locale: str, *, network_ids: set[int] | None = None, today: date | None = None
) -> Coverage:
    """Every Flemish municipality by province, with the network that covers it and the attempts of the last
    12 months from its postcodes. With `network_ids` (a coordinator's networks) the attempts are shown only
    in the provinces those networks work in: the municipalities next door, where their volunteers may help."""
    today = today or local_today()
    since = attempts_since(today)
    places = db.session.execute(
        sa.select(
            Municipality,
            sa.func.avg(Postcode.latitude),
            sa.func.avg(Postcode.longitude),
        )
        .join(Postcode, Postcode.municipality_nis == Municipality.nis_code)
        .where(Municipality.region_code == REGION_FLANDERS)
        .group_by(Municipality.nis_code)
    ).all()
    networks = {
        nis: (network_id, name)
        for nis, network_id, name in db.session.execute(
            sa.select(NetworkMunicipality.municipality_nis, LocalNetwork.id, LocalNetwork.name)
            .join(LocalNetwork, LocalNetwork.id == NetworkMunicipality.network_id)
            .where(LocalNetwork.active.is_(True))  # as routing: a switched-off network helps nobody
        )
    }
    attempts = dict(
        db.session.execute(
            sa.select(Postcode.municipality_nis, sa.func.sum(UncoveredAttempt.count))
            .join(Postcode, Postcode.code == UncoveredAttempt.postcode_code)
            .where(UncoveredAttempt.day >= since, UncoveredAttempt.day <= today)
            .group_by(Postcode.municipality_nis)
        ).all()
    )
    flemish = {municipality.nis_code for municipality, _lat, _lon in places}
    attempts_in = None
    if network_ids is not None:
        attempts_in = set(
            db.session.scalars(
                sa.select(Municipality.province_code)
                .join(NetworkMunicipality, NetworkMunicipality.municipality_nis == Municipality.nis_code)
                .where(NetworkMunicipality.network_id.in_(network_ids or [-1]))
                .distinct()
            )
        )
    provinces: dict[str, ProvinceRows] = {}
    for municipality, latitude, longitude in places:
        code = municipality.province_code or municipality.region_code
        province = provinces.get(code)
        if province is None:
            name = (
                municipality.province_name_fr if locale == "fr" else municipality.province_name_nl
            ) or municipality.region_name_nl
            province = provinces[code] = ProvinceRows(code=code, name=name)
        network_id, network_name = networks.get(municipality.nis_code, (None, None))
        province.rows.append(
            MunicipalityRow(
                nis_code=municipality.nis_code,
                name=municipality.name(locale),
                latitude=float(latitude),
                longitude=float(longitude),
                network_id=network_id,
                network_name=network_name,
                attempts=int(attempts.get(municipality.nis_code) or 0),
                attempts_shown=attempts_in is None or code in attempts_in,
            )
        )
    for province in provinces.values():
        province.rows.sort(key=lambda row: row.name)
    ordered = sorted(provinces.values(), key=lambda province: province.name)
    elsewhere = 0 if network_ids is not None else sum(n for nis, n in attempts.items() if nis not in flemish)
    return Coverage(ordered, since, today, attempts_in, attempts_elsewhere=int(elsewhere))


def coverage_places(coverage: Coverage) -> list[mapping.Place]:
    return [
        mapping.Place(row.nis_code, row.name, row.latitude, row.longitude, row.state)
        for row in coverage.municipalities
    ]
