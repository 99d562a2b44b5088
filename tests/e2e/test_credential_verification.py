"""A holder downloads their signed credential; an anonymous verifier uploads it on the verify page."""

from playwright.sync_api import Browser, expect

from tests.certificates.conftest import decide, submit, world  # noqa: F401  (the certification world fixture)
from tests.credentials.conftest import signing_key  # noqa: F401  (a published signing key)
from tests.e2e.test_certification import sign_in


def test_a_downloaded_credential_verifies_on_the_verify_page(browser: Browser, base_url: str, world, signing_key):  # noqa: F811
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    holder = sign_in(browser, base_url, world["animator"].email)
    holder.goto("/certificates/")
    with holder.expect_download() as download:
        holder.get_by_role("link", name="plik podpisany (VC-JWT)").click()
    path = download.value.path()

    verifier = browser.new_context(base_url=base_url).new_page()
    verifier.goto("/verify/")
    verifier.get_by_label("Plik z poświadczeniem (.jwt lub .json)").set_input_files(path)
    verifier.get_by_role("button", name="Zweryfikuj poświadczenie").click()
    expect(verifier.get_by_text("Poświadczenie jest autentyczne i ważne.")).to_be_visible()
    expect(verifier.get_by_text("Podpis zgadza się z opublikowanym kluczem wystawcy.")).to_be_visible()
    expect(verifier.get_by_text("Zofia Żółć")).to_be_visible()
