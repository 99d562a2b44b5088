"""An institution goes from an empty checklist to an awarded Certyfikat, verified by an anonymous visitor."""

import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lms.base import utcnow
from lms.certificates.models import Certificate, CertificateKind
from lms.extensions import db
from tests.certificates.conftest import submit, world  # noqa: F401  (the certification world fixture)
from tests.conftest import PASSWORD
from tests.e2e.helpers import nav_link


def exact(text: str) -> re.Pattern:
    return re.compile("^" + re.escape(text) + r"\s*\*?$")


def sign_in(browser: Browser, base_url: str, email: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    page.goto("/login")
    page.get_by_label(exact("E-mail")).fill(email)
    page.get_by_label(exact("Hasło")).fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("button", name="Wyloguj się")).to_be_visible()
    return page


def checklist_marks(page: Page) -> list[str]:
    return page.locator(".list-group-item span[aria-hidden=true]").all_inner_texts()


def accept_from_the_queue(trainer: Page, title: str) -> None:
    trainer.goto("/reviews/")
    trainer.get_by_role("table").get_by_role("link", name=title).click()  # not the "assigned to you" list
    for option in trainer.get_by_role("radio", name=exact("Spełnione")).all():
        option.check()
    trainer.get_by_role("button", name="Zaakceptuj").click()
    expect(trainer.get_by_text("Zapisano decyzję")).to_be_visible()


def test_from_empty_checklist_to_a_verified_certificate(browser: Browser, base_url: str, world):  # noqa: F811
    institution = world["institution"]
    certification = f"/institutions/{institution.id}/certification/"
    coordinator = sign_in(browser, base_url, world["coordinator"].email)
    coordinator.goto(certification)
    expect(coordinator.get_by_role("heading", name=re.compile("Certyfikat testowy"))).to_be_visible()
    assert checklist_marks(coordinator) == ["○", "○", "○", "○"]
    expect(coordinator.get_by_role("button", name="Złóż wniosek o certyfikat")).to_have_count(0)

    # The work: the animator's assignment and the institution's deliverable, accepted by the trainer.
    submit(world["animator"], world["edition"], "profil")
    submit(world["coordinator"], world["edition"], "mapa")
    trainer = sign_in(browser, base_url, world["trainer"].email)
    accept_from_the_queue(trainer, "Mój profil animatora")
    accept_from_the_queue(trainer, "Mapa potrzeb i zasobów")

    # Level II: the trainer logs a consultation; the coordinator reports indicators; the trainer accepts.
    trainer.goto(f"/institutions/{institution.id}/consultations/new")
    trainer.get_by_label(exact("Data konsultacji")).fill((utcnow().date() - timedelta(days=3)).isoformat())
    trainer.get_by_label(exact("Czas trwania (minuty)")).fill("90")
    trainer.get_by_label(exact("Konsultant")).fill("Tomasz Trener")
    trainer.get_by_label(exact("Temat")).fill("Plan wolontariatu")
    trainer.get_by_role("button", name="Zapisz konsultację").click()
    expect(trainer.get_by_text("Konsultacja zapisana")).to_be_visible()

    coordinator.goto(f"/institutions/{institution.id}/indicators/new")
    coordinator.get_by_label(exact("Okres od")).fill("2026-01-01")
    coordinator.get_by_label(exact("Okres do")).fill("2026-06-30")
    coordinator.get_by_label(exact("Wolontariusze")).fill("12")
    coordinator.get_by_label(exact("Krótki opis")).fill("Pierwsze półrocze: klub wolontariusza działa.")
    coordinator.get_by_role("button", name="Wyślij raport").click()
    expect(coordinator.get_by_text("Raport wysłany")).to_be_visible()
    report_url = coordinator.url

    trainer.goto(report_url)
    trainer.get_by_role("button", name="Zaakceptuj").click()
    expect(trainer.get_by_text("Decyzja zapisana")).to_be_visible()

    # The coordinator sees a complete checklist and applies.
    coordinator.goto(certification)
    assert checklist_marks(coordinator) == ["✔", "✔", "✔", "✔"]
    coordinator.get_by_role("button", name="Złóż wniosek o certyfikat").click()
    expect(coordinator.get_by_text("Wniosek wysłany")).to_be_visible()

    # The admin reviews the portfolio, records the on-site visit and awards the certificate.
    admin = sign_in(browser, base_url, world["admin"].email)
    nav_link(admin, "Certyfikacja").click()
    admin.get_by_role("link", name=institution.name).click()
    admin.get_by_label(exact("Data wizytacji")).fill(utcnow().date().isoformat())
    admin.get_by_label(exact("Wizytujący")).fill("Anna Admin, Piotr Wizytator")
    findings = "Zespół pracuje metodą CAL, mieszkańcy współtworzą działania."
    admin.get_by_label(exact("Ustalenia wizytacji")).fill(findings)
    admin.get_by_role("button", name="Przyznaj certyfikat").click()
    expect(admin.get_by_text("Certyfikat przyznany.")).to_be_visible()

    # The coordinator downloads the PDF; an anonymous visitor verifies it and finds it in the registry.
    coordinator.goto(certification)
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Pobierz PDF").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    db.session.rollback()
    certificate = db.session.scalar(select(Certificate).where(Certificate.kind == CertificateKind.INSTITUTION))

    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto("/verify/")
    visitor.get_by_label("Kod weryfikacyjny").fill(certificate.code.lower())
    visitor.get_by_role("button", name="Sprawdź").click()
    expect(visitor.get_by_role("status")).to_have_text("Ważny certyfikat")
    expect(visitor.get_by_text(institution.name).first).to_be_visible()
    visitor.goto("/registry/")
    expect(visitor.get_by_role("cell", name=re.compile(re.escape(institution.name)))).to_be_visible()
