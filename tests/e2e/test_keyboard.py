"""Keyboard only (issue 15): an animator submits an attempt with an attachment, a trainer decides per criterion.

Only Tab, Shift+Tab, Enter, Space and the arrow keys move and act (text is typed into fields); at every stop the
focused element must show a visible focus ring. The mouse is never used.
"""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from lms.extensions import db
from lms.learning.models import Attempt, Work, WorkStatus
from tests.conftest import PASSWORD
from tests.learning.test_cycle import build_world, submit_attempt

MOST_TABS = 80  # more stops than any of these pages has before its target

FOCUS_RING = """() => { const el = document.activeElement; if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {visible: el.matches(':focus-visible'), style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          element: el.outerHTML.slice(0, 120)}; }"""


def assert_focus_ring(page: Page) -> None:
    ring = page.evaluate(FOCUS_RING)
    assert ring and ring["visible"] and ring["style"] != "none" and ring["width"] >= 2, ring


def tab_to(page: Page, target: Locator, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus, checking the focus ring at every stop."""
    handle = target.element_handle()
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        assert_focus_ring(page)
        if handle.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus in {MOST_TABS} presses of {key}")


def press_and_follow(page: Page, key: str = "Enter") -> None:
    """Press a key that opens another page, and wait for that page (its styles included) to load."""
    with page.expect_navigation():
        page.keyboard.press(key)


def sign_in_by_keyboard(page: Page, email: str) -> None:
    page.goto("/login")
    tab_to(page, page.locator("#email"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert_focus_ring(page)
    page.keyboard.type(PASSWORD)
    press_and_follow(page)
    expect(page).not_to_have_url(re.compile(r"/login"))


def test_an_animator_submits_an_attempt_with_an_attachment_by_keyboard(page: Page, snapshot, tmp_path: Path):
    world = snapshot(build_world)
    pdf = tmp_path / "profil.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    # Listening from the start turns on Playwright's file-chooser interception well before the key press (turned
    # on only when the key is pressed, it can come too late, and the chooser opens unseen).
    page.on("filechooser", lambda _chooser: None)
    sign_in_by_keyboard(page, world.animator.email)

    # The home page's next step leads straight to the assignment.
    tab_to(page, page.locator(".alert-primary a").first)
    press_and_follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mój profil animatora")

    tab_to(page, page.get_by_role("textbox", name=re.compile("Twoja odpowiedź")))
    page.keyboard.type("Moje zasoby: sąsiadka z ogrodem, świetlica, gazeta. Termin: czerwiec.")
    tab_to(page, page.locator("input[type=file]"))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(pdf))
    tab_to(page, page.get_by_role("button", name="Wyślij do trenera"))
    press_and_follow(page)

    status = page.get_by_role("status")
    expect(status).to_contain_text("Wysłano")
    db.session.expire_all()
    attempt = db.session.query(Attempt).one()
    assert [a.filename for a in attempt.attachments] == ["profil.pdf"]


def test_a_trainer_decides_per_criterion_by_keyboard(page: Page, snapshot):
    world = snapshot(build_world)
    submit_attempt(world, world.animator, world.profil, "Sąsiadka, świetlica, gazeta.")
    sign_in_by_keyboard(page, world.trainer.email)

    # A trainer's links drop down from the "Menu" button of the navigation (they do not fit on one line).
    tab_to(page, page.locator("nav.navbar details:visible > summary"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("navigation").get_by_role("link", name="Prace do oceny"))
    press_and_follow(page)
    tab_to(page, page.get_by_role("link", name="Mój profil animatora").first)  # "assigned to you" comes first
    press_and_follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mój profil animatora")

    # Each criterion is a group named by its legend, "1. …", "2. …".
    first = page.get_by_role("group", name=re.compile(r"^1\. "))
    second = page.get_by_role("group", name=re.compile(r"^2\. "))
    # Criterion 1 met: Tab reaches the first radio button, Space checks it.
    tab_to(page, first.get_by_role("radio").first)
    page.keyboard.press("Space")
    expect(first.get_by_role("radio", name="Spełnione", exact=True)).to_be_checked()
    # Criterion 2 not met, with a comment: the arrow key moves to (and checks) the second option.
    tab_to(page, second.get_by_role("radio").first)
    page.keyboard.press("ArrowRight")
    expect(second.get_by_role("radio", name="Niespełnione")).to_be_checked()
    tab_to(page, second.get_by_role("textbox"))
    page.keyboard.type("Brakuje terminu.")
    tab_to(page, page.get_by_role("textbox", name=re.compile("Informacja zwrotna")))
    page.keyboard.type("Dopisz termin realizacji planu.")
    tab_to(page, page.get_by_role("button", name="Poproś o poprawę"))
    # Shift+Tab goes back a stop and forward again: the ring follows both ways.
    tab_to(page, page.get_by_role("button", name="Zaakceptuj"), key="Shift+Tab")
    tab_to(page, page.get_by_role("button", name="Poproś o poprawę"))
    press_and_follow(page)

    expect(page.get_by_role("status").first).to_be_visible()
    db.session.expire_all()
    work = db.session.query(Work).one()
    assert work.status == WorkStatus.REVISION_REQUESTED
    results = {r.met: r.comment for r in work.attempts[-1].review.results}
    assert results == {True: "", False: "Brakuje terminu."}
