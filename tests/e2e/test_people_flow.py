"""People join as real people would: an admin invites a coordinator, who invites an animator and enrols them."""

from datetime import date

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.models import Programme
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.models import Voivodeship
from tests.conftest import PASSWORD, link_in, outbox
from tests.e2e.helpers import label, name, nav_link, sign_in

COORDINATOR_EMAIL = "celina.k@ops-testowo.pl"
COORDINATOR_NAME = "Celina Kowalczyk"
ANIMATOR_EMAIL = "adam.n@ops-testowo.pl"
ANIMATOR_NAME = "Adam Nowicki"
EDITION_NAME = "Edycja mazowiecka 2026"


def invitation_link(email: str) -> str:
    """The link of the newest e-mail to ``email`` (written by the server thread)."""
    db.session.rollback()  # end any read transaction, so the server's commits are visible
    messages = outbox(email)
    assert len(messages) == 1, f"expected one message to {email}, got {len(messages)}"
    return link_in(messages[-1])


def accept_invitation(page: Page, link: str, full_name: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(name("Przyjmij zaproszenie", "Accept the invitation"))
    page.get_by_label(label("Imię i nazwisko", "Full name")).fill(full_name)
    page.get_by_label(label("Hasło", "Password")).fill(PASSWORD)
    page.get_by_label(label("Powtórz hasło", "Repeat the password")).fill(PASSWORD)
    page.get_by_role("button", name=name("Utwórz moje konto", "Create my account")).click()
    # Signed in: the navigation shows the person's name and a sign-out button.
    expect(page.get_by_role("button", name=name("Wyloguj", "Sign out"))).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name=full_name)).to_be_visible()


def open_edition_from_navigation(page: Page) -> None:
    nav_link(page, label("Edycje", "Editions")).click()
    page.get_by_role("link", name=EDITION_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EDITION_NAME)


def test_admin_invites_coordinator_who_invites_and_enrols_an_animator(
    page: Page, browser: Browser, base_url: str, make_user, make_institution, mini_programme
):
    admin = make_user(Role.ADMIN, email="admin@akademia-cal.pl", name="Anna Administratorka")
    institution = make_institution("OPS w Testowie")
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    edition = Edition(
        name=EDITION_NAME,
        programme=programme,
        voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 15),
        institutions=[institution],
    )
    db.session.add(edition)
    db.session.commit()

    # 1. The admin signs in and invites a coordinator for the institution.
    sign_in(page, admin.email)
    page.get_by_role("link", name=name("Zaproś osobę", "Invite a person")).first.click()
    page.get_by_label(label("E-mail")).fill(COORDINATOR_EMAIL)
    page.get_by_label(label("Rola", "Role")).select_option("coordinator")
    page.get_by_label(label("Instytucja", "Institution")).select_option(label="OPS w Testowie")
    page.get_by_role("button", name=name("Wyślij zaproszenie", "Send invitation")).click()
    expect(page.get_by_role("status")).to_contain_text(COORDINATOR_EMAIL)

    coordinator_context = browser.new_context(base_url=base_url)
    animator_context = browser.new_context(base_url=base_url)
    try:
        # 2. The coordinator follows the e-mailed link, sets a name and password, and is signed in.
        coordinator = coordinator_context.new_page()
        accept_invitation(coordinator, invitation_link(COORDINATOR_EMAIL), COORDINATOR_NAME)

        # 3. The coordinator invites an animator of their own institution; the animator accepts.
        nav_link(coordinator, name("Moja instytucja", "My institution")).click()
        expect(coordinator.get_by_role("heading", level=1)).to_have_text("OPS w Testowie")
        coordinator.get_by_role("link", name=name("Zaproś pracowników", "Invite staff")).click()
        coordinator.get_by_label(label("E-mail")).fill(ANIMATOR_EMAIL)
        expect(coordinator.get_by_label(label("Instytucja", "Institution"))).to_have_value(str(institution.id))
        coordinator.get_by_role("button", name=name("Wyślij zaproszenie", "Send invitation")).click()
        expect(coordinator.get_by_role("status")).to_contain_text(ANIMATOR_EMAIL)

        animator = animator_context.new_page()
        accept_invitation(animator, invitation_link(ANIMATOR_EMAIL), ANIMATOR_NAME)

        # 4. The coordinator opens the edition and enrols the animator.
        open_edition_from_navigation(coordinator)
        enrolled = coordinator.get_by_role("region", name=name("Zapisani animatorzy", "Enrolled animators"))
        expect(enrolled).not_to_contain_text(ANIMATOR_NAME)
        coordinator.get_by_role("link", name=name("Zapisz animatorów", "Enrol animators")).click()
        coordinator.get_by_label(name(ANIMATOR_NAME)).check()
        coordinator.get_by_role("button", name=label("Zapisz na edycję", "Enrol")).click()
        expect(coordinator.get_by_role("heading", level=1)).to_have_text(EDITION_NAME)
        expect(enrolled).to_contain_text(ANIMATOR_NAME)

        # 5. The animator finds the edition, sees its modules and opens one.
        open_edition_from_navigation(animator)
        modules = animator.get_by_role("region", name=name("Moduły", "Modules"))
        expect(modules.get_by_role("link", name="Pierwszy moduł")).to_be_visible()
        expect(modules.get_by_role("link", name="Drugi moduł")).to_be_visible()
        expect(modules.get_by_role("link", name="Konsultacje indywidualne")).to_be_visible()
        modules.get_by_role("link", name="Pierwszy moduł").click()
        expect(animator.get_by_role("heading", level=1)).to_have_text("Pierwszy moduł")
    finally:
        coordinator_context.close()
        animator_context.close()
