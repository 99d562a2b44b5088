"""Two-step sign-in for admins and trainers: enrolment, codes, recovery codes, limits, an admin's reset."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from lms.accounts import services as accounts
from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.base import utcnow
from lms.extensions import db
from lms.twofactor import services as second_factor
from lms.twofactor.models import RecoveryCode, SecondFactor
from tests.conftest import csrf_token, link_in, login, outbox, post_form


@pytest.fixture
def required(app, monkeypatch):
    """The production setting: admins and trainers must use a second factor."""
    monkeypatch.setitem(app.config, "REQUIRE_TOTP", True)


def enrolled(user) -> pyotp.TOTP:
    """Give ``user`` a confirmed second factor directly; their authenticator app."""
    factor = second_factor.start_enrolment(user)
    factor.confirmed_at = utcnow()
    db.session.commit()
    return pyotp.TOTP(second_factor.secret_of(factor))


def signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def send_code(client, url: str, code: str):
    return post_form(client, url, {"code": code})


def wrong_code(totp: pyotp.TOTP) -> str:
    """A six-digit code valid in none of the steps the server accepts now."""
    now = time.time()
    valid = {totp.at(now + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in valid)


def enrol_through_the_page(client, user) -> tuple[pyotp.TOTP, list[str]]:
    """Sign in with the password, set up the app from the page's key; the app and the recovery codes shown."""
    assert login(client, user).headers["Location"] == "/login/enrol"
    page = client.get("/login/enrol").get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1).replace(" ", "")
    totp = pyotp.TOTP(secret)
    response = send_code(client, "/login/enrol", totp.now())
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", response.get_data(as_text=True))
    return totp, codes


@pytest.mark.parametrize("role", [Role.ADMIN, Role.TRAINER])
def test_an_admin_or_trainer_without_a_second_factor_enrols_before_being_signed_in(client, make_user, required, role):
    person = make_user(role)
    assert login(client, person).headers["Location"] == "/login/enrol"
    assert not signed_in(client)  # the password alone signs nobody in

    page = client.get("/login/enrol").get_data(as_text=True)
    assert "<svg" in page and "Kod QR do zeskanowania" in page  # the QR code drawn inline, nothing fetched
    assert "Ustaw logowanie dwuetapowe" in page
    secret = re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1).replace(" ", "")
    stored = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == person.id))
    assert second_factor.secret_of(stored) == secret

    shown = send_code(client, "/login/enrol", pyotp.TOTP(secret).now()).get_data(as_text=True)
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", shown)
    assert len(set(codes)) == 10
    assert "tylko ten jeden raz" in shown
    assert signed_in(client)
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == person.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # kept hashed only


def test_a_wrong_code_at_enrolment_is_refused_in_polish(client, make_user, required):
    person = make_user(Role.TRAINER)
    login(client, person)
    client.get("/login/enrol")
    totp = pyotp.TOTP(second_factor.secret_of(db.session.scalar(select(SecondFactor))))
    response = send_code(client, "/login/enrol", wrong_code(totp))
    assert response.status_code == 200
    assert "Ten kod jest nieprawidłowy" in response.get_data(as_text=True)
    assert not signed_in(client)


def test_an_animator_is_never_asked_for_a_code(client, make_user, make_institution, required):
    animator = make_user(Role.ANIMATOR, Role.COORDINATOR, institution=make_institution())
    assert login(client, animator).headers["Location"] == "/"
    assert signed_in(client)
    assert db.session.scalar(select(SecondFactor)) is None


def test_with_a_second_factor_the_code_is_asked_and_works_once(client, app, make_user, required):
    admin = make_user(Role.ADMIN)
    totp = enrolled(admin)
    token = csrf_token(client.get("/login?next=/admin/people/").get_data(as_text=True))
    response = client.post(
        "/login?next=/admin/people/", data={"email": admin.email, "password": "Zielona-Łąka-2026", "csrf_token": token}
    )
    assert response.headers["Location"] == "/login/code"
    assert not signed_in(client)
    code = totp.now()
    assert send_code(client, "/login/code", code).headers["Location"] == "/admin/people/"  # where they were going
    assert signed_in(client)

    other_browser = app.test_client()
    login(other_browser, admin)
    refused = send_code(other_browser, "/login/code", code)  # the same code, seen over a shoulder
    assert refused.status_code == 200
    assert "Ten kod jest nieprawidłowy albo został już użyty" in refused.get_data(as_text=True)
    assert not signed_in(other_browser)


def test_a_wrong_code_keeps_the_person_signed_out(client, make_user, required):
    trainer = make_user(Role.TRAINER)
    totp = enrolled(trainer)
    login(client, trainer)
    assert send_code(client, "/login/code", wrong_code(totp)).status_code == 200
    assert not signed_in(client)
    assert client.get("/login/code").status_code == 200  # still asked
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.second_step_failed")).all()
    assert [(event.object_type, event.object_id, event.details) for event in refused] == [("User", trainer.id, {})]


def test_a_second_factor_is_asked_even_where_it_is_not_required(client, make_user):
    """Who has set one up is always asked (the demo and tests do not require it)."""
    animator = make_user(Role.ANIMATOR)
    enrolled(animator)
    assert login(client, animator).headers["Location"] == "/login/code"


def test_a_recovery_code_signs_in_once(client, app, make_user, required):
    trainer = make_user(Role.TRAINER)
    _totp, codes = enrol_through_the_page(client, trainer)
    post_form(client, "/logout", token_from="/")

    login(client, trainer)
    response = send_code(client, "/login/code", codes[3].upper().replace("-", " "))  # as read aloud from paper
    assert response.status_code == 302
    assert "Zostało Ci 9 kodów odzyskiwania" in client.get("/").get_data(as_text=True)
    assert signed_in(client)

    other_browser = app.test_client()
    login(other_browser, trainer)
    assert send_code(other_browser, "/login/code", codes[3]).status_code == 200
    assert not signed_in(other_browser)


def test_code_attempts_are_limited_like_the_password(client, make_user, required):
    trainer = make_user(Role.TRAINER)
    totp = enrolled(trainer)
    login(client, trainer)
    statuses = [send_code(client, "/login/code", wrong_code(totp)).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert send_code(client, "/login/code", totp.now()).status_code == 429  # even the right code, for now


def test_the_second_step_needs_the_password_first(client, make_user, required):
    response = client.get("/login/code")
    assert response.headers["Location"] == "/login"
    assert "Najpierw zaloguj się e-mailem i hasłem" in client.get("/login").get_data(as_text=True)


def test_an_admin_resets_a_second_factor_and_it_is_audited(client, app, make_user, monkeypatch):
    admin, trainer = make_user(Role.ADMIN), make_user(Role.TRAINER)
    totp = enrolled(trainer)
    trainer_browser = app.test_client()
    login(trainer_browser, trainer)
    send_code(trainer_browser, "/login/code", totp.now())
    assert signed_in(trainer_browser)

    login(client, admin)
    page = client.get(f"/admin/people/{trainer.id}/").get_data(as_text=True)
    assert "Wyzeruj logowanie dwuetapowe" in page
    url = f"/admin/people/{trainer.id}/second-factor/reset"
    response = post_form(client, url, token_from=f"/admin/people/{trainer.id}/")
    assert response.status_code == 302
    assert "Logowanie dwuetapowe zostało wyzerowane" in client.get(response.headers["Location"]).get_data(as_text=True)

    assert db.session.scalar(select(SecondFactor)) is None
    assert db.session.scalar(select(RecoveryCode)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "second_factor.reset"))
    assert (event.actor_id, event.object_type, event.object_id) == (admin.id, "User", trainer.id)
    assert not signed_in(trainer_browser)  # signed out everywhere

    monkeypatch.setitem(app.config, "REQUIRE_TOTP", True)
    assert login(trainer_browser, trainer).headers["Location"] == "/login/enrol"  # sets it up again


def test_an_invited_trainer_sets_up_the_second_factor_before_the_first_page(client, make_user, required):
    admin = make_user(Role.ADMIN)
    accounts.invite(admin, "trenerka@example.org", Role.TRAINER, None)
    db.session.commit()
    link = link_in(outbox("trenerka@example.org")[-1])
    data = {"name": "Anna Trenerka", "password": "Zielona-Łąka-2026", "confirm": "Zielona-Łąka-2026"}
    response = post_form(client, link, data)
    assert response.headers["Location"] == "/login/enrol"
    assert not signed_in(client)
