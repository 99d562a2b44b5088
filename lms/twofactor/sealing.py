"""TOTP secrets encrypted at rest, so that a copy of the database alone cannot produce anyone's codes.

Fernet (AES-128-CBC with an HMAC-SHA256, from ``cryptography``) under a key of its own, kept outside the
database: ``TOTP_ENCRYPTION_KEY`` (lms/config.py). Earlier keys in ``TOTP_ENCRYPTION_OLD_KEYS`` still
decrypt while ``flask twofactor rotate-key`` encrypts every secret again with the current one.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class SecretUnreadable(Exception):
    """A stored secret was not encrypted with any configured key (the key was replaced or lost)."""


def _keys() -> MultiFernet:
    """The current key first (it encrypts), then the old ones (they only decrypt)."""
    config = current_app.config
    return MultiFernet([Fernet(key) for key in (config["TOTP_ENCRYPTION_KEY"], *config["TOTP_ENCRYPTION_OLD_KEYS"])])


def seal(secret: str) -> str:
    """The base32 secret encrypted with the current key, as stored in ``second_factor.secret``."""
    return _keys().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    """The base32 secret back; SecretUnreadable when no configured key opens it."""
    try:
        return _keys().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable from None


def reseal(sealed: str) -> str:
    """The same secret encrypted again with the current key; SecretUnreadable when no configured key opens it."""
    try:
        return _keys().rotate(sealed.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable from None
