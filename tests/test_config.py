"""Configuration: no secret in the code, one generated key that survives restarts."""

from lms.config import _secret_key


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
