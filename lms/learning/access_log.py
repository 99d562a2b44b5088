"""Who read another person's work: the review page, the read-only work page and file downloads log it.

A person reading their own work is not logged, nor a colleague reading their institution's shared
deliverable (it is theirs as much as the submitter's). Everyone else -- trainers, coordinators reading
their staff's own work, admins -- leaves one audit row per page or file: who, what, when.
"""

from lms.audit.services import record_read
from lms.content.spec import Scope
from lms.learning.models import Attachment, Attempt, Work

ATTEMPT_VIEWED = "attempt.viewed"
WORK_VIEWED = "work.viewed"
ATTACHMENT_DOWNLOADED = "attachment.downloaded"


def is_own(user, work: Work) -> bool:
    """Whether ``work`` is ``user``'s: their person-scope work, or their institution's deliverable."""
    if work.scope is Scope.PERSON:
        return work.learner_id == user.id
    return user.institution_id == work.institution_id


def _log(user, work: Work, action: str, obj) -> None:
    if not is_own(user, work):
        record_read(user.id, action, type(obj).__name__, obj.id)


def attempt_viewed(user, attempt: Attempt) -> None:
    """Log ``user`` reading ``attempt`` (unless it is theirs), committed at once."""
    _log(user, attempt.work, ATTEMPT_VIEWED, attempt)


def work_viewed(user, work: Work) -> None:
    """Log ``user`` reading the history of ``work`` (unless it is theirs), committed at once."""
    _log(user, work, WORK_VIEWED, work)


def attachment_downloaded(user, attachment: Attachment) -> None:
    """Log ``user`` downloading ``attachment`` (unless its work is theirs), committed at once."""
    _log(user, attachment.work, ATTACHMENT_DOWNLOADED, attachment)
