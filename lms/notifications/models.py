"""In-app notifications and the bookkeeping that keeps trainers' e-mail to one digest an hour."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.base import utcnow
from lms.extensions import db


class Notification(db.Model):
    """A message for one person, shown in the app with an unread count."""

    __table_args__ = (Index("ix_notification_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    message: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    # For trainers' digests: arrived-attempt notifications not yet included in an e-mail.
    digest_pending: Mapped[bool] = mapped_column(default=False)


class DigestLog(db.Model):
    """When a person was last sent a digest e-mail."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    last_sent_at: Mapped[datetime]
