"""Dashboards: a coordinator's local figures, the central administrator's network figures (small cells
suppressed), a network's yearly report as a printable page, and every table as CSV or Excel."""

import re

from flask import Blueprint, Response, abort, g, render_template, request, url_for
from flask_babel import format_date, format_number
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import StringField

from ..accounts.models import Role
from ..core.auth import admin_required, role_required
from ..core.db import utcnow
from ..core.i18n import current_locale
from ..core.i18n import gettext as _
from ..core.i18n import lazy_gettext as _l
from ..core.scoping import caller_network_ids
from ..core.time import local_today
from ..extensions import db
from ..network.models import LocalNetwork
from . import advice, charts, dashboards, exports, formatting, recruitment, stats
from . import numbers as numbers_

bp = Blueprint("reports", __name__, url_prefix="/reports")

RANGE_MESSAGES = {
    stats.INVALID_DATE: _l("Write a date as year-month-day, for example 2025-01-31."),
    stats.END_BEFORE_START: _l("The end date must be on or after the start date."),
    stats.TOO_LONG: _l("Choose a period of at most 10 years."),
    stats.OUT_OF_BOUNDS: _l("Choose a date from the year 2000 to 2099."),
}


class RangeForm(FlaskForm):
    class Meta:
        csrf = False

    date_from = StringField(
        _l("From"),
        name="from",
        render_kw={"type": "date", "class": "short-date"},
        description=_l("For example 2025-01-01."),
    )
    date_to = StringField(_l("To (included)"), name="to", render_kw={"type": "date", "class": "short-date"})


def requested_range() -> tuple[stats.DateRange, RangeForm]:
    """The period from ?from=&to= (ISO dates); on an invalid one the last 12 months and a field error."""
    form = RangeForm(formdata=request.args)
    date_range, errors = stats.parse_range(request.args.get("from"), request.args.get("to"), local_today())
    for name, code in errors.items():
        field = form.date_from if name == "from" else form.date_to
        field.errors = [str(RANGE_MESSAGES[code])]
    if errors:
        form.form_errors.append(_("We show the last 12 months instead."))
    if not errors:
        form.date_from.data, form.date_to.data = date_range.start.isoformat(), date_range.end.isoformat()
    return date_range, form


def _coordinated_networks() -> list[LocalNetwork]:
    ids = caller_network_ids(Role.COORDINATOR)
    if not ids:
        return []
    return db.session.scalars(
        select(LocalNetwork).where(LocalNetwork.id.in_(ids)).order_by(LocalNetwork.name)
    ).all()


def _chosen_network(networks: list[LocalNetwork]) -> LocalNetwork:
    """The network from ?network= among the allowed ones (404 otherwise); the first one by default."""
    wanted = request.args.get("network")
    if not wanted:
        if not networks:
            abort(404)
        return networks[0]
    try:
        wanted = int(wanted)
    except ValueError:
        abort(404)
    found = next((n for n in networks if n.id == wanted), None)
    if found is None:
        abort(404)
    return found


def _period_text(date_range: stats.DateRange) -> str:
    return _(
        "From %(start)s to %(end)s",
        start=format_date(date_range.start, "long"),
        end=format_date(date_range.end, "long"),
    )


def _range_args(date_range: stats.DateRange, **extra) -> dict:
    args = {"from": date_range.start.isoformat(), "to": date_range.end.isoformat()}
    args.update({k: v for k, v in extra.items() if v is not None})
    return args


def _export(dashboard: dashboards.Dashboard, table_key: str | None, fmt: str, name: str) -> Response:
    period = _period_text(dashboard.date_range)
    stamp = f"{dashboard.date_range.start.isoformat()}_{dashboard.date_range.end.isoformat()}"
    if table_key is None:
        tables = dashboard.tables
        filename = f"digibuddy-{name}-{stamp}.xlsx"
    else:
        found = [t for t in dashboard.tables if t.key == table_key]
        if not found:
            abort(404)
        tables = found
        filename = f"digibuddy-{name}-{table_key}-{stamp}.{fmt}"
    if fmt == "csv":
        body, mimetype = exports.to_csv(tables[0]), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(tables, dashboard.title, f"{dashboard.title} · {period}")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _advice_numbers() -> dict:
    return {"advice_months": format_number(recruitment.MONTHS), "small_cell": format_number(stats.SMALL_CELL)}


# ----------------------------------------------------------------------------------------------- local
def _local_dashboard():
    networks = _coordinated_networks()
    network = _chosen_network(networks)
    date_range, form = requested_range()
    return dashboards.local_dashboard(network, date_range, utcnow()), form, networks


def _local_page(dashboard, form, networks):
    args = _range_args(dashboard.date_range, network=dashboard.network.id)
    return render_template(
        "reports/dashboard.html",
        dashboard=dashboard,
        form=form,
        networks=networks,
        args=args,
        export_endpoint="reports.local_export",
        workbook_url=url_for("reports.local_workbook", **args),
        form_action=url_for("reports.local"),
        yearly_url=url_for("reports.yearly", network=dashboard.network.id),
        advice=advice.for_networks([dashboard.network], utcnow(), suppress=False),
        **_advice_numbers(),
    ), (422 if form.errors else 200)


@bp.route("/local")
@role_required(Role.COORDINATOR)
def local():
    return _local_page(*_local_dashboard())


@bp.route("/local/export/<table_key>.<any(csv, xlsx):fmt>")
@role_required(Role.COORDINATOR)
def local_export(table_key, fmt):
    dashboard, form, networks = _local_dashboard()
    if form.errors:  # never a download of another period than the one asked for
        return _local_page(dashboard, form, networks)
    return _export(dashboard, table_key, fmt, dashboard.network.slug)


@bp.route("/local/export/all.xlsx")
@role_required(Role.COORDINATOR)
def local_workbook():
    dashboard, form, networks = _local_dashboard()
    if form.errors:
        return _local_page(dashboard, form, networks)
    return _export(dashboard, None, "xlsx", dashboard.network.slug)


# ----------------------------------------------------------------------------------------------- network
def _all_networks() -> list[LocalNetwork]:
    return db.session.scalars(select(LocalNetwork).order_by(LocalNetwork.name)).all()


def _network_dashboard():
    date_range, form = requested_range()
    networks = _all_networks()
    found = numbers_.of_every_network(date_range, utcnow(), [n.id for n in networks])
    return dashboards.network_dashboard(networks, date_range, found), form


def _network_page(dashboard, form):
    args = _range_args(dashboard.date_range)
    return render_template(
        "reports/dashboard.html",
        dashboard=dashboard,
        form=form,
        networks=[],
        args=args,
        export_endpoint="reports.network_export",
        workbook_url=url_for("reports.network_workbook", **args),
        form_action=url_for("reports.network"),
        yearly_url=url_for("reports.yearly"),
        advice=advice.for_networks(dashboard.networks, utcnow(), suppress=True, every=True),
        **_advice_numbers(),
    ), (422 if form.errors else 200)


@bp.route("/network")
@admin_required
def network():
    return _network_page(*_network_dashboard())


@bp.route("/network/export/<table_key>.<any(csv, xlsx):fmt>")
@admin_required
def network_export(table_key, fmt):
    dashboard, form = _network_dashboard()
    if form.errors:
        return _network_page(dashboard, form)
    return _export(dashboard, table_key, fmt, "network")


@bp.route("/network/export/all.xlsx")
@admin_required
def network_workbook():
    dashboard, form = _network_dashboard()
    if form.errors:
        return _network_page(dashboard, form)
    return _export(dashboard, None, "xlsx", "network")


# ----------------------------------------------------------------------------------------------- yearly
@bp.route("/yearly")
@login_required
def yearly():
    """A network's year on one printable page: exact for its coordinator, suppressed for the central level."""
    coordinated = _coordinated_networks()
    if current_user.is_admin:
        networks, suppress = _all_networks(), True
    elif coordinated:
        networks, suppress = coordinated, False
    else:
        abort(403)
    network = _chosen_network(networks)
    if not suppress or network.id in {n.id for n in coordinated}:
        suppress = False
    this_year = local_today().year
    try:
        year = int(request.args.get("year") or this_year - 1)
    except ValueError:
        year = this_year - 1
    if not 2000 <= year <= this_year:
        year = this_year - 1
    date_range = stats.year_range(year)
    dashboard = dashboards.local_dashboard(network, date_range, utcnow(), suppress=suppress)
    return render_template(
        "reports/yearly.html",
        dashboard=dashboard,
        year=year,
        networks=networks,
        years=list(range(this_year, max(1999, this_year - 10), -1)),
        generated=utcnow(),
    )


@bp.app_template_global()
def report_rows(table) -> Markup:
    """The body rows of a dashboard table, each cell as formatting.display shows it. A dashboard has some
    8,700 cells, most of them the same few values: written here in one pass with the viewer's locale looked
    up once per table and each (value, kind) formatted once per page, instead of a template call and a
    locale look-up per cell."""
    locale = current_locale()
    kinds = [column.kind for column in table.columns]
    # (locale, value, kind): the cell's markup; the value's type too, as 1 == 1.0 == True in a key
    cells = g.setdefault("report_cells", {})

    def cell(value, kind) -> str:
        key = (locale, type(value), value, kind)
        found = cells.get(key)
        if found is None:
            text = escape(formatting.display(value, kind, locale))
            found = cells[key] = f'<td class="num">{text}</td>'
        return found

    parts = []
    for row in table.rows:
        row_cells = "".join(map(cell, row.values, row.kinds or kinds))
        total = ' class="total"' if row.total else ""
        parts.append(
            f"\n            <tr{total}>\n"
            f'              <th scope="row">{escape(row.label)}</th>\n'
            f"              {row_cells}\n            </tr>\n          "
        )
    return Markup("".join(parts))


# A table's key as URLs carry it as it is; the address of a download is built once per page and format
# with this in its place (a dashboard links two downloads for each of its 17 tables).
SAFE_KEY = re.compile(r"[a-z0-9_]+")
KEY_SLOT = "table_key_slot"


@bp.app_template_global()
def report_download_url(endpoint: str, table_key: str, fmt: str, args: dict) -> str:
    """url_for(endpoint, table_key=table_key, fmt=fmt, **args)."""
    if not SAFE_KEY.fullmatch(table_key):
        return url_for(endpoint, table_key=table_key, fmt=fmt, **args)
    built = g.setdefault("report_download_urls", {})
    key = (endpoint, fmt, tuple(args.items()))
    if key not in built:
        built[key] = url_for(endpoint, table_key=KEY_SLOT, fmt=fmt, **args)
    return built[key].replace(KEY_SLOT, table_key, 1)


@bp.app_template_global()
def report_column_groups(columns) -> list:
    return stats.column_groups(columns)


@bp.app_template_global()
def report_chart(table, dom_id) -> str:
    return charts.render(table, dom_id)


@bp.app_template_global()
def report_period(date_range) -> str:
    return _period_text(date_range)


@bp.route("/attestation")
@login_required
def attestation():
    """A digibuddy's certificate of the training they passed and their hours of help per year, to print."""
    from flask_babel import format_decimal

    from ..volunteers.services import volunteer_networks
    from ..volunteers.training import attested_training
    from . import attestation as figures

    profile = current_user.volunteer_profile
    if profile is None:
        abort(404)
    sessions = figures.sessions_done(profile)
    minutes = figures.minutes_by_year(sessions)
    counts = figures.sessions_per_year(sessions)
    years = [
        (year, counts.get(year, 0), format_decimal(minutes[year] / 60, format="#,##0.0")) for year in minutes
    ]
    return render_template(
        "reports/attestation.html",
        profile=profile,
        networks=volunteer_networks(profile),
        training=attested_training(profile, current_locale()),
        years=years,
        total=format_decimal(sum(minutes.values()) / 60, format="#,##0.0"),
        today=local_today(),
    )
