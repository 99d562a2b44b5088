"""The voivodeship map is Poland's real map: each voivodeship's capital falls inside its own outline, and only there."""

import re

import pytest

from lms.figures.services import outlines
from scripts.build_voivodeship_map import project

CAPITALS = {  # (longitude, latitude)
    "dolnoslaskie": (17.03, 51.11),  # Wrocław
    "kujawsko-pomorskie": (18.60, 53.01),  # Toruń
    "lubelskie": (22.57, 51.25),  # Lublin
    "lubuskie": (15.51, 51.94),  # Zielona Góra
    "lodzkie": (19.46, 51.76),  # Łódź
    "malopolskie": (19.94, 50.06),  # Kraków
    "mazowieckie": (21.01, 52.23),  # Warszawa
    "opolskie": (17.93, 50.67),  # Opole
    "podkarpackie": (22.00, 50.04),  # Rzeszów
    "podlaskie": (23.16, 53.13),  # Białystok
    "pomorskie": (18.65, 54.35),  # Gdańsk
    "slaskie": (19.02, 50.26),  # Katowice
    "swietokrzyskie": (20.63, 50.87),  # Kielce
    "warminsko-mazurskie": (20.48, 53.78),  # Olsztyn
    "wielkopolskie": (16.93, 52.41),  # Poznań
    "zachodniopomorskie": (14.55, 53.43),  # Szczecin
}


def rings(path: str) -> list[list[tuple[float, float]]]:
    found = []
    for ring in re.findall(r"M([^Z]+)Z", path):
        numbers = [float(n) for n in re.split(r"[ L]", ring)]
        found.append(list(zip(numbers[::2], numbers[1::2], strict=True)))
    return found


def inside(point: tuple[float, float], path: str) -> bool:
    """Even–odd rule, as SVG fills: a ray to the east crosses the outline an odd number of times."""
    x, y = point
    crossings = 0
    for ring in rings(path):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


@pytest.mark.parametrize("key", sorted(CAPITALS))
def test_each_capital_lies_in_its_own_voivodeship_only(key):
    point = project(*CAPITALS[key])
    containing = [other for other, area in outlines()["voivodeships"].items() if inside(point, area["path"])]
    assert containing == [key]


def test_figures_are_placed_inside_their_voivodeship_and_on_the_map():
    data = outlines()
    for key, area in data["voivodeships"].items():
        x, y = area["label"]
        assert 0 < x < data["width"] and 0 < y < data["height"]
        assert inside((x, y), area["path"]), key
