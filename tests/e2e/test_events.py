"""A coordinator registers a colleague for a training in Chromium, downloads the .ics file, and it parses."""

from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import Page, expect

from lms.events import places
from lms.events.models import Registration, RegistrationStatus
from lms.extensions import db
from tests.e2e.helpers import name, sign_in
from tests.events.conftest import build_world, past, schedule

SCREENSHOTS = Path("/tmp/akademia-screenshots")


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


def test_withdrawing_is_confirmed_on_its_own_page_and_attendance_radios_take_clicks_and_focus(page: Page, snapshot):
    world = snapshot(build_world)
    coming, held = schedule(world), schedule(world, **past())
    registration = places.register(coming, world["animator"], world["coordinator"])
    db.session.add(Registration(event_id=held.id, user_id=world["animator"].id, status=RegistrationStatus.REGISTERED,
                                registered_by_id=world["coordinator"].id))  # fmt: skip
    db.session.commit()

    sign_in(page, world["animator"].email)  # a learner reads where they stand
    page.goto(f"/events/{coming.id}/")
    expect(page.get_by_text("Masz miejsce na tym wydarzeniu.")).to_be_visible()
    _screenshots(page, "event-learner")

    page.context.clear_cookies()
    sign_in(page, world["coordinator"].email)
    page.goto(f"/events/{coming.id}/")
    page.get_by_role("link", name="Wycofaj zgłoszenie: Zofia Żółć").click()
    page.get_by_role("button", name="Wycofaj zgłoszenie").click()  # not ticked: asked again, nothing changes
    expect(page.get_by_text("Zaznacz pole, aby potwierdzić wycofanie zgłoszenia.")).to_be_visible()
    _screenshots(page, "withdraw-confirmation")
    page.get_by_label("Potwierdzam: wycofuję to zgłoszenie").check()
    page.get_by_role("button", name="Wycofaj zgłoszenie").click()
    expect(page.get_by_text("Zgłoszenie wycofane.")).to_be_visible()
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.WITHDRAWN

    page.context.clear_cookies()
    sign_in(page, world["admin"].email)  # programme staff take attendance too
    page.goto(f"/events/{held.id}/attendance")
    present, absent = page.locator('input[value="1"]'), page.locator('input[value="0"]')
    present.click()  # the input itself takes the click, not only its label
    expect(present).to_be_checked()
    page.get_by_text("nieobecność").click()  # and so does the label's text
    expect(absent).to_be_checked()
    present.focus()
    page.keyboard.press("ArrowLeft")  # keyboard choice within the group, with the focus ring on the input
    focused = page.evaluate("document.activeElement.value")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused in ("0", "1") and outline != "none"
    _screenshots(page, "attendance")
    page.get_by_role("button", name="Zapisz obecność").click()
    expect(page.get_by_text("Obecność zapisana.")).to_be_visible()


def _screenshots(page: Page, stem: str) -> None:
    """The page at desktop and phone widths, for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
