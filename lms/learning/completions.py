"""Which modules each enrolled person has completed, kept in ``module_completion`` for the reports.

A module is completed in an edition exactly when ``lms.learning.progress`` shows it as accepted for
a person enrolled there: every counted assignment of the module's current version (the required
ones, or all of them when none is required) has an accepted work — a person-scope assignment the
person's own work in that edition, an institution-scope one their institution's. Retired modules
and modules without assignments are never completed. A module was completed at the latest of
those acceptances.

Reports count these rows instead of recomputing completion from every acceptance. The rows are
derived, and the services that change what they follow from refresh them explicitly, in the same
transaction: a decision (``work_decided``), an enrolment (``people_enrolled``), a move to another
institution (``person_moved``), a course import or a bulk load (``rebuild``).

Concurrent writers are ordered by row locks on the institutions concerned (``SELECT … FOR UPDATE``,
in id order), taken before the works are read: two decisions for one person, or an institution's
deliverable accepted while one of its people is decided, take the same institution row, so the
second one reads the works only after the first has committed. A rebuild locks every institution.
SQLite has one writer at a time, so there the order comes from the database itself.
"""

from collections import defaultdict
from functools import cache

from sqlalchemy import bindparam, delete, exists, func, insert, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from lms.accounts.models import User
from lms.content.models import AssignmentVersion, Module
from lms.content.spec import ModuleKind, Scope
from lms.editions.models import Edition, Enrolment
from lms.institutions.models import Institution
from lms.learning.models import ModuleCompletion, Work, WorkStatus


def _counted_assignments():
    """The assignments that decide each active module's state, with the module's programme and need."""
    version, required = aliased(AssignmentVersion), aliased(AssignmentVersion)
    has_required = (
        exists()
        .where(required.module_version_id == Module.current_version_id, required.required.is_(True))
        .correlate(Module)
    )
    counted = (
        select(Module.id.label("module_id"), Module.programme_id, version.assignment_id, version.scope)
        .join(version, version.module_version_id == Module.current_version_id)
        # An introduction counts toward nothing: it is never "completed" for the reports.
        .where(
            Module.retired.is_(False),
            Module.kind == ModuleKind.MODULE,
            or_(version.required.is_(True), ~has_required),
        )
        .subquery("counted")
    )
    need = select(counted.c.module_id, func.count().label("n")).group_by(counted.c.module_id).subquery("need")
    return counted, need


def _completions(*conditions):
    """(edition_id, user_id, module_id, completed_at) of the completed modules of the enrolments that
    meet ``conditions``: one row per counted assignment with an accepted work, grouped per person and
    module, kept when there are as many as the module needs."""
    counted, need = _counted_assignments()

    def done(scope: Scope, owner):
        return (
            select(Enrolment.edition_id, Enrolment.user_id, counted.c.module_id, Work.accepted_at)
            .join(User, User.id == Enrolment.user_id)
            .join(Edition, Edition.id == Enrolment.edition_id)
            .join(counted, (counted.c.programme_id == Edition.programme_id) & (counted.c.scope == scope))
            .join(
                Work,
                (Work.edition_id == Enrolment.edition_id)
                & (Work.assignment_id == counted.c.assignment_id)
                & (Work.status == WorkStatus.ACCEPTED)
                & owner,
            )
            .where(*conditions)
        )

    own = done(Scope.PERSON, Work.learner_id == Enrolment.user_id)
    shared = done(Scope.INSTITUTION, Work.learner_id.is_(None) & (Work.institution_id == User.institution_id))
    rows = union_all(own, shared).subquery("done")
    return (
        select(rows.c.edition_id, rows.c.user_id, rows.c.module_id, func.max(rows.c.accepted_at))
        .join(need, need.c.module_id == rows.c.module_id)
        .group_by(rows.c.edition_id, rows.c.user_id, rows.c.module_id, need.c.n)
        .having(func.count() == need.c.n)
    )


_COLUMNS = ["edition_id", "user_id", "module_id", "completed_at"]


def computed(connection) -> set[tuple]:
    """Every completion as computed from the works now: what ``stored`` must return."""
    return {tuple(row) for row in connection.execute(_completions())}


def stored(connection) -> set[tuple]:
    """Every row of ``module_completion``."""
    return {tuple(row) for row in connection.execute(select(*(ModuleCompletion.__table__.c[c] for c in _COLUMNS)))}


# Built once: refreshing runs with every decision.
@cache
def _refresh_statements():
    people = bindparam("user_ids", expanding=True)
    forget = delete(ModuleCompletion).where(
        ModuleCompletion.edition_id == bindparam("edition_id"), ModuleCompletion.user_id.in_(people)
    )
    chosen = (Enrolment.edition_id == bindparam("edition_id"), Enrolment.user_id.in_(people))
    return forget, insert(ModuleCompletion).from_select(_COLUMNS, _completions(*chosen))


def refresh(connection, people: dict[int, set[int]]) -> None:
    """Recompute the rows of ``people`` (``{edition_id: {user_id, …}}``)."""
    forget, recompute = _refresh_statements()
    for edition_id, user_ids in sorted(people.items()):
        parameters = {"edition_id": edition_id, "user_ids": sorted(user_ids)}
        connection.execute(forget, parameters)
        connection.execute(recompute, parameters)


# --- explicit refreshes, called by the services that change what completions follow from -------------


def _lock_institutions(connection, institution_ids) -> None:
    """Wait for every other writer of these institutions' completions to commit (see the docstring)."""
    wanted = sorted({i for i in institution_ids if i is not None})
    if wanted:
        statement = select(Institution.id).where(Institution.id.in_(wanted)).order_by(Institution.id)
        connection.execute(statement.with_for_update())


def _enrolled(connection, *conditions) -> dict[int, set[int]]:
    people: dict[int, set[int]] = defaultdict(set)
    statement = select(Enrolment.edition_id, Enrolment.user_id).join(User, User.id == Enrolment.user_id)
    for edition_id, user_id in connection.execute(statement.where(*conditions)):
        people[edition_id].add(user_id)
    return people


def work_decided(session: Session, work: Work) -> None:
    """After a decision on ``work`` (flushed): its learner's rows, or for institution work the rows of
    the institution's people enrolled in its edition."""
    connection = session.connection()
    if work.learner_id is not None:
        learner_institution = session.scalar(select(User.institution_id).where(User.id == work.learner_id))
        _lock_institutions(connection, [work.institution_id, learner_institution])
        refresh(connection, {work.edition_id: {work.learner_id}})
    else:
        _lock_institutions(connection, [work.institution_id])
        people = _enrolled(
            connection, Enrolment.edition_id == work.edition_id, User.institution_id == work.institution_id
        )
        refresh(connection, people)


def people_enrolled(session: Session, edition_id: int, user_ids) -> None:
    """After enrolments (flushed) in an edition: the new people's rows."""
    connection = session.connection()
    institutions = session.scalars(select(User.institution_id).where(User.id.in_(list(user_ids))))
    _lock_institutions(connection, institutions)
    refresh(connection, {edition_id: set(user_ids)})


def person_moved(session: Session, user: User, left_institution_id: int | None) -> None:
    """After ``user`` moved to another institution (flushed): their rows in every edition they take part in,
    now counting their new institution's deliverables."""
    connection = session.connection()
    _lock_institutions(connection, [left_institution_id, user.institution_id])
    refresh(connection, _enrolled(connection, Enrolment.user_id == user.id))


def rebuild(session: Session) -> None:
    """Recompute every row after a course import or a bulk load, once every other writer has committed."""
    session.flush()
    connection = session.connection()
    _lock_institutions(connection, session.scalars(select(Institution.id)))
    connection.execute(delete(ModuleCompletion))
    connection.execute(insert(ModuleCompletion).from_select(_COLUMNS, _completions()))
