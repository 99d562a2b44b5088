"""``run_due_jobs``: every due job once, by one runner at a time.

Jobs decide themselves what is due (a message whose retry time has come, a trainer's digest whose
hour has come), so running them every minute is safe. Two copies started at once (a slow run and
the next minute's, or two servers with the same timer) must not both run: on PostgreSQL the runner
holds an advisory lock for its connection's life (released even if it is killed); on SQLite it takes
a lock row with an expiry.
"""

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, text, update

from lms.base import utcnow
from lms.certificates.lifecycle import issue_missing_credentials, send_expiry_reminders
from lms.certificates.services import issue_certificates_earned_by_attendance
from lms.extensions import db
from lms.jobs.models import JobLock, JobState
from lms.learning.allocation import hand_on_from_absent, send_due_reminders
from lms.mail.services import deliver_pending
from lms.notifications.services import send_due_digests
from lms.rights.background import build_pending
from lms.rights.retention import purge_expired

log = logging.getLogger(__name__)

LOCK_NAME = "jobs"
_ADVISORY_KEY = 0x4C4D534A  # "LMSJ": any constant the app uses for nothing else
_SQLITE_LEASE = timedelta(minutes=15)


def _deliver_mail() -> str:
    delivery = deliver_pending()
    return f"sent {delivery.sent}, failed {delivery.failed}"


def _send_digests() -> str:
    return f"sent {send_due_digests()}"


def _remind_expiring() -> str:
    return f"sent {send_expiry_reminders()}"


def _sign_credentials() -> str:
    return f"signed {issue_missing_credentials()}"


def _purge_expired_files() -> str:
    return f"purged {purge_expired()}"


def _build_data_exports() -> str:
    return f"built {build_pending()}"


def _attendance_certificates() -> str:
    return f"issued {issue_certificates_earned_by_attendance()}"


def _remind_reviews() -> str:
    moved = hand_on_from_absent()  # first, so reminders name whose turn the work is now
    return f"handed on {moved}, sent {send_due_reminders()}"


class Job(NamedTuple):
    name: str  # kept in JobState and the metrics labels, so never translated nor renamed
    run: Callable[[], str]
    label: str  # what the system status page calls it (lazily translated)


# Jobs that queue mail and notices first: what they queue goes out in the same run.
JOBS: tuple[Job, ...] = (
    Job("digests", _send_digests, _l("Trainers' digests")),
    Job("certificate reminders", _remind_expiring, _l("Reminders of expiring certificates")),
    Job("credentials", _sign_credentials, _l("Signing digital credentials")),
    Job("attendance certificates", _attendance_certificates, _l("Certificates completed by attendance")),
    Job("review reminders", _remind_reviews, _l("Reminders of waiting reviews")),
    Job("personal data exports", _build_data_exports, _l("Personal data exports")),
    Job("mail", _deliver_mail, _l("E-mail delivery")),
    Job("retention", _purge_expired_files, _l("Removing files past their retention period")),
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
    """Run every job once and return (job, outcome) pairs; None when another runner holds the lock.

    A job that fails is recorded (its error is the outcome) and the next job still runs.
    """
    with single_runner() as held:
        if not held:
            return None
        return [(job.name, _run_recorded(job.name, job.run)) for job in JOBS]


class JobFailed(str):
    """The outcome of a job that raised: its error, marked so the caller can tell."""


def _run_recorded(name: str, job: Callable[[], str]) -> str:
    """Run one job and keep its result in ``job_state`` (the status page and /metrics read it)."""
    started = utcnow()
    try:
        outcome, succeeded = job(), True
    except Exception as error:  # any failure: recorded and logged with its traceback, the runner goes on
        db.session.rollback()
        log.exception("job %s failed", name)
        outcome, succeeded = JobFailed(f"{type(error).__name__}: {error}"[:500]), False
    state = db.session.get(JobState, name) or JobState(name=name, runs=0, failures=0)
    db.session.add(state)
    state.last_started_at, state.last_finished_at = started, utcnow()
    state.last_succeeded, state.last_outcome = succeeded, outcome
    state.runs += 1
    state.failures += 0 if succeeded else 1
    db.session.commit()
    return outcome
