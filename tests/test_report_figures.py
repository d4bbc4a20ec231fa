"""Every dashboard figure is declared once (reports/definitions.py) and laid out from that declaration on a
coordinator's dashboard, the yearly report, the network dashboard and in the exports. The layouts are tested
here on numbers written by hand; test_reports.py checks every figure against a data set."""

from datetime import date

import pytest
from flask_babel import lazy_gettext as _l

from digibuddy.accounts.models import Role
from digibuddy.reports import definitions, numbers
from digibuddy.reports.figures import Average, Count, Counts, Cross, Entity, Grid, Quantile, Summary, View
from digibuddy.reports.numbers import WHOLE
from digibuddy.reports.stats import HIDDEN, SUPPRESSED
from digibuddy.requests.models import IntakeChannel
from tests import reports_helpers as rh
from tests.conftest import text
from tests.factories import make_admin, make_user
from tests.reports_helpers import page_tables, read_csv, read_workbook, utc

RANGE = "from=2025-03-01&to=2025-04-30"


def _numbers(network_id=1, **values):
    found = numbers.empty(network_id)
    for name, value in values.items():
        setattr(found, name, value)
    return found


@pytest.fixture
def english(app):
    with app.test_request_context("/?lang=en"):
        yield


def _rows(table):
    return [(row.label, row.values) for row in table.rows]


# ----------------------------------------------------------------------------------------------- layouts
CHANNELS = Counts(
    key="channels",
    title="By channel",
    row_header="Channel",
    categories=lambda _view: [("click", "Click"), ("call", "Call")],
    counts=lambda n, _keys: n.channels,
    summaries=(Summary("average", "Average", "decimal", lambda n: (sum(n.satisfaction.values()), 4)),),
)


def test_counts_of_one_network_are_rows_with_a_total_shares_and_summaries(english):
    one = _numbers(channels={"click": 3, "call": 1}, satisfaction={1: 10})
    (table,) = CHANNELS.tall(one, View(one, suppress=False))
    assert [c.label for c in table.columns] == ["Number", "Share"]
    assert _rows(table) == [
        ("Click", [3, 0.75]),
        ("Call", [1, 0.25]),
        ("Total", [4, 1.0]),
        ("Average", [2.5, None]),
    ]
    # For the central level: no shares, the small cells hidden, and the average that goes with them.
    (table,) = CHANNELS.tall(one, View(one, suppress=True))
    assert _rows(table) == [
        ("Click", [SUPPRESSED]),
        ("Call", [SUPPRESSED]),
        ("Total", [SUPPRESSED]),
        ("Average", [SUPPRESSED]),
    ]


def test_counts_of_every_network_are_columns_protected_across_networks(english):
    a = _numbers(1, channels={"click": 6, "call": 2}, satisfaction={1: 16})
    b = _numbers(2, channels={"click": 7, "call": 5}, satisfaction={1: 24})
    whole = _numbers(WHOLE, channels={"click": 13, "call": 7}, satisfaction={1: 40})
    entities = [Entity(1, "A", a), Entity(2, "B", b), Entity(WHOLE, "Whole network", whole)]
    (table,) = CHANNELS.wide(entities, View(whole, suppress=True))
    assert [c.label for c in table.columns] == ["Click", "Call", "Total", "Average"]
    # A's 2 is hidden, so its 6 (8 - 2 would give it away); then B's 5 (7 - 5) and B's 7 (13 - 7).
    # Only the 2 reads "<5": the others are hidden to protect it and may be larger.
    # The averages next to hidden answers go too.
    assert _rows(table) == [
        ("A", [HIDDEN, SUPPRESSED, 8, SUPPRESSED]),
        ("B", [HIDDEN, HIDDEN, 12, SUPPRESSED]),
        ("Whole network", [13, 7, 20, 10.0]),
    ]
    assert table.rows[-1].total and table.chart_axis == "columns" and table.row_header == "Local network"


def test_a_grid_hides_an_average_with_its_count_and_a_percentile_only_with_a_small_count(english):
    grid = Grid(
        key="grid",
        title="Grid",
        categories=lambda _view: [("x", "X"), ("y", "Y")],
        measures=(Count("n", "N"), Average("mean", "Mean", of="n"), Quantile("p50", "Median", of="n")),
        cells=lambda n, _keys: n.timings,
    )
    a = _numbers(1, timings={"x": {"n": 6, "mean": 12, "p50": 60.0}, "y": {"n": 3, "mean": 9, "p50": 30.0}})
    b = _numbers(2, timings={"x": {"n": 2, "mean": 4, "p50": 90.0}, "y": {"n": 0}})
    whole = _numbers(WHOLE, timings={"x": {"n": 8, "mean": 16, "p50": 60.0}, "y": {"n": 3, "mean": 9}})
    entities = [Entity(1, "A", a), Entity(2, "B", b), Entity(WHOLE, "Whole network", whole)]
    (table,) = grid.wide(entities, View(whole, suppress=True))
    assert [(c.group, c.label) for c in table.columns] == [
        ("X", "N"),
        ("X", "Mean"),
        ("X", "Median"),
        ("Y", "N"),
        ("Y", "Mean"),
        ("Y", "Median"),
    ]
    # X: B's 2 is hidden and A's 6 with it (8 - 6); A's mean goes with its count, its median of 6 stays.
    assert _rows(table) == [
        ("A", [HIDDEN, SUPPRESSED, 60.0, SUPPRESSED, SUPPRESSED, SUPPRESSED]),
        ("B", [SUPPRESSED, SUPPRESSED, SUPPRESSED, 0, None, None]),
        ("Whole network", [8, 2.0, 60.0, SUPPRESSED, SUPPRESSED, SUPPRESSED]),
    ]
    (table,) = grid.tall(a, View(a, suppress=False))
    assert _rows(table) == [("X", [6, 2.0, 60.0]), ("Y", [3, 3.0, 30.0])]


def test_a_cross_of_two_dimensions_is_one_matrix_locally_and_two_tables_centrally(english):
    cross = Cross(
        key="cross",
        title="Both",
        categories=lambda _view: [("a", "A"), ("b", "B")],
        columns=lambda _view: [(0, "young"), (1, "old")],
        counts=lambda n: n.open_matrix,
        by_rows=("cross_rows", "By row"),
        by_columns=("cross_columns", "By column"),
    )
    one = _numbers(open_matrix={("a", 0): 5, ("a", 1): 6, ("b", 1): 7})
    (table,) = cross.tall(one, View(one, suppress=False))
    assert _rows(table) == [("A", [5, 6, 11]), ("B", [0, 7, 7]), ("Total", [5, 13, 18])]
    whole = _numbers(WHOLE, open_matrix=one.open_matrix)
    tables = cross.wide([Entity(1, "N", one), Entity(WHOLE, "Whole network", whole)], View(whole, True))
    assert [(t.key, t.title) for t in tables] == [("cross_rows", "By row"), ("cross_columns", "By column")]
    assert _rows(tables[0])[0] == ("N", [11, 7, 18]) and _rows(tables[1])[0] == ("N", [5, 13, 18])


def test_figure_keys_are_unique_on_every_dashboard(english):
    local = [f.key for f in definitions.FIGURES]
    assert len(local) == len(set(local))
    central = [
        key
        for f in definitions.FIGURES
        for key in ((f.by_rows[0], f.by_columns[0]) if isinstance(f, Cross) else (f.key,))
    ]
    assert len(central) == len(set(central))


# ----------------------------------------------------------------------------------------------- every place
@pytest.fixture
def two_networks(app):
    gent = rh.network("Digibuddy Gent", "gent", "9000")
    mechelen = rh.network("Digibuddy Mechelen", "mechelen", "2800")
    for index in range(6):
        rh.request_at(gent, utc(f"2025-03-{10 + index} 10:00"))
    for index in range(5):
        rh.request_at(mechelen, utc(f"2025-03-{10 + index} 10:00"), channel=IntakeChannel.OUTREACH)
    return {"gent": gent, "coordinator": make_user(Role.COORDINATOR, gent), "admin": make_admin()}


def test_a_figure_declared_once_shows_on_both_dashboards_and_in_the_exports(
    client, two_networks, monkeypatch
):
    home = Counts(
        key="home_or_not",
        title=_l("Requests through outreach"),
        row_header="Where",
        categories=lambda _view: [("home", "At home"), ("elsewhere", "Elsewhere")],
        counts=lambda n, _keys: {
            "home": n.channels.get("home", 0),
            "elsewhere": sum(v for k, v in n.channels.items() if k != "home"),
        },
    )
    monkeypatch.setattr(definitions, "FIGURES", (*definitions.FIGURES, home))

    client.login(two_networks["coordinator"])
    local = page_tables(text(client.get(f"/reports/local?{RANGE}&lang=en")))
    assert local["home_or_not"]["rows"] == [
        ("At home", ["0", "0%"]),
        ("Elsewhere", ["6", "100%"]),
        ("Total", ["6", "100%"]),
    ]
    assert read_csv(client.get(f"/reports/local/export/home_or_not.csv?{RANGE}&lang=en"))[1:] == [
        ["At home", "0", "0.0"],
        ["Elsewhere", "6", "100.0"],
        ["Total", "6", "100.0"],
    ]
    yearly = page_tables(text(client.get("/reports/yearly?year=2025&lang=en")))
    assert yearly["home_or_not"]["rows"][-1] == ("Total", ["6", "100%"])
    client.logout()

    client.login(two_networks["admin"])
    network = page_tables(text(client.get(f"/reports/network?{RANGE}&lang=en")))
    assert network["home_or_not"]["columns"] == ["At home", "Elsewhere", "Total"]
    assert network["home_or_not"]["rows"] == [
        ("Digibuddy Gent", ["0", "6", "6"]),
        ("Digibuddy Mechelen", ["5", "0", "5"]),
        ("Whole network", ["5", "6", "11"]),
    ]
    workbook = read_workbook(client.get(f"/reports/network/export/all.xlsx?{RANGE}&lang=en"))
    assert "Requests through outreach" in workbook.sheetnames
    assert len(workbook.sheetnames) == len(network)


# ----------------------------------------------------------------------------------------------- channels
def _figure(key):
    return next(f for f in definitions.FIGURES if f.key == key)


def test_reach_ease_and_trust_per_channel_from_numbers_written_by_hand(english):
    """Click: 12 requests, 6 answers (ease 13 + 5 = 18 -> 3.0, trust 15 + 7 = 22 -> 3.67); call: 4 requests,
    2 answers (ease 7 -> 3.5, trust 3 -> 1.5); face and home: none. All: 8 answers, 25 / 8 and 25 / 8."""
    answers = {
        ("click", 0, "answers"): 4,
        ("click", 0, "ease"): 13,
        ("click", 0, "trust"): 15,
        ("click", 1, "answers"): 2,
        ("click", 1, "ease"): 5,
        ("click", 1, "trust"): 7,
        ("call", 1, "answers"): 2,
        ("call", 1, "ease"): 7,
        ("call", 1, "trust"): 3,
    }
    one = _numbers(
        channels={"click": 12, "call": 4},
        channel_months={("click", 0): 7, ("click", 1): 5, ("call", 1): 4},
        channel_answers=answers,
    )
    (table,) = _figure("channel_quality").tall(one, View(one, suppress=False))
    assert [c.label for c in table.columns] == [
        "Requests (reach)",
        "Answers about ease and trust",
        "Ease of use (1-4)",
        "Trust (1-4)",
    ]
    assert _rows(table) == [
        ("Click (online)", [12, 6, 3.0, 22 / 6]),
        ("Call (by phone)", [4, 2, 3.5, 1.5]),
        ("Face (at a counter)", [0, 0, None, None]),
        ("Home (home visit through outreach)", [0, 0, None, None]),
        ("Total", [16, 8, 25 / 8, 25 / 8]),
    ]
    # The central level: the call requests (4) and answers (2) are small; the click ones would be the total
    # minus them, so they are hidden too, and every average next to a hidden count.
    (table,) = _figure("channel_quality").tall(one, View(one, suppress=True))
    assert _rows(table) == [
        ("Click (online)", [HIDDEN, HIDDEN, SUPPRESSED, SUPPRESSED]),
        ("Call (by phone)", [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]),
        ("Face (at a counter)", [0, 0, None, None]),
        ("Home (home visit through outreach)", [0, 0, None, None]),
        ("Total", [16, 8, 25 / 8, 25 / 8]),
    ]
    # Month by month: March (0) and April (1), each channel's requests, answers, ease and trust.
    (trend,) = _figure("channel_trend").tall(
        one, View(one, suppress=False, months=[date(2025, 3, 1), date(2025, 4, 1)])
    )
    assert trend.columns[8].label == "Face (at a counter): requests"
    assert _rows(trend)[0] == ("Mar 2025", [7, 4, 13 / 4, 15 / 4, 0, 0, None, None] + [0, 0, None, None] * 2)
    assert _rows(trend)[1] == ("Apr 2025", [5, 2, 2.5, 3.5, 4, 2, 3.5, 1.5] + [0, 0, None, None] * 2)
    assert _rows(trend)[2] == ("Total", [12, 6, 3.0, 22 / 6, 4, 2, 3.5, 1.5] + [0, 0, None, None] * 2)


def test_a_session_cell_adds_every_count():
    from dataclasses import fields

    from digibuddy.reports.queries import SessionCell

    names = [f.name for f in fields(SessionCell)]
    cell = SessionCell(*range(1, len(names) + 1))
    cell.add(SessionCell(*[10 * n for n in range(1, len(names) + 1)]))
    assert [getattr(cell, name) for name in names] == [11 * n for n in range(1, len(names) + 1)]
