"""A person opens a module, reads it, switches to English and moves to the next module."""

from playwright.sync_api import Page, expect


def test_reading_a_module_in_polish_then_english(page: Page, mini_programme):
    page.goto("/")
    page.get_by_role("link", name="Program testowy").first.click()
    page.get_by_role("link", name="Pierwszy moduł").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pierwszy moduł")
    expect(page.get_by_role("heading", name="Cele szkoleniowe")).to_be_visible()
    expect(page.get_by_text("Znasz pięć standardów CAL.")).to_be_visible()
    expect(page.get_by_role("heading", name="Czym jest CAL")).to_be_visible()
    expect(page.get_by_role("cell", name="sąsiadka")).to_be_visible()
    expect(page.get_by_role("heading", name="Kryteria oceny")).to_be_visible()
    expect(page.get_by_text("Profil wymienia trzy zasoby.")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Learning goals")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pierwszy moduł")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Next module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drugi moduł")
    expect(page.get_by_text("Institution deliverable")).to_be_visible()
