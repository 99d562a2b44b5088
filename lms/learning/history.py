"""A work's history: every attempt with what the pages show of it, in a fixed number of statements
whatever its length.

The learner's work page and the trainer's review page show the same history, newest attempt first:
each attempt with its work (edition, institution, learner), author, attachments, and its review with
the trainer and per-criterion results (each with its criterion). The review page also shows the
version each attempt answered (with its criteria, for the decision form) and compares the Markdown.
"""

from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.content.models import Criterion
from lms.extensions import db
from lms.learning.decisions import CriterionResult, Review
from lms.learning.models import Attachment, Attempt, Work


def work_history(work_id: int) -> list[Attempt]:
    """Every attempt of the work, newest first (empty when it has none), in three statements; the
    versions' criteria are left unloaded."""
    attempts = db.session.scalars(_statements().of_work, {"work_id": work_id}).all()
    _fill_reviews_and_attachments(attempts)
    return attempts


def attempt_history(attempt_id: int) -> list[Attempt]:
    """Every attempt of the work ``attempt_id`` belongs to, newest first (empty when there is no such
    attempt), with their versions' criteria, in four statements."""
    attempts = db.session.scalars(_statements().of_attempts_work, {"attempt_id": attempt_id}).all()
    versions = list({attempt.assignment_version_id: attempt.assignment_version for attempt in attempts}.values())
    _fill(versions, "criteria", _statements().criteria, "assignment_version_id")
    _fill_reviews_and_attachments(attempts)
    return attempts


def _fill_reviews_and_attachments(attempts: list[Attempt]) -> None:
    """The attempts' reviews' results and the attempts' attachments."""
    statements = _statements()
    reviews = [attempt.review for attempt in attempts if attempt.review is not None]
    _fill(reviews, "results", statements.results, "review_id")
    _fill(attempts, "attachments", statements.attachments, "attempt_id")


def _fill(parents: list, collection: str, statement: Select, parent_key: str) -> None:
    """Load ``collection`` of every parent with one statement (of children whose ``parent_key`` is in
    ``ids``), as a selectinload would: prepared once, it costs a fraction of one."""
    children = {parent.id: [] for parent in parents}
    for child in db.session.scalars(statement, {"ids": list(children)}):
        children[getattr(child, parent_key)].append(child)
    for parent in parents:
        set_committed_value(parent, collection, children[parent.id])


class _Statements(NamedTuple):
    of_work: Select
    of_attempts_work: Select
    criteria: Select
    results: Select
    attachments: Select


@cache
def _statements() -> _Statements:
    """Built once, on first use (when the mappers are complete): building these statements and keying
    them for the statement cache, on every visit, cost more than running them."""

    def attempts(work_id, *page_options):
        return (
            select(Attempt)
            .where(Attempt.work_id == work_id)
            .order_by(Attempt.number.desc())
            .options(
                joinedload(Attempt.work).options(
                    defer(Work.draft_text),
                    joinedload(Work.edition),
                    joinedload(Work.institution),
                    joinedload(Work.learner).lazyload(User.role_links),
                ),
                joinedload(Attempt.submitted_by).lazyload(User.role_links),
                joinedload(Attempt.confirmed_by).lazyload(User.role_links),
                joinedload(Attempt.review)
                .defer(Review.feedback_md)
                .joinedload(Review.trainer)
                .lazyload(User.role_links),
                *page_options,
            )
        )

    ids = bindparam("ids", expanding=True)
    return _Statements(
        # The work page shows neither the versions the attempts answered nor their Markdown; the review
        # page shows the version and compares the Markdown of the last two attempts.
        of_work=attempts(bindparam("work_id"), defer(Attempt.text_md)),
        of_attempts_work=attempts(
            select(Attempt.work_id).where(Attempt.id == bindparam("attempt_id")).scalar_subquery(),
            joinedload(Attempt.assignment_version),
        ),
        criteria=select(Criterion)
        .where(Criterion.assignment_version_id.in_(ids))
        .order_by(Criterion.position, Criterion.id),
        results=select(CriterionResult)
        .where(CriterionResult.review_id.in_(ids))
        .order_by(CriterionResult.id)
        .options(joinedload(CriterionResult.criterion)),
        attachments=select(Attachment).where(Attachment.attempt_id.in_(ids)).order_by(Attachment.id),
    )
