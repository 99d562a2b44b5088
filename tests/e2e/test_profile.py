"""A person opens their profile from their name in the menu, chooses a language, and finds tokens only if theirs."""

from playwright.sync_api import Page, expect

from lms.accounts.models import Role
from tests.e2e.helpers import label, name, sign_in


def test_an_animator_opens_the_profile_and_switches_to_english(page: Page, make_user, make_institution):
    person = make_user(Role.ANIMATOR, institution=make_institution("OPS w Żółkiewce"), name="Zofia Żółć")
    sign_in(page, person.email)
    navigation = page.get_by_role("navigation")
    expect(navigation.get_by_role("link", name=name("Tokeny API", "API tokens"))).to_have_count(0)
    navigation.get_by_role("link", name="Zofia Żółć").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Twój profil")
    expect(page.get_by_text("OPS w Żółkiewce")).to_be_visible()
    expect(page.get_by_role("link", name=name("Zarządzaj tokenami API"))).to_have_count(0)
    page.get_by_label(label("Język interfejsu")).select_option("en")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_role("status")).to_have_text("Your profile has been saved.")


def test_a_coordinator_reaches_api_tokens_from_the_profile(page: Page, make_user, make_institution):
    person = make_user(Role.COORDINATOR, institution=make_institution(), name="Cyprian Cis")
    sign_in(page, person.email)
    page.get_by_role("navigation").get_by_role("link", name="Cyprian Cis").click()
    page.get_by_role("link", name="Zarządzaj tokenami API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tokeny API")
