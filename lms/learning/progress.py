"""Where a learner stands in an edition: module states, level progress, what to do next.

One service computes it for every page that shows progress, in a fixed number of queries.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from flask_babel import lazy_gettext as _l

# Lazy, under the name Babel's extractor knows for a message with a context.
from flask_babel import lazy_pgettext as pgettext
from sqlalchemy import bindparam, literal_column, null, or_, select, union_all
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.content.models import (
    AssignmentVersion,
    Level,
    Module,
    ModuleVersion,
    Programme,
    current_version_summary,
)
from lms.content.spec import ModuleKind, Scope
from lms.database import column_rows
from lms.editions.models import Edition, Enrolment, ModuleDeadline
from lms.extensions import db
from lms.learning.models import ModuleRead, Work, WorkStatus

NOT_STARTED, READING = "not_started", "reading"
# The work statuses as plain strings: progress compares thousands of them per table, and reading an
# enum member's value costs a descriptor call each time.
DRAFT, SUBMITTED = WorkStatus.DRAFT.value, WorkStatus.SUBMITTED.value
REVISION_REQUESTED, ACCEPTED = WorkStatus.REVISION_REQUESTED.value, WorkStatus.ACCEPTED.value
AWAITING_CONFIRMATION = WorkStatus.AWAITING_CONFIRMATION.value

STATUS_LABELS = {
    NOT_STARTED: _l("not started"),
    READING: _l("reading"),
    DRAFT: _l("draft"),
    AWAITING_CONFIRMATION: _l("awaiting confirmation"),
    SUBMITTED: _l("assignment submitted"),
    REVISION_REQUESTED: _l("revision requested"),
    ACCEPTED: _l("accepted"),
}
# The same statuses said of a module, for the staff table and the learner's progress: one row of cells must read
# alike, and "moduł" (masculine) cannot take the assignment's neuter adjectives. Each is a short phrase of state
# (przed rozpoczęciem, w trakcie lektury, w przygotowaniu, do potwierdzenia, w ocenie, do poprawy, po akceptacji)
# that fits any noun and a narrow cell.
MODULE_STATUS_LABELS = {
    NOT_STARTED: pgettext("module", "not started"),
    READING: pgettext("module", "reading"),
    DRAFT: pgettext("module", "draft"),
    AWAITING_CONFIRMATION: pgettext("module", "awaiting confirmation"),
    SUBMITTED: pgettext("module", "assignment submitted"),
    REVISION_REQUESTED: pgettext("module", "revision requested"),
    ACCEPTED: pgettext("module", "accepted"),
}


@dataclass(frozen=True)
class AssignmentOutline:
    """What progress needs of an assignment's current version (a plain row, not an ORM object)."""

    assignment_id: int
    title: str
    scope: Scope
    required: bool


@dataclass(frozen=True)
class ModuleOutline:
    """What progress needs of an active module and its current version."""

    id: int
    slug: str
    level_number: int
    position: int
    title: str
    assignments: list[AssignmentOutline]
    kind: ModuleKind = ModuleKind.MODULE

    @property
    def counted(self) -> bool:
        """Whether the module counts toward its level's total (an introduction does not)."""
        return self.kind is not ModuleKind.INTRODUCTION


class Person(Protocol):
    """What progress needs of a person: a user, or a row of these columns."""

    id: int
    institution_id: int | None


class ModuleKey(Protocol):
    """What the module page's work needs of a module: a module, or the page's heading of one."""

    id: int
    programme_id: int


class WorkSummary(NamedTuple):
    """The state of a work, all a progress table shows and links to."""

    id: int
    status: WorkStatus


@dataclass
class AssignmentState:
    version: AssignmentVersion | AssignmentOutline
    work: Work | WorkSummary | None
    status: str = field(init=False)  # read many times per state: computed once

    def __post_init__(self):
        self.status = self.work.status.value if self.work else NOT_STARTED


@dataclass
class ModuleState:
    module: ModuleOutline
    status: str
    assignments: list[AssignmentState]

    @property
    def work(self) -> Work | WorkSummary | None:
        """The first of the module's works (what a progress table cell links to)."""
        return next((a.work for a in self.assignments if a.work), None)

    @property
    def open_assignment(self) -> "AssignmentState | None":
        """The assignment "Next step" leads to: the first one still to be done, required ones first."""
        open_ = [a for a in self.assignments if a.status not in (AWAITING_CONFIRMATION, SUBMITTED, ACCEPTED)]
        return next((a for a in open_ if a.version.required), None) or next(iter(open_), None)


@dataclass
class LevelState:
    number: int
    title: str
    modules: list[ModuleState] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The level's modules that count (an introduction is listed but not counted)."""
        return sum(m.module.counted for m in self.modules)

    @property
    def accepted(self) -> int:
        return sum(m.status == ACCEPTED and m.module.counted for m in self.modules)

    @property
    def percent(self) -> int:
        total = self.total
        return round(100 * self.accepted / total) if total else 0


@dataclass
class EditionProgress:
    edition: Edition
    levels: list[LevelState]
    next_step: AssignmentState | ModuleState | None

    @property
    def accepted(self) -> int:
        """Modules accepted over all levels."""
        return sum(level.accepted for level in self.levels)


class CountedAssignment(Protocol):
    """What a module's state needs of an assignment: an ``AssignmentOutline``, or a row with this column."""

    required: bool


class ModuleAssignments(Protocol):
    """What a module's state needs of a module: a ``ModuleOutline``, or anything listing its assignments."""

    assignments: Sequence[CountedAssignment]


def module_status(module: ModuleAssignments, works: list, read: bool) -> str:
    """A module's state from its assignments' works (``works``: in ``module.assignments`` order, None where
    none): accepted when every required assignment is (every assignment when none is required). Every page
    that says whether a module is accepted asks this, the calendar feed's due dates included."""
    if not any(works):  # most cells of a table: nothing started
        return READING if read else NOT_STARTED
    counted = [work for assignment, work in zip(module.assignments, works, strict=True) if assignment.required]
    statuses = {work.status if work else NOT_STARTED for work in counted or works}
    if statuses == {ACCEPTED}:
        return ACCEPTED
    for status in (REVISION_REQUESTED, AWAITING_CONFIRMATION, SUBMITTED):
        if status in statuses:
            return status
    return READING if read or DRAFT in statuses else NOT_STARTED


def module_works(module: ModuleOutline, person_id: int, institution_id: int | None, personal: dict, shared: dict):
    """The works of a module's assignments, in order (None where there is none): the person's own for
    personal assignments, their institution's for shared ones."""
    return [
        personal.get((person_id, assignment.assignment_id))
        if assignment.scope is Scope.PERSON
        else shared.get((institution_id, assignment.assignment_id))
        for assignment in module.assignments
    ]


def programme_modules(programme_id: int) -> list[Module]:
    """The programme's active modules in order, with current versions, assignments and criteria."""
    return db.session.scalars(
        select(Module)
        .where(Module.programme_id == programme_id, Module.retired.is_(False))
        .options(
            current_version_summary().selectinload(ModuleVersion.assignments).selectinload(AssignmentVersion.criteria)
        )
        .order_by(Module.level_number, Module.position)
    ).all()


# The statements of progress tables are built once, with bound parameters: every dashboard and home
# page runs them, and building a statement and its cache key costs more than running it.
# Programmes' active modules with their current assignments, and (the rows without a module id) their
# levels' titles.
_OUTLINES = union_all(
    select(
        Module.programme_id,
        Module.level_number.label("level_number"),  # labelled: the union's ORDER BY names them
        Module.id,
        Module.slug,
        Module.position.label("position"),
        Module.kind,
        ModuleVersion.title,
        AssignmentVersion.assignment_id,
        AssignmentVersion.title.label("assignment_title"),
        AssignmentVersion.scope,
        AssignmentVersion.required,
        AssignmentVersion.position.label("assignment_position"),
    )
    .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
    .outerjoin(AssignmentVersion, AssignmentVersion.module_version_id == ModuleVersion.id)
    .where(Module.programme_id.in_(bindparam("programme_ids", expanding=True)), Module.retired.is_(False)),
    select(Level.programme_id, Level.number, *[null()] * 4, Level.title, *[null()] * 5).where(
        Level.programme_id.in_(bindparam("programme_ids", expanding=True))
    ),
).order_by(literal_column("level_number"), literal_column("position"), literal_column("assignment_position"))
# The people's own works and their institutions' shared ones in an edition.
_PEOPLE_WORKS = select(Work.id, Work.status, Work.learner_id, Work.institution_id, Work.assignment_id).where(
    Work.edition_id == bindparam("edition_id"),
    or_(
        Work.learner_id.in_(bindparam("people_ids", expanding=True)),
        Work.learner_id.is_(None) & Work.institution_id.in_(bindparam("institution_ids", expanding=True)),
    ),
)
_MODULE_READS = select(ModuleRead.user_id, ModuleRead.module_id).where(
    ModuleRead.user_id.in_(bindparam("people_ids", expanding=True))
)


class ProgrammeOutline(NamedTuple):
    levels: list[tuple[int, str]]  # number and title, in order
    modules: list[ModuleOutline]  # active, in order


def programme_outlines(programme_ids: list[int]) -> dict[int, ProgrammeOutline]:
    """The programmes' levels and active modules with their current assignments, in one statement of plain rows."""
    outlines: dict[int, ProgrammeOutline] = {}
    modules: dict[int, ModuleOutline] = {}
    for row in column_rows(_OUTLINES, {"programme_ids": programme_ids}):
        outline = outlines.setdefault(row.programme_id, ProgrammeOutline([], []))
        if row.id is None:
            outline.levels.append((row.level_number, row.title))
            continue
        module = modules.get(row.id)
        if module is None:
            module = modules[row.id] = ModuleOutline(
                row.id, row.slug, row.level_number, row.position, row.title, [], ModuleKind(row.kind)
            )
            outline.modules.append(module)
        if row.assignment_id is not None:
            assignment = AssignmentOutline(row.assignment_id, row.assignment_title, row.scope, row.required)
            module.assignments.append(assignment)
    return outlines


def people_progress(people: list[Person], edition: Edition) -> dict[int, EditionProgress]:
    """Progress of many people in one edition (their own and their institutions' work), in three statements."""
    if not people:
        return {}
    outline = programme_outlines([edition.programme_id]).get(edition.programme_id, ProgrammeOutline([], []))
    ids = [person.id for person in people]
    institution_ids = {person.institution_id for person in people if person.institution_id}
    works = column_rows(
        _PEOPLE_WORKS, {"edition_id": edition.id, "people_ids": ids, "institution_ids": list(institution_ids)}
    )
    personal, shared = {}, {}  # by (learner, assignment) and by (institution, assignment)
    for work_id, status, learner_id, institution_id, assignment_id in works:
        if learner_id:
            personal[learner_id, assignment_id] = WorkSummary(work_id, status)
        else:
            shared[institution_id, assignment_id] = WorkSummary(work_id, status)
    reads = column_rows(_MODULE_READS, {"people_ids": ids})
    read = {(user_id, module_id) for user_id, module_id in reads}  # plain tuples hash faster than rows
    return {person.id: _progress(person, edition, outline, personal, shared, read) for person in people}


def _progress(person: Person, edition: Edition, outline: ProgrammeOutline, personal: dict, shared: dict, read: set):
    """One person's progress from the works and reads found: ``personal`` by (learner, assignment),
    ``shared`` by (institution, assignment), ``read`` (person, module) pairs."""
    person_id, institution_id = person.id, person.institution_id  # ORM attributes: read once per person
    levels = {number: LevelState(number, title) for number, title in outline.levels}
    for module in outline.modules:
        works = module_works(module, person_id, institution_id, personal, shared)
        states = [AssignmentState(version, work) for version, work in zip(module.assignments, works, strict=True)]
        status = module_status(module, works, (person_id, module.id) in read)
        level = levels.setdefault(module.level_number, LevelState(module.level_number, ""))
        level.modules.append(ModuleState(module, status, states))
    ordered = [levels[n] for n in sorted(levels)]
    return EditionProgress(edition, ordered, _next_step(ordered))


def edition_progress(user: User, edition: Edition) -> EditionProgress:
    """The person's progress through the edition's programme (their own and their institution's work)."""
    return people_progress([user], edition)[user.id]


def _next_step(levels: list[LevelState]):
    """An assignment awaiting revision first; otherwise the first counted module not yet done; an optional
    introduction only when nothing counted is left (it stays reachable from the list of modules)."""
    modules = [m for level in levels for m in level.modules]
    for module in modules:
        for state in module.assignments:
            if state.status == REVISION_REQUESTED:
                return state
    to_do = [m for m in modules if m.status in (NOT_STARTED, READING)]
    return next((m for m in to_do if m.module.counted), None) or next(iter(to_do), None)


_ENROLLED_EDITIONS = (
    select(Edition)
    .join(Enrolment, Enrolment.edition_id == Edition.id)
    .where(Enrolment.user_id == bindparam("user_id"))
    # Levels joined, not selected apart: a person has a few editions of a programme of a few levels, and
    # a second statement costs more than the repeated rows.
    .options(joinedload(Edition.programme).joinedload(Programme.levels))
    .order_by(Edition.starts_on.desc())
)


def enrolled_editions(user: User) -> list[Edition]:
    """Editions the person is enrolled in, with their programmes and levels (one statement)."""
    return db.session.scalars(_ENROLLED_EDITIONS, {"user_id": user.id}).unique().all()


_MODULE_WORK = (
    select(Edition.id, Edition.name, ModuleDeadline.due_on, Work.id.label("work_id"), Work.assignment_id, Work.status)
    .join(Enrolment, Enrolment.edition_id == Edition.id)
    # The module's due date in each edition (at most one: unique per edition and module).
    .outerjoin(
        ModuleDeadline,
        (ModuleDeadline.edition_id == Edition.id) & (ModuleDeadline.module_id == bindparam("module_id")),
    )
    .outerjoin(
        Work,
        (Work.edition_id == Edition.id)
        & Work.assignment_id.in_(bindparam("assignment_ids", expanding=True))
        & or_(
            Work.learner_id == bindparam("user_id"),
            Work.learner_id.is_(None) & (Work.institution_id == bindparam("institution_id")),
        ),
    )
    .where(Enrolment.user_id == bindparam("user_id"), Edition.programme_id == bindparam("programme_id"))
    .order_by(Edition.starts_on.desc(), Edition.id)
)


def module_work(user: User, module: ModuleKey, assignments: list) -> list[tuple[Edition, list[AssignmentState]]]:
    """For each edition of the module's programme the person is enrolled in (newest first, a row with the
    edition's ``id``, ``name`` and the module's ``due_on`` there): the state of their work on ``assignments``
    (a module version's), in one statement of plain rows."""
    parameters = {
        "module_id": module.id,
        "assignment_ids": [a.assignment_id for a in assignments],
        "user_id": user.id,
        "institution_id": user.institution_id,
        "programme_id": module.programme_id,
    }
    editions, found = {}, {}
    for row in column_rows(_MODULE_WORK, parameters):
        editions.setdefault(row.id, row)
        if row.work_id is not None:
            found[(row.id, row.assignment_id)] = WorkSummary(row.work_id, row.status)
    return [
        (edition, [AssignmentState(a, found.get((edition.id, a.assignment_id))) for a in assignments])
        for edition in editions.values()
    ]
