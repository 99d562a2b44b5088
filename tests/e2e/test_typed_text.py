"""Text people type is shown as they typed it, in a real Chromium, in every place it appears.

The corpus (tests/typed_text.py: placeholders in angle brackets, ``&``, quotes, ``<3``, ``a<b>c``, e-mails in
brackets, arrows) is typed into the work editor and the review form in the browser, and goes into consultation
notes, the monitoring thread, an indicator report and people's and institutions' names. Each place must show
every string literally: nothing removed, nothing turned into markup. (tests/e2e/test_xss.py proves the hostile
corpus still runs nothing.)
"""

import re
from datetime import date

from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.models import Assignment, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.support import consulting, indicator_reporting, monitoring_thread
from lms.support.models import ConsultationForm
from tests.e2e.helpers import label, name, sign_in
from tests.e2e.test_learning_cycle import answer_box, criterion
from tests.typed_text import TYPED, TYPED_NAMES

TEXT = "\n\n".join(TYPED)
ANIMATOR_NAME = "Jan Kowalski <jan.kowalski@example.pl>"
INSTITUTION_NAME = "Kowalski & Syn <OPS>"
FIRST_CRITERION = "Profil wymienia trzy zasoby."
SECOND_CRITERION = "Plan ma termin."


def missing_from(locator: Locator, texts: list[str]) -> list[str]:
    """The strings the visible text of ``locator`` does not contain literally."""
    expect(locator.first).to_be_visible()
    shown = " ".join(locator.all_inner_texts())
    shown = re.sub(r"\s+", " ", shown)
    return [text for text in texts if re.sub(r"\s+", " ", text) not in shown]


def build(make_user, make_institution):
    institution = make_institution(INSTITUTION_NAME)
    others = [make_institution(text) for text in TYPED_NAMES]
    trainer = make_user(Role.TRAINER, email="trener@example.org", name="Tomasz <Trener>")
    coordinator = make_user(
        Role.COORDINATOR, institution=institution, email="koordynator@example.org", name="Celina & Co"
    )
    animator = make_user(Role.ANIMATOR, institution=institution, email="animator@example.org", name=ANIMATOR_NAME)
    make_user(Role.ADMIN, email="admin@example.org", name="Ala <admin>")
    for index, text in enumerate(TYPED_NAMES):
        make_user(Role.ANIMATOR, institution=others[index], email=f"osoba{index}@example.org", name=text)
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    edition = Edition(
        name="Edycja <robocza> & testowa", programme=programme, voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1), trainers=[trainer], institutions=[institution],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=coordinator.id))
    db.session.commit()

    # Level II: what a trainer and a coordinator typed (their forms store it as the services receive it).
    consulting.log_consultation(
        institution, programme, trainer,
        consulting.ConsultationInput(
            held_on=date(2026, 5, 4), duration_minutes=60, form=ConsultationForm.ON_SITE,
            consultant="Ewa <konsultantka>", topic="Wolontariat -> plan", notes=TEXT,
        ),
    )  # fmt: skip
    monitoring_thread.post_need(institution, programme, coordinator, TEXT)
    report = indicator_reporting.submit_indicator_report(
        institution, programme, coordinator,
        indicator_reporting.ReportInput(date(2026, 1, 1), date(2026, 6, 30), {"wolontariusze": 3}, TEXT),
    )  # fmt: skip
    db.session.commit()
    indicator_reporting.decide_report(report, trainer, False, TEXT)
    db.session.commit()
    return {
        "work": f"/editions/{edition.id}/assignments/{programme_assignment('profil')}/",
        "consultations": f"/institutions/{institution.id}/consultations/?programme={programme.id}",
        "monitoring": f"/institutions/{institution.id}/monitoring/?programme={programme.id}",
        "report": f"/indicator-reports/{report.id}/",
    }


def programme_assignment(slug: str) -> int:
    return db.session.scalar(select(Assignment.id).where(Assignment.slug == slug))


def submit_keeping_addresses(learner: Page, text: str) -> None:
    """Submit the answer. The corpus holds e-mail addresses, so the personal-data check first asks why they
    may stay, with the text kept in the editor exactly as typed; the learner says they are the institution's."""
    learner.get_by_role("button", name=name("Wyślij do trenera", "Submit to the trainer")).click()
    expect(learner.locator("#personal-data")).to_be_visible()
    expect(answer_box(learner)).to_have_value(text)
    learner.get_by_label(label("To dane instytucji (nie osoby prywatnej)", "The data is the institution's own")).check()
    learner.get_by_role("button", name=name("Wyślij do trenera", "Submit to the trainer")).click()
    expect(learner.get_by_role("status")).to_contain_text(name("Wysłano", "Submitted"))


def the_attempt(page: Page) -> Locator:
    return page.get_by_role("region", name=label("Praca", "The attempt")).locator(".attempt-text")


def test_typed_text_reads_as_typed_everywhere(
    browser: Browser, base_url: str, make_user, make_institution, mini_programme
):
    urls = build(make_user, make_institution)
    problems: dict[str, list[str]] = {}

    def check(place: str, locator: Locator, texts: list[str] = TYPED) -> None:
        missing = missing_from(locator, texts)
        if missing:
            problems[place] = missing

    learner = browser.new_context(base_url=base_url).new_page()
    reviewer = browser.new_context(base_url=base_url).new_page()

    # The animator types the corpus, previews it, saves it and submits it.
    sign_in(learner, "animator@example.org")
    learner.goto(urls["work"])
    answer_box(learner).fill(TEXT)
    learner.get_by_role("button", name=label("Zapisz i pokaż podgląd", "Save and preview")).click()
    check("preview", learner.get_by_label(label("Podgląd", "Preview")))
    expect(answer_box(learner)).to_have_value(TEXT)
    learner.get_by_role("button", name=label("Zapisz szkic", "Save draft")).click()
    expect(answer_box(learner)).to_have_value(TEXT)
    submit_keeping_addresses(learner, TEXT)
    check("work page history", learner.locator("#attempt-1 .attempt-text"))

    # The trainer reads the notification and the attempt, and answers with the corpus.
    sign_in(reviewer, "trener@example.org")
    reviewer.goto("/notifications/")
    check("trainer's notification", reviewer.get_by_role("main"), [f"Nowa praca od: {ANIMATOR_NAME}"])
    reviewer.get_by_role("link", name=re.compile(re.escape(ANIMATOR_NAME))).click()
    check("review page", the_attempt(reviewer))
    check("review page header", reviewer.get_by_role("main"), [ANIMATOR_NAME, INSTITUTION_NAME])
    criterion(reviewer, FIRST_CRITERION).get_by_label(label("Spełnione", "Met")).check()
    criterion(reviewer, FIRST_CRITERION).get_by_label(label("Komentarz", "Comment")).fill("\n".join(TYPED[:17]))
    criterion(reviewer, SECOND_CRITERION).get_by_label(label("Niespełnione", "Not met")).check()
    criterion(reviewer, SECOND_CRITERION).get_by_label(label("Komentarz", "Comment")).fill("\n".join(TYPED[17:]))
    reviewer.get_by_label(name("Informacja zwrotna", "Overall feedback")).fill(TEXT)
    reviewer.get_by_role("button", name=label("Poproś o poprawę", "Request revision")).click()
    expect(reviewer.get_by_role("status")).to_contain_text(name("Zapisano decyzję", "Decision saved"))

    # The animator reads the feedback and the comments; the editor starts from version 1; version 2 adds a line.
    learner.reload()
    review = learner.locator("#attempt-1").get_by_role("region", name=label("Ocena trenera", "Trainer review"))
    check("feedback", review.locator(".feedback"))
    check("criterion comments", review.get_by_role("list"), TYPED)
    expect(answer_box(learner)).to_have_value(TEXT)
    answer_box(learner).fill(TEXT + "\n\nDopisek <nowy> & ostatni")
    submit_keeping_addresses(learner, TEXT + "\n\nDopisek <nowy> & ostatni")

    # The trainer sees version 2, the changes since version 1 and the history: all as typed.
    reviewer.goto("/reviews/")
    reviewer.get_by_role("row").filter(has_text=ANIMATOR_NAME).get_by_role("link").first.click()
    check("review page, version 2", the_attempt(reviewer), [*TYPED, "Dopisek <nowy> & ostatni"])
    changes = reviewer.get_by_role("region", name=name("Zmiany od wersji 1", "Changes since attempt 1"))
    check("changes view", changes.locator(".diff-words"))
    expect(changes.locator(".diff-words ins")).to_contain_text("Dopisek <nowy> & ostatni")
    check("review page history", reviewer.locator("#attempt-1 .attempt-text"))

    # Level II texts, for the coordinator.
    coordinator = browser.new_context(base_url=base_url).new_page()
    sign_in(coordinator, "koordynator@example.org")
    for place in ("consultations", "monitoring", "report"):
        coordinator.goto(urls[place])
        check(place, coordinator.get_by_role("main"))

    # Names, for the administrator.
    admin = browser.new_context(base_url=base_url).new_page()
    sign_in(admin, "admin@example.org")
    admin.goto("/admin/people/")
    check("people's names", admin.get_by_role("main"), TYPED_NAMES)
    admin.goto("/institutions/")
    check("institutions' names", admin.get_by_role("main"), TYPED_NAMES)

    assert not problems, "\n".join(f"{place}: {missing}" for place, missing in problems.items())
