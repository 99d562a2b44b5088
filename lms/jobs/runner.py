"""``run_due_jobs``: every due job once, by one runner at a time.

Jobs decide themselves what is due (a message whose retry time has come, a trainer's digest whose
hour has come), so running them every minute is safe. Two copies started at once (a slow run and
the next minute's, or two servers with the same timer) must not both run: on PostgreSQL the runner
holds an advisory lock for its connection's life (released even if it is killed); on SQLite it takes
a lock row with an expiry.
"""

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import or_, text, update

from lms.base import utcnow
from lms.certificates.services import issue_certificates_earned_by_attendance
from lms.extensions import db
from lms.jobs.models import JobLock
from lms.learning.allocation import send_due_reminders
from lms.mail.services import deliver_pending
from lms.notifications.services import send_due_digests

LOCK_NAME = "jobs"
_ADVISORY_KEY = 0x4C4D534A  # "LMSJ": any constant the app uses for nothing else
_SQLITE_LEASE = timedelta(minutes=15)


def _deliver_mail() -> str:
    delivery = deliver_pending()
    return f"sent {delivery.sent}, failed {delivery.failed}"


def _send_digests() -> str:
    return f"sent {send_due_digests()}"


def _attendance_certificates() -> str:
    return f"issued {issue_certificates_earned_by_attendance()}"


# Digests and certificates first: the mail and notices they queue go out in the same run.
JOBS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("digests", _send_digests),
    ("attendance certificates", _attendance_certificates),
    ("review reminders", lambda: f"sent {send_due_reminders()}"),
    ("mail", _deliver_mail),
)


@contextmanager
def _postgresql_lock() -> Iterator[bool]:
    with db.engine.connect() as connection:
        held = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _ADVISORY_KEY})
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
                connection.commit()


@contextmanager
def _sqlite_lock() -> Iterator[bool]:
    holder, now = secrets.token_hex(8), utcnow()
    if db.session.get(JobLock, LOCK_NAME) is None:
        db.session.add(JobLock(name=LOCK_NAME))
        db.session.commit()
    taken = db.session.execute(
        update(JobLock)
        .where(JobLock.name == LOCK_NAME, or_(JobLock.locked_until.is_(None), JobLock.locked_until < now))
        .values(holder=holder, locked_until=now + _SQLITE_LEASE)
    ).rowcount
    db.session.commit()
    try:
        yield taken == 1
    finally:
        if taken == 1:
            db.session.execute(
                update(JobLock).where(JobLock.name == LOCK_NAME, JobLock.holder == holder).values(locked_until=None)
            )
            db.session.commit()


def single_runner():
    """A context manager yielding True when this runner holds the jobs lock (False: another one runs)."""
    return _postgresql_lock() if db.engine.dialect.name == "postgresql" else _sqlite_lock()


def run_due_jobs() -> list[tuple[str, str]] | None:
    """Run every job once and return (job, outcome) pairs; None when another runner holds the lock."""
    with single_runner() as held:
        if not held:
            return None
        return [(name, job()) for name, job in JOBS]
