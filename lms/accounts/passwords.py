"""Password rules, each failing with its own message, and hashing."""

from functools import cache

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 128
_COMMON = {
    "1234567890", "12345678910", "qwertyuiop", "haslo12345", "hasło12345", "password123",
    "zaq12wsxcde", "1qaz2wsx3edc", "qwerty12345", "administrator", "akademiacal", "polska12345",
}  # fmt: skip


def password_problems(password: str, email: str = "") -> list[str]:
    """Every rule ``password`` breaks, as messages for the form (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("The password must have at least %(count)s characters.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("The password may have at most %(count)s characters.", count=MAX_LENGTH))
    if password.isdigit():
        problems.append(_("The password cannot consist of digits only."))
    if password.lower() in _COMMON:
        problems.append(_("This password is too common; choose another."))
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in password.lower():
        problems.append(_("The password cannot contain your e-mail address."))
    return problems


def hash_password(password: str) -> str:
    """A salted hash by the app's PASSWORD_HASH_METHOD (scrypt, werkzeug's current default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    """Check ``password`` against a stored hash."""
    return check_password_hash(password_hash, password)


def dummy_hash() -> str:
    """Compared against when no account matches, so unknown e-mails take as long as wrong passwords.

    Made with the app's own method, so the two take the same time whatever the configuration.
    """
    return _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no-such-account-placeholder", method=method)
