"""A person's data export built outside the request, when it is too large to build while they wait."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from lms.base import utcnow
from lms.extensions import db


class DataExport(db.Model):
    """A requested ZIP of all of a person's data: pending until ``flask jobs run`` builds it, then ready."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None]
    size: Mapped[int | None]
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # loaded only to download
