"""Pages read in the right order and fit the screen, in a real Chromium at 390 and 1280 px: on a phone the
assignment and the trainer's latest feedback come before the editor; feedback gets the page's width."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.accounts.models import User
from lms.content.models import Assignment
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning import services as learning
from lms.learning.decisions import Decision
from lms.reviews.services import CriterionJudgement, decide
from tests.e2e.helpers import name, nav_link, sign_in
from tests.e2e.test_learning_cycle import answer_box

LONG_FEEDBACK = "Brakuje terminu i opisu, kogo zaprosisz na spotkanie. " * 60


def sent_back_with_long_feedback() -> int:
    """Version 1 of the animator's profile, sent back with a long feedback: its attempt id."""
    animator = db.session.scalar(select(User).where(User.email == "animator@example.org"))
    trainer = db.session.scalar(select(User).where(User.email == "trener@example.org"))
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
    edition = db.session.scalar(select(Edition))
    work = learning.work_for(animator, edition, assignment, learning.current_assignment_version(assignment).scope)
    attempt = learning.submit(work, "Moje zasoby: świetlica.", animator)
    db.session.commit()
    judged = [CriterionJudgement(c.id, False, "") for c in attempt.assignment_version.criteria]
    decide(attempt, trainer, judged, LONG_FEEDBACK, Decision.REVISION_REQUESTED)
    db.session.commit()
    return attempt.id


def top(locator) -> float:
    return locator.bounding_box()["y"]


def test_on_a_phone_the_task_and_the_feedback_come_before_the_editor(page: Page, animator_work_url):
    sent_back_with_long_feedback()
    sign_in(page, "animator@example.org")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(animator_work_url)
    task = page.get_by_role("heading", name=name("Zadanie", "The assignment"))
    feedback = page.get_by_role("heading", name=name("Informacja zwrotna trenera do wersji 1", "feedback on attempt 1"))
    expect(feedback).to_be_visible()
    assert top(task) < top(feedback) < top(answer_box(page))
    # The history below still holds the same review; nothing is lost by showing it twice.
    expect(page.locator("#attempt-1")).to_contain_text("Brakuje terminu")


def test_feedback_is_as_wide_as_the_history_on_the_review_page_and_the_work_page(page: Page, animator_work_url):
    attempt_id = sent_back_with_long_feedback()
    sign_in(page, "trener@example.org")
    page.goto(f"/reviews/attempts/{attempt_id}/")
    feedback = page.locator("#attempt-1 .feedback")
    content = page.locator("main").bounding_box()["width"]
    assert feedback.bounding_box()["width"] > 0.8 * content  # not a sub-column of a side column
    assert page.evaluate("document.documentElement.scrollHeight") < 6000


def test_the_navigation_stays_on_one_line_with_sign_out_beside_it(page: Page, animator_work_url):
    """A trainer's six links drop down from a "Menu" button; an animator's four fit in the row."""
    for email in ("trener@example.org", "animator@example.org"):
        page.context.clear_cookies()
        sign_in(page, email)
        for width in (1200, 1280, 1400):
            page.set_viewport_size({"width": width, "height": 800})
            brand = page.get_by_role("link", name="Akademia CAL")
            sign_out = page.get_by_role("button", name=name("Wyloguj", "Sign out"))
            expect(sign_out).to_be_visible()
            assert (
                abs(
                    top(sign_out)
                    + sign_out.bounding_box()["height"] / 2
                    - top(brand)
                    - brand.bounding_box()["height"] / 2
                )
                < 10
            )
            assert page.locator("nav.navbar").bounding_box()["height"] < 70, (email, width)
        nav_link(page, name("Certyfikaty", "Certificates")).click()
        expect(page).to_have_url(re.compile("/certificates/"))


def test_a_long_name_without_spaces_wraps_instead_of_widening_the_page(page: Page, animator_work_url):
    institution = db.session.scalar(select(Institution))
    institution.name = "OśrodekPomocySpołecznej" * 9  # 207 characters, no space to break at
    db.session.commit()
    sign_in(page, "koordynator@example.org")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in (f"/institutions/{institution.id}/", "/", "/editions/"):
            page.goto(path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
