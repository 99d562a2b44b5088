"""Demo and generated due dates: the modules of an edition due one after another through its dates, so the
module pages and calendar feeds show them."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.accounts.models import Role, User, UserRole
from lms.content.models import AssignmentVersion, Module, ModuleVersion
from lms.editions.models import Edition, ModuleDeadline
from lms.extensions import db

FIRST_AFTER_DAYS = 45  # the first module is due this long after the edition starts
EVERY_DAYS = 40  # and each next one this much later (the last ones at the edition's end at the latest)


def modules_with_assignments(programme_id: int) -> list[int]:
    """The programme's active modules that have assignments (only they have something due), in order."""
    return db.session.scalars(
        select(Module.id)
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(
            Module.programme_id == programme_id,
            Module.retired.is_(False),
            select(AssignmentVersion.id).where(AssignmentVersion.module_version_id == ModuleVersion.id).exists(),
        )
        .order_by(Module.level_number, Module.position)
    ).all()


def due_on(starts_on: date, ends_on: date, index: int) -> date:
    """The due date of the ``index``-th module (from 0) of an edition running ``starts_on``..``ends_on``."""
    return min(starts_on + timedelta(days=FIRST_AFTER_DAYS + EVERY_DAYS * index), ends_on)


def load_deadlines(edition: Edition, people: dict[str, User]) -> bool:
    """Set the demo edition's due dates once (idempotent); True if set now."""
    if db.session.scalar(select(ModuleDeadline.id).where(ModuleDeadline.edition_id == edition.id).limit(1)):
        return False
    trainer = people["trener1@demo.cal.local"]
    for index, module_id in enumerate(modules_with_assignments(edition.programme_id)):
        db.session.add(
            ModuleDeadline(
                edition_id=edition.id,
                module_id=module_id,
                due_on=due_on(edition.starts_on, edition.ends_on, index),
                set_by_id=trainer.id,
            )
        )
    db.session.commit()
    return True


def seed_deadlines(s, insert) -> None:
    """Due dates of every generated edition, set by its first trainer (or the admin); ``insert`` is the seed's
    bulk insert."""
    modules = modules_with_assignments(s.programme.id)
    admin = db.session.scalar(select(UserRole.user_id).where(UserRole.role == Role.ADMIN).order_by(UserRole.user_id))
    found = db.session.execute(
        select(Edition.id, Edition.starts_on, Edition.ends_on).where(Edition.id.in_(s.edition_ids))
    )
    dates = {edition_id: (starts_on, ends_on) for edition_id, starts_on, ends_on in found}
    rows = []
    for e, edition_id in enumerate(s.edition_ids):
        starts_on, ends_on = dates[edition_id]
        setter = s.trainers[e][0][0] if s.trainers[e] else admin
        rows += [
            {"edition_id": edition_id, "module_id": module_id, "due_on": due_on(starts_on, ends_on, index),
             "set_by_id": setter, "updated_at": s.start}
            for index, module_id in enumerate(modules)
        ]  # fmt: skip
    insert(s, "module due dates", ModuleDeadline, rows)
