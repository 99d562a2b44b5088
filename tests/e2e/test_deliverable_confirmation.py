"""In the browser: an institution deliverable reaches the trainer only after the coordinator's confirmation."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lms.content.models import Assignment
from lms.extensions import db
from tests.e2e.conftest import enrolled_animator
from tests.e2e.helpers import label, name, nav_link, sign_in

SCREENSHOTS = Path("/tmp/akademia-screenshots")
TITLE = "Mapa potrzeb i zasobów"


def test_the_coordinator_confirms_a_deliverable_and_only_then_the_trainer_sees_it(
    page: Page, browser: Browser, base_url: str, mini_programme, make_user, make_institution
):
    people = enrolled_animator(
        make_user,
        make_institution,
        trainer="tomasz.t@akademia-cal.pl",
        coordinator="celina.k@ops-testowo.pl",
        animator="adam.n@ops-testowo.pl",
    )
    edition, trainer, coordinator, animator = (people[key] for key in ("edition", "trainer", "coordinator", "animator"))
    mapa = db.session.scalar(select(Assignment.id).where(Assignment.slug == "mapa"))
    work_url = f"/editions/{edition.id}/assignments/{mapa}/"
    emails = animator.email, coordinator.email, trainer.email

    # A member of staff submits the institution's map: it waits for the coordinator.
    sign_in(page, emails[0])
    page.goto(work_url)
    page.get_by_role("textbox", name=name("Twoja odpowiedź (Markdown)")).fill("## Mapa\n\nSzkoła, biblioteka, OSP.")
    page.get_by_role("button", name=name("Wyślij do trenera")).click()
    expect(page.get_by_role("status")).to_contain_text("Koordynator został poproszony o potwierdzenie")
    expect(page.get_by_role("heading", level=1)).to_contain_text("czeka na potwierdzenie")

    contexts = []

    def as_(email: str) -> Page:
        context = browser.new_context(base_url=base_url)
        contexts.append(context)
        other = context.new_page()
        sign_in(other, email)
        return other

    try:
        _confirm_and_review(as_(emails[2]), as_(emails[1]))
    finally:
        for context in contexts:
            context.close()


def _confirm_and_review(reviewer: Page, coordinating: Page) -> None:
    # The trainer's queue does not list it.
    reviewer.goto("/reviews/")
    expect(reviewer.get_by_role("link", name=TITLE)).to_have_count(0)

    # The coordinator finds it on the dashboard, reads it and confirms it on the institution's behalf.
    nav_link(coordinating, label("Pulpit")).click()
    waiting = coordinating.get_by_role("region", name="Czeka na instytucję")
    expect(waiting).to_contain_text("czeka na potwierdzenie")
    waiting.get_by_role("link", name="Drugi moduł").click()
    confirm = coordinating.get_by_role("region", name="Czeka na potwierdzenie koordynatora")
    expect(confirm).to_be_visible()
    expect(coordinating.locator("#attempt-1")).to_contain_text("Szkoła, biblioteka, OSP.")
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        coordinating.set_viewport_size({"width": width, "height": 900})
        coordinating.screenshot(path=str(SCREENSHOTS / f"deliverable-confirmation-{width}.png"), full_page=True)
    confirm.get_by_label("Potwierdzam w imieniu instytucji").check()
    confirm.get_by_role("button", name="Potwierdź i przekaż trenerom").click()
    expect(coordinating.get_by_role("status")).to_contain_text("Potwierdzono w imieniu instytucji")
    expect(coordinating.get_by_role("heading", level=1)).to_contain_text("zadanie przesłane")

    # Now the trainer has it, with who confirmed it.
    reviewer.goto("/reviews/")
    reviewer.get_by_role("link", name=TITLE).first.click()
    expect(reviewer.get_by_text("Potwierdzone w imieniu instytucji: Celina Koordynatorka")).to_be_visible()
    for width in (1280, 390):
        reviewer.set_viewport_size({"width": width, "height": 900})
        reviewer.screenshot(path=str(SCREENSHOTS / f"deliverable-confirmed-review-{width}.png"), full_page=True)
