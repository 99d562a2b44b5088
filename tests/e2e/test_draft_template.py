"""A draft that starts from the assignment's template, and the trainer told which parts were left empty."""

from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.importer import import_courses
from lms.content.models import Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from tests.content.test_introduction_and_templates import mini_with_introduction_and_template
from tests.e2e.helpers import label, name, sign_in
from tests.e2e.test_learning_cycle import answer_box, open_from_the_queue, open_the_assignment_from_the_edition

SCREENSHOTS = Path("/tmp/akademia-screenshots")


def test_the_draft_opens_with_the_template_and_the_trainer_sees_the_empty_part(
    page: Page, browser: Browser, base_url: str, tmp_path: Path, make_user, make_institution
):
    assert not import_courses(mini_with_introduction_and_template(tmp_path / "mini")).errors
    institution = make_institution("OPS w Testowie")
    trainer = make_user(Role.TRAINER, email="tomasz.t@akademia-cal.pl", name="Tomasz Trener")
    animator = make_user(Role.ANIMATOR, institution=institution, email="adam.n@ops-testowo.pl", name="Adam Nowicki")
    edition = Edition(
        name="Edycja mazowiecka 2026", programme=db.session.scalar(select(Programme).where(Programme.slug == "mini")),
        voivodeship=Voivodeship.MAZOWIECKIE, starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 15),
        trainers=[trainer], institutions=[institution],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=trainer.id))
    db.session.commit()
    animator_email, trainer_email = animator.email, trainer.email

    # The animator's draft opens with the template's headings and prompts; they fill in one part.
    sign_in(page, animator_email)
    open_the_assignment_from_the_edition(page)
    answer = answer_box(page)
    expect(answer).to_have_value("## Zasoby\n\n_Kto i co pomoże?_\n\n## Plan\n\n_Co, kiedy i kto?_")
    answer.fill("## Zasoby\n\nSala w szkole i dwie sąsiadki.\n\n## Plan\n\n_Co, kiedy i kto?_\n")
    page.get_by_role("button", name=name("Wyślij do trenera", "Submit to the trainer")).click()
    expect(page.get_by_role("status")).to_contain_text(name("Wysłano", "Submitted"))

    # The trainer sees, beside the attempt, which part of the template was left with its prompt only.
    context = browser.new_context(base_url=base_url)
    try:
        reviewer = context.new_page()
        sign_in(reviewer, trainer_email)
        open_from_the_queue(reviewer, 1)
        gaps = reviewer.get_by_role("region", name=label("Części szablonu", "Parts of the template"))
        expect(gaps).to_contain_text(name("pusta pozostała 1 część", "leaves 1 part"))
        expect(gaps.get_by_role("listitem")).to_have_text(["Plan"])
        SCREENSHOTS.mkdir(exist_ok=True)
        for width in (1280, 390):
            reviewer.set_viewport_size({"width": width, "height": 900})
            reviewer.screenshot(path=str(SCREENSHOTS / f"review-template-{width}.png"), full_page=True)
        reviewer.goto("/programmes/mini/")
        expect(reviewer.get_by_text(label("Wprowadzenie", "Introduction"))).to_be_visible()
        for width in (1280, 390):
            reviewer.set_viewport_size({"width": width, "height": 900})
            reviewer.screenshot(path=str(SCREENSHOTS / f"programme-introduction-{width}.png"), full_page=True)
    finally:
        context.close()
