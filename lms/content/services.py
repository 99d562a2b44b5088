"""Read-side queries for the catalogue, programme and module pages (a fixed number of queries each)."""

from dataclasses import dataclass

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import selectinload

from lms.content.models import (
    AssignmentVersion,
    Criterion,
    Module,
    ModuleVersion,
    Programme,
    current_version_summary,
)
from lms.content.spec import ModuleKind, Scope
from lms.extensions import db


@dataclass
class CatalogueEntry:
    programme: Programme
    module_count: int
    total_hours: float
    introduction_count: int = 0


def _active_modules(programme_id: int):
    return (
        select(Module)
        .where(Module.programme_id == programme_id, Module.retired.is_(False))
        .order_by(Module.level_number, Module.position)
    )


# Built once: the home page runs it on every request.
_CATALOGUE = (
    select(
        Programme,
        # Introductions are read but not counted: "9 modules" stays 9.
        func.count(case((Module.kind == ModuleKind.MODULE, Module.id))),
        func.coalesce(func.sum(ModuleVersion.duration_hours), 0),
        func.count(case((Module.kind == ModuleKind.INTRODUCTION, Module.id))),
    )
    .outerjoin(Module, (Module.programme_id == Programme.id) & Module.retired.is_(False))
    .outerjoin(ModuleVersion, ModuleVersion.id == Module.current_version_id)
    .group_by(Programme.id)
    .order_by(Programme.title)
)


def catalogue() -> list[CatalogueEntry]:
    """Every programme with its number of modules and total hours, in one query."""
    rows = db.session.execute(_CATALOGUE)
    return [CatalogueEntry(programme, count, float(hours), intros) for programme, count, hours, intros in rows]


def programme_by_slug(slug: str) -> Programme | None:
    """The programme with its levels loaded."""
    return db.session.scalar(select(Programme).where(Programme.slug == slug).options(selectinload(Programme.levels)))


def programme_outline(programme: Programme) -> dict[int, list[Module]]:
    """The programme's active modules grouped by level number, in order, with their current versions."""
    modules = db.session.scalars(_active_modules(programme.id).options(current_version_summary()))
    outline: dict[int, list[Module]] = {level.number: [] for level in programme.levels}
    for module in modules:
        outline.setdefault(module.level_number, []).append(module)
    return outline


@dataclass(frozen=True)
class ProgrammeHeading:
    """What the module page shows of its programme (breadcrumb and links)."""

    slug: str
    title: str


@dataclass(frozen=True)
class ModuleLink:
    """A neighbouring module: where the previous/next button leads and the title it shows."""

    slug: str
    title: str


@dataclass(frozen=True)
class AssignmentContent:
    """An assignment as its module version states it, with its criteria's texts in order."""

    id: int
    assignment_id: int
    title: str
    scope: Scope
    required: bool
    instructions_html: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class ModuleContent:
    """The teaching content of one module version."""

    id: int
    title: str
    summary: str
    duration_hours: float
    goals: tuple[str, ...]
    body_html: str
    assignments: tuple[AssignmentContent, ...]


@dataclass(frozen=True)
class ModuleHeading:
    """The module itself (its content is ``ModulePage.version``)."""

    id: int
    programme_id: int
    slug: str
    level_number: int
    position: int
    kind: ModuleKind


@dataclass(frozen=True)
class ModulePage:
    """Everything the module page shows, as plain frozen data (no ORM objects)."""

    programme: ProgrammeHeading
    module: ModuleHeading
    version: ModuleContent
    previous: ModuleLink | None
    next: ModuleLink | None


# The module page's two statements are built once: plain columns and Core rows, because building
# statements, their cache keys and ORM objects per request cost more than running the SQL.
_programme, _module, _version = Programme.__table__.c, Module.__table__.c, ModuleVersion.__table__.c
_assignment, _criterion = AssignmentVersion.__table__.c, Criterion.__table__.c

_PROGRAMME_MODULES = (
    select(
        _programme.id.label("programme_id"),
        _programme.slug.label("programme_slug"),
        _programme.title.label("programme_title"),
        _module.id,
        _module.slug,
        _module.level_number,
        _module.position,
        _module.kind,
        _module.current_version_id,
        _version.title,
    )
    .select_from(Programme.__table__)
    .join(Module.__table__, (_module.programme_id == _programme.id) & _module.retired.is_(False))
    .outerjoin(ModuleVersion.__table__, _version.id == _module.current_version_id)
    .where(_programme.slug == bindparam("programme_slug"))
    .order_by(_module.level_number, _module.position)
)

# One row per criterion (or per assignment without criteria, or one for a version without assignments).
_VERSION_CONTENT = (
    select(
        _version.id,
        _version.title,
        _version.summary,
        _version.duration_hours,
        _version.goals,
        _version.body_html,
        _assignment.id.label("assignment_version_id"),
        _assignment.assignment_id,
        _assignment.title.label("assignment_title"),
        _assignment.scope,
        _assignment.required,
        _assignment.instructions_html,
        _criterion.text.label("criterion"),
    )
    .select_from(ModuleVersion.__table__)
    .outerjoin(AssignmentVersion.__table__, _assignment.module_version_id == _version.id)
    .outerjoin(Criterion.__table__, _criterion.assignment_version_id == _assignment.id)
    .where(_version.id == bindparam("version_id"))
    .order_by(_assignment.position, _assignment.id, _criterion.position)
)


def module_page(programme_slug: str, module_slug: str) -> ModulePage | None:
    """Everything the module page shows, or None for an unknown programme or an unknown or retired module.

    Two statements: the programme's active modules (for the neighbours), then the module's current version.
    """
    siblings = db.session.execute(_PROGRAMME_MODULES, {"programme_slug": programme_slug}).all()
    index = next((i for i, row in enumerate(siblings) if row.slug == module_slug), None)
    if index is None:
        return None
    row = siblings[index]
    version = _module_content(row.current_version_id)
    return ModulePage(
        programme=ProgrammeHeading(row.programme_slug, row.programme_title),
        module=ModuleHeading(row.id, row.programme_id, row.slug, row.level_number, row.position, row.kind),
        version=version,
        previous=_module_link(siblings[index - 1]) if index > 0 else None,
        next=_module_link(siblings[index + 1]) if index + 1 < len(siblings) else None,
    )


def _module_link(row) -> ModuleLink:
    return ModuleLink(row.slug, row.title)


def _module_content(version_id: int) -> ModuleContent:
    rows = db.session.execute(_VERSION_CONTENT, {"version_id": version_id}).all()
    assignments: dict[int, tuple] = {}  # assignment version id -> (its row, its criteria's texts)
    for row in rows:
        if row.assignment_version_id is not None:
            _, criteria = assignments.setdefault(row.assignment_version_id, (row, []))
            if row.criterion is not None:
                criteria.append(row.criterion)
    version = rows[0]
    return ModuleContent(
        id=version.id,
        title=version.title,
        summary=version.summary,
        duration_hours=version.duration_hours,
        goals=tuple(version.goals),
        body_html=version.body_html,
        assignments=tuple(
            AssignmentContent(
                id=row.assignment_version_id,
                assignment_id=row.assignment_id,
                title=row.assignment_title,
                scope=row.scope,
                required=row.required,
                instructions_html=row.instructions_html,
                criteria=tuple(criteria),
            )
            for row, criteria in assignments.values()
        ),
    )
