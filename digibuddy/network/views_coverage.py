"""Coverage: which Flemish municipalities a local network covers, which none does, and where residents
tried to ask for help from a postcode no network covers. The central administrator sees every count;
a coordinator reads the same page with the attempts of the provinces their networks work in."""

from flask import Blueprint, render_template
from flask_babel import format_number
from markupsafe import Markup

from ..accounts.models import Role
from ..core.auth import admin_required, role_required
from ..core.i18n import current_locale, ngettext
from ..core.i18n import gettext as _
from ..core.scoping import caller_network_ids
from . import mapping
from .coverage import Coverage, coverage_places, flemish_coverage

bp = Blueprint("coverage", __name__)


@bp.route("/admin/coverage")
@admin_required
def central():
    return _page(flemish_coverage(current_locale()))


@bp.route("/network/coverage")
@role_required(Role.COORDINATOR)
def local():
    return _page(flemish_coverage(current_locale(), network_ids=caller_network_ids(Role.COORDINATOR)))


def map_description(coverage: Coverage) -> str:
    """The map's text alternative: what it shows in numbers (the table below lists every municipality)."""
    parts = [
        _("Map of the %(count)s Flemish municipalities.", count=format_number(coverage.total)),
        ngettext(
            "%(count)s is covered by a local network (filled circle).",
            "%(count)s are covered by a local network (filled circles).",
            coverage.covered,
            count=format_number(coverage.covered),
        ),
        ngettext(
            "%(count)s is not covered (open square or triangle).",
            "%(count)s are not covered (open squares or triangles).",
            coverage.uncovered,
            count=format_number(coverage.uncovered),
        ),
        ngettext(
            "In %(count)s uncovered municipality residents tried to ask for help online (triangle).",
            "In %(count)s uncovered municipalities residents tried to ask for help online (triangles).",
            coverage.attempted,
            count=format_number(coverage.attempted),
        ),
        _("The tables below list every municipality."),
    ]
    return " ".join(parts)


def _page(coverage: Coverage):
    svg = mapping.render(
        coverage_places(coverage),
        title=_("Coverage of the Flemish municipalities"),
        description=map_description(coverage),
    )
    symbols = {state: Markup(mapping.legend_symbol(state)) for state in mapping.STATES}
    return render_template("network/coverage.html", coverage=coverage, map_svg=Markup(svg), symbols=symbols)
