"""Enrolling people in an edition, with what follows for their learning: the enrolment itself is the
edition's (lms/editions/services.py); the module completions their institution's accepted deliverables
already give them are stored at once."""

from lms.accounts.models import User
from lms.editions import services as editions
from lms.editions.models import Edition
from lms.extensions import db
from lms.learning import completions


def enrol(edition: Edition, people: list[User], actor: User, allowed_institution_ids: list[int]) -> int:
    """Enrol animators of the allowed institutions (``editions.enrol``'s rules); returns how many; the caller
    commits."""
    count = editions.enrol(edition, people, actor, allowed_institution_ids)
    db.session.flush()
    completions.people_enrolled(db.session, edition.id, [person.id for person in people])
    return count
