"""The coverage map: municipalities placed by the coordinates of their postcodes and drawn as SVG, one shape
per municipality. Pure Python (no Flask, no SQLAlchemy): it takes plain places and texts, returns markup.

The shape says the state as much as the colour does, so the map reads in black and white and for people who
do not see colours apart: a filled circle for a covered municipality, an open square for one no network
covers, and a triangle for an uncovered municipality from which residents tried to ask for help."""

import math
from dataclasses import dataclass
from xml.etree import ElementTree as ET

COVERED = "covered"
UNCOVERED = "uncovered"
ATTEMPTED = "attempted"  # uncovered, and residents tried to ask for help from it
STATES = (COVERED, UNCOVERED, ATTEMPTED)

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 320  # the map is drawn to the narrowest screen the pages support, and scales up from there
MARGIN = 8
RADIUS = 3.2  # of a circle; the square and the triangle are drawn to the same visual weight


@dataclass(frozen=True)
class Place:
    key: str  # the NIS code: one shape per municipality
    name: str
    latitude: float
    longitude: float
    state: str


@dataclass(frozen=True)
class Projection:
    """An equirectangular projection around the middle latitude of the points, fitted into `width` pixels
    wide with `margin` on every side; the height follows from the shape of the area."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float
    width: float
    height: float
    scale: float  # pixels per degree of latitude
    x_factor: float  # cos(middle latitude): a degree of longitude is that much shorter than one of latitude
    margin: float

    def point(self, latitude: float, longitude: float) -> tuple[float, float]:
        x = self.margin + (longitude - self.min_lon) * self.x_factor * self.scale
        y = self.margin + (self.max_lat - latitude) * self.scale
        return x, y


def fit(points: list[tuple[float, float]], width: float = WIDTH, margin: float = MARGIN) -> Projection:
    """The projection that fits every (latitude, longitude) of `points` into `width`, north up."""
    if not points:
        raise ValueError("a map needs at least one point")
    lats = [lat for lat, _lon in points]
    lons = [lon for _lat, lon in points]
    min_lat, max_lat, min_lon, max_lon = min(lats), max(lats), min(lons), max(lons)
    x_factor = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * x_factor, 1e-6)
    span_y = max_lat - min_lat
    scale = (width - 2 * margin) / span_x
    height = span_y * scale + 2 * margin
    return Projection(min_lat, max_lat, min_lon, max_lon, width, height, scale, x_factor, margin)


def _shape(state: str, x: float, y: float, size: float = RADIUS) -> ET.Element:
    if state == COVERED:
        return ET.Element("circle", {"cx": _n(x), "cy": _n(y), "r": _n(size)})
    if state == UNCOVERED:
        side = size * 1.7
        return ET.Element(
            "rect", {"x": _n(x - side / 2), "y": _n(y - side / 2), "width": _n(side), "height": _n(side)}
        )
    if state == ATTEMPTED:
        r = size * 1.5
        corners = [(x, y - r), (x + r * 0.866, y + r / 2), (x - r * 0.866, y + r / 2)]
        return ET.Element("polygon", {"points": " ".join(f"{_n(a)},{_n(b)}" for a, b in corners)})
    raise ValueError(f"unknown state {state!r}")


def _n(value: float) -> str:
    return f"{value:.1f}"


def legend_symbol(state: str) -> str:
    """A small SVG of one state's shape for the legend; the text beside it names the state, so the symbol
    itself is hidden from screen readers."""
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": "map-symbol",
            "viewBox": "0 0 16 16",
            "width": "16",
            "height": "16",
            "aria-hidden": "true",
            "focusable": "false",
        },
    )
    shape = _shape(state, 8, 8.5, 4)
    shape.set("class", f"municipality {state}")
    svg.append(shape)
    return ET.tostring(svg, encoding="unicode")


def render(places: list[Place], *, title: str, description: str, dom_id: str = "coverage-map") -> str:
    """The map as one <svg> element: role="img", named by its <title> and described by its <desc> (the text
    alternative; the table on the page holds every municipality). Each municipality is one shape with the
    class of its state and a <title> with its name, so a pointer shows the name too."""
    unknown = {p.state for p in places} - set(STATES)
    if unknown:
        raise ValueError(f"unknown state {sorted(unknown)!r}")
    projection = fit([(p.latitude, p.longitude) for p in places])
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": "coverage-map",
            "role": "img",
            "aria-labelledby": f"{dom_id}-title {dom_id}-desc",
            "viewBox": f"0 0 {_n(projection.width)} {_n(projection.height)}",
            "width": _n(projection.width),
            "height": _n(projection.height),
            "preserveAspectRatio": "xMidYMid meet",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{dom_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{dom_id}-desc"}).text = description
    # Covered first, attempts last: the triangles, the ones to act on, are drawn on top.
    order = {state: index for index, state in enumerate(STATES)}
    for place in sorted(places, key=lambda p: (order[p.state], p.key)):
        x, y = projection.point(place.latitude, place.longitude)
        shape = _shape(place.state, x, y)
        shape.set("class", f"municipality {place.state}")
        shape.set("data-nis", place.key)
        ET.SubElement(shape, "title").text = place.name
        svg.append(shape)
    return ET.tostring(svg, encoding="unicode")
