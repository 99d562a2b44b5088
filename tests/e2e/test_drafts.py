"""Drafts are never lost, in a real Chromium: the revision notification opens the editor with the previous
version, two tabs cannot overwrite each other, and text typed while the server is unreachable comes back."""

import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lms.accounts.models import User
from lms.content.models import Assignment
from lms.editions.models import Edition
from lms.extensions import db
from lms.learning import services as learning
from lms.learning.decisions import Decision
from lms.reviews.services import CriterionJudgement, decide
from tests.e2e.helpers import label, name, sign_in
from tests.e2e.test_learning_cycle import answer_box

FIRST_VERSION = "Moje zasoby: świetlica, <imię sąsiadki> & jej ogród."


def revision_requested(animator_email: str = "animator@example.org") -> None:
    """Version 1 submitted and sent back by the trainer (as the review page would)."""
    animator = db.session.scalar(select(User).where(User.email == animator_email))
    trainer = db.session.scalar(select(User).where(User.email == "trener@example.org"))
    edition = db.session.scalar(select(Edition))
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
    work = learning.work_for(animator, edition, assignment, learning.current_assignment_version(assignment).scope)
    attempt = learning.submit(work, FIRST_VERSION, animator)
    db.session.commit()
    judged = [CriterionJudgement(c.id, False, "") for c in attempt.assignment_version.criteria]
    decide(attempt, trainer, judged, "Dopisz termin.", Decision.REVISION_REQUESTED)
    db.session.commit()


def save_draft(page: Page) -> None:
    page.get_by_role("button", name=label("Zapisz szkic", "Save draft")).click()


def test_the_revision_notification_opens_the_editor_with_version_one(page: Page, animator_work_url):
    revision_requested()
    sign_in(page, "animator@example.org")
    page.goto("/notifications/")
    page.get_by_role("link", name=re.compile("Do poprawy|Revision requested")).click()
    expect(page).to_have_url(re.compile(re.escape(animator_work_url) + "$"))
    expect(answer_box(page)).to_have_value(FIRST_VERSION)
    expect(page.locator("#attempt-1")).to_contain_text("Dopisz termin.")

    answer_box(page).fill(FIRST_VERSION + "\n\nTermin: czerwiec.")
    save_draft(page)
    expect(page.get_by_role("status")).to_contain_text(name("Zapisano szkic", "Draft saved"))
    page.goto("/notifications/")
    page.get_by_role("link", name=re.compile("Do poprawy|Revision requested")).click()
    expect(answer_box(page)).to_have_value(FIRST_VERSION + "\n\nTermin: czerwiec.")  # the saved draft, not version 1


def test_a_stale_tab_cannot_overwrite_the_draft_and_sees_both_texts(browser: Browser, base_url: str, animator_work_url):
    context = browser.new_context(base_url=base_url)
    first, second = context.new_page(), context.new_page()
    sign_in(first, "animator@example.org")
    first.goto(animator_work_url)
    second.goto(animator_work_url)

    answer_box(first).fill("Tekst z pierwszej karty")
    save_draft(first)
    expect(first.get_by_role("status")).to_contain_text(name("Zapisano szkic", "Draft saved"))

    answer_box(second).fill("Tekst z drugiej karty")
    save_draft(second)
    expect(second.get_by_role("alert").or_(second.locator(".invalid-feedback"))).to_contain_text(
        name("w innej karcie", "in another tab")
    )
    expect(answer_box(second)).to_have_value("Tekst z drugiej karty")
    expect(second.get_by_label(name("Tekst zapisany w międzyczasie", "The text saved in the meantime"))).to_have_value(
        "Tekst z pierwszej karty"
    )
    first.reload()
    expect(answer_box(first)).to_have_value("Tekst z pierwszej karty")  # nothing was overwritten

    answer_box(second).fill("Tekst z pierwszej karty i z drugiej karty")
    save_draft(second)  # having seen both texts, the save lands
    expect(second.get_by_role("status")).to_contain_text(name("Zapisano szkic", "Draft saved"))
    first.reload()
    expect(answer_box(first)).to_have_value("Tekst z pierwszej karty i z drugiej karty")
    context.close()


def test_text_typed_while_the_server_is_unreachable_is_offered_back(page: Page, animator_work_url):
    sign_in(page, "animator@example.org")
    page.goto(animator_work_url)
    answer_box(page).fill("Zapisany początek")
    save_draft(page)
    expect(page.get_by_role("status")).to_contain_text(name("Zapisano szkic", "Draft saved"))

    # The connection drops: the save never reaches the server.
    def unreachable(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(re.escape(animator_work_url) + "$"), unreachable)
    answer_box(page).fill("Zapisany początek i długi dalszy ciąg <ważne> & niezapisane")
    save_draft(page)
    page.wait_for_url(re.compile("chrome-error://"), wait_until="commit")
    page.unroute(re.compile(re.escape(animator_work_url) + "$"))

    # The next visit offers the text back; the editor itself shows the server's copy until the person chooses.
    page.goto(animator_work_url)
    expect(answer_box(page)).to_have_value("Zapisany początek")
    offer = page.get_by_role("status").filter(has_text=name("zachowała tekst", "kept text"))
    expect(offer).to_be_visible()
    offer.get_by_role("button", name=name("Wstaw niezapisany tekst", "Put the unsaved text back")).click()
    expect(answer_box(page)).to_have_value("Zapisany początek i długi dalszy ciąg <ważne> & niezapisane")
    save_draft(page)
    expect(page.get_by_role("status").filter(has_text=name("Zapisano szkic", "Draft saved"))).to_be_visible()
    expect(answer_box(page)).to_have_value("Zapisany początek i długi dalszy ciąg <ważne> & niezapisane")
    page.reload()
    expect(page.get_by_role("status").filter(has_text=name("zachowała tekst", "kept text"))).to_be_hidden()
