"""The personal data check before submission: scanning the text and readable attachments, and
recording the learner's confirmation. Learning's services call these explicitly."""

from collections import Counter
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from lms.audit.services import record
from lms.extensions import db
from lms.privacy.detect import KIND_LABELS, DataKind, Finding, scan
from lms.privacy.extract import readable_pages
from lms.privacy.models import (
    KEEP_REASON_LABELS,
    Erasure,
    KeepReason,
    PersonalDataConfirmation,
    PrivacyNoticeSeen,
)


def check_submission(text: str, attachments: Iterable[tuple[str, str, bytes]]) -> list[Finding]:
    """Personal data in the attempt's ``text`` and in its ``attachments`` given as (file name, kind, bytes)."""
    findings = scan(text)
    for filename, kind, content in attachments:
        for page, page_text in readable_pages(kind, content):
            findings += scan(page_text, filename, page, by_page=kind == "pdf")
    return findings


def parse_reason(value: str | None) -> KeepReason | None:
    """The reason a learner chose (None when none or an unknown one was sent)."""
    try:
        return KeepReason(value) if value else None
    except ValueError:
        return None


def confirm(attempt, findings: list[Finding], reason: KeepReason, user) -> PersonalDataConfirmation:
    """Record why found data stays in a just-submitted ``attempt``; the caller commits."""
    found = dict(Counter(str(finding.kind) for finding in findings))
    confirmation = PersonalDataConfirmation(attempt_id=attempt.id, reason=reason, found=found, confirmed_by_id=user.id)
    db.session.add(confirmation)
    record(user, "attempt.personal_data_confirmed", attempt, reason=reason.value, found=found)
    return confirmation


def confirmation_for(attempt_id: int) -> PersonalDataConfirmation | None:
    return db.session.scalar(select(PersonalDataConfirmation).where(PersonalDataConfirmation.attempt_id == attempt_id))


def describe(confirmation: PersonalDataConfirmation) -> tuple[str, str]:
    """What was found (kinds with counts) and the reason, in the reader's language."""
    kinds = ", ".join(f"{KIND_LABELS[DataKind(kind)]} ({count})" for kind, count in sorted(confirmation.found.items()))
    return kinds or _("nothing"), str(KEEP_REASON_LABELS[confirmation.reason])


def erasure_label(user_id: int) -> str:
    """What stands for an erased person everywhere their name stood (Polish, as institutions' records are)."""
    return f"Osoba usunięta #{user_id}"


def was_erased(user_id: int | None) -> bool:
    return user_id is not None and db.session.scalar(select(Erasure.id).where(Erasure.user_id == user_id)) is not None


def notice_seen_of(user_id):
    """Whether ``user_id`` (a value or a column) has closed the privacy notice, as an EXISTS expression.

    The one answer to that question: the sign-in statement reads it with the person (so no page asks again),
    and alone it is ``db.session.scalar(select(notice_seen_of(user_id)))``.
    """
    return select(PrivacyNoticeSeen.user_id).where(PrivacyNoticeSeen.user_id == user_id).exists()


def mark_notice_seen(user) -> None:
    """The person closed the privacy notice; the caller commits."""
    if not db.session.scalar(select(notice_seen_of(user.id))):
        db.session.add(PrivacyNoticeSeen(user_id=user.id))
        record(user, "privacy_notice.seen", user)
