"""Programmes, levels, modules and assignments, with every content version kept.

A ``Module`` and an ``Assignment`` are stable identities (matched by slug across imports); what
they say lives in ``ModuleVersion`` and ``AssignmentVersion``. Later work (attempts, reviews)
points at a version, so re-importing changed content never changes what it was judged against.
"""

from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from lms.base import utcnow
from lms.content.spec import DEFAULT_REVIEW_TARGET_DAYS, ModuleKind, Scope
from lms.extensions import db

DEFAULT_ISSUER = "Akademia CAL"  # for programmes whose programme.yaml names no issuer


class Programme(db.Model):
    """A training programme imported from ``courses/<slug>/programme.yaml``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary_html: Mapped[str] = mapped_column(Text, default="")
    # Certificate rules and indicators exactly as programme.yaml states them.
    certificates: Mapped[dict] = mapped_column(JSON, default=dict)
    indicators: Mapped[list] = mapped_column(JSON, default=list)
    # How long evidence files are kept after acceptance (programme.yaml "retention"; lms.rights.retention).
    retention: Mapped[dict] = mapped_column(JSON, default=dict)
    # The face-to-face events each level expects, exactly as programme.yaml declares them.
    events: Mapped[list] = mapped_column(JSON, default=list)
    # Days a submitted work may wait for a decision (programme.yaml "review_target_days"); drives reminders.
    review_target_days: Mapped[int] = mapped_column(default=DEFAULT_REVIEW_TARGET_DAYS)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    levels: Mapped[list["Level"]] = relationship(
        back_populates="programme", order_by="Level.number", cascade="all, delete-orphan"
    )

    @property
    def issuer(self) -> dict:
        """Who issues the programme's certificates and credentials (``certificates.issuer`` in programme.yaml):
        ``name``, and ``url`` and ``email`` when given; Akademia CAL when the programme names nobody."""
        return (self.certificates or {}).get("issuer") or {"name": DEFAULT_ISSUER}


class Level(db.Model):
    """A level of a programme (Poziom I, Poziom II)."""

    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description_html: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[Programme] = relationship(back_populates="levels")


class Module(db.Model):
    """A module's stable identity; its content is in ``ModuleVersion``."""

    __table_args__ = (UniqueConstraint("programme_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    # Denormalised from the current version so catalogue pages sort without joins.
    level_number: Mapped[int]
    position: Mapped[int]
    # An introduction is shown with its level but counts toward no level total or certificate.
    kind: Mapped[ModuleKind] = mapped_column(
        Enum(ModuleKind, native_enum=False, length=20, values_callable=lambda kinds: [k.value for k in kinds]),
        default=ModuleKind.MODULE,
        server_default=ModuleKind.MODULE.value,
    )
    retired: Mapped[bool] = mapped_column(default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_version.id", use_alter=True, name="fk_module_current_version")
    )

    programme: Mapped[Programme] = relationship()
    current_version: Mapped["ModuleVersion | None"] = relationship(foreign_keys=[current_version_id], post_update=True)


class ModuleVersion(db.Model):
    """One immutable version of a module's content, identified by its content hash."""

    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    duration_hours: Mapped[float]
    goals: Mapped[list] = mapped_column(JSON, default=list)
    body_html: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(String(500))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    module: Mapped[Module] = relationship(foreign_keys=[module_id])
    assignments: Mapped[list["AssignmentVersion"]] = relationship(
        back_populates="module_version", order_by="AssignmentVersion.position"
    )


def current_version_summary():
    """Loader option: a module's current version without its teaching text (lists need only titles)."""
    return joinedload(Module.current_version).defer(ModuleVersion.body_html)


class Assignment(db.Model):
    """An assignment's stable identity within a programme (matched by slug)."""

    __table_args__ = (UniqueConstraint("programme_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    slug: Mapped[str] = mapped_column(String(120))


class AssignmentVersion(db.Model):
    """What an assignment asked for in one module version: instructions, scope and criteria."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_version.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    scope: Mapped[Scope] = mapped_column(
        Enum(Scope, native_enum=False, length=20, values_callable=lambda scopes: [s.value for s in scopes])
    )
    required: Mapped[bool]
    instructions_html: Mapped[str] = mapped_column(Text)
    # Markdown headings with prompts a new draft starts from ("" when the assignment has none).
    template: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An accepted attempt counts as a project carried out (the public figures page).
    project: Mapped[bool] = mapped_column(default=False, server_default=false())
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="assignment_version", order_by="Criterion.position"
    )

    assignment: Mapped[Assignment] = relationship()
    module_version: Mapped[ModuleVersion] = relationship(back_populates="assignments")


class Criterion(db.Model):
    """One review criterion a trainer judges as met or not met."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_version_id: Mapped[int] = mapped_column(ForeignKey("assignment_version.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    assignment_version: Mapped[AssignmentVersion] = relationship(back_populates="criteria")
