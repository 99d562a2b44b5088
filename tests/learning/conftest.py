"""Helpers for the learning tests (and others that check completions)."""

from sqlalchemy import select

from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.learning.models import WorkStatus
from lms.learning.progress import people_progress


def shown_by_progress() -> set[tuple[int, int, int]]:
    """(edition, person, module) for every module progress shows as accepted to an enrolled person."""
    shown = set()
    for edition in db.session.scalars(select(Edition)):
        people = [e.user for e in db.session.scalars(select(Enrolment).where(Enrolment.edition_id == edition.id))]
        for person_id, progress in people_progress(people, edition).items():
            for level in progress.levels:
                for module in level.modules:
                    if module.status == WorkStatus.ACCEPTED.value:
                        shown.add((edition.id, person_id, module.module.id))
    return shown
