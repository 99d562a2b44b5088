"""The outbox: every e-mail the platform sends is recorded here first."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.base import utcnow
from lms.extensions import db


class OutboxMessage(db.Model):
    """One e-mail: delivered by ``flask mail deliver`` (or ``flask jobs run``) when SMTP is configured,
    otherwise kept here for developers and tests."""

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # Delivery: a sender claims a message until ``claimed_until``; a failure is retried from
    # ``next_attempt_at`` on, later after each failure, and given up after ``MAX_ATTEMPTS``.
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
