"""Signing out ends the sign-in on the server: a copied session or remember cookie replayed afterwards
opens nothing — after signing out, signing out everywhere, a password change or reset, and deactivation."""

from lms.accounts.models import Role
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, outbox, post_form

NEW_PASSWORD = "Nowe-Hasło-Bezpieczne-9"
COOKIES = ("session", "remember_token")


def remembered_browser(app, user):
    """A browser signed in as ``user`` with "remember me" ticked."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    data = {"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    return client


def copied_cookies(client) -> dict[str, str]:
    """What a thief copies from the browser: its session and remember cookies."""
    return {name: client.get_cookie(name).value for name in COOKIES}


def replay(app, cookies: dict[str, str], only: str | None = None):
    """A new browser holding the copied cookies (or only one of them): is the person signed in there?"""
    client = app.test_client()
    for name, value in cookies.items():
        if only in (None, name):
            client.set_cookie(name, value)
    return client.get("/account/password").status_code == 200


def assert_replays_fail(app, cookies):
    for only in (None, *COOKIES):
        assert not replay(app, cookies, only), f"replaying {only or 'both cookies'} still signs in"


def test_copied_cookies_work_until_signing_out(app, make_user):
    browser = remembered_browser(app, make_user(Role.ANIMATOR))
    cookies = copied_cookies(browser)
    for only in (None, *COOKIES):
        assert replay(app, cookies, only)  # (so the checks below prove something)
    assert post_form(browser, "/logout", token_from="/").status_code == 302
    assert_replays_fail(app, cookies)


def test_signing_out_on_one_browser_leaves_the_others_signed_in(app, make_user):
    user = make_user(Role.ANIMATOR)
    phone, laptop = remembered_browser(app, user), remembered_browser(app, user)
    post_form(phone, "/logout", token_from="/")
    assert replay(app, copied_cookies(laptop))


def test_sign_out_everywhere_from_the_account_page_ends_every_sign_in(app, make_user):
    user = make_user(Role.ANIMATOR)
    phone, laptop = remembered_browser(app, user), remembered_browser(app, user)
    cookies = [copied_cookies(phone), copied_cookies(laptop)]
    page = laptop.get("/account/password").get_data(as_text=True)
    assert "Wyloguj na wszystkich urządzeniach" in page
    response = post_form(laptop, "/logout/everywhere", token_from="/account/password")
    assert response.status_code == 302
    assert "Wylogowano na wszystkich urządzeniach." in laptop.get("/").get_data(as_text=True)
    for copied in cookies:
        assert_replays_fail(app, copied)


def test_sign_out_everywhere_needs_the_form_token(app, make_user):
    browser = remembered_browser(app, make_user(Role.ANIMATOR))
    assert browser.post("/logout/everywhere").status_code == 400
    assert replay(app, copied_cookies(browser))


def test_a_password_change_ends_every_earlier_sign_in_even_on_the_same_browser(app, make_user):
    user = make_user(Role.ANIMATOR)
    browser, other = remembered_browser(app, user), remembered_browser(app, user)
    before = [copied_cookies(browser), copied_cookies(other)]
    data = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert post_form(browser, "/account/password", data).status_code == 302
    for copied in before:
        assert_replays_fail(app, copied)
    assert replay(app, copied_cookies(browser))  # the browser that changed it has a new sign-in


def test_a_password_reset_ends_every_sign_in(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    cookies = copied_cookies(remembered_browser(app, user))
    post_form(client, "/password/forgotten", {"email": user.email})
    link = outbox(user.email)[-1].body.split(app.config["PUBLIC_URL"])[1].split()[0]
    assert post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert_replays_fail(app, cookies)


def test_deactivation_ends_every_sign_in_and_reactivation_does_not_revive_it(app, make_user):
    admin_browser = app.test_client()
    login(admin_browser, make_user(Role.ADMIN))
    person = make_user(Role.TRAINER)
    cookies = copied_cookies(remembered_browser(app, person))
    url = f"/admin/people/{person.id}/"
    post_form(admin_browser, url, {"name": person.name, "roles": ["trainer"], "institution": 0})  # not active
    assert_replays_fail(app, cookies)
    post_form(admin_browser, url, {"name": person.name, "roles": ["trainer"], "institution": 0, "active": "y"})
    db.session.refresh(person)
    assert person.active
    assert_replays_fail(app, cookies)
