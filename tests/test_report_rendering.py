"""Every cell and chart value of the local dashboard reads as formatting.display and flask_babel's number
formats show it in the viewer's language: the page writes the cells in one pass with the locale looked up
once per table, and the charts format with the locale they looked up once."""

import pytest
from flask_babel import force_locale, format_decimal, format_number, format_percent

from digibuddy.core.db import utcnow
from digibuddy.reports import dashboards, formatting, stats
from digibuddy.reports.charts import chart_value_text
from tests.conftest import text
from tests.reports_helpers import page_tables, request_at, utc
from tests.routes import populate

RANGE = "from=2025-03-01&to=2025-04-30"


@pytest.fixture
def world(app):
    world = populate("9000", "Gent")
    for day in range(1, 28):  # enough requests for decimals, shares and waiting times of every size
        request_at(world.network, utc(f"2025-03-{day:02d} 09:{day:02d}"), postcode="9000")
        request_at(world.network, utc(f"2025-04-{day:02d} 10:00"), postcode="9000")
    return world


@pytest.mark.parametrize("locale", ["nl", "fr", "en"])
def test_the_cells_read_as_the_formatter_shows_them(app, world, make_client, locale):
    coordinator = world.people["coordinator"]
    coordinator.locale = locale
    client = make_client()
    client.login(coordinator)
    page = text(client.get(f"/reports/local?{RANGE}&lang={locale}"))
    shown = page_tables(page)
    date_range, _errors = stats.parse_range("2025-03-01", "2025-04-30", utcnow().date())
    with app.test_request_context(f"/?lang={locale}"), force_locale(locale):
        dashboard = dashboards.local_dashboard(world.network, date_range, utcnow())
        expected = {
            table.key: [
                [formatting.display(v, row.kind(i, table.columns)) for i, v in enumerate(row.values)]
                for row in table.rows
            ]
            for table in dashboard.tables
        }
        assert chart_value_text(1234.5) == format_decimal(1234.5, "#,##0.0")
        assert chart_value_text(12345) == format_number(12345)
        assert formatting.display(0.375, "percent") == format_percent(0.375, "#,##0%")
        assert formatting.display(2.25, "decimal") == format_decimal(2.25, "#,##0.0")
    assert set(shown) == set(expected)
    assert any("," in cell or "." in cell for rows in expected.values() for row in rows for cell in row)
    for key, rows in expected.items():
        assert [cells for _label, cells in shown[key]["rows"]] == rows, key
