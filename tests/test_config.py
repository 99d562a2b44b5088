"""Configuration: no secret in the code, one generated key that survives restarts, scrypt for passwords."""

from lms.accounts.passwords import dummy_hash, hash_password, verify_password
from lms.config import _secret_key, load_config


def test_missing_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    first = _secret_key(tmp_path / "instance")
    assert len(first) == 64
    assert _secret_key(tmp_path / "instance") == first  # a restart keeps every session valid
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_SECRET_KEY", "from-the-environment")
    assert _secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_passwords_are_hashed_with_scrypt_unless_configured_otherwise(app, tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_SECRET_KEY", "x")
    assert load_config(tmp_path)["PASSWORD_HASH_METHOD"] == "scrypt"
    # The test app's cheap method is only a setting: with the default, hashes are scrypt again.
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    stored = hash_password("Zielona-Łąka-2026")
    assert stored.startswith("scrypt:")
    assert verify_password(stored, "Zielona-Łąka-2026")
    assert not verify_password(stored, "Zielona-Łąka-2027")
    assert dummy_hash().startswith("scrypt:")
