"""Trainers' decisions and their review queue."""

import difflib
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, load_only, selectinload

from lms.accounts.models import User
from lms.audit.services import record
from lms.certificates.services import issue_person_certificate_if_complete
from lms.content.models import AssignmentVersion, Module, current_version_summary
from lms.content.spec import Scope
from lms.editions.models import Edition, edition_trainer
from lms.extensions import db
from lms.learning.models import Attempt, Work, WorkStatus
from lms.learning.services import reopen_for_revision
from lms.notifications.services import decision_made, reviewers_of
from lms.rendering import render_markdown
from lms.reviews.models import CriterionResult, Decision, Review
from lms.urls import path_for

MAX_FEEDBACK_LENGTH = 50_000


class ReviewError(ValueError):
    """A decision the rules refuse; the message is for the trainer."""


@dataclass
class CriterionJudgement:
    criterion_id: int
    met: bool
    comment: str = ""


def decide(
    attempt: Attempt, trainer: User, judgements: list[CriterionJudgement], feedback: str, decision: Decision
) -> Review:
    """Record a decision (first one wins, enforced by the database); the caller commits."""
    work = attempt.work
    if work.status is not WorkStatus.SUBMITTED or attempt.number != work.attempt_count or attempt.review is not None:
        raise _already_decided(attempt)
    criteria = {criterion.id for criterion in attempt.assignment_version.criteria}
    judged = {judgement.criterion_id for judgement in judgements}
    if judged != criteria:
        raise ReviewError(_("Mark every criterion as met or not met."))
    feedback = feedback.strip()
    if len(feedback) > MAX_FEEDBACK_LENGTH:
        raise ReviewError(_("The feedback is too long (at most %(count)s characters).", count=MAX_FEEDBACK_LENGTH))
    all_met = all(judgement.met for judgement in judgements)
    if decision is Decision.ACCEPTED and not all_met:
        raise ReviewError(_("An attempt can be accepted only when every criterion is met."))
    if not all_met and not feedback:
        raise ReviewError(_("Write feedback explaining what is missing: a criterion is not met."))
    review = Review(
        attempt_id=attempt.id,
        trainer_id=trainer.id,
        decision=decision,
        feedback_md=feedback,
        feedback_html=render_markdown(feedback),
        results=[
            CriterionResult(criterion_id=j.criterion_id, met=j.met, comment=j.comment.strip()) for j in judgements
        ],
    )
    db.session.add(review)
    try:
        with db.session.begin_nested():
            db.session.flush()  # a second decision on the same attempt fails here (unique attempt_id)
    except IntegrityError as error:
        raise _already_decided(attempt) from error
    work.status = WorkStatus.ACCEPTED if decision is Decision.ACCEPTED else WorkStatus.REVISION_REQUESTED
    if decision is Decision.ACCEPTED:
        work.accepted_at = review.decided_at
    record(trainer, f"review.{decision.value}", review, attempt_id=attempt.id, work_id=work.id)
    if decision is Decision.ACCEPTED:
        issue_person_certificate_if_complete(work, trainer)
    else:
        reopen_for_revision(work, attempt)
    with force_locale("pl"):
        message = (
            _("Accepted: %(title)s", title=attempt.assignment_version.title)
            if decision is Decision.ACCEPTED
            else _("Revision requested: %(title)s", title=attempt.assignment_version.title)
        )
    decision_made(work, message, path_for("learning.work_detail", work_id=work.id))
    return review


def _already_decided(attempt: Attempt) -> ReviewError:
    db.session.rollback()
    review = db.session.scalar(
        select(Review).where(Review.attempt_id == attempt.id).options(joinedload(Review.trainer))
    )
    if review is None:
        return ReviewError(_("This attempt is not waiting for a decision."))
    return ReviewError(
        _("This attempt has already been decided by %(name)s. Nothing was changed.", name=review.trainer.name)
    )


def text_diff(previous: str, current: str) -> list[tuple[str, str]]:
    """Line diff of two attempts' texts as (kind, line) with kind in '+', '-', ' ', '@'."""
    lines = difflib.unified_diff(previous.splitlines(), current.splitlines(), lineterm="", n=2)
    return [(line[:1] if line[:1] in "+- @" else " ", line[1:]) for line in list(lines)[2:]]


@dataclass
class QueueFilters:
    edition_id: int | None = None
    institution_id: int | None = None
    module_id: int | None = None
    scope: Scope | None = None


def _trainer_editions(trainer: User):
    return select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == trainer.id)


def _queue_base(trainer: User, filters: QueueFilters):
    conditions = [Work.edition_id.in_(_trainer_editions(trainer))]
    if trainer.institution_id is not None:
        conditions.append(Work.institution_id != trainer.institution_id)  # conflict of interest
    if filters.edition_id:
        conditions.append(Work.edition_id == filters.edition_id)
    if filters.institution_id:
        conditions.append(Work.institution_id == filters.institution_id)
    if filters.module_id:
        conditions.append(Work.module_id == filters.module_id)
    if filters.scope:
        conditions.append(Work.scope == filters.scope)
    return and_(*conditions)


def queue(trainer: User, filters: QueueFilters):
    """A select of the latest attempts of waiting works (with work, owner, version), oldest first."""
    return (
        select(Attempt)
        .join(Work, and_(Attempt.work_id == Work.id, Attempt.number == Work.attempt_count))
        .where(_queue_base(trainer, filters), Work.status == WorkStatus.SUBMITTED)
        # A queue row shows titles and names only: the attempts' texts, drafts and instructions stay unloaded.
        .options(
            load_only(Attempt.id, Attempt.work_id, Attempt.number, Attempt.assignment_version_id, Attempt.submitted_at),
            contains_eager(Attempt.work).defer(Work.draft_text).joinedload(Work.institution),
            contains_eager(Attempt.work).joinedload(Work.learner).lazyload(User.role_links),
            contains_eager(Attempt.work).joinedload(Work.edition),
            joinedload(Attempt.assignment_version).load_only(AssignmentVersion.title),
        )
        .order_by(Work.last_submitted_at, Work.id)
    )


def state_counts(trainer: User, filters: QueueFilters) -> dict[WorkStatus, int]:
    """How many works are in each state, for the same filters (one GROUP BY)."""
    rows = db.session.execute(
        select(Work.status, func.count(Work.id))
        .where(_queue_base(trainer, filters), Work.status != WorkStatus.DRAFT)
        .group_by(Work.status)
    )
    counts = dict.fromkeys((WorkStatus.SUBMITTED, WorkStatus.REVISION_REQUESTED, WorkStatus.ACCEPTED), 0)
    counts.update(dict(rows.all()))
    return counts


@dataclass
class ConflictNote:
    edition: Edition
    waiting: int
    other_reviewers: int


def conflict_notes(trainer: User) -> list[ConflictNote]:
    """Waiting work of the trainer's own institution, which goes to other trainers (or to nobody)."""
    if trainer.institution_id is None:
        return []
    rows = db.session.execute(
        select(Work.edition_id, func.count(Work.id))
        .where(
            Work.edition_id.in_(_trainer_editions(trainer)),
            Work.institution_id == trainer.institution_id,
            Work.status == WorkStatus.SUBMITTED,
        )
        .group_by(Work.edition_id)
    ).all()
    notes = []
    for edition_id, waiting in rows:  # a handful of editions at most
        sample = Work(edition_id=edition_id, institution_id=trainer.institution_id)
        notes.append(ConflictNote(db.session.get(Edition, edition_id), waiting, len(reviewers_of(sample))))
    return notes


def filter_choices(trainer: User) -> dict:
    """Editions, institutions and modules that appear in the trainer's editions, for the filter form."""
    editions = db.session.scalars(
        select(Edition)
        .where(Edition.id.in_(_trainer_editions(trainer)))
        .options(selectinload(Edition.institutions))
        .order_by(Edition.name)
    ).all()
    modules = db.session.scalars(
        select(Module)
        .where(Module.programme_id.in_({e.programme_id for e in editions}), Module.retired.is_(False))
        .options(current_version_summary())
        .order_by(Module.programme_id, Module.level_number, Module.position)
    ).all()
    institutions = sorted({i for e in editions for i in e.institutions}, key=lambda i: i.name)
    return {"editions": editions, "institutions": institutions, "modules": modules}


def waited(since: datetime, now: datetime) -> str:
    """How long something has waited, in days or hours."""
    hours = int((now - since).total_seconds() // 3600)
    if hours >= 48:
        return _("%(days)s days", days=hours // 24)
    return _("%(hours)s h", hours=hours)
