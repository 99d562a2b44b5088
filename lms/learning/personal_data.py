"""The personal data check on the way from draft to attempt (lms.privacy does the finding)."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.learning.files import ALLOWED_TYPES
from lms.learning.models import Attachment, Attempt, Work
from lms.privacy import services as privacy
from lms.privacy.detect import Finding
from lms.privacy.models import KeepReason

_KIND_OF_MIME = {mime: kind for kind, (mime, _extensions) in ALLOWED_TYPES.items()}


def findings_in_draft(work: Work, text: str) -> list[Finding]:
    """Personal data in the text about to be submitted and in the draft's readable attachments."""
    attachments = []
    if work.id is not None:
        attachments = db.session.scalars(
            select(Attachment)
            .options(joinedload(Attachment.stored_file))
            .where(Attachment.work_id == work.id, Attachment.attempt_id.is_(None))
            .order_by(Attachment.id)
        ).all()
    files = (
        (attachment.filename, _KIND_OF_MIME.get(attachment.stored_file.mime, ""), attachment.stored_file.content)
        for attachment in attachments
    )
    return privacy.check_submission(text.replace("\r\n", "\n"), files)


def keep_reason(value: str | None) -> KeepReason | None:
    """The reason the learner chose for letting found data stay (None if they chose none)."""
    return privacy.parse_reason(value)


def confirm_kept(attempt: Attempt, findings: list[Finding], reason: KeepReason, user) -> None:
    """Remember, with the attempt, why the learner let the found data stay; the caller commits."""
    privacy.confirm(attempt, findings, reason, user)
