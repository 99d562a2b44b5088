"""A trainer's decision on one attempt: per-criterion results, feedback, accept or revision."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from lms.accounts.models import User
from lms.base import enum_column, utcnow
from lms.content.models import Criterion
from lms.extensions import db
from lms.learning.models import Attempt


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    REVISION_REQUESTED = "revision_requested"


class Review(db.Model):
    """Immutable. The unique attempt_id makes the database refuse a second decision on one attempt."""

    __table_args__ = (
        UniqueConstraint("attempt_id"),
        # Programme reports: when each accepted attempt was accepted, read from the index alone (lms/reports).
        Index("ix_review_attempt_decision", "attempt_id", "decision", "decided_at"),
        # A trainer's recent decisions (trainer dashboard): the window read from the index, not all their decisions.
        Index("ix_review_trainer_decided", "trainer_id", "decided_at", "attempt_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, 30))
    feedback_md: Mapped[str] = mapped_column(Text, default="")
    feedback_html: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    attempt: Mapped[Attempt] = relationship(backref=backref("review", uselist=False))
    trainer: Mapped[User] = relationship()
    results: Mapped[list["CriterionResult"]] = relationship(order_by="CriterionResult.id")


class CriterionResult(db.Model):
    """One criterion judged met or not met, with an optional comment."""

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"))
    met: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")

    criterion: Mapped[Criterion] = relationship()
