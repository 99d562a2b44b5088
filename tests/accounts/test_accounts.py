"""Signing in and out, cookies, passwords, reset links, rate limits, headers and the admin CLI."""

import html as html_lib
import re
import time
from urllib.parse import quote

import itsdangerous.timed
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from lms.accounts.models import Role, User
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, english, link_in, login, outbox, post_form

NEW_PASSWORD = "Srebrny-Potok-1987"


# --- helpers -----------------------------------------------------------------------------


def field_errors(page: str, field: str) -> str:
    """The error messages shown next to the form field with id ``field`` (empty when none)."""
    start = page.index(f'id="{field}"')
    ends = [i for i in (page.find('<div class="mb-3', start), page.find("</form>", start)) if i != -1]
    block = page[start : min(ends)]
    return html_lib.unescape(" ".join(re.findall(r'class="invalid-feedback[^"]*">(.*?)</div>', block, re.S)))


def cookie_header(response, name: str) -> str | None:
    """The Set-Cookie header for cookie ``name`` in a response, if any."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    return None


def can_sign_in(app, email: str, password: str) -> bool:
    """Try the password from a fresh client (a different browser)."""
    return login(app.test_client(), email, password).status_code == 302


def is_signed_in(client) -> bool:
    """A page for signed-in people opens (instead of redirecting to the sign-in page)."""
    return client.get("/account/password").status_code == 200


def tampered(path: str) -> str:
    """The link ``path`` with one character of its token changed."""
    prefix, _, token = path.rpartition("/")
    middle = len(token) // 2
    replacement = "A" if token[middle] != "A" else "B"
    return f"{prefix}/{token[:middle]}{replacement}{token[middle + 1 :]}"


def reset_link(client, email: str) -> str:
    """Ask for a reset link through the form and return the path from the e-mail."""
    response = post_form(client, "/password/forgotten", {"email": email})
    assert response.status_code == 302
    messages = outbox(email)
    assert len(messages) == 1
    return link_in(messages[0])


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


# --- signing in ----------------------------------------------------------------------------


def test_sign_in_with_right_password_redirects_and_home_page_greets_the_person(client, make_user):
    user = make_user(Role.ANIMATOR, name="Anna Nowak")
    english(client)
    response = login(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Hello, Anna Nowak" in page


def test_sign_in_with_email_in_other_case_and_spaces_works(client, make_user):
    user = make_user(Role.ANIMATOR, email="anna.nowak@example.org")
    assert login(client, "  Anna.Nowak@Example.ORG ").status_code == 302
    assert is_signed_in(client)
    assert user.email == "anna.nowak@example.org"


def test_wrong_password_and_unknown_email_give_the_same_answer(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    english(client)
    wrong_password = login(client, user, "Nie-To-Haslo-123")
    unknown_email = login(client, "nikt-taki@example.org", PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 200
    wrong_page = wrong_password.get_data(as_text=True)
    unknown_page = unknown_email.get_data(as_text=True)
    assert field_errors(wrong_page, "password") == field_errors(unknown_page, "password") == "Wrong e-mail or password."
    assert field_errors(wrong_page, "email") == field_errors(unknown_page, "email") == ""
    assert not is_signed_in(client)


def test_inactive_account_cannot_sign_in(client, make_user):
    user = make_user(Role.ANIMATOR)
    user.active = False
    db.session.commit()
    english(client)
    response = login(client, user)
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "password") == "Wrong e-mail or password."
    assert not is_signed_in(client)


def test_deactivating_an_account_ends_its_open_session(client, make_user):
    user = make_user(Role.ANIMATOR)
    login(client, user)
    assert is_signed_in(client)
    user.active = False
    db.session.commit()
    assert not is_signed_in(client)


# --- cookies -----------------------------------------------------------------------------------


def test_remember_me_sets_an_http_only_remember_cookie(client, make_user):
    user = make_user(Role.ANIMATOR)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token}
    )
    assert response.status_code == 302
    remember = cookie_header(response, "remember_token")
    assert remember is not None
    assert "HttpOnly" in remember
    assert "Expires=" in remember  # outlives the browser session

    other = login(client.application.test_client(), user)
    assert cookie_header(other, "remember_token") is None  # not without the box ticked


def test_remember_cookie_alone_keeps_the_person_signed_in(client, make_user):
    user = make_user(Role.ANIMATOR)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token})
    client.delete_cookie("session")  # the browser was closed
    assert is_signed_in(client)


def test_session_cookie_is_http_only_and_same_site_lax(client, make_user):
    user = make_user(Role.ANIMATOR)
    response = login(client, user)
    session = cookie_header(response, "session")
    assert session is not None
    assert "HttpOnly" in session
    assert "SameSite=Lax" in session


# --- signing out -------------------------------------------------------------------------------


def test_sign_out_is_post_only(client, make_user):
    user = make_user(Role.ANIMATOR)
    login(client, user)
    assert client.get("/logout").status_code == 405
    assert is_signed_in(client)


def test_sign_out_really_signs_out(client, make_user):
    user = make_user(Role.ANIMATOR)
    login(client, user)
    assert is_signed_in(client)
    response = post_form(client, "/logout", token_from="/")
    assert response.status_code == 302
    protected = client.get("/account/password")
    assert protected.status_code == 302
    assert protected.headers["Location"].startswith("/login")


def test_sign_out_also_forgets_remember_me(client, make_user):
    user = make_user(Role.ANIMATOR)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token})
    post_form(client, "/logout", token_from="/")
    client.delete_cookie("session")  # the browser was closed
    assert not is_signed_in(client)


def test_sign_out_without_csrf_token_is_refused(client, make_user):
    user = make_user(Role.ANIMATOR)
    login(client, user)
    assert client.post("/logout").status_code == 400
    assert is_signed_in(client)


# --- where to go after signing in ----------------------------------------------------------------


def test_next_relative_path_is_followed_after_sign_in(client, make_user):
    user = make_user(Role.ANIMATOR)
    response = post_form(client, "/login?next=/account/password", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example", "https:evil.example"]
)
def test_next_external_url_is_ignored_after_sign_in(client, make_user, target):
    user = make_user(Role.ANIMATOR)
    url = f"/login?next={quote(target, safe='')}"
    response = post_form(client, url, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_protected_page_sends_anonymous_visitor_to_sign_in_and_back(client, make_user):
    user = make_user(Role.ANIMATOR)
    response = client.get("/account/password")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/login")
    after = post_form(client, login_url, {"email": user.email, "password": PASSWORD})
    assert after.headers["Location"] == "/account/password"


# --- changing the password -----------------------------------------------------------------------


def test_password_change_with_wrong_current_password_is_refused(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    login(client, user)
    english(client)
    response = post_form(
        client,
        "/account/password",
        {"current": "Nie-To-Haslo-123", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "current") == "The current password is not correct."
    assert can_sign_in(app, user.email, PASSWORD)
    assert not can_sign_in(app, user.email, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("new_password", "rule"),
    [
        ("Krótkie-1", "The password must have at least 10 characters."),
        ("12345678901234", "The password cannot consist of digits only."),
        ("anna.kowalska-2026", "The password cannot contain your e-mail address."),
    ],
    ids=["too-short", "digits-only", "contains-email-local-part"],
)
def test_weak_new_password_is_refused_naming_the_rule(app, client, make_user, new_password, rule):
    user = make_user(Role.ANIMATOR, email="anna.kowalska@example.org")
    login(client, user)
    english(client)
    response = post_form(
        client, "/account/password", {"current": PASSWORD, "password": new_password, "confirm": new_password}
    )
    assert response.status_code == 200
    assert rule in field_errors(response.get_data(as_text=True), "password")
    assert is_signed_in(client)  # nothing changed: this sign-in still stands
    assert can_sign_in(app, user.email, PASSWORD)
    assert not can_sign_in(app, user.email, new_password)


def test_password_change_with_mismatched_repetition_is_refused(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    login(client, user)
    english(client)
    response = post_form(
        client, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}
    )
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "confirm") == "The passwords do not match."
    assert can_sign_in(app, user.email, PASSWORD)


def test_password_change_works_and_signs_out_other_sessions(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    other_device = app.test_client()
    login(other_device, user)
    assert is_signed_in(other_device)
    login(client, user)

    response = post_form(
        client, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"

    assert is_signed_in(client)  # the device that changed it stays signed in
    assert not is_signed_in(other_device)
    assert can_sign_in(app, user.email, NEW_PASSWORD)
    assert not can_sign_in(app, user.email, PASSWORD)


def test_password_change_signs_out_a_remembered_device(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    remembered = app.test_client()
    token = csrf_token(remembered.get("/login").get_data(as_text=True))
    remembered.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token})
    login(client, user)
    post_form(client, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert not is_signed_in(remembered)
    remembered.delete_cookie("session")  # nor does its remember cookie bring the old session back
    assert not is_signed_in(remembered)


def test_password_change_keeps_remember_me_on_the_device_that_changed_it(client, make_user):
    user = make_user(Role.ANIMATOR)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token})
    response = post_form(
        client, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    client.delete_cookie("session")  # the browser was closed and reopened
    assert is_signed_in(client)


# --- password reset ------------------------------------------------------------------------------


CONFIRMATION = "If an account exists for this address, we have sent a link to set a new password."


def test_reset_request_for_existing_email_sends_exactly_one_link(client, make_user):
    user = make_user(Role.ANIMATOR)
    english(client)
    response = post_form(client, "/password/forgotten", {"email": user.email})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert CONFIRMATION in client.get("/login").get_data(as_text=True)
    messages = outbox()
    assert len(messages) == 1
    assert messages[0].recipient == user.email
    assert link_in(messages[0]).startswith("/password/reset/")


def test_reset_request_for_unknown_email_looks_the_same_and_sends_nothing(client, make_user):
    make_user(Role.ANIMATOR)
    english(client)
    response = post_form(client, "/password/forgotten", {"email": "nikt-taki@example.org"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert CONFIRMATION in client.get("/login").get_data(as_text=True)
    assert outbox() == []


def test_reset_link_sets_a_new_password_that_signs_in(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    link = reset_link(client, user.email)
    assert client.get(link).status_code == 200
    response = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert login(client, user, NEW_PASSWORD).status_code == 302
    assert is_signed_in(client)
    assert not can_sign_in(app, user.email, PASSWORD)


def test_reset_link_refuses_a_weak_password(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    english(client)
    link = reset_link(client, user.email)
    response = post_form(client, link, {"password": "1234567890123", "confirm": "1234567890123"})
    assert response.status_code == 200
    assert "The password cannot consist of digits only." in field_errors(response.get_data(as_text=True), "password")
    assert can_sign_in(app, user.email, PASSWORD)


def test_reset_link_cannot_be_used_twice(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    english(client)
    link = reset_link(client, user.email)
    post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    again = client.get(link)
    assert again.status_code == 400
    assert "This link has already been used." in again.get_data(as_text=True)
    third_password = "Zupełnie-Inne-Hasło-77"
    assert client.post(link, data={"password": third_password, "confirm": third_password}).status_code == 400
    assert can_sign_in(app, user.email, NEW_PASSWORD)


def test_tampered_reset_link_is_refused(app, client, make_user):
    user = make_user(Role.ANIMATOR)
    english(client)
    link = tampered(reset_link(client, user.email))
    response = client.get(link)
    assert response.status_code == 400
    assert "This link is invalid." in response.get_data(as_text=True)
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 400
    assert can_sign_in(app, user.email, PASSWORD)


def test_expired_reset_link_is_refused(app, client, make_user, monkeypatch):
    user = make_user(Role.ANIMATOR)
    issued = int(time.time()) - (app.config["PASSWORD_RESET_VALID_HOURS"] + 1) * 3600
    with monkeypatch.context() as patch:
        # The clock is wound back for signing the link (and, as a side effect, the session cookie).
        patch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: issued)
        link = reset_link(client, user.email)
    english(client)
    response = client.get(link)
    assert response.status_code == 400
    assert "This link has expired." in response.get_data(as_text=True)
    assert can_sign_in(app, user.email, PASSWORD)


def test_reset_link_stops_working_after_a_password_change(client, make_user):
    user = make_user(Role.ANIMATOR)
    link = reset_link(client, user.email)
    login(client, user)
    post_form(client, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.get(link).status_code == 400


# --- rate limits -----------------------------------------------------------------------------------


def test_sixth_sign_in_attempt_for_one_account_is_rate_limited(app, client, make_user):
    # Defaults: 5 failed attempts per account, 20 per address, per 10 minutes.
    assert app.config["RATELIMIT_LOGIN_PER_ACCOUNT"] == "5 per 10 minutes"
    assert app.config["RATELIMIT_LOGIN_PER_IP"] == "20 per 10 minutes"
    target = make_user(Role.ANIMATOR)
    colleague = make_user(Role.ANIMATOR)
    for attempt in range(5):
        assert login(client, target, f"Zgadywane-Haslo-{attempt}").status_code == 200
    # Even the right password is not checked any more: guessing is stopped.
    assert login(client, target, PASSWORD).status_code == 429
    assert login(client, target.email.upper(), PASSWORD).status_code == 429
    # Another account from the same address (7 failures counted, well under 20) still signs in.
    assert login(client, colleague).status_code == 302
    assert is_signed_in(client)


def test_successful_sign_ins_do_not_count_toward_the_limit(client, make_user):
    user = make_user(Role.ANIMATOR)
    for _ in range(7):
        assert login(client, user).status_code == 302
        post_form(client, "/logout", token_from="/")


# --- security headers ------------------------------------------------------------------------------


def test_security_headers_on_a_normal_page(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers.get("Referrer-Policy")


# --- command line ----------------------------------------------------------------------------------


def test_cli_create_admin_creates_an_administrator(app, runner):
    result = runner.invoke(
        args=["users", "create-admin", "Szefowa@Example.org"], input=f"Anna Szefowa\n{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "szefowa@example.org"))
    assert user is not None
    assert user.name == "Anna Szefowa"
    assert user.roles == {Role.ADMIN}
    assert can_sign_in(app, "szefowa@example.org", PASSWORD)


def test_cli_create_admin_refuses_a_weak_password(runner):
    with force_locale("en"):  # the command speaks the default language (Polish); read its English msgid
        result = runner.invoke(
            args=["users", "create-admin", "szefowa@example.org", "--name", "Anna Szefowa", "--password", "12345678901"]
        )
    assert result.exit_code != 0
    assert "The password cannot consist of digits only." in result.output
    assert user_count() == 0


def test_cli_create_admin_refuses_an_invalid_email(runner):
    result = runner.invoke(
        args=["users", "create-admin", "nie-adres", "--name", "Anna Szefowa", "--password", PASSWORD]
    )
    assert result.exit_code != 0
    assert user_count() == 0


def test_cli_create_admin_grants_the_role_to_an_existing_account(runner, make_user):
    user = make_user(Role.TRAINER, email="trenerka@example.org")
    result = runner.invoke(
        args=["users", "create-admin", "trenerka@example.org", "--name", "Ktokolwiek", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, user.id).roles == {Role.TRAINER, Role.ADMIN}
    assert user_count() == 1


def test_password_reset_requests_are_limited_per_account(client, make_user):
    person = make_user(email="limit@example.org")
    statuses = [post_form(client, "/password/forgotten", {"email": person.email}).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429
    assert len(outbox(person.email)) == 5
