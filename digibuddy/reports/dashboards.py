"""The dashboards: every declared figure (definitions.FIGURES), laid out for one network (a coordinator's
dashboard, the yearly report) or for every network side by side (the central level's network dashboard).

A coordinator's own network is shown exactly; everything the central level sees goes through small-cell
protection (figures.py)."""

from dataclasses import dataclass, field
from datetime import datetime

from ..core.i18n import gettext as _
from . import definitions, stats
from . import numbers as numbers_
from .figures import Entity, View
from .numbers import WHOLE, NetworkNumbers
from .stats import Table


@dataclass
class Dashboard:
    title: str
    date_range: stats.DateRange
    tables: list[Table]
    suppressed: bool
    network: object = None
    networks: list = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def local_tables(
    numbers: NetworkNumbers, date_range: stats.DateRange, *, suppress: bool = False
) -> list[Table]:
    """Every figure of one network, categories as rows."""
    view = View(numbers, suppress, date_range.months())
    return [table for figure in definitions.FIGURES for table in figure.tall(numbers, view)]


def network_tables(entities: list[Entity], date_range: stats.DateRange) -> list[Table]:
    """Every figure per local network side by side, the whole network (the last entity) last; small cells
    always hidden."""
    view = View(entities[-1].numbers, True, date_range.months())
    return [table for figure in definitions.FIGURES for table in figure.wide(entities, view)]


def local_dashboard(
    network, date_range: stats.DateRange, now: datetime, *, suppress: bool = False
) -> Dashboard:
    """One network's figures: exact for its coordinators, suppressed when the central level looks at it."""
    found = numbers_.of_network(network.id, date_range, now)
    return Dashboard(
        _("Figures of %(network)s", network=network.name),
        date_range,
        local_tables(found, date_range, suppress=suppress),
        suppress,
        network=network,
    )


def network_dashboard(networks: list, date_range: stats.DateRange, numbers: dict) -> Dashboard:
    """Every local network side by side and the whole network, always with small cells suppressed, from
    each network's numbers ({network id or WHOLE: NetworkNumbers}, numbers.of_every_network)."""
    entities = [Entity(n.id, n.name, numbers[n.id]) for n in networks]
    entities.append(Entity(WHOLE, _("Whole network"), numbers[WHOLE]))
    return Dashboard(
        _("Figures of the whole network"),
        date_range,
        network_tables(entities, date_range),
        True,
        networks=networks,
    )
