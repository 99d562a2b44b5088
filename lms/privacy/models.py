"""What the personal data check leaves behind: a learner's confirmation that found data may stay."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.base import enum_column, utcnow
from lms.extensions import db


class KeepReason(enum.StrEnum):
    CONSENTED = "consented"
    INSTITUTION_DATA = "institution_data"
    NOT_PERSONAL = "not_personal"


KEEP_REASON_LABELS = {
    KeepReason.CONSENTED: _l("The persons concerned consented"),
    KeepReason.INSTITUTION_DATA: _l("The data is the institution's own (not a private person's)"),
    KeepReason.NOT_PERSONAL: _l("It is not personal data"),
}


class PersonalDataConfirmation(db.Model):
    """A submitted attempt in which the check found personal data, and why its author let it stay.

    Only the kinds and counts are kept, never the values: the attempt itself is where they are.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), unique=True)
    reason: Mapped[KeepReason] = mapped_column(enum_column(KeepReason, 30))
    found: Mapped[dict] = mapped_column(JSON, default=dict)  # kind -> how many
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Erasure(db.Model):
    """A person whose data was erased on request (RODO art. 17): their account now carries only a label."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))


class PrivacyNoticeSeen(db.Model):
    """A person who has read the privacy notice shown from their first sign-in until they close it."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class PurgedFile(db.Model):
    """A stored file whose bytes were replaced by a tombstone (its name, hash, size and date stay)."""

    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), primary_key=True)
    purged_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(40))  # "retention" or "erasure"
