"""TOTP secrets stored encrypted with a key of their own: what the database holds, a wrong key, rotation."""

import logging
import re
import time

import pyotp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from lms.accounts.models import Role
from lms.config import ConfigurationError, load_config
from lms.extensions import db
from lms.twofactor import services as second_factor
from lms.twofactor.models import SecondFactor
from tests.conftest import login, post_form


@pytest.fixture
def required(app, monkeypatch):
    """The production setting: admins and trainers must use a second factor."""
    monkeypatch.setitem(app.config, "REQUIRE_TOTP", True)


def next_code(secret: str) -> str:
    """The code of the next time step (accepted for a clock slightly ahead): enrolment used up the current one."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def enrol_through_the_page(client, user) -> tuple[str, list[str]]:
    """Set up the app from the key the page shows; the base32 secret and the recovery codes."""
    login(client, user)
    page = client.get("/login/enrol").get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1).replace(" ", "")
    shown = post_form(client, "/login/enrol", {"code": pyotp.TOTP(secret).now()}).get_data(as_text=True)
    post_form(client, "/logout", token_from="/")
    return secret, re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", shown)


def test_the_database_holds_the_secret_encrypted_with_its_own_key(client, app, make_user, required, monkeypatch):
    trainer = make_user(Role.TRAINER)
    secret, _codes = enrol_through_the_page(client, trainer)

    stored = db.session.execute(text("SELECT secret FROM second_factor")).scalar_one()
    assert secret not in stored and not re.fullmatch(r"[A-Z2-7]+=*", stored)
    assert Fernet(app.config["TOTP_ENCRYPTION_KEY"]).decrypt(stored.encode()).decode() == secret

    # A new session key (sessions end, nothing else) leaves the second factors readable.
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-brand-new-session-key")
    assert login(client, trainer).headers["Location"] == "/login/code"
    post_form(client, "/login/code", {"code": next_code(secret)})
    assert signed_in(client)


def test_with_the_wrong_key_the_person_is_told_in_polish_and_the_admin_in_the_log(
    client, app, make_user, required, monkeypatch, caplog
):
    trainer = make_user(Role.TRAINER)
    secret, codes = enrol_through_the_page(client, trainer)
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", Fernet.generate_key().decode())  # a restore without it

    login(client, trainer)
    with caplog.at_level(logging.ERROR, logger="lms"):
        answers = [post_form(client, "/login/code", {"code": pyotp.TOTP(secret).now()}) for _ in range(6)]
    assert [answer.status_code for answer in answers] == [200] * 6  # not the person's fault: no limit, no 500
    page = answers[0].get_data(as_text=True)
    assert "Kodów z aplikacji uwierzytelniającej nie da się teraz sprawdzić" in page
    assert "kodów odzyskiwania" in page
    assert not signed_in(client)
    logged = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert f"person #{trainer.id} cannot be decrypted" in logged[0] and "LMS_TOTP_ENCRYPTION_KEY" in logged[0]

    post_form(client, "/login/code", {"code": codes[0]})  # recovery codes are hashes: they still work
    assert signed_in(client)


def test_an_enrolment_left_unfinished_under_another_key_starts_with_a_new_secret(client, app, make_user, required):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    client.get("/login/enrol")
    app.config["TOTP_ENCRYPTION_KEY"], old_key = Fernet.generate_key().decode(), app.config["TOTP_ENCRYPTION_KEY"]
    try:
        page = client.get("/login/enrol")
        assert page.status_code == 200
        secret = re.search(r'data-testid="totp-secret">([^<]+)<', page.get_data(as_text=True)).group(1)
        assert second_factor.secret_of(db.session.scalar(select(SecondFactor))) == secret.replace(" ", "")
    finally:
        app.config["TOTP_ENCRYPTION_KEY"] = old_key


def test_a_rotated_key_keeps_codes_working_and_rotate_key_moves_every_secret_to_it(
    client, app, make_user, required, monkeypatch
):
    trainer, lost = make_user(Role.TRAINER), make_user(Role.ADMIN)
    secret, _codes = enrol_through_the_page(client, trainer)
    old_key, new_key = app.config["TOTP_ENCRYPTION_KEY"], Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", new_key)
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_OLD_KEYS", [old_key])

    login(client, trainer)
    post_form(client, "/login/code", {"code": next_code(secret)})
    assert signed_in(client)  # the old key still decrypts while the rotation runs

    unreadable = SecondFactor(user_id=lost.id, sealed_secret=Fernet(Fernet.generate_key()).encrypt(b"X").decode())
    db.session.add(unreadable)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["twofactor", "rotate-key"])
    assert result.exit_code == 1
    assert "TOTP secrets encrypted again with the current key: 1." in result.output
    assert f"person #{lost.id}" in result.output

    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_OLD_KEYS", [])  # the old key dropped
    factor = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == trainer.id))
    assert Fernet(new_key).decrypt(factor.sealed_secret.encode()).decode() == secret


def test_the_key_comes_from_the_environment_or_one_generated_file_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_TOTP_ENCRYPTION_KEY", raising=False)
    monkeypatch.delenv("LMS_TOTP_ENCRYPTION_OLD_KEYS", raising=False)
    first = load_config(tmp_path)["TOTP_ENCRYPTION_KEY"]
    assert (tmp_path / "totp_encryption_key").read_text() == first
    assert load_config(tmp_path)["TOTP_ENCRYPTION_KEY"] == first != load_config(tmp_path)["SECRET_KEY"]

    given = Fernet.generate_key().decode()
    monkeypatch.setenv("LMS_TOTP_ENCRYPTION_KEY", given)
    monkeypatch.setenv("LMS_TOTP_ENCRYPTION_OLD_KEYS", f" {first} ,")
    config = load_config(tmp_path)
    assert (config["TOTP_ENCRYPTION_KEY"], config["TOTP_ENCRYPTION_OLD_KEYS"]) == (given, [first])

    monkeypatch.setenv("LMS_TOTP_ENCRYPTION_KEY", "change-me")
    with pytest.raises(ConfigurationError, match="must be Fernet keys"):
        load_config(tmp_path)
