"""The coverage map's geometry and markup, tested on their own (no app, no database)."""

import math
from xml.etree import ElementTree as ET

import pytest

from digibuddy.network import mapping
from digibuddy.network.mapping import ATTEMPTED, COVERED, UNCOVERED, Place

SVG = "{http://www.w3.org/2000/svg}"
# Three real places: Oostende in the west, Maaseik in the east, Halle in the south.
OOSTENDE = (51.2154, 2.9286)
MAASEIK = (51.0982, 5.7852)
HALLE = (50.7339, 4.2345)


def test_the_projection_fits_the_points_into_320_pixels_north_up():
    projection = mapping.fit([OOSTENDE, MAASEIK, HALLE])
    assert projection.width == 320
    west = projection.point(*OOSTENDE)
    east = projection.point(*MAASEIK)
    south = projection.point(*HALLE)
    assert west[0] == pytest.approx(mapping.MARGIN) and east[0] == pytest.approx(320 - mapping.MARGIN)
    assert west[1] == pytest.approx(mapping.MARGIN)  # Oostende lies furthest north
    assert south[1] == pytest.approx(projection.height - mapping.MARGIN)
    assert west[1] < east[1] < south[1]


def test_a_degree_of_longitude_is_shortened_by_the_cosine_of_the_latitude():
    projection = mapping.fit([OOSTENDE, MAASEIK, HALLE])
    middle = (OOSTENDE[0] + HALLE[0]) / 2
    width_px = 320 - 2 * mapping.MARGIN
    height_px = projection.height - 2 * mapping.MARGIN
    # Hand-computed: the area's height over its width equals Δlat / (Δlon · cos(middle latitude)).
    expected = (OOSTENDE[0] - HALLE[0]) / ((MAASEIK[1] - OOSTENDE[1]) * math.cos(math.radians(middle)))
    assert height_px / width_px == pytest.approx(expected)
    assert projection.height == pytest.approx(width_px * expected + 2 * mapping.MARGIN)


def test_one_point_or_none():
    projection = mapping.fit([HALLE])
    assert projection.point(*HALLE) == (mapping.MARGIN, mapping.MARGIN)
    with pytest.raises(ValueError):
        mapping.fit([])


def test_the_svg_is_well_formed_with_one_shape_of_its_state_per_place_and_its_text_alternative():
    places = [
        Place("35013", "Oostende & Bredene <zee>", *OOSTENDE, UNCOVERED),
        Place("72041", "Maaseik", *MAASEIK, ATTEMPTED),
        Place("23027", "Halle", *HALLE, COVERED),
    ]
    svg = ET.fromstring(mapping.render(places, title="Coverage", description="3 places: 1 covered."))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "coverage-map-title coverage-map-desc"
    assert svg.find(f"{SVG}title").text == "Coverage"
    assert svg.find(f"{SVG}desc").text == "3 places: 1 covered."
    shapes = {el.get("data-nis"): el for el in svg if el.get("data-nis")}
    assert {key: (el.tag.removeprefix(SVG), el.get("class")) for key, el in shapes.items()} == {
        "35013": ("rect", "municipality uncovered"),
        "72041": ("polygon", "municipality attempted"),
        "23027": ("circle", "municipality covered"),
    }
    assert shapes["35013"].find(f"{SVG}title").text == "Oostende & Bredene <zee>"  # escaped, read back
    # Drawn in order covered, uncovered, attempted: the triangles lie on top.
    assert [el.get("data-nis") for el in svg if el.get("data-nis")] == ["23027", "35013", "72041"]
    # The triangle is centred where the place lies.
    x, y = mapping.fit([OOSTENDE, MAASEIK, HALLE]).point(*MAASEIK)
    corners = [tuple(map(float, pair.split(","))) for pair in shapes["72041"].get("points").split()]
    assert sum(c[0] for c in corners) / 3 == pytest.approx(x, abs=0.1)
    assert corners[0][1] < y < corners[1][1]


def test_an_unknown_state_is_refused_and_each_legend_symbol_is_hidden_from_screen_readers():
    with pytest.raises(ValueError):
        mapping.render([Place("1", "x", *HALLE, "unknown")], title="t", description="d")
    for state, tag in ((COVERED, "circle"), (UNCOVERED, "rect"), (ATTEMPTED, "polygon")):
        symbol = ET.fromstring(mapping.legend_symbol(state))
        assert symbol.get("aria-hidden") == "true"
        shapes = [(el.tag.removeprefix(SVG), el.get("class")) for el in symbol]
        assert shapes == [(tag, f"municipality {state}")]
