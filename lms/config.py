"""Configuration read from the environment, with safe defaults for a single machine."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: Path) -> str:
    """Return LMS_SECRET_KEY, or a key generated once into instance/ (never a literal in code)."""
    from_env = os.environ.get("LMS_SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not overwrite each other's key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def load_config(instance_path: Path) -> dict:
    """Build the configuration mapping from LMS_* environment variables."""
    database_url = os.environ.get("LMS_DATABASE_URL") or f"sqlite:///{instance_path / 'lms.sqlite3'}"
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "COURSES_PATH": os.environ.get("LMS_COURSES_PATH", str(PROJECT_ROOT / "courses")),
        "BABEL_DEFAULT_LOCALE": "pl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Warsaw",
        "LANGUAGES": {"pl": "Polski", "en": "English"},
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("LMS_SECURE_COOKIES", "0") == "1",
        "BOOTSTRAP_SERVE_LOCAL": True,
        "MAX_CONTENT_LENGTH": int(os.environ.get("LMS_MAX_REQUEST_BYTES", 60 * 1024 * 1024)),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("LMS_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # Rate limits: memory for one process; a Redis URL when several servers share the limits.
        "RATELIMIT_STORAGE_URI": os.environ.get("LMS_RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_LOGIN_PER_IP": os.environ.get("LMS_RATELIMIT_LOGIN_PER_IP", "20 per 10 minutes"),
        "RATELIMIT_LOGIN_PER_ACCOUNT": os.environ.get("LMS_RATELIMIT_LOGIN_PER_ACCOUNT", "5 per 10 minutes"),
        # Public verification: enough for people, too few to enumerate 2**80 codes.
        "RATELIMIT_VERIFY": os.environ.get("LMS_RATELIMIT_VERIFY", "30 per minute"),
        "INVITATION_VALID_DAYS": int(os.environ.get("LMS_INVITATION_VALID_DAYS", 14)),
        # A werkzeug method string. scrypt is deliberately slow; the tests, which create hundreds of
        # accounts, set a one-round PBKDF2 instead (tests/conftest.py).
        "PASSWORD_HASH_METHOD": "scrypt",
        "PASSWORD_RESET_VALID_HOURS": int(os.environ.get("LMS_PASSWORD_RESET_VALID_HOURS", 2)),
        "MAIL_SENDER": os.environ.get("LMS_MAIL_SENDER", "Akademia CAL <no-reply@localhost>"),
        "MAIL_SMTP_HOST": os.environ.get("LMS_SMTP_HOST", ""),
        "MAIL_SMTP_PORT": int(os.environ.get("LMS_SMTP_PORT", 587)),
        "MAIL_SMTP_STARTTLS": os.environ.get("LMS_SMTP_STARTTLS", "1") == "1",
        "MAIL_SMTP_USER": os.environ.get("LMS_SMTP_USER", ""),
        "MAIL_SMTP_PASSWORD": os.environ.get("LMS_SMTP_PASSWORD", ""),
        "PAGE_SIZE": 50,
        # The address people use, for links in e-mails (e.g. https://akademia.cal.org.pl).
        "PUBLIC_URL": os.environ.get("LMS_PUBLIC_URL", ""),
        "MAX_ATTACHMENTS": int(os.environ.get("LMS_MAX_ATTACHMENTS", 5)),
        "MAX_ATTACHMENT_BYTES": int(os.environ.get("LMS_MAX_ATTACHMENT_MB", 10)) * 1024 * 1024,
    }
