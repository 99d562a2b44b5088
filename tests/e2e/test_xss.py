"""Hostile input in every place people can type it, viewed in a real Chromium: nothing ever runs.

The corpus (tests/security/xss_payloads.py) goes into an attempt's text, a trainer's feedback, institution
names and gminas, people's names, a module's Markdown body and an assignment's instructions. Every page
showing them is opened twice: with the Content-Security-Policy enforced, and with it bypassed, so the
sanitiser and the templates' escaping are proven on their own and not only behind the CSP.
"""

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.certificates import codes
from lms.certificates.models import Certificate, CertificateKind
from lms.content.importer import import_courses
from lms.content.models import Assignment, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship
from lms.learning import services as learning
from lms.learning.decisions import Decision
from lms.reviews import services as reviews
from tests.conftest import MINI_COURSES
from tests.e2e.test_learning_cycle import sign_in
from tests.security.xss_payloads import INERT_TEXT, PAYLOADS, SHORT_PAYLOADS

# Anything left in the DOM that could run script: inline handlers, script URLs, foreign frames, inline scripts.
DANGEROUS_DOM = """
() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}`);
      if (name === "srcdoc") found.push(`${element.tagName} srcdoc`);
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text|data:image\\/svg)/.test(value)) {
        found.push(`${element.tagName} ${name}=${attribute.value}`);
      }
    }
  }
  for (const element of document.querySelectorAll("iframe, object, embed, base, meta[http-equiv], svg script")) {
    found.push(element.outerHTML.slice(0, 120));
  }
  for (const script of document.scripts) {
    const src = script.getAttribute("src");
    if (!src || !src.startsWith("/")) found.push(script.outerHTML.slice(0, 120));
  }
  return found;
}
"""


def hostile_courses(tmp_path: Path) -> Path:
    """A copy of the mini programme with the whole corpus in module one's body and its assignment's instructions."""
    root = tmp_path / "courses"
    shutil.copytree(MINI_COURSES, root / "mini")
    module = root / "mini" / "poziom-1" / "01-pierwszy.md"
    text = module.read_text(encoding="utf-8")
    indented = "\n".join("      " + line if line else "" for payload in PAYLOADS for line in [*payload.split("\n"), ""])
    text = text.replace("      Opisz **swoje** zasoby.\n", "      Opisz **swoje** zasoby.\n\n" + indented + "\n", 1)
    module.write_text(text + "\n\n" + "\n\n".join(PAYLOADS) + "\n", encoding="utf-8")
    return root


def person(name: str, email: str, role: Role, institution, password_hash: str) -> User:
    """A person named with a payload (the password hash is reused: scrypt for every one would be slow)."""
    user = User(email=email, name=name, password_hash=password_hash, institution=institution)
    user.grant(role)
    db.session.add(user)
    return user


@pytest.fixture
def hostile_world(tmp_path, make_user):
    report = import_courses(hostile_courses(tmp_path))
    assert not report.errors, report.errors
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    institutions = [
        Institution(
            name=name,
            gmina=SHORT_PAYLOADS[-1 - index],
            powiat="testowski",
            kind=InstitutionKind.OPS,
            voivodeship=Voivodeship.MAZOWIECKIE,
        )
        for index, name in enumerate(SHORT_PAYLOADS)
    ]
    db.session.add_all(institutions)
    db.session.commit()
    home = institutions[0]
    trainer = make_user(Role.TRAINER, email="trener@example.org", name=SHORT_PAYLOADS[1])
    coordinator = make_user(Role.COORDINATOR, institution=home, email="koordynator@example.org", name=SHORT_PAYLOADS[2])
    animator = make_user(Role.ANIMATOR, institution=home, email="animator@example.org", name=SHORT_PAYLOADS[0])
    admin = make_user(Role.ADMIN, email="admin@example.org", name=SHORT_PAYLOADS[3])
    staff = [
        person(name, f"osoba{index}@example.org", Role.ANIMATOR, institutions[index % 3], animator.password_hash)
        for index, name in enumerate(SHORT_PAYLOADS)
    ]
    edition = Edition(
        name=PAYLOADS[4][:200], programme=programme, voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1), trainers=[trainer], institutions=institutions,
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    for member in (animator, *staff):
        db.session.add(Enrolment(edition_id=edition.id, user_id=member.id, enrolled_by_id=coordinator.id))
    db.session.commit()

    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
    work = learning.work_for(animator, edition, assignment, learning.current_assignment_version(assignment).scope)
    attempt_text = "# Moja praca\n\n" + "\n\n".join([*PAYLOADS, *INERT_TEXT])
    attempt = learning.submit(work, attempt_text, animator)
    db.session.commit()
    criteria = attempt.assignment_version.criteria
    judgements = [
        reviews.CriterionJudgement(c.id, index > 0, comment=PAYLOADS[index]) for index, c in enumerate(criteria)
    ]
    reviews.decide(attempt, trainer, judgements, "\n\n".join(PAYLOADS), Decision.REVISION_REQUESTED)
    db.session.commit()

    certificates = [
        Certificate(
            kind=CertificateKind.PERSON, code=codes.new_code(), title=SHORT_PAYLOADS[5], programme_id=programme.id,
            level=1, holder_id=animator.id, institution_id=home.id, issued_by_id=trainer.id,
        ),
        Certificate(
            kind=CertificateKind.INSTITUTION, code=codes.new_code(), title=SHORT_PAYLOADS[6],
            programme_id=programme.id, institution_id=home.id, issued_by_id=admin.id,
            valid_until=date.today() + timedelta(days=365),
        ),
    ]  # fmt: skip
    db.session.add_all(certificates)
    db.session.commit()
    urls = {
        "edition": f"/editions/{edition.id}/",
        "institution": f"/institutions/{home.id}/",
        "dashboard": f"/dashboard/institutions/{home.id}/",
        "work": f"/editions/{edition.id}/assignments/{assignment.id}/",
        "work_detail": f"/works/{work.id}/",
        "review": f"/reviews/attempts/{attempt.id}/",
        "module": "/programmes/mini/modules/pierwszy/",
        "verify": f"/verify/{certificates[0].code}",
        "verify_institution": f"/verify/{certificates[1].code}",
    }
    people = {"animator": animator, "coordinator": coordinator, "trainer": trainer, "admin": admin}
    return {"urls": urls, "emails": {role: user.email for role, user in people.items()}}


# Who opens which pages (by key of ``urls`` or as a path).
VISITS = {
    None: ["module", "verify", "verify_institution", "/registry/", "/programmes/mini/"],
    "animator": ["work", "work_detail", "edition", "institution", "/certificates/", "/notifications/"],
    "trainer": ["review", "/reviews/", "edition", "institution", "dashboard", "/dashboard/trainer/"],
    "coordinator": ["institution", "dashboard", "edition", "work_detail", "/editions/"],
    "admin": ["institution", "edition", "/institutions/", "/admin/people/", "/reports/", "/admin/certification/"],
}


class Watch:
    """Records every dialog a page opens (and dismisses it, so nothing hangs)."""

    def __init__(self, page: Page):
        self.dialogs: list[str] = []
        page.on("dialog", self._record)

    def _record(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


def check(page: Page, watch: Watch, url: str) -> list[str]:
    """Open ``url``; return what went wrong there (empty when nothing ran)."""
    response = page.goto(url)
    problems = []
    if response is None or response.status != 200:
        problems.append(f"{url}: status {response and response.status}")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    # Give autofocus/onfocus, media errors and animations a chance to fire before looking.
    page.wait_for_load_state("load")
    page.mouse.move(200, 300)
    if page.evaluate("window.__xss") is not None:
        problems.append(f"{url}: window.__xss was set")
    if watch.dialogs:
        problems.append(f"{url}: dialogs {watch.dialogs}")
        watch.dialogs.clear()
    dangerous = page.evaluate(DANGEROUS_DOM)
    if dangerous:
        problems.append(f"{url}: dangerous DOM left {dangerous[:5]}")
    return problems


@pytest.mark.parametrize("csp", ["enforced", "bypassed"])
def test_no_payload_runs_on_any_page_that_shows_hostile_input(browser: Browser, base_url: str, hostile_world, csp):
    urls, emails = hostile_world["urls"], hostile_world["emails"]
    problems: list[str] = []
    for role, visits in VISITS.items():
        context = browser.new_context(base_url=base_url, bypass_csp=csp == "bypassed")
        try:
            page = context.new_page()
            watch = Watch(page)
            if role is not None:
                sign_in(page, emails[role])
            for visit in visits:
                problems += check(page, watch, urls.get(visit, visit))
            if role == "animator":
                # Rendered inert, not dropped: plain text reads as text, markup in names shows as characters.
                page.goto(urls["work"])
                for text in INERT_TEXT:
                    expect(page.get_by_text(text, exact=False).first).to_be_visible()
                page.goto(urls["institution"])
                expect(page.get_by_role("heading", level=1)).to_contain_text(SHORT_PAYLOADS[0])
        finally:
            context.close()
    assert not problems, "\n".join(problems)
