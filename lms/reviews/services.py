"""Trainers' decisions and their review queue."""

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Row, Select, and_, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.audit.services import record
from lms.certificates.services import issue_person_certificate_if_complete
from lms.content.models import AssignmentVersion, Module, ModuleVersion
from lms.content.spec import Scope
from lms.database import column_rows
from lms.editions.models import Edition, edition_institution, edition_trainer
from lms.extensions import db
from lms.ids import RowsPage, paged, rows_page
from lms.institutions.models import Institution
from lms.learning import completions
from lms.learning.decisions import CriterionResult, Decision, Review
from lms.learning.models import Attempt, Work, WorkStatus
from lms.learning.notices import work_decided
from lms.learning.services import reopen_for_revision
from lms.rendering import render_typed_markdown
from lms.reviews.notices import decision_made
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
        feedback_html=render_typed_markdown(feedback),
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
        db.session.flush()
        completions.work_decided(db.session, work)
    action = "review.accepted" if decision is Decision.ACCEPTED else "review.revision_requested"
    record(trainer, action, review, attempt_id=attempt.id, work_id=work.id)
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
    work_decided(work)
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


# Words and the spaces between them: a change is marked word by word, and the text reads as typed.
_WORDS = re.compile(r"\s+|\S+")
# Comparing word by word costs the product of the two lengths: beyond this a changed block of lines is
# shown as removed and added whole (a rewritten chapter, not an edit).
_MAX_WORD_COMPARISONS = 2_000_000


class Change(NamedTuple):
    kind: str  # "same", "added" or "removed"
    text: str


def text_diff(previous: str, current: str) -> list[Change]:
    """The whole of ``current`` against ``previous``: unchanged runs, and removed and added words.

    Lines are compared first (fast, whatever the length), then words only inside the lines that changed.
    """
    old, new = previous.splitlines(keepends=True), current.splitlines(keepends=True)
    changes: list[Change] = []
    for tag, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(None, old, new).get_opcodes():
        removed, added = "".join(old[old_start:old_end]), "".join(new[new_start:new_end])
        if tag == "equal":
            _append(changes, Change("same", removed))
        elif tag == "replace":
            for change in _word_diff(removed, added):
                _append(changes, change)
        else:
            _append(changes, Change("removed", removed) if removed else Change("added", added))
    return changes


def _word_diff(previous: str, current: str) -> list[Change]:
    old, new = _WORDS.findall(previous), _WORDS.findall(current)
    if len(old) * len(new) > _MAX_WORD_COMPARISONS:
        return [Change("removed", previous), Change("added", current)]
    # No "junk" heuristics: spaces and common words are exactly what keeps unchanged runs together.
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    changes: list[Change] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            changes.append(Change("same", "".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            changes.append(Change("removed", "".join(old[old_start:old_end])))
        if new_end > new_start:
            changes.append(Change("added", "".join(new[new_start:new_end])))
    return changes


def _append(changes: list[Change], change: Change) -> None:
    """Add a change, joined to the previous one when they are of one kind (fewer, longer marks)."""
    if changes and changes[-1].kind == change.kind:
        changes[-1] = Change(change.kind, changes[-1].text + change.text)
    else:
        changes.append(change)


@dataclass(frozen=True)
class QueueFilters:
    edition_id: int | None = None
    institution_id: int | None = None
    module_id: int | None = None
    scope: Scope | None = None


def _trainer_editions(trainer_id):
    """The editions of a trainer (an id, or a parameter of a prepared statement)."""
    return select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == trainer_id)


# The queue page runs the statements below on every visit. Each is built once per combination of
# filters, with parameters, and run on the session's connection: building, keying and running them
# through the ORM cost more than the database's work.

_FILTERED_COLUMNS = {
    "edition_id": Work.edition_id,
    "institution_id": Work.institution_id,
    "module_id": Work.module_id,
    "scope": Work.scope,
}


def _queue_parameters(trainer: User, filters: QueueFilters) -> dict:
    """The values of the queue statements' parameters; a filter not set is left out."""
    values = {
        "trainer_id": trainer.id,
        "own_institution_id": trainer.institution_id,
        "edition_id": filters.edition_id,
        "institution_id": filters.institution_id,
        "module_id": filters.module_id,
        "scope": filters.scope,
    }
    return {name: value for name, value in values.items() if value}


def _queue_conditions(names: frozenset[str]):
    """The queue's conditions for the parameters ``names`` (keys of ``_queue_parameters``)."""
    conditions = [Work.edition_id.in_(_trainer_editions(bindparam("trainer_id")))]
    if "own_institution_id" in names:
        conditions.append(Work.institution_id != bindparam("own_institution_id"))  # conflict of interest
    conditions += [column == bindparam(name) for name, column in _FILTERED_COLUMNS.items() if name in names]
    return and_(*conditions)


@cache
def _queue_rows_statement(names: frozenset[str]) -> Select:
    """What a queue row shows of one page of waiting works (``paged``) and their latest attempts.

    The page of work ids is chosen first, from the queue index alone; only its rows are then joined
    to attempts, titles and names.
    """
    works = paged(
        select(Work.id)
        .where(_queue_conditions(names), Work.status == WorkStatus.SUBMITTED)
        .order_by(Work.last_submitted_at, Work.id)
    ).subquery()
    return (
        select(
            Attempt.id,
            AssignmentVersion.title,
            Work.last_submitted_at,
            Work.attempt_count,
            Work.learner_id,
            User.name.label("learner_name"),
            Institution.name.label("institution_name"),
            Edition.name.label("edition_name"),
        )
        .select_from(works)
        .join(Work, Work.id == works.c.id)
        .join(Attempt, and_(Attempt.work_id == Work.id, Attempt.number == Work.attempt_count))
        .join(AssignmentVersion, AssignmentVersion.id == Attempt.assignment_version_id)
        .join(Institution, Institution.id == Work.institution_id)
        .join(Edition, Edition.id == Work.edition_id)
        .outerjoin(User, User.id == Work.learner_id)
        .order_by(Work.last_submitted_at, Work.id)
    )


def queue_page(trainer: User, filters: QueueFilters, page: int, per_page: int, waiting: int) -> RowsPage:
    """Page ``page`` of the latest attempts of waiting works, oldest first, as rows of what the queue shows.

    ``waiting`` is the number of waiting works (``state_counts``), which is also the queue's length:
    a waiting work has exactly one latest attempt (attempt numbers are unique within a work and its
    count is the latest number), so the queue needs no count of its own.
    """
    parameters = _queue_parameters(trainer, filters)
    statement = _queue_rows_statement(frozenset(parameters))
    return rows_page(statement, page, per_page, parameters, total=waiting)


@cache
def _state_counts_statement(names: frozenset[str]) -> Select:
    return (
        select(Work.status, func.count(Work.id))
        .where(_queue_conditions(names), Work.status.not_in([WorkStatus.DRAFT, WorkStatus.AWAITING_CONFIRMATION]))
        .group_by(Work.status)
    )


def state_counts(trainer: User, filters: QueueFilters) -> dict[WorkStatus, int]:
    """How many works are in each state, for the same filters (one GROUP BY)."""
    parameters = _queue_parameters(trainer, filters)
    counts = dict.fromkeys((WorkStatus.SUBMITTED, WorkStatus.REVISION_REQUESTED, WorkStatus.ACCEPTED), 0)
    counts.update(dict(column_rows(_state_counts_statement(frozenset(parameters)), parameters)))
    return counts


def conflict_notes(trainer: User) -> list[Row]:
    """Waiting work of the trainer's own institution, which goes to other trainers (or to nobody): per
    edition, its name, how many works wait and how many other trainers may review them (one statement)."""
    if trainer.institution_id is None:
        return []
    return column_rows(
        _conflict_notes_statement(), {"trainer_id": trainer.id, "own_institution_id": trainer.institution_id}
    )


@cache
def _conflict_notes_statement() -> Select:
    own_institution = bindparam("own_institution_id")
    other_reviewers = (  # as lms.learning.notices.reviewers_of counts them
        select(func.count(User.id))
        .join(edition_trainer, edition_trainer.c.user_id == User.id)
        .where(edition_trainer.c.edition_id == Edition.id, User.active.is_(True))
        .where(User.institution_id.is_(None) | (User.institution_id != own_institution))
        .scalar_subquery()
    )
    return (
        select(
            Edition.name.label("edition_name"),
            func.count(Work.id).label("waiting"),
            other_reviewers.label("other_reviewers"),
        )
        .join(Work, Work.edition_id == Edition.id)
        .where(
            Work.edition_id.in_(_trainer_editions(bindparam("trainer_id"))),
            Work.institution_id == own_institution,
            Work.status == WorkStatus.SUBMITTED,
        )
        .group_by(Edition.id, Edition.name)
        .order_by(Edition.id)
    )


class Choice(NamedTuple):
    id: int
    name: str


def filter_choices(trainer: User) -> dict:
    """Editions, institutions and modules that appear in the trainer's editions, for the filter form (as rows)."""
    editions_statement, modules_statement = _filter_choices_statements()
    rows = column_rows(editions_statement, {"trainer_id": trainer.id})
    editions = list({row.id: row for row in rows}.values())
    # Sorted here, not in SQL: the database's collation may order names differently from Python.
    institutions = sorted(
        {Choice(row.institution_id, row.institution) for row in rows if row.institution_id is not None},
        key=lambda institution: (institution.name, institution.id),
    )
    modules = column_rows(modules_statement, {"trainer_id": trainer.id})
    return {"editions": editions, "institutions": institutions, "modules": modules}


@cache
def _filter_choices_statements() -> tuple[Select, Select]:
    """The trainer's editions with their institutions, and the modules of the editions' programmes."""
    trainer_editions = _trainer_editions(bindparam("trainer_id"))
    editions = (
        select(Edition.id, Edition.name, Institution.id.label("institution_id"), Institution.name.label("institution"))
        .outerjoin(edition_institution, edition_institution.c.edition_id == Edition.id)
        .outerjoin(Institution, Institution.id == edition_institution.c.institution_id)
        .where(Edition.id.in_(trainer_editions))
        .order_by(Edition.name, Edition.id)
    )
    modules = (
        select(Module.id, func.coalesce(ModuleVersion.title, "").label("title"))
        .outerjoin(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(
            Module.programme_id.in_(select(Edition.programme_id).where(Edition.id.in_(trainer_editions))),
            Module.retired.is_(False),
        )
        .order_by(Module.programme_id, Module.level_number, Module.position)
    )
    return editions, modules


def waiting_time(now: datetime) -> Callable[[datetime], str]:
    """How long something has waited by ``now``, in days or hours (the labels translated once, not per row)."""
    days, hours = _("%(days)s days"), _("%(hours)s h")  # without values gettext returns the format itself

    def waited(since: datetime) -> str:
        waited_hours = int((now - since).total_seconds() // 3600)
        if waited_hours >= 48:
            return days % {"days": waited_hours // 24}
        return hours % {"hours": waited_hours}

    return waited
