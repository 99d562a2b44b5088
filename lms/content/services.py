"""Read-side queries for the catalogue, programme and module pages (a fixed number of queries each)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.content.models import AssignmentVersion, Module, ModuleVersion, Programme, current_version_summary
from lms.extensions import db


@dataclass
class CatalogueEntry:
    programme: Programme
    module_count: int
    total_hours: float


@dataclass
class ModulePage:
    programme: Programme
    module: Module
    version: ModuleVersion
    previous: Module | None
    next: Module | None


def _active_modules(programme_id: int):
    return (
        select(Module)
        .where(Module.programme_id == programme_id, Module.retired.is_(False))
        .order_by(Module.level_number, Module.position)
    )


def catalogue() -> list[CatalogueEntry]:
    """Every programme with its number of modules and total hours, in one query."""
    rows = db.session.execute(
        select(Programme, func.count(Module.id), func.coalesce(func.sum(ModuleVersion.duration_hours), 0))
        .outerjoin(Module, (Module.programme_id == Programme.id) & Module.retired.is_(False))
        .outerjoin(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .group_by(Programme.id)
        .order_by(Programme.title)
    )
    return [CatalogueEntry(programme, count, float(hours)) for programme, count, hours in rows]


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


def module_page(programme_slug: str, module_slug: str) -> ModulePage | None:
    """Everything the module page shows, or None for an unknown or retired module."""
    programme = programme_by_slug(programme_slug)
    if programme is None:
        return None
    siblings = list(db.session.scalars(_active_modules(programme.id).options(current_version_summary())))
    index = next((i for i, m in enumerate(siblings) if m.slug == module_slug), None)
    if index is None:
        return None
    module = siblings[index]
    version = db.session.scalar(
        select(ModuleVersion)
        .where(ModuleVersion.id == module.current_version_id)
        .options(selectinload(ModuleVersion.assignments).selectinload(AssignmentVersion.criteria))
    )
    return ModulePage(
        programme=programme,
        module=module,
        version=version,
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
    )
