"""What browser tests share: signing in and finding labels in either interface language."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.conftest import PASSWORD


def label(*names: str) -> re.Pattern:
    """A whole label in any of its languages (so "Hasło" does not also match "Powtórz hasło")."""
    return re.compile("^(" + "|".join(re.escape(name) for name in names) + r")\s*\*?$")


def name(*names: str) -> re.Pattern:
    """An accessible name containing any of ``names`` (Polish or English)."""
    return re.compile("|".join(re.escape(name) for name in names))


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label(label("E-mail")).fill(email)
    page.get_by_label(label("Hasło", "Password")).fill(PASSWORD)
    page.get_by_role("button", name=name("Zaloguj", "Sign in")).click()
    expect(page.get_by_role("button", name=name("Wyloguj", "Sign out"))).to_be_visible()


def nav_link(page: Page, link_name) -> Locator:
    """A link of the main navigation, its menu opened first when it sits in a closed one (five links or more
    drop down from the wide row; a phone shows them all in a menu)."""
    menu = page.locator("nav.navbar details:visible")
    if menu.count() and not menu.first.evaluate("el => el.open"):
        menu.first.locator("summary").click()
    return page.get_by_role("navigation").get_by_role("link", name=link_name)
