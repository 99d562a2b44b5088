"""What an operator needs to know at a glance: jobs, outbox, storage, schema, the review queue.

The system status page shows it and /metrics exports it; each figure is one aggregate statement.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, inspect, select, text

from lms.base import utcnow
from lms.extensions import db
from lms.jobs import runner
from lms.jobs.models import JobState
from lms.learning.models import StoredFile, Work, WorkStatus
from lms.mail.models import OutboxMessage
from lms.mail.services import MAX_ATTEMPTS


@dataclass
class Outbox:
    waiting: int  # not yet sent, still to be tried (the backlog)
    retrying: int  # of those, failed at least once
    given_up: int  # failed MAX_ATTEMPTS times: someone must look


@dataclass
class ReviewQueue:
    waiting: int
    oldest_submitted_at: datetime | None

    @property
    def oldest_age_seconds(self) -> float:
        """How long the oldest waiting attempt has waited (0 when none waits)."""
        if self.oldest_submitted_at is None:
            return 0.0
        return max((utcnow() - self.oldest_submitted_at).total_seconds(), 0.0)


def job_states() -> list[JobState]:
    """Every job's state, in the order the runner runs them (never-run jobs as empty states), then retired jobs."""
    stored = {state.name: state for state in db.session.scalars(select(JobState).order_by(JobState.name))}
    current = [job.name for job in runner.JOBS]
    states = [stored.pop(name, None) or JobState(name=name, runs=0, failures=0) for name in current]
    return states + list(stored.values())


def job_labels() -> dict[str, str]:
    """Each current job's name for people, by its stored name (a retired job has none: show its stored name)."""
    return {job.name: job.label for job in runner.JOBS}


def outbox() -> Outbox:
    """The outbox backlog and its failures."""
    unsent = OutboxMessage.sent_at.is_(None)
    live = OutboxMessage.attempts < MAX_ATTEMPTS
    waiting, retrying, given_up = db.session.execute(
        select(
            func.count().filter(live),
            func.count().filter(live, OutboxMessage.attempts > 0),
            func.count().filter(OutboxMessage.attempts >= MAX_ATTEMPTS),
        ).where(unsent)
    ).one()
    return Outbox(waiting, retrying, given_up)


def review_queue() -> ReviewQueue:
    """Attempts waiting for a trainer and when the oldest of them was submitted."""
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(Work.last_submitted_at)).where(Work.status == WorkStatus.SUBMITTED)
    ).one()
    return ReviewQueue(waiting, oldest)


def database_bytes() -> int:
    """The database's size on disk."""
    if db.engine.dialect.name == "postgresql":
        return db.session.scalar(text("SELECT pg_database_size(current_database())"))
    pages = db.session.scalar(text("PRAGMA page_count"))
    return pages * db.session.scalar(text("PRAGMA page_size"))


def stored_files() -> tuple[int, int]:
    """(count, bytes) of uploaded files (they live in the database)."""
    count, size = db.session.execute(select(func.count(), func.coalesce(func.sum(StoredFile.size), 0))).one()
    return count, int(size)


def schema_revision() -> str | None:
    """The Alembic revision the database is at (None: made without migrations)."""
    if not inspect(db.session.connection()).has_table("alembic_version"):
        return None
    return db.session.scalar(text("SELECT version_num FROM alembic_version"))
