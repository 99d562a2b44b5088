"""A coordinator registers a colleague for a training in Chromium, downloads the .ics file, and it parses."""

from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.e2e.helpers import name, sign_in
from tests.events.conftest import build_world, schedule


def test_registering_staff_and_downloading_the_calendar_file(page: Page, snapshot):
    world = snapshot(build_world)
    event = schedule(world, capacity=1)
    sign_in(page, world["coordinator"].email)
    page.goto(f"/events/{event.id}/")
    page.get_by_label("Osoba").select_option(label="Zofia Żółć")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect(page.get_by_text("Osoba Zofia Żółć została zapisana.")).to_be_visible()
    page.get_by_label("Osoba").select_option(label="Katarzyna Koordynatorka")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect(page.get_by_text("lista rezerwowa", exact=True)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name=name("Dodaj do kalendarza")).click()
    (item,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert str(item["summary"]) == event.title
