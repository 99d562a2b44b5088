"""Submitting work: drafts, attachments and immutable, numbered attempts."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from lms.accounts.models import User
from lms.audit.services import record
from lms.base import utcnow
from lms.content.models import Assignment, AssignmentVersion, Module, ModuleVersion
from lms.content.spec import Scope
from lms.editions.models import Edition
from lms.extensions import db
from lms.i18n import format_number
from lms.learning import allocation, confirmation
from lms.learning.files import CheckedFile
from lms.learning.models import Attachment, Attempt, ModuleRead, StoredFile, Work, WorkStatus
from lms.learning.notices import attempt_arrived
from lms.rendering import render_typed_markdown

MAX_TEXT_LENGTH = 100_000


class SubmissionError(ValueError):
    """A submission the rules refuse; the message is for the learner."""


class StaleDraft(SubmissionError):
    """The draft was saved elsewhere (another tab or window, a colleague) after this editor loaded it.

    Carries what is saved now, so that the page can offer both texts instead of overwriting either.
    """

    def __init__(self, work: Work):
        super().__init__(
            _(
                "This draft was changed in another tab or window after you opened it, so your text was not saved. "
                "Both texts are below: yours stays in the editor, the saved one is next to it. "
                "Keep what you need and save again."
            )
        )
        self.saved_text = work.draft_text
        self.saved_version = work.draft_version


def current_assignment_version(assignment: Assignment) -> AssignmentVersion | None:
    """The assignment as the module's current, non-retired version states it (None if withdrawn)."""
    return db.session.scalar(
        select(AssignmentVersion)
        .join(ModuleVersion, ModuleVersion.id == AssignmentVersion.module_version_id)
        .join(Module, Module.current_version_id == ModuleVersion.id)
        .where(AssignmentVersion.assignment_id == assignment.id, Module.retired.is_(False))
    )


def work_for(user: User, edition: Edition, assignment: Assignment, scope: Scope) -> Work:
    """The person's (or their institution's) work on ``assignment`` in ``edition``; unsaved if new.

    A person's own work stays theirs when they move to another institution (as their progress counts it).
    """
    if scope is Scope.PERSON:
        owner = Work.learner_id == user.id
    else:
        owner = Work.learner_id.is_(None) & (Work.institution_id == user.institution_id)
    work = db.session.scalar(
        select(Work).where(Work.assignment_id == assignment.id, Work.edition_id == edition.id, owner)
    )
    if work is None:
        work = Work(
            assignment_id=assignment.id,
            module_id=assignment.module_id,
            edition_id=edition.id,
            scope=scope,
            learner_id=user.id if scope is Scope.PERSON else None,
            institution_id=user.institution_id,
            status=WorkStatus.DRAFT,
            attempt_count=0,
            draft_text="",
            draft_version=0,
        )
        work.edition, work.assignment, work.institution = edition, assignment, user.institution
        work.learner = user if scope is Scope.PERSON else None
    return work


def _ensure_open(work: Work) -> None:
    if work.status is WorkStatus.SUBMITTED:
        raise SubmissionError(_("Your attempt is waiting for the trainer's decision; you can continue after it."))
    if work.status is WorkStatus.AWAITING_CONFIRMATION:
        raise SubmissionError(_("This deliverable is waiting for the coordinator's confirmation."))
    if work.status is WorkStatus.ACCEPTED:
        raise SubmissionError(_("This assignment has already been accepted."))


def too_long(text: str) -> str:
    """What the editor says of a text over MAX_TEXT_LENGTH: how long it is and what may stay."""
    return _(
        "The text is too long: %(length)s characters, at most %(count)s. Nothing was saved; the text is still "
        "in the editor: shorten it, or send part of it as an attached file.",
        length=format_number(len(text)),
        count=format_number(MAX_TEXT_LENGTH),
    )


def _normalise(text: str) -> str:
    """Browsers send text-area line breaks as CRLF; store plain newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def editor_text(work: Work, version: AssignmentVersion | None) -> str:
    """What the editor starts from: the saved draft; else the latest attempt's text (version n+1 starts from
    version n); else, before anything was written, the assignment's template (its headings and prompts)."""
    if work.draft_text:
        return work.draft_text
    if not work.attempt_count:
        return version.template if version is not None else ""
    return (
        db.session.scalar(
            select(Attempt.text_md).where(Attempt.work_id == work.id, Attempt.number == work.attempt_count)
        )
        or ""
    )


def _check_draft_version(work: Work, based_on: int | None) -> None:
    """Refuse text written over a draft version that is no longer the saved one (a stale tab)."""
    if based_on is not None and based_on != (work.draft_version or 0):
        raise StaleDraft(work)


def save_draft(work: Work, text: str, user: User, based_on: int | None = None) -> None:
    """Keep unfinished text, if the draft is still version ``based_on`` (None: whatever it is); the caller commits.

    The version is compared and raised in one UPDATE, so that of two saves from one version only the
    first lands, however close together they arrive.
    """
    _ensure_open(work)
    text = _normalise(text)
    if len(text) > MAX_TEXT_LENGTH:
        raise SubmissionError(too_long(text))
    _check_draft_version(work, based_on)
    now = utcnow()
    if work.id is None:
        work.draft_text, work.draft_version, work.draft_updated_at = text, 1, now
        db.session.add(work)
        return
    saved = db.session.execute(
        update(Work)
        .where(Work.id == work.id, Work.draft_version == (work.draft_version or 0))
        .values(draft_text=text, draft_version=Work.draft_version + 1, draft_updated_at=now)
    )
    db.session.expire(work, ["draft_text", "draft_version", "draft_updated_at"])
    if saved.rowcount != 1:
        raise StaleDraft(work)


def draft_attachments(work: Work) -> list[Attachment]:
    """Files attached to the draft, oldest first."""
    if work.id is None:
        return []
    return db.session.scalars(
        select(Attachment).where(Attachment.work_id == work.id, Attachment.attempt_id.is_(None)).order_by(Attachment.id)
    ).all()


def attach(work: Work, checked: CheckedFile, user: User) -> Attachment:
    """Add a checked file to the draft (at most MAX_ATTACHMENTS); the caller commits."""
    _ensure_open(work)
    limit = current_app.config["MAX_ATTACHMENTS"]
    if len(draft_attachments(work)) >= limit:
        raise SubmissionError(
            ngettext(
                "An attempt can have at most %(num)s attachment.",
                "An attempt can have at most %(num)s attachments.",
                limit,
            )
        )
    db.session.add(work)
    db.session.flush()
    stored = StoredFile(sha256=checked.sha256, size=checked.size, mime=checked.mime, content=checked.content)
    attachment = Attachment(work_id=work.id, stored_file=stored, filename=checked.filename, uploaded_by_id=user.id)
    db.session.add(attachment)
    db.session.flush()
    # The file by id, not by name: a file name may name a person, and the log is never rewritten.
    record(user, "attachment.added", work, attachment=attachment.id, sha256=checked.sha256)
    return attachment


def detach(work: Work, attachment_id: int, user: User) -> None:
    """Remove a file from the draft (submitted files are never removed); the caller commits."""
    _ensure_open(work)
    attachment = db.session.scalar(
        select(Attachment).where(
            Attachment.id == attachment_id, Attachment.work_id == work.id, Attachment.attempt_id.is_(None)
        )
    )
    if attachment is None:
        raise SubmissionError(_("This file is not part of your draft."))
    db.session.delete(attachment)
    record(user, "attachment.removed", work, attachment=attachment.id)


def submit(work: Work, text: str, user: User, based_on: int | None = None) -> Attempt:
    """Turn the draft into the next immutable attempt, if the draft is still version ``based_on`` (None:
    whatever it is); the caller commits (and handles a race)."""
    _ensure_open(work)
    _check_draft_version(work, based_on)
    text = _normalise(text).strip()
    if not text:
        raise SubmissionError(_("Write your answer before submitting."))
    if len(text) > MAX_TEXT_LENGTH:
        raise SubmissionError(too_long(text))
    version = current_assignment_version(work.assignment)
    if version is None:
        raise SubmissionError(_("This assignment has been withdrawn from the programme."))
    db.session.add(work)
    db.session.flush()
    attempt = Attempt(
        work_id=work.id,
        number=work.attempt_count + 1,
        assignment_version_id=version.id,
        submitted_by_id=user.id,
        text_md=text,
        text_html=render_typed_markdown(text),
    )
    db.session.add(attempt)
    db.session.flush()  # a concurrent submit of the same number fails here (unique work_id, number)
    for attachment in draft_attachments(work):
        attachment.attempt_id = attempt.id
    work.attempt_count = attempt.number
    work.status = WorkStatus.SUBMITTED
    work.last_submitted_at = attempt.submitted_at
    work.draft_text = ""
    work.draft_version = (work.draft_version or 0) + 1
    record(user, "attempt.submitted", attempt, work_id=work.id, number=attempt.number)
    if confirmation.needs_confirmation(work, user):
        confirmation.hold_for_confirmation(work, attempt)  # the trainers see it once a coordinator confirms
        return attempt
    if work.scope is Scope.INSTITUTION:
        confirmation.mark_confirmed(attempt, user)  # a coordinator's own submission is their confirmation
    attempt_arrived(attempt)
    allocation.work_submitted(work)
    return attempt


def reopen_for_revision(work: Work, attempt: Attempt) -> None:
    """After a revision request the draft starts from the last attempt: its text and its files."""
    work.draft_text = attempt.text_md
    work.draft_version = (work.draft_version or 0) + 1
    work.draft_updated_at = utcnow()
    for attachment in attempt.attachments:
        db.session.add(
            Attachment(
                work_id=work.id,
                stored_file_id=attachment.stored_file_id,
                filename=attachment.filename,
                uploaded_by_id=attachment.uploaded_by_id,
            )
        )


def record_module_read(user: User, module_id: int) -> None:
    """Remember that ``user`` opened the module (once; concurrent requests are harmless)."""
    already = select(ModuleRead.id).where(ModuleRead.user_id == user.id, ModuleRead.module_id == module_id)
    if db.session.scalar(already) is not None:
        return  # a read, not a write, on every later visit
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(ModuleRead)
        .values(user_id=user.id, module_id=module_id, first_read_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "module_id"])
    )
    db.session.commit()
