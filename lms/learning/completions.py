"""Which modules each enrolled person has completed, kept in ``module_completion`` for the reports.

A module is completed in an edition exactly when ``lms.learning.progress`` shows it as accepted for
a person enrolled there: every counted assignment of the module's current version (the required
ones, or all of them when none is required) has an accepted work — a person-scope assignment the
person's own work in that edition, an institution-scope one their institution's. Retired modules
and modules without assignments are never completed. A module was completed at the latest of
those acceptances.

Reports count these rows instead of recomputing completion from every acceptance, which grew with
the data. The rows are derived, and kept in step in the same transaction as what they follow from:

- after every flush, for the people whose completions the flush may change: a work accepted (or
  its status or acceptance date changed, or removed) — its learner, or for institution work the
  institution's people enrolled in that edition; an enrolment added or removed; a person moved to
  another institution;
- before the commit, all rows again when the transaction changed course content (which
  assignments count, retired modules) or an edition's programme, or ran a bulk statement
  (``session.execute(update(Work) …)``) on the data completions follow from.

Two transactions accepting the last two works of one person's module cannot both miss each other:
the flush that accepts a work first bumps the revision row (``lms.caching.revisions``) of its
institution and of its learner's present institution, which a second writer for the same
institution waits on until the first commits, and only then reads the works. (A course import that
runs while trainers decide is not ordered that way; ``flask progress completions --repair`` puts
right what such a race might leave.)
"""

from collections import defaultdict
from functools import cache

from sqlalchemy import bindparam, delete, event, exists, func, insert, inspect, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from lms.accounts.models import User
from lms.content.models import AssignmentVersion, Module, ModuleVersion
from lms.content.spec import Scope
from lms.editions.models import Edition, Enrolment
from lms.learning.models import ModuleCompletion, Work, WorkStatus

# Changes of these decide which assignments count: every row is recomputed.
_CONTENT = frozenset({Module, ModuleVersion, AssignmentVersion})
# Bulk statements on these may change anything completions follow from.
_SOURCES = _CONTENT | {Edition, Work, Enrolment, User}
_STALE = "module_completions_stale"


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
        .where(Module.retired.is_(False), or_(version.required.is_(True), ~has_required))
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


def rebuild(session: Session) -> None:
    """Recompute every row (after bulk loads and course imports)."""
    connection = session.connection()
    connection.execute(delete(ModuleCompletion))
    connection.execute(insert(ModuleCompletion).from_select(_COLUMNS, _completions()))
    session.info.pop(_STALE, None)


# Built once: refreshing runs in the flush of every decision.
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


# --- what a flush changes --------------------------------------------------------------------------


def _changed(instance, *attributes: str) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def _affected(session: Session, connection) -> tuple[dict[int, set[int]], bool]:
    """The people whose completions this flush may change (``{edition_id: {user_id, …}}``), and
    whether every row must be recomputed."""
    people: dict[int, set[int]] = defaultdict(set)
    shared_work, movers, everything = set(), set(), False

    def work_changed(work: Work) -> None:
        if work.learner_id is not None:
            people[work.edition_id].add(work.learner_id)
        else:
            shared_work.add((work.edition_id, work.institution_id))

    for instance in session.new:
        if isinstance(instance, Work) and instance.status == WorkStatus.ACCEPTED:
            work_changed(instance)
        elif isinstance(instance, Enrolment):
            people[instance.edition_id].add(instance.user_id)
        everything |= type(instance) in _CONTENT
    for instance in session.dirty:
        if isinstance(instance, Work) and _changed(instance, "status", "accepted_at"):
            work_changed(instance)
        elif isinstance(instance, User) and _changed(instance, "institution_id", "institution"):
            movers.add(instance.id)
        elif isinstance(instance, Edition):
            everything |= _changed(instance, "programme_id", "programme")
        everything |= type(instance) in _CONTENT and session.is_modified(instance)
    for instance in session.deleted:
        if isinstance(instance, Work):
            work_changed(instance)
        elif isinstance(instance, Enrolment):
            people[instance.edition_id].add(instance.user_id)
        everything |= type(instance) in _CONTENT | {Edition}
    if (shared_work or movers) and not everything:
        # The institution's people enrolled in that edition; every enrolment of a person who moved.
        wanted = [Enrolment.user_id.in_(movers)] + [
            (Enrolment.edition_id == edition_id) & (User.institution_id == institution_id)
            for edition_id, institution_id in shared_work
        ]
        enrolled = select(Enrolment.edition_id, Enrolment.user_id).join(User, User.id == Enrolment.user_id)
        for edition_id, user_id in connection.execute(enrolled.where(or_(*wanted))):
            people[edition_id].add(user_id)
    return people, everything


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, _context) -> None:
    if session.info.get(_STALE):
        return  # everything is recomputed before the commit
    connection = session.connection()
    people, everything = _affected(session, connection)
    if everything:
        session.info[_STALE] = True
    elif people:
        refresh(connection, people)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statements(state) -> None:
    mapper = state.bind_mapper
    if (state.is_insert or state.is_update or state.is_delete) and mapper is not None and mapper.class_ in _SOURCES:
        state.session.info[_STALE] = True


@event.listens_for(Session, "before_commit")
def _rebuild_before_commit(session: Session) -> None:
    if session.info.get(_STALE):
        session.flush()
        rebuild(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost one, committed or rolled back
        session.info.pop(_STALE, None)
