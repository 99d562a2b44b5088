"""In the browser: a PESEL typed into an answer stops the submission with a warning; the learner picks
a reason and submits."""

from datetime import date

from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.models import Assignment, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning.models import Attempt
from lms.privacy.models import KeepReason, PersonalDataConfirmation
from tests.e2e.helpers import name, sign_in
from tests.privacy.corpus import pesel

NUMBER = pesel(1958, 7, 7, 1234)


def test_a_pesel_is_caught_before_submission_and_a_reason_lets_it_through(
    page: Page, make_user, make_institution, mini_programme
):
    institution = make_institution("OPS w Testowie")
    trainer = make_user(Role.TRAINER)
    coordinator = make_user(Role.COORDINATOR, institution=institution)
    animator = make_user(Role.ANIMATOR, institution=institution, email="ala.a@ops-testowo.pl")
    edition = Edition(
        name="Edycja 2026", programme=db.session.scalar(select(Programme).where(Programme.slug == "mini")),
        voivodeship=Voivodeship.MAZOWIECKIE, starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 15),
        trainers=[trainer], institutions=[institution],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=coordinator.id))
    db.session.commit()
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))

    sign_in(page, animator.email)
    page.goto(f"/editions/{edition.id}/assignments/{assignment.id}/")
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
