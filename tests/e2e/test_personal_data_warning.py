"""In the browser: a PESEL typed into an answer stops the submission with a warning; the learner picks
a reason and submits."""

from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.extensions import db
from lms.learning.models import Attempt
from lms.privacy.models import KeepReason, PersonalDataConfirmation
from tests.e2e.helpers import name, sign_in
from tests.privacy.corpus import pesel

NUMBER = pesel(1958, 7, 7, 1234)


def test_a_pesel_is_caught_before_submission_and_a_reason_lets_it_through(page: Page, animator_work_url):
    sign_in(page, "animator@example.org")
    page.goto(animator_work_url)
    page.get_by_role("textbox", name=name("Twoja odpowiedź (Markdown)", "Your answer (Markdown)")).fill(
        f"Profil uczestniczki.\nPESEL: {NUMBER}\n"
    )
    submit = page.get_by_role("button", name=name("Wyślij do trenera", "Submit to the trainer"))
    submit.click()
    warning = page.get_by_role("alert").filter(has_text=name("dane osobowe", "personal data"))
    expect(warning).to_contain_text(name("numer PESEL", "PESEL number"))
    expect(warning).to_contain_text(name("wiersz 2", "line 2"))
    db.session.expire_all()
    assert db.session.scalar(select(Attempt)) is None

    page.get_by_role("radio", name=name("wyraziły zgodę", "consented")).check()
    submit.click()
    expect(page.get_by_role("status")).to_contain_text(name("Wysłano", "Submitted"))
    db.session.expire_all()
    assert db.session.scalar(select(PersonalDataConfirmation)).reason is KeepReason.CONSENTED
