"""Learners' work: one ``Work`` per assignment, owner and edition, holding numbered, immutable attempts.

``Work`` is the thread (its ``status`` is a cache of the latest decision, kept in the same
transaction as the attempt or review that changes it); ``Attempt``, attachment files and reviews
are append-only and never updated or deleted by the application.
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.base import enum_column, utcnow
from lms.content.models import Assignment, AssignmentVersion, Module
from lms.content.spec import Scope
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.models import Institution


class WorkStatus(enum.StrEnum):
    DRAFT = "draft"  # started, nothing submitted yet
    # An institution deliverable submitted by its staff waits for the coordinator's "potwierdzam w imieniu
    # instytucji" before any trainer sees it (lms/learning/confirmation.py).
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    SUBMITTED = "submitted"  # an attempt waits for a trainer
    REVISION_REQUESTED = "revision_requested"
    ACCEPTED = "accepted"


class Work(db.Model):
    """One learner's (or one institution's) work on one assignment in one edition."""

    __table_args__ = (
        # One thread per person (person scope) or per institution (institution scope).
        Index(
            "uq_work_person", "assignment_id", "edition_id", "learner_id", unique=True,
            sqlite_where=text("learner_id IS NOT NULL"), postgresql_where=text("learner_id IS NOT NULL"),
        ),
        Index(
            "uq_work_institution", "assignment_id", "edition_id", "institution_id", unique=True,
            sqlite_where=text("learner_id IS NULL"), postgresql_where=text("learner_id IS NULL"),
        ),
        # The review queue: waiting work of an edition, oldest first.
        Index("ix_work_queue", "edition_id", "status", "last_submitted_at"),
        # The queue filtered by module: its counts by state and its page, read from the index alone.
        Index(
            "ix_work_queue_module",
            "edition_id", "module_id", "status", "last_submitted_at", "institution_id", "scope",
        ),
        Index("ix_work_learner", "learner_id", "edition_id"),
        Index("ix_work_institution_edition", "institution_id", "edition_id"),
        # Institutions' checklists: their deliverables (learner_id IS NULL) on given assignments.
        Index("ix_work_deliverable", "institution_id", "learner_id", "assignment_id"),
        # Programme reports: accepted works of editions, read from the index alone (lms/reports).
        Index(
            "ix_work_report", "edition_id", "status", "assignment_id", "learner_id", "institution_id", "accepted_at"
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"))
    scope: Mapped[Scope] = mapped_column(enum_column(Scope, 20))
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None for institution scope
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    status: Mapped[WorkStatus] = mapped_column(enum_column(WorkStatus, 30), default=WorkStatus.DRAFT)
    draft_text: Mapped[str] = mapped_column(Text, default="")
    draft_updated_at: Mapped[datetime | None]
    # Counts the draft's saves: a save must name the version it started from, so that a stale tab is
    # refused instead of overwriting a newer draft (see ``services.save_draft``).
    draft_version: Mapped[int] = mapped_column(default=0, server_default="0")
    attempt_count: Mapped[int] = mapped_column(default=0)
    last_submitted_at: Mapped[datetime | None]
    # When a trainer accepted it (acceptance is final); kept here so reports need not join reviews.
    accepted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[Assignment] = relationship()
    module: Mapped[Module] = relationship()
    edition: Mapped[Edition] = relationship()
    learner: Mapped[User | None] = relationship(foreign_keys=[learner_id])
    institution: Mapped[Institution] = relationship()
    attempts: Mapped[list["Attempt"]] = relationship(back_populates="work", order_by="Attempt.number")


class Attempt(db.Model):
    """A submitted, immutable answer, numbered 1, 2, 3 … within its work."""

    __table_args__ = (UniqueConstraint("work_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("work.id"), index=True)
    number: Mapped[int]
    # What the attempt answered: reviews show this version's criteria, whatever is imported later.
    assignment_version_id: Mapped[int] = mapped_column(ForeignKey("assignment_version.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    text_md: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # An institution deliverable's attempt: the coordinator who confirmed it on the institution's behalf
    # (None for person work, and for attempts made before confirmation existed).
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    confirmed_at: Mapped[datetime | None]

    work: Mapped[Work] = relationship(back_populates="attempts")
    assignment_version: Mapped[AssignmentVersion] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    attachments: Mapped[list["Attachment"]] = relationship(order_by="Attachment.id", viewonly=True)


class StoredFile(db.Model):
    """Uploaded bytes with their SHA-256, kept in the database so web servers hold no state."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    mime: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(db.Model):
    """A file attached to a draft (``attempt_id`` None) or, once submitted, to an attempt."""

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("work.id"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempt.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    filename: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    stored_file: Mapped[StoredFile] = relationship(lazy="raise")  # content is loaded only for downloads
    work: Mapped[Work] = relationship()


class ModuleRead(db.Model):
    """When a person first opened a module (progress shows it as 'reading')."""

    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    first_read_at: Mapped[datetime] = mapped_column(default=utcnow)


class ModuleCompletion(db.Model):
    """A module an enrolled person has completed in an edition: derived from their (and their
    institution's) accepted works and kept in step with them by ``lms.learning.completions``."""

    __table_args__ = (
        # Programme reports count completions per edition and module, in a period, from the index alone.
        Index("ix_module_completion_report", "edition_id", "module_id", "completed_at"),
    )

    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), primary_key=True)
    # The latest acceptance the module needed (None only if such a work lacks its acceptance date).
    completed_at: Mapped[datetime | None]
