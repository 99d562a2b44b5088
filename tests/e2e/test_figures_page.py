"""The public figures page in a real browser: the map, its table alternative, and the CSV link (screenshots kept)."""

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.content.importer import import_courses
from lms.content.models import Programme
from lms.demo.seed import Scale, seed
from lms.extensions import db
from tests.conftest import PASSWORD, REAL_COURSES
from tests.e2e.helpers import name

SCREENSHOTS = Path("/tmp/akademia-screenshots")


def test_the_figures_page_shows_a_map_with_a_table_alternative(page: Page):
    assert not import_courses(REAL_COURSES).errors
    seed(db.session.scalar(select(Programme).where(Programme.slug == "cal")), Scale(24, 6, 6, 4, 2), PASSWORD)
    page.goto("/programmes/cal/")
    page.get_by_role("link", name=name("Program w liczbach", "The programme in figures")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name("w liczbach", "in figures"))
    expect(page.get_by_role("img", name=name("Mapa Polski", "Map of Poland"))).to_be_visible()
    table = page.locator("#table-figures")
    expect(table.locator("tfoot th")).to_have_text(name("Razem", "Total"))
    expect(page.get_by_role("link", name=name("Pobierz tę tabelę", "Download this table"))).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"figures-{width}.png"), full_page=True)
