"""An admin removes a passage of an attempt's text (e.g. a PESEL a learner should not have sent).

The original words are gone from the attempt (and from a draft that copied it); the audit log keeps who,
when and why, but never the passage itself.
"""

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.audit.services import record
from lms.extensions import db
from lms.learning.models import Attempt
from lms.rendering import render_typed_markdown

REDACTED = "[fragment usunięty przez administratora]"
MAX_REASON_LENGTH = 300


class RedactionError(ValueError):
    """A redaction that cannot be done; the message is for the admin."""


def redact(attempt: Attempt, passage: str, reason: str, admin: User) -> int:
    """Replace every occurrence of ``passage`` in the attempt's text; returns how many. The caller commits."""
    passage, reason = passage.replace("\r\n", "\n").strip(), reason.strip()
    if not reason:
        raise RedactionError(_("Give the reason for removing the passage."))
    if len(reason) > MAX_REASON_LENGTH:
        raise RedactionError(_("The reason is too long (at most %(count)s characters).", count=MAX_REASON_LENGTH))
    occurrences = attempt.text_md.count(passage) if passage else 0
    if not occurrences:
        raise RedactionError(_("This passage is not in the attempt's text. Copy it exactly as it stands."))
    attempt.text_md = attempt.text_md.replace(passage, REDACTED)
    attempt.text_html = render_typed_markdown(attempt.text_md)
    work = attempt.work
    if passage in (work.draft_text or ""):  # a revision's draft starts as a copy of the attempt
        work.draft_text = work.draft_text.replace(passage, REDACTED)
    db.session.add(attempt)
    record(admin, "attempt.redacted", attempt, reason=reason, occurrences=occurrences, characters=len(passage))
    return occurrences
