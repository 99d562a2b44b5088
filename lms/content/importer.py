"""Importing validated course content: one transaction, new versions only for changed modules."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.content.models import (
    Assignment,
    AssignmentVersion,
    Criterion,
    Level,
    Module,
    ModuleVersion,
    Programme,
)
from lms.content.reader import read_courses
from lms.content.spec import ContentError, ModuleSpec, ProgrammeSpec
from lms.extensions import db
from lms.rendering import render_markdown


@dataclass
class ImportReport:
    """What an import changed, for the CLI to print."""

    errors: list[ContentError] = field(default_factory=list)
    programmes_created: list[str] = field(default_factory=list)
    programmes_updated: list[str] = field(default_factory=list)
    modules_created: list[str] = field(default_factory=list)
    modules_versioned: list[str] = field(default_factory=list)
    modules_retired: list[str] = field(default_factory=list)
    modules_restored: list[str] = field(default_factory=list)
    modules_unchanged: int = 0

    @property
    def changed(self) -> bool:
        """True when the import wrote anything."""
        return bool(
            self.programmes_created or self.programmes_updated or self.modules_created
            or self.modules_versioned or self.modules_retired or self.modules_restored
        )  # fmt: skip


def check_courses(root: Path) -> list[ContentError]:
    """Validate the course folder(s) at ``root`` without touching the database."""
    _, errors = read_courses(root)
    return errors


def import_courses(root: Path, recompute_derived: Callable[[Session], None] | None = None) -> ImportReport:
    """Validate everything, then import all programmes in one transaction (or nothing).

    ``recompute_derived`` runs in that transaction when anything changed: data derived from which
    assignments count (module completions) is then recomputed before the import commits."""
    programmes, errors = read_courses(root)
    report = ImportReport(errors=errors)
    if errors:
        return report
    try:
        for spec in programmes:
            _import_programme(spec, report)
        if report.changed and recompute_derived is not None:
            recompute_derived(db.session)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _import_programme(spec: ProgrammeSpec, report: ImportReport) -> None:
    programme = db.session.scalar(select(Programme).where(Programme.slug == spec.slug))
    if programme is None:
        programme = Programme(slug=spec.slug)
        db.session.add(programme)
        report.programmes_created.append(spec.slug)
    elif programme.content_hash != spec.content_hash:
        report.programmes_updated.append(spec.slug)
    if programme.content_hash != spec.content_hash:
        _apply_programme_settings(programme, spec)
    db.session.flush()

    modules = {m.slug: m for m in db.session.scalars(select(Module).where(Module.programme_id == programme.id))}
    for module_spec in spec.modules:
        _import_module(programme, modules.get(module_spec.slug), module_spec, report)
    listed = {m.slug for m in spec.modules}
    for slug, module in modules.items():
        if slug not in listed and not module.retired:
            module.retired = True
            report.modules_retired.append(f"{spec.slug}/{slug}")


def _apply_programme_settings(programme: Programme, spec: ProgrammeSpec) -> None:
    programme.title = spec.title
    programme.summary_html = render_markdown(spec.summary)
    programme.certificates = spec.certificates
    programme.indicators = spec.indicators
    programme.retention = spec.retention
    programme.events = spec.events
    programme.review_target_days = spec.review_target_days
    programme.content_hash = spec.content_hash
    # Levels are labels; modules refer to them by number, so they can be replaced freely.
    existing = {level.number: level for level in programme.levels}
    programme.levels = [existing.get(level.number) or Level(number=level.number) for level in spec.levels]
    for level, level_spec in zip(programme.levels, spec.levels, strict=True):
        level.title = level_spec.title
        level.description_html = render_markdown(level_spec.description)


def _import_module(programme: Programme, module: Module | None, spec: ModuleSpec, report: ImportReport) -> None:
    name = f"{programme.slug}/{spec.slug}"
    content_hash = spec.content_hash
    if module is None:
        module = Module(
            programme_id=programme.id, slug=spec.slug, level_number=spec.level, position=spec.order, kind=spec.kind
        )
        db.session.add(module)
        db.session.flush()
        report.modules_created.append(name)
    elif module.current_version.content_hash == content_hash:
        if module.retired:
            module.retired = False
            report.modules_restored.append(name)
        else:
            report.modules_unchanged += 1
        return
    else:
        report.modules_versioned.append(name)
    module.level_number = spec.level
    module.position = spec.order
    module.kind = spec.kind
    module.retired = False
    module.current_version = _new_version(programme, module, spec, content_hash)


def _new_version(programme: Programme, module: Module, spec: ModuleSpec, content_hash: str) -> ModuleVersion:
    last_number = db.session.scalar(select(func.max(ModuleVersion.number)).where(ModuleVersion.module_id == module.id))
    version = ModuleVersion(
        module_id=module.id,
        number=(last_number or 0) + 1,
        content_hash=content_hash,
        title=spec.title,
        summary=spec.summary,
        duration_hours=spec.duration_hours,
        goals=spec.goals,
        body_html=render_markdown(spec.body),
        source_path=spec.source_path,
    )
    db.session.add(version)
    for position, assignment_spec in enumerate(spec.assignments, start=1):
        assignment = db.session.scalar(
            select(Assignment).where(Assignment.programme_id == programme.id, Assignment.slug == assignment_spec.slug)
        )
        if assignment is None:
            assignment = Assignment(programme_id=programme.id, slug=assignment_spec.slug)
            db.session.add(assignment)
        assignment.module_id = module.id  # an assignment may move between modules
        version.assignments.append(
            AssignmentVersion(
                assignment=assignment,
                position=position,
                title=assignment_spec.title,
                scope=assignment_spec.scope,
                required=assignment_spec.required,
                instructions_html=render_markdown(assignment_spec.instructions),
                template=assignment_spec.template,
                project=assignment_spec.project,
                criteria=[
                    Criterion(position=index, text=text) for index, text in enumerate(assignment_spec.criteria, start=1)
                ],
            )
        )
    db.session.flush()
    return version
