"""Configuration read from the environment, with safe defaults for a single machine."""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Debug and test runs without LMS_PUBLIC_URL link to the address `make run` serves on.
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:5000"
# The machine itself may always be asked by name (health checks, local scripts): links never use it.
LOCAL_HOSTS = ("localhost", "127.0.0.1")


class ConfigurationError(RuntimeError):
    """A setting the app cannot run without is missing or malformed; the message says which and how."""


def _generated_once(instance_path: Path, name: str, generate) -> str:
    """The contents of instance/<name>, written by ``generate()`` the first time (never a literal in code)."""
    key_file = instance_path / name
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked into place: two processes starting at once (the test runs, gunicorn's
        # workers) neither overwrite each other's key nor read a file created but not yet written.
        fd, written = tempfile.mkstemp(dir=instance_path, prefix=f".{name}-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(generate())
            os.link(written, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(written)
    return key_file.read_text().strip()


def _secret_key(instance_path: Path) -> str:
    """Return LMS_SECRET_KEY, or a key generated once into instance/secret_key."""
    from_env = os.environ.get("LMS_SECRET_KEY")
    return from_env or _generated_once(instance_path, "secret_key", lambda: secrets.token_hex(32))


def _totp_encryption_keys(instance_path: Path) -> tuple[str, list[str]]:
    """The key that encrypts TOTP secrets (LMS_TOTP_ENCRYPTION_KEY, or generated once into instance/) and the
    earlier keys still accepted while a rotation runs (LMS_TOTP_ENCRYPTION_OLD_KEYS, comma-separated).

    A key of its own, not SECRET_KEY: replacing the session key must not make every second factor unreadable.
    """
    current = os.environ.get("LMS_TOTP_ENCRYPTION_KEY") or _generated_once(
        instance_path, "totp_encryption_key", lambda: Fernet.generate_key().decode()
    )
    old = [key.strip() for key in os.environ.get("LMS_TOTP_ENCRYPTION_OLD_KEYS", "").split(",") if key.strip()]
    for key in (current, *old):
        try:
            Fernet(key)
        except ValueError:
            raise ConfigurationError(
                "LMS_TOTP_ENCRYPTION_KEY and LMS_TOTP_ENCRYPTION_OLD_KEYS must be Fernet keys (32 bytes in url-safe "
                "base64, 44 characters). Generate one: .venv/bin/python -c "
                "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
            ) from None
    return current, old


def _cache_settings(url: str) -> dict:
    if url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url, "CACHE_KEY_PREFIX": "lms:"}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}


def load_config(instance_path: Path) -> dict:
    """Build the configuration mapping from LMS_* environment variables."""
    database_url = os.environ.get("LMS_DATABASE_URL") or f"sqlite:///{instance_path / 'lms.sqlite3'}"
    totp_key, old_totp_keys = _totp_encryption_keys(instance_path)
    return {
        "SECRET_KEY": _secret_key(instance_path),
        # TOTP secrets are stored encrypted with this key (lms/twofactor/sealing.py); the old keys still decrypt.
        "TOTP_ENCRYPTION_KEY": totp_key,
        "TOTP_ENCRYPTION_OLD_KEYS": old_totp_keys,
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
        # A form's text fields may hold this much (Werkzeug's default, 500 kB, answered a long answer with a
        # bare 413 page): an answer over the editor's limit reaches the view, which refuses it with a message
        # and gives the text back. 100,000 characters take at most 400 kB of UTF-8, twice that with CRLFs.
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("LMS_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # Rate limits: memory for one process; a Redis URL when several servers share the limits.
        "RATELIMIT_STORAGE_URI": os.environ.get("LMS_RATELIMIT_STORAGE_URL", "memory://"),
        # Page copies (lms.pagecache): this process's memory, or Redis shared by several servers.
        **_cache_settings(os.environ.get("LMS_CACHE_URL", "")),
        # Failed sign-ins per address (any accounts), and per account from one address.
        "RATELIMIT_LOGIN_PER_IP": os.environ.get("LMS_RATELIMIT_LOGIN_PER_IP", "20 per 10 minutes"),
        "RATELIMIT_LOGIN_PER_ACCOUNT": os.environ.get("LMS_RATELIMIT_LOGIN_PER_ACCOUNT", "5 per 10 minutes"),
        # Public verification: enough for people, too few to enumerate 2**80 codes.
        "RATELIMIT_VERIFY": os.environ.get("LMS_RATELIMIT_VERIFY", "30 per minute"),
        # Admins and trainers must sign in with a second factor (TOTP); `make run` (the demo) and the tests turn
        # it off, so the demo logins it prints work with a password alone.
        "REQUIRE_TOTP": os.environ.get("LMS_REQUIRE_TOTP", "1") == "1",
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
        # The address people use (e.g. https://akademia.cal.org.pl): the only base of links in e-mails
        # and PDFs (never the request's Host, which the sender chooses); see settle_public_address.
        "PUBLIC_URL": os.environ.get("LMS_PUBLIC_URL", ""),
        "TRUSTED_HOSTS": _host_list(os.environ.get("LMS_TRUSTED_HOSTS", "")),
        "MAX_ATTACHMENTS": int(os.environ.get("LMS_MAX_ATTACHMENTS", 5)),
        # The accessibility statement (/dostepnosc, deklaracja dostępności): who runs the service and whom to ask.
        "ACCESSIBILITY_OPERATOR": os.environ.get("LMS_ACCESSIBILITY_OPERATOR", "Akademia CAL"),
        "ACCESSIBILITY_CONTACT_NAME": os.environ.get("LMS_ACCESSIBILITY_CONTACT_NAME", ""),
        "ACCESSIBILITY_CONTACT_EMAIL": os.environ.get("LMS_ACCESSIBILITY_CONTACT_EMAIL", ""),
        "ACCESSIBILITY_CONTACT_PHONE": os.environ.get("LMS_ACCESSIBILITY_CONTACT_PHONE", ""),
        "ACCESSIBILITY_PUBLISHED_ON": os.environ.get("LMS_ACCESSIBILITY_PUBLISHED_ON", "2026-12-01"),
        "ACCESSIBILITY_UPDATED_ON": os.environ.get("LMS_ACCESSIBILITY_UPDATED_ON", "2026-12-03"),
        "ACCESSIBILITY_DECLARED_ON": os.environ.get("LMS_ACCESSIBILITY_DECLARED_ON", "2026-12-03"),
        "MAX_ATTACHMENT_BYTES": int(os.environ.get("LMS_MAX_ATTACHMENT_MB", 10)) * 1024 * 1024,
        # Private parts of the credential signing keys (lms.credentials.keys): a folder of <name>.jwk files
        # (readable by the app only), or one private JWK given in LMS_CREDENTIAL_PRIVATE_KEY. Never the database.
        "CREDENTIAL_KEYS_DIR": os.environ.get("LMS_CREDENTIAL_KEYS_DIR", str(instance_path / "credential-keys")),
        "CREDENTIAL_PRIVATE_KEY": os.environ.get("LMS_CREDENTIAL_PRIVATE_KEY", ""),
        # Running it (lms/ops): how many proxies' X-Forwarded-* headers to believe (0: none), who may read
        # /metrics, the log format, error reporting.
        "PROXY_COUNT": int(os.environ.get("LMS_PROXY_COUNT", 0)),
        "METRICS_ALLOWED_IPS": os.environ.get("LMS_METRICS_ALLOWED_IPS", ""),
        "METRICS_TOKEN": os.environ.get("LMS_METRICS_TOKEN", ""),
        "LOG_FORMAT": os.environ.get("LMS_LOG_FORMAT", "json"),
        "SENTRY_DSN": os.environ.get("LMS_SENTRY_DSN", ""),
        "SENTRY_ENVIRONMENT": os.environ.get("LMS_SENTRY_ENVIRONMENT", "production"),
        # The privacy notice (klauzula informacyjna): a Markdown file each installation replaces with its own.
        "PRIVACY_NOTICE_FILE": os.environ.get("LMS_PRIVACY_NOTICE_FILE", str(PROJECT_ROOT / "privacy-notice.md")),
        # A person's data export whose files are larger than this is built by ``flask jobs run``, not while they
        # wait (lms/rights/background.py); a built one is kept this many days.
        "DATA_EXPORT_INLINE_BYTES": int(os.environ.get("LMS_DATA_EXPORT_INLINE_BYTES", 20 * 1024 * 1024)),
        "DATA_EXPORT_KEEP_DAYS": int(os.environ.get("LMS_DATA_EXPORT_KEEP_DAYS", 7)),
    }


def _host_list(value: str) -> list[str] | None:
    """``a.example, b.example`` as a list; None when empty (the default: see settle_public_address)."""
    hosts = [host.strip() for host in value.split(",") if host.strip()]
    return hosts or None


def settle_public_address(config) -> None:
    """Check PUBLIC_URL (required outside debug and test runs) and put its host first in TRUSTED_HOSTS.

    Flask answers 400 to a request whose Host is not in TRUSTED_HOSTS (default: the public host and
    the local names).
    """
    if not config["PUBLIC_URL"]:
        if not (config.get("DEBUG") or config.get("TESTING")):
            raise ConfigurationError(
                "LMS_PUBLIC_URL is not set. Set it to the address people use, e.g. "
                "LMS_PUBLIC_URL=https://akademia.cal.org.pl: links in e-mails and certificates are built from it."
            )
        config["PUBLIC_URL"] = DEVELOPMENT_PUBLIC_URL
    public = urlsplit(config["PUBLIC_URL"])
    if public.scheme not in ("http", "https") or not public.hostname:
        raise ConfigurationError(f"LMS_PUBLIC_URL must be an http(s) address, not {config['PUBLIC_URL']!r}.")
    trusted = config.get("TRUSTED_HOSTS") or [*LOCAL_HOSTS]
    config["TRUSTED_HOSTS"] = [public.hostname, *(host for host in trusted if host != public.hostname)]
