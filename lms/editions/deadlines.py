"""Due dates of an edition's modules: set by its trainers or an admin, within the edition's dates.

The programme sources name no deadlines (every edition runs on its own calendar), so a due date belongs to
an edition and a module of its programme. The module page and the personal calendar feed read them.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.services import record
from lms.base import utcnow
from lms.content.models import Module, ModuleVersion
from lms.editions.dates import edition_dates, within_edition
from lms.editions.models import Edition, ModuleDeadline
from lms.extensions import db


@dataclass(frozen=True)
class ModuleDue:
    """An active module of the edition's programme and its due date (None: not set)."""

    id: int
    level_number: int
    title: str
    due_on: date | None


class DeadlineError(ValueError):
    """Due dates the rules forbid; ``errors`` holds a message for the user per module id."""

    def __init__(self, errors: dict[int, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def edition_modules(edition: Edition) -> list[ModuleDue]:
    """The programme's active modules in order, each with its due date in the edition (one statement)."""
    rows = db.session.execute(
        select(Module.id, Module.level_number, ModuleVersion.title, ModuleDeadline.due_on)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .outerjoin(ModuleDeadline, (ModuleDeadline.module_id == Module.id) & (ModuleDeadline.edition_id == edition.id))
        .where(Module.programme_id == edition.programme_id, Module.retired.is_(False))
        .order_by(Module.level_number, Module.position)
    )
    return [ModuleDue(*row) for row in rows]


def due_dates(edition_id: int) -> dict[int, date]:
    """The edition's due dates by module id."""
    rows = db.session.execute(
        select(ModuleDeadline.module_id, ModuleDeadline.due_on).where(ModuleDeadline.edition_id == edition_id)
    )
    return dict(rows.tuples().all())


def range_error(edition: Edition, due_on: date) -> str | None:
    """Why ``due_on`` cannot be a due date of the edition (None: it can)."""
    if within_edition(edition, due_on):
        return None
    return _("The due date must fall within the edition, from %(start)s to %(end)s.", **edition_dates(edition))


def save_deadlines(edition: Edition, wanted: dict[int, date | None], actor: User) -> int:
    """Set (a date) or clear (None) the due dates of the edition's modules; returns how many changed.

    Every date is checked before anything is written: one date out of range saves nothing. Each change is
    audited; the caller commits.
    """
    modules = {module.id: module for module in edition_modules(edition)}
    errors = {}
    for module_id, due_on in wanted.items():
        if module_id not in modules:
            errors[module_id] = _("This module is not part of the edition's programme.")
        elif due_on is not None and due_on != modules[module_id].due_on:
            # A date set before the edition's dates changed stays valid until someone changes it.
            message = range_error(edition, due_on)
            if message:
                errors[module_id] = message
    if errors:
        raise DeadlineError(errors)
    existing = {
        row.module_id: row
        for row in db.session.scalars(select(ModuleDeadline).where(ModuleDeadline.edition_id == edition.id))
    }
    changed = 0
    for module_id, due_on in wanted.items():
        row = existing.get(module_id)
        if due_on == (row.due_on if row else None):
            continue
        changed += 1
        if due_on is None:
            db.session.delete(row)
            record(actor, "edition.deadline_cleared", edition, module_id=module_id)
            continue
        if row is None:
            row = ModuleDeadline(edition_id=edition.id, module_id=module_id, due_on=due_on, set_by_id=actor.id)
            db.session.add(row)
        else:
            row.due_on, row.set_by_id = due_on, actor.id
        record(actor, "edition.deadline_set", edition, module_id=module_id, due_on=due_on.isoformat())
    return changed


def is_overdue(due_on: date | None, accepted: bool, counted: bool = True, today: date | None = None) -> bool:
    """Whether a module's work is past its due date: the date has passed and the work is not accepted. An
    optional module (an introduction, not ``counted``) is never late: its date is a suggestion."""
    return counted and due_on is not None and not accepted and due_on < (today or utcnow().date())
