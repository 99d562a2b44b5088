"""An institution's staff table: its people enrolled in its editions, and the state of each module for each
of them (the coordinator's dashboard)."""

from typing import NamedTuple

from sqlalchemy import Integer, String, bindparam, cast, literal_column, null, select, type_coerce, union_all

from lms.accounts.models import User
from lms.content.spec import Scope
from lms.database import column_rows
from lms.editions.models import Edition, Enrolment
from lms.learning.models import ModuleRead, Work
from lms.learning.progress import (
    ACCEPTED,
    ModuleOutline,
    ProgrammeOutline,
    WorkSummary,
    module_status,
    programme_outlines,
)


class StaffMember(NamedTuple):
    id: int
    name: str
    institution_id: int


# An institution's staff enrolled in some editions (by name), their works and the institution's shared
# ones in those editions, and the modules they have read: one statement, its rows told apart by kind.
# The NULLs are typed where PostgreSQL would otherwise take two of them for text.
_institution_staff = select(User.id).where(User.institution_id == bindparam("institution_id"))
_WORK_COLUMNS = (
    literal_column("'work'").label("kind"),
    Work.edition_id,
    Work.learner_id.label("person_id"),
    null().label("name"),
    Work.institution_id,
    Work.id.label("work_id"),
    # The status as its plain value (WorkStatus is a StrEnum, so it compares equal): hundreds of rows,
    # and turning each into an enum member costs two calls.
    type_coerce(Work.status, String).label("status"),
    Work.assignment_id,
    cast(null(), Integer).label("module_id"),
)
# "+ 0": without statistics SQLite would read every work of the editions through their covering index; this
# way each part starts from its own index (the staff's works by learner, the institution's by institution).
# PostgreSQL plans by its statistics either way.
_IN_EDITIONS_NOT_INDEXED = (Work.edition_id + 0).in_(bindparam("edition_ids", expanding=True))
# The staff's own works and the institution's shared ones are two parts, not one OR: each then reads its own
# index (the learner's works; the institution's) instead of every work of the editions.
_INSTITUTION_STAFF_ACTIVITY = union_all(
    select(*_WORK_COLUMNS)
    .select_from(User)
    .join(Work, Work.learner_id == User.id)
    .where(
        User.institution_id == bindparam("institution_id"),
        _IN_EDITIONS_NOT_INDEXED,
    ),
    select(*_WORK_COLUMNS).where(
        Work.institution_id == bindparam("institution_id"), Work.learner_id.is_(None), _IN_EDITIONS_NOT_INDEXED
    ),
    select(
        literal_column("'staff'"), Enrolment.edition_id, User.id, User.name, User.institution_id, *[null()] * 3, null()
    )
    .join(Enrolment, Enrolment.user_id == User.id)
    .where(
        Enrolment.edition_id.in_(bindparam("edition_ids", expanding=True)),
        User.institution_id == bindparam("institution_id"),
    ),
    select(literal_column("'read'"), null(), ModuleRead.user_id, *[null()] * 5, ModuleRead.module_id).where(
        ModuleRead.user_id.in_(_institution_staff)
    ),
).order_by(literal_column("name"))


class StaffRow(NamedTuple):
    """A row of an institution's staff table: the person, their modules accepted, and per module (in the
    outline's order) its state and the first of its works, which the cell links to."""

    member: StaffMember
    accepted: int
    cells: list[tuple[str, WorkSummary | None]]


class StaffTable(NamedTuple):
    modules: list[ModuleOutline]
    rows: list[StaffRow]


def institution_staff_tables(institution_id: int, editions: list[Edition]) -> dict[int, StaffTable]:
    """Per edition: its modules and the institution's staff enrolled in it, by name, with each module's
    state, in two statements. Only the table's cells are built, not each person's full progress: a table
    has hundreds of them."""
    outlines = programme_outlines(list({edition.programme_id for edition in editions}))
    staff: dict[int, list[StaffMember]] = {edition.id: [] for edition in editions}
    personal: dict[int, dict] = {edition.id: {} for edition in editions}  # by (learner, assignment)
    shared: dict[int, dict] = {edition.id: {} for edition in editions}  # by (institution, assignment)
    read = set()
    parameters = {"institution_id": institution_id, "edition_ids": list(staff)}
    for (
        kind,
        edition_id,
        person_id,
        name,
        own_institution,
        work_id,
        status,
        assignment_id,
        module_id,
    ) in column_rows(_INSTITUTION_STAFF_ACTIVITY, parameters):
        if kind == "work" and person_id:
            personal[edition_id][person_id, assignment_id] = WorkSummary(work_id, status)
        elif kind == "work":
            shared[edition_id][own_institution, assignment_id] = WorkSummary(work_id, status)
        elif kind == "staff":
            staff[edition_id].append(StaffMember(person_id, name, own_institution))
        else:
            read.add((person_id, module_id))
    tables = {}
    for edition in editions:
        # An institution's table shows the modules that count, not introductions.
        modules = [m for m in outlines.get(edition.programme_id, ProgrammeOutline([], [])).modules if m.counted]
        own, institutions = personal[edition.id], shared[edition.id]
        # Each module's assignments as (id, whose work counts), read once per table, not once per cell: a table
        # has hundreds of cells, and this loop is where the dashboard spends its time.
        keyed = [
            (module, [(a.assignment_id, a.scope is Scope.PERSON) for a in module.assignments]) for module in modules
        ]
        rows = []
        for member in staff[edition.id]:
            cells = []
            for module, keys in keyed:
                works = [
                    own.get((member.id, assignment_id))
                    if personal_work
                    else institutions.get((member.institution_id, assignment_id))
                    for assignment_id, personal_work in keys
                ]
                started = [work for work in works if work]
                status = module_status(module, works, (member.id, module.id) in read)
                cells.append((status, started[0] if started else None))
            rows.append(StaffRow(member, [status for status, _work in cells].count(ACCEPTED), cells))
        tables[edition.id] = StaffTable(modules if rows else [], rows)
    return tables
