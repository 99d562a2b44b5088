"""The outbox: every e-mail the platform sends is recorded here first."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.base import utcnow
from lms.extensions import db


class OutboxMessage(db.Model):
    """One e-mail: delivered by SMTP when configured, otherwise kept here for developers and tests."""

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
