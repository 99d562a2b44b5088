"""What browser tests share: signing in and finding labels in either interface language."""

import re

from playwright.sync_api import Page, expect

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
