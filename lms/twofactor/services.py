"""Two-step sign-in: who must use it, enrolment, checking codes, resetting (the views are in lms/accounts)."""

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select

from lms.access.roles import Role
from lms.base import utcnow
from lms.extensions import db
from lms.twofactor.models import RecoveryCode, SecondFactor
from lms.twofactor.sealing import SecretUnreadable, reseal, seal, unseal

ISSUER = "Akademia CAL"
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code copied from paper must not be misread.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# Admins and trainers see beneficiaries' data and award certificates.
ROLES_THAT_MUST_ENROL = (Role.ADMIN, Role.TRAINER)


def must_enrol(user) -> bool:
    """True when the person's roles require a second factor (and the installation requires it)."""
    return bool(current_app.config["REQUIRE_TOTP"]) and user.has_role(*ROLES_THAT_MUST_ENROL)


def confirmed_factor(user_id: int) -> SecondFactor | None:
    """The person's second factor, once confirmed with a code."""
    return db.session.scalar(
        select(SecondFactor).where(SecondFactor.user_id == user_id, SecondFactor.confirmed_at.is_not(None))
    )


def needs_second_step(user) -> bool:
    """After the password: a code is asked of everyone who has a second factor, and enrolment of who must."""
    return confirmed_factor(user.id) is not None or must_enrol(user)


def start_enrolment(user) -> SecondFactor:
    """The unconfirmed factor being set up (a new secret the first time); the caller commits."""
    factor = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))
    if factor is None:
        factor = SecondFactor(user_id=user.id, sealed_secret=seal(pyotp.random_base32()))
        db.session.add(factor)
    elif not _readable(factor):
        # Not confirmed yet, so no app relies on it: a new secret rather than a dead end.
        factor.sealed_secret = seal(pyotp.random_base32())
    return factor


def _readable(factor: SecondFactor) -> bool:
    try:
        secret_of(factor)
    except SecretUnreadable:
        return False
    return True


def secret_of(factor: SecondFactor) -> str:
    """The base32 secret, decrypted; SecretUnreadable when the configured keys do not open it."""
    return unseal(factor.sealed_secret)


def provisioning_uri(factor: SecondFactor, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret_of(factor)).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The QR code as inline SVG markup (drawn here, nothing fetched from elsewhere)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, title=title)


def grouped_secret(factor: SecondFactor) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    secret = secret_of(factor)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (the current one, or one either side for a clock slightly off) whose code this is."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digits(code: str) -> str:
    return "".join(code.split())


def _accept_totp(factor: SecondFactor, code: str) -> bool:
    step = _matching_step(secret_of(factor), _digits(code), datetime.now())
    if step is None or (factor.last_step is not None and step <= factor.last_step):
        return False
    factor.last_step = step
    return True


def _recovery_hash(code: str) -> str:
    normalised = "".join(character for character in code.lower() if character.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_recovery_codes(user_id: int) -> list[str]:
    """Replace the person's recovery codes with new ones; return them (the only time they are readable)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user_id, code_hash=_recovery_hash(code)))
    return codes


def confirm_enrolment(factor: SecondFactor, code: str) -> list[str] | None:
    """Confirm the factor with a code from the app: the new recovery codes, or None if the code is wrong."""
    if not _accept_totp(factor, code):
        return None
    factor.confirmed_at = utcnow()
    return _new_recovery_codes(factor.user_id)


class Verdict:
    """What a code typed at sign-in turned out to be."""

    WRONG = "wrong"
    TOTP = "totp"
    RECOVERY = "recovery"


def check_code(user, code: str) -> str:
    """Check a code from the app or a recovery code (each works once); the caller commits.

    A code from the app raises SecretUnreadable when the stored secret cannot be decrypted; recovery codes
    are hashes and keep working then.
    """
    factor = confirmed_factor(user.id)
    if factor is None or not code:
        return Verdict.WRONG
    if _digits(code).isdigit():
        return Verdict.TOTP if _accept_totp(factor, code) else Verdict.WRONG
    recovery = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return Verdict.WRONG
    recovery.used_at = utcnow()
    return Verdict.RECOVERY


def recovery_codes_left(user_id: int) -> int:
    """How many recovery codes the person has not used yet."""
    return db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )


def remove(user_id: int) -> bool:
    """Remove the person's second factor and recovery codes (they enrol again); True if there was one."""
    removed = db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id)).rowcount
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    return bool(removed)


def encrypt_again_with_the_current_key() -> tuple[int, list[int]]:
    """Encrypt every stored secret again with the current key (after a rotation); the caller commits.

    Returns how many were encrypted again, and the people whose secret no configured key opens (an admin
    resets theirs: they set the app up again).
    """
    done, unreadable = 0, []
    for factor in db.session.scalars(select(SecondFactor).order_by(SecondFactor.id)):
        try:
            factor.sealed_secret = reseal(factor.sealed_secret)
            done += 1
        except SecretUnreadable:
            unreadable.append(factor.user_id)
    return done, unreadable
