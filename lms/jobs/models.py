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


class JobState(db.Model):
    """Each job's last run and its totals: the system status page and /metrics read them.

    One row per job (not one per run), so running every minute never grows the table.
    """

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_succeeded: Mapped[bool | None]
    last_outcome: Mapped[str | None] = mapped_column(String(500))  # "sent 3, failed 0", or the error
    runs: Mapped[int] = mapped_column(default=0)
    failures: Mapped[int] = mapped_column(default=0)
