"""The learning cycle as real people live it: an animator submits, a trainer asks for a revision, then accepts."""

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.models import Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning.decisions import Decision, Review
from lms.learning.models import Attempt, Work, WorkStatus
from tests.e2e.helpers import label, name, nav_link, sign_in

EDITION_NAME = "Edycja mazowiecka 2026"
ANIMATOR_NAME = "Adam Nowicki"
TRAINER_NAME = "Tomasz Trener"
MODULE_TITLE = "Pierwszy moduł"
ASSIGNMENT_TITLE = "Mój profil animatora"
FIRST_CRITERION = "Profil wymienia trzy zasoby."
SECOND_CRITERION = "Plan ma termin."
PDF_NAME = "profil.pdf"
FEEDBACK = "Brakuje terminu realizacji planu."

FIRST_ANSWER = "## Moje zasoby\n\n- **sąsiadka** z ogrodem\n- świetlica\n- lokalna gazeta\n"
SECOND_ANSWER = FIRST_ANSWER + "\nTermin: do 30 czerwca 2026.\n"

SUBMITTED = re.compile("przesłane|submitted", re.IGNORECASE)
REVISION_REQUESTED = re.compile("do poprawy|revision requested", re.IGNORECASE)
MODULE_ACCEPTED = re.compile("po akceptacji|accepted", re.IGNORECASE)  # a module's state, not the adjective


def answer_box(page: Page):
    """The learner's Markdown editor (its card's heading is "Twoja odpowiedź" too, hence the role)."""
    return page.get_by_role("textbox", name=name("Twoja odpowiedź (Markdown)", "Your answer (Markdown)"))


def criterion(page: Page, text: str):
    """The review form's fieldset for one criterion (its legend is "N. <criterion>")."""
    return page.get_by_role("group", name=re.compile(re.escape(text)))


def open_the_assignment_from_the_edition(page: Page) -> None:
    nav_link(page, label("Edycje", "Editions")).click()
    page.get_by_role("link", name=EDITION_NAME).click()
    modules = page.get_by_role("region", name=name("Moduły", "Modules"))
    modules.get_by_role("link", name=MODULE_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE_TITLE)
    # The box under the title (the same button also closes the assignment's card further down).
    page.get_by_role("link", name=name("Rozpocznij zadanie", "Start the assignment")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ASSIGNMENT_TITLE)


def open_from_the_queue(page: Page, attempt_number: int) -> None:
    """The trainer opens the review queue and the (only) waiting attempt of the animator."""
    nav_link(page, label("Prace do oceny", "Review queue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label("Prace do oceny", "Review queue"))
    row = page.get_by_role("row").filter(has_text=ANIMATOR_NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(EDITION_NAME)
    expect(row.get_by_role("cell").last).to_have_text(str(attempt_number))
    row.get_by_role("link", name=ASSIGNMENT_TITLE).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(ASSIGNMENT_TITLE)
    expect(heading).to_contain_text(re.compile(rf"(wersja|attempt) {attempt_number}"))
    expect(heading).to_contain_text(SUBMITTED)


def test_animator_submits_trainer_requests_revision_then_accepts(
    page: Page, browser: Browser, base_url: str, tmp_path: Path, make_user, make_institution, mini_programme
):
    institution = make_institution("OPS w Testowie")
    trainer = make_user(Role.TRAINER, email="tomasz.t@akademia-cal.pl", name=TRAINER_NAME)
    coordinator = make_user(Role.COORDINATOR, institution=institution, email="celina.k@ops-testowo.pl")
    animator = make_user(Role.ANIMATOR, institution=institution, email="adam.n@ops-testowo.pl", name=ANIMATOR_NAME)
    edition = Edition(
        name=EDITION_NAME,
        programme=db.session.scalar(select(Programme).where(Programme.slug == "mini")),
        voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 15),
        trainers=[trainer],
        institutions=[institution],
    )
    db.session.add(edition)
    db.session.flush()
    db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=coordinator.id))
    db.session.commit()
    animator_email, trainer_email = animator.email, trainer.email

    pdf = tmp_path / PDF_NAME
    pdf_bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    pdf.write_bytes(pdf_bytes)

    # ``page`` is the animator's browser; the trainer works in a context of their own.
    learner = page
    trainer_context = browser.new_context(base_url=base_url)
    try:
        reviewer = trainer_context.new_page()

        # 1. The animator opens the module's assignment, previews a Markdown answer, attaches a PDF and submits.
        sign_in(learner, animator_email)
        open_the_assignment_from_the_edition(learner)
        answer = answer_box(learner)
        answer.fill(FIRST_ANSWER)
        learner.get_by_role("button", name=label("Zapisz i pokaż podgląd", "Save and preview")).click()
        preview = learner.get_by_label(label("Podgląd", "Preview"))
        expect(preview.get_by_role("heading", name="Moje zasoby")).to_be_visible()
        expect(preview.locator("strong")).to_have_text("sąsiadka")
        expect(answer).to_have_value(FIRST_ANSWER)  # the preview keeps the text in the editor
        learner.get_by_label(name("Dołącz pliki", "Attach files")).set_input_files(pdf)
        learner.get_by_role("button", name=name("Wyślij do trenera", "Submit to the trainer")).click()
        expect(learner.get_by_role("status")).to_contain_text(name("Wysłano", "Submitted"))
        expect(learner.get_by_role("heading", level=1)).to_contain_text(SUBMITTED)
        first = learner.locator("#attempt-1")
        expect(first).to_contain_text(name("Wersja 1", "Attempt 1"))
        expect(first.get_by_role("link", name=PDF_NAME)).to_be_visible()
        expect(answer_box(learner)).to_have_count(0)  # no editor while the trainer decides

        # 2. The trainer finds the attempt in the queue, sees the PDF, marks a criterion unmet and asks for a revision.
        sign_in(reviewer, trainer_email)
        open_from_the_queue(reviewer, 1)
        attempt_text = reviewer.get_by_role("region", name=label("Praca", "The attempt"))
        expect(attempt_text.get_by_role("heading", name="Moje zasoby")).to_be_visible()
        pdf_link = attempt_text.get_by_role("link", name=PDF_NAME)
        expect(pdf_link).to_be_visible()
        expect(pdf_link).to_have_attribute("href", re.compile(r"^/files/\d+$"))
        with reviewer.expect_download() as download:
            pdf_link.click()
        assert download.value.suggested_filename == PDF_NAME
        assert Path(download.value.path()).read_bytes() == pdf_bytes
        criterion(reviewer, FIRST_CRITERION).get_by_label(label("Spełnione", "Met")).check()
        criterion(reviewer, SECOND_CRITERION).get_by_label(label("Niespełnione", "Not met")).check()
        criterion(reviewer, SECOND_CRITERION).get_by_label(label("Komentarz", "Comment")).fill("Nie ma daty.")
        reviewer.get_by_label(name("Informacja zwrotna", "Overall feedback")).fill(FEEDBACK)
        reviewer.get_by_role("button", name=label("Poproś o poprawę", "Request revision")).click()
        expect(reviewer.get_by_role("status")).to_contain_text(name("Zapisano decyzję", "Decision saved"))
        expect(reviewer.get_by_role("heading", level=1)).to_have_text(label("Prace do oceny", "Review queue"))
        expect(reviewer.get_by_role("row").filter(has_text=ANIMATOR_NAME)).to_have_count(0)

        # 3. The animator sees the decision, the feedback and each criterion's result, revises and resubmits.
        learner.reload()
        expect(learner.get_by_role("heading", level=1)).to_contain_text(REVISION_REQUESTED)
        review = learner.locator("#attempt-1").get_by_role("region", name=label("Ocena trenera", "Trainer review"))
        expect(review).to_contain_text(REVISION_REQUESTED)
        expect(review).to_contain_text(TRAINER_NAME)
        expect(review).to_contain_text(FEEDBACK)
        results = review.get_by_role("listitem")
        expect(results.filter(has_text=FIRST_CRITERION)).to_contain_text(re.compile(r"(spełnione|met):", re.I))
        expect(results.filter(has_text=FIRST_CRITERION)).not_to_contain_text(re.compile(r"niespełnione|not met", re.I))
        expect(results.filter(has_text=SECOND_CRITERION)).to_contain_text(re.compile(r"niespełnione|not met", re.I))
        expect(results.filter(has_text=SECOND_CRITERION)).to_contain_text("Nie ma daty.")
        expect(learner.get_by_role("heading", name=re.compile(r"(wersja|attempt) 2"))).to_be_visible()
        answer = answer_box(learner)
        answer.fill(SECOND_ANSWER)
        learner.get_by_role("button", name=name("Wyślij do trenera", "Submit to the trainer")).click()
        expect(learner.get_by_role("status")).to_contain_text(name("Wysłano", "Submitted"))
        expect(learner.get_by_role("heading", level=1)).to_contain_text(SUBMITTED)
        expect(learner.locator("#attempt-2")).to_contain_text("Termin: do 30 czerwca 2026.")

        # 4. The trainer sees what changed, marks every criterion met and accepts.
        open_from_the_queue(reviewer, 2)
        changes = reviewer.get_by_role("region", name=name("Zmiany", "Changes"))
        expect(changes).to_be_visible()
        expect(changes.locator(".diff-add")).to_contain_text(["Termin: do 30 czerwca 2026."])
        for text in (FIRST_CRITERION, SECOND_CRITERION):
            criterion(reviewer, text).get_by_label(label("Spełnione", "Met")).check()
        reviewer.get_by_label(name("Informacja zwrotna", "Overall feedback")).fill("Dziękuję, **świetnie**.")
        reviewer.get_by_role("button", name=label("Zaakceptuj", "Accept")).click()
        expect(reviewer.get_by_role("status")).to_contain_text(name("Zapisano decyzję", "Decision saved"))

        # 5. The animator's home page shows the module accepted and the level's progress above zero.
        learner.get_by_role("link", name="Akademia CAL").click()
        progress = learner.get_by_role("region", name=re.compile(re.escape(EDITION_NAME)))
        module = progress.get_by_role("listitem").filter(has=learner.get_by_role("link", name=MODULE_TITLE))
        expect(module).to_contain_text(MODULE_ACCEPTED)
        bar = progress.get_by_role("progressbar", name="Poziom I", exact=True)
        expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]\d*$"))
        # one of the level's two modules: in words for screen readers, the figure beside the bar for the eye
        spoken = re.compile("zaakceptowano 1 z 2 modułów|1 of 2 modules accepted")
        expect(bar).to_have_attribute("aria-valuetext", spoken)
        expect(bar.locator("xpath=following-sibling::*[contains(@class, 'progress-figure')]")).to_have_text("50%")
    finally:
        trainer_context.close()

    # What the server wrote: two attempts, the first sent back with the PDF, the second accepted.
    db.session.rollback()  # end any read transaction, so the server's commits are visible
    work = db.session.scalar(select(Work).where(Work.learner_id == animator.id))
    assert work.status is WorkStatus.ACCEPTED and work.attempt_count == 2
    attempts = db.session.scalars(select(Attempt).where(Attempt.work_id == work.id).order_by(Attempt.number)).all()
    # Browsers send a textarea's line breaks as CRLF (HTML form encoding); the text is what was typed.
    assert [a.text_md.replace("\r\n", "\n") for a in attempts] == [FIRST_ANSWER.strip(), SECOND_ANSWER.strip()]
    # The revision's draft started from attempt 1, so attempt 2 carries the same file (same stored bytes).
    assert [f.filename for f in attempts[0].attachments] == [PDF_NAME]
    assert [f.filename for f in attempts[1].attachments] == [PDF_NAME]
    assert attempts[1].attachments[0].stored_file_id == attempts[0].attachments[0].stored_file_id
    decisions = db.session.scalars(select(Review.decision).join(Attempt).order_by(Attempt.number)).all()
    assert decisions == [Decision.REVISION_REQUESTED, Decision.ACCEPTED]
