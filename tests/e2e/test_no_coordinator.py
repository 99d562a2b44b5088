"""In the browser: an animator of an institution without a coordinator submits a deliverable and is told whom to
ask; the programme staff find the institution on the edition's page and appoint a coordinator, who can confirm."""

from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.models import Assignment, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from tests.e2e.helpers import name, sign_in

SCREENSHOTS = Path("/tmp/akademia-screenshots")


def _screenshots(page: Page, stem: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_deliverable_without_a_coordinator_is_explained_and_the_admin_appoints_one(
    page: Page, browser: Browser, base_url: str, mini_programme, make_user, make_institution
):
    institution = make_institution("OPS w Samotni")
    admin = make_user(Role.ADMIN, email="agata.a@akademia-cal.pl", name="Agata Administratorka")
    animator = make_user(Role.ANIMATOR, institution=institution, email="adam.n@ops-samotnia.pl", name="Adam Nowicki")
    edition = Edition(
        name="Edycja mazowiecka", programme=db.session.scalar(select(Programme).where(Programme.slug == "mini")),
        voivodeship=Voivodeship.MAZOWIECKIE, starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1),
        trainers=[make_user(Role.TRAINER, name="Tomasz Trener")], institutions=[institution],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=admin.id))
    db.session.commit()
    mapa = db.session.scalar(select(Assignment.id).where(Assignment.slug == "mapa"))
    work_url = f"/editions/{edition.id}/assignments/{mapa}/"
    animator_email, admin_email = animator.email, admin.email

    # Before writing, the animator already sees that nobody can confirm the deliverable, and whom to ask.
    sign_in(page, animator_email)
    page.goto(work_url)
    expect(page.locator("#no-coordinator")).to_contain_text("OPS w Samotni nie ma koordynatora")
    page.get_by_role("textbox", name=name("Twoja odpowiedź (Markdown)")).fill("## Mapa\n\nSzkoła, biblioteka, OSP.")
    page.get_by_role("button", name=name("Wyślij do trenera")).click()
    expect(page.get_by_role("status").first).to_contain_text("Przesłano, ale OPS w Samotni nie ma koordynatora")
    waiting = page.get_by_role("region", name="Czeka na potwierdzenie koordynatora")
    expect(waiting).to_contain_text("poproś go o wyznaczenie koordynatora Twojej instytucji")
    _screenshots(page, "no-coordinator-animator")

    # The programme staff see it on the edition's page, follow it to the institution and appoint a coordinator.
    context = browser.new_context(base_url=base_url)
    try:
        staff = context.new_page()
        sign_in(staff, admin_email)
        staff.goto("/admin/system/")
        expect(staff.locator("#no-coordinator")).to_contain_text("OPS w Samotni: 1 osoba zapisana")
        _screenshots(staff, "no-coordinator-system")
        staff.goto(f"/editions/{edition.id}/")
        expect(staff.locator("#no-coordinator")).to_contain_text("1 zadanie czeka na potwierdzenie")
        _screenshots(staff, "no-coordinator-edition")
        staff.locator("#no-coordinator").get_by_role("link", name="OPS w Samotni").click()
        warning = staff.get_by_role("region", name="Brak koordynatora")
        expect(warning).to_contain_text("1 zadanie czeka na potwierdzenie, którego nikt nie może dać.")
        _screenshots(staff, "no-coordinator-institution")
        staff.get_by_role("link", name="Adam Nowicki").click()
        expect(staff.get_by_role("heading", level=1)).to_have_text("Adam Nowicki")
        staff.get_by_label("koordynator", exact=True).check()
        staff.get_by_role("button", name="Zapisz").click()
        expect(staff.get_by_role("status").first).to_contain_text("Zapisano")
        staff.goto(f"/institutions/{institution.id}/")
        expect(staff.get_by_role("heading", level=1)).to_have_text("OPS w Samotni")
        expect(staff.get_by_role("region", name="Brak koordynatora")).to_have_count(0)
    finally:
        context.close()

    # Now a coordinator, the animator confirms the deliverable on the institution's behalf.
    page.goto(work_url)
    expect(page.locator("#no-coordinator")).to_have_count(0)
    page.get_by_label("Potwierdzam w imieniu instytucji").check()
    page.get_by_role("button", name="Potwierdź i przekaż trenerom").click()
    expect(page.get_by_role("status").first).to_contain_text("Potwierdzono w imieniu instytucji")
