"""An admin sets up two-step sign-in in the browser, then signs in with a code computed here by pyotp."""

import time

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from lms.accounts.models import Role
from tests.conftest import PASSWORD
from tests.e2e.helpers import label, name
from tests.e2e.test_accessibility import WIDTHS, violations


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP", True)


def give_password(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label(label("E-mail")).fill(email)
    page.get_by_label(label("Hasło")).fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()


def set_up_the_app(page: Page) -> pyotp.TOTP:
    """Read the key as a person typing it by hand would, and confirm with the app's code."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Ustaw logowanie dwuetapowe")
    expect(page.get_by_role("img", name="Kod QR do zeskanowania aplikacją uwierzytelniającą")).to_be_visible()
    totp = pyotp.TOTP(page.get_by_test_id("totp-secret").inner_text().replace(" ", ""))
    page.get_by_label(label("Kod")).fill(totp.now())
    page.get_by_role("button", name="Potwierdź").click()
    return totp


def test_an_admin_enrols_then_signs_in_with_a_code(page: Page, make_user, required):
    admin = make_user(Role.ADMIN, name="Adam Administrator")
    give_password(page, admin.email)
    totp = set_up_the_app(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Twoje kody odzyskiwania")
    expect(page.get_by_test_id("recovery-codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="Kody zapisane, przejdź dalej").click()
    page.get_by_role("button", name=name("Wyloguj")).click()

    give_password(page, admin.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Logowanie dwuetapowe")
    expect(page.get_by_role("button", name=name("Wyloguj"))).to_have_count(0)  # not signed in yet
    page.get_by_label(label("Kod")).fill(totp.at(time.time() + 30))  # the next code: the current one is used up
    page.get_by_role("button", name="Potwierdź").click()
    expect(page.get_by_role("button", name=name("Wyloguj"))).to_be_visible()
    expect(page.get_by_role("link", name="Adam Administrator")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_second_step_pages_meet_wcag_aa(browser: Browser, base_url, make_user, required, width):
    trainer = make_user(Role.TRAINER)
    problems, overflows = [], []

    def check(page: Page, what: str) -> None:
        problems.extend(f"{what}: {line}" for line in violations(page))
        overflows.append(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))

    first, second = (browser.new_context(base_url=base_url, viewport=WIDTHS[width], bypass_csp=True) for _ in "12")
    page = first.new_page()
    give_password(page, trainer.email)
    check(page, "enrolment")
    set_up_the_app(page)
    check(page, "recovery codes")
    page = second.new_page()  # another browser: the code is asked
    give_password(page, trainer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Logowanie dwuetapowe")
    check(page, "code")
    first.close()
    second.close()
    assert not problems, "\n".join(problems)
    assert max(overflows) <= 0  # no sideways scrolling, the QR code and the key included
