"""A lock row per job runner, used on SQLite (PostgreSQL uses an advisory lock instead)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db


class JobLock(db.Model):
    """Held by one runner until ``locked_until`` (a runner that died frees it when that passes)."""

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[datetime | None]
