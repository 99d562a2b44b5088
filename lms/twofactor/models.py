"""A person's second factor: an authenticator app (TOTP) and its single-use recovery codes."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.base import utcnow
from lms.extensions import db


class SecondFactor(db.Model):
    """The TOTP secret shared with one person's authenticator app.

    Checking a code needs the secret itself, not a hash, so it is stored encrypted with a key kept outside
    the database (lms/twofactor/sealing.py; README, "Dane osobowe").
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    # The base32 secret the authenticator app reads, encrypted (a Fernet token). The column keeps its old name
    # so that the previous release, still serving while `flask db upgrade` runs, finds it.
    sealed_secret: Mapped[str] = mapped_column("secret", String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]  # None: enrolment started, no code confirmed yet
    # The last 30-second time step whose code was accepted: a code works once, even within its window.
    last_step: Mapped[int | None]


class RecoveryCode(db.Model):
    """One single-use code for when the phone is not at hand; only its hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the normalised code
    used_at: Mapped[datetime | None]
