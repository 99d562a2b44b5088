"""All of a person's data as one ZIP: ``data.json`` (schema ``EXPORT_SCHEMA``, versioned) and their files."""

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.audit.services import record
from lms.base import utcnow
from lms.certificates.models import Certificate
from lms.editions.models import Enrolment
from lms.extensions import db
from lms.learning.decisions import Review
from lms.learning.models import Attachment, Attempt, Work
from lms.privacy.models import PersonalDataConfirmation
from lms.rights.models import DataExport  # noqa: F401  (its table is registered with the models)

SCHEMA_VERSION = "1.0"
EXPORT_SCHEMA = Path(__file__).with_name("export-schema-v1.json")


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _attempts(user: User) -> list[Attempt]:
    """Attempts the person submitted, and those of their own (person-scope) works."""
    return db.session.scalars(
        select(Attempt)
        .join(Work, Work.id == Attempt.work_id)
        .where(or_(Attempt.submitted_by_id == user.id, Work.learner_id == user.id))
        .options(joinedload(Attempt.work).joinedload(Work.assignment), joinedload(Attempt.assignment_version))
        .order_by(Attempt.id)
    ).all()


def _files(user: User) -> list[Attachment]:
    """Files the person uploaded (each once, with its bytes)."""
    return db.session.scalars(
        select(Attachment)
        .options(joinedload(Attachment.stored_file))
        .where(Attachment.uploaded_by_id == user.id)
        .order_by(Attachment.id)
    ).all()


def personal_data(user: User) -> tuple[dict, list[tuple[str, bytes]]]:
    """The JSON document and the files (path in the ZIP, bytes) of everything stored about ``user``."""
    attempts = _attempts(user)
    reviews = {
        review.attempt_id: review
        for review in db.session.scalars(select(Review).where(Review.attempt_id.in_([a.id for a in attempts])))
    }
    confirmations = {
        c.attempt_id: c
        for c in db.session.scalars(
            select(PersonalDataConfirmation).where(PersonalDataConfirmation.confirmed_by_id == user.id)
        )
    }
    files, file_entries, path_of_stored = [], [], {}
    for attachment in _files(user):
        if attachment.stored_file_id not in path_of_stored:  # a revision reuses the files of the attempt before
            path_of_stored[attachment.stored_file_id] = f"files/{attachment.id}-{attachment.filename}"
            files.append((path_of_stored[attachment.stored_file_id], attachment.stored_file.content))
        file_entries.append(
            {
                "id": attachment.id,
                "filename": attachment.filename,
                "attempt_id": attachment.attempt_id,
                "sha256": attachment.stored_file.sha256,
                "size": attachment.stored_file.size,
                "uploaded_at": _when(attachment.created_at),
                "path_in_zip": path_of_stored[attachment.stored_file_id],
            }
        )
    document = {
        "schema": "akademia-cal/personal-data-export",
        "schema_version": SCHEMA_VERSION,
        "exported_at": _when(utcnow()),
        "person": {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "institution": user.institution.name if user.institution else None,
            "roles": sorted(str(role) for role in user.roles),
            "active": user.active,
            "created_at": _when(user.created_at),
        },
        "enrolments": [
            {"edition": e.edition_id, "enrolled_at": _when(e.created_at)}
            for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.id))
        ],
        "attempts": [_attempt(attempt, reviews.get(attempt.id), confirmations.get(attempt.id)) for attempt in attempts],
        "files": file_entries,
        "certificates": [
            {
                "code": c.code,
                "title": c.title,
                "issued_at": _when(c.issued_at),
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
                "revoked": c.revoked_at is not None,
            }
            for c in db.session.scalars(select(Certificate).where(Certificate.holder_id == user.id))
        ],
        "activity": [
            {"at": _when(e.at), "action": e.action, "object_type": e.object_type, "object_id": e.object_id}
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
            )
        ],
    }
    return document, files


def _attempt(attempt: Attempt, review: Review | None, confirmation: PersonalDataConfirmation | None) -> dict:
    return {
        "id": attempt.id,
        "assignment": attempt.assignment_version.title,
        "scope": str(attempt.work.scope),
        "number": attempt.number,
        "submitted_at": _when(attempt.submitted_at),
        "text": attempt.text_md,
        "decision": str(review.decision) if review else None,
        "feedback": review.feedback_md if review else None,
        "decided_at": _when(review.decided_at) if review else None,
        "personal_data_confirmation": str(confirmation.reason) if confirmation else None,
    }


def export_zip(user: User) -> bytes:
    """The ZIP a person downloads; the export is audited (the caller commits)."""
    document, files = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("schema.json", EXPORT_SCHEMA.read_text(encoding="utf-8"))
        for path, content in files:
            archive.writestr(path, content)
    record(user, "person.data_exported", user, files=len(files))
    return buffer.getvalue()
