"""Keeping evidence only as long as the programme says: ``flask privacy purge`` (also run by ``flask jobs run``).

A file of accepted work whose retention (programme.yaml ``retention``: per assignment, per file kind, or
for all evidence, in months after acceptance) has passed has its bytes replaced by a tombstone. Its name,
hash, size and date stay, as do the attempt, the reviews, the decisions and the certificates.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from lms.audit.services import record
from lms.base import utcnow
from lms.content.models import Assignment, Programme
from lms.extensions import db
from lms.learning.files import ALLOWED_TYPES
from lms.learning.models import Attachment, StoredFile, Work, WorkStatus
from lms.privacy.models import PurgedFile

_KIND_OF_MIME = {mime: kind for kind, (mime, _extensions) in ALLOWED_TYPES.items()}
DAYS_IN_A_MONTH = 30.44


def tombstone(stored: StoredFile, when: datetime, why: str) -> bytes:
    return (
        f"Plik usunięty {when:%Y-%m-%d} ({why}).\n"
        f"SHA-256 oryginału: {stored.sha256}\nRozmiar oryginału: {stored.size} B\n"
    ).encode()


def purge_file(stored: StoredFile, reason: str, why: str, when: datetime) -> None:
    """Replace the bytes of ``stored`` by a tombstone and remember it; the caller audits and commits."""
    stored.content, stored.mime = tombstone(stored, when, why), "text/plain"
    db.session.add(PurgedFile(stored_file_id=stored.id, purged_at=when, reason=reason))


def _months(retention: dict, assignment_slug: str, kind: str) -> int | None:
    """The shortest retention that applies to a file (None: kept)."""
    candidates = [
        retention.get("assignments", {}).get(assignment_slug),
        retention.get("kinds", {}).get(kind),
        retention.get("evidence_months"),
    ]
    given = [months for months in candidates if months]
    return min(given) if given else None


def purge_expired(now: datetime | None = None) -> int:
    """Tombstone every expired evidence file; returns how many. Commits (one transaction)."""
    now = now or utcnow()
    purged = 0
    already = select(PurgedFile.stored_file_id)
    rows = db.session.execute(
        select(Attachment, StoredFile, Work.accepted_at, Assignment.slug, Programme.retention)
        .join(StoredFile, StoredFile.id == Attachment.stored_file_id)
        .join(Work, Work.id == Attachment.work_id)
        .join(Assignment, Assignment.id == Work.assignment_id)
        .join(Programme, Programme.id == Assignment.programme_id)
        .where(Work.status == WorkStatus.ACCEPTED, Attachment.attempt_id.is_not(None), StoredFile.id.not_in(already))
        .order_by(StoredFile.id)
    ).all()
    done = set()
    for attachment, stored, accepted_at, slug, retention in rows:
        months = _months(retention or {}, slug, _KIND_OF_MIME.get(stored.mime, ""))
        if stored.id in done or not months or accepted_at is None:
            continue
        if accepted_at + timedelta(days=months * DAYS_IN_A_MONTH) > now:
            continue
        purge_file(stored, "retention", f"okres przechowywania {months} mies. po akceptacji", now)
        record(None, "file.purged", attachment, sha256=stored.sha256, months=months)
        done.add(stored.id)
        purged += 1
    db.session.commit()
    return purged
