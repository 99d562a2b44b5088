"""A small certification world: one institution in an edition of the mini programme."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.models import Assignment, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import services as learning
from lms.learning.decisions import Decision
from lms.reviews import services as reviews
from tests.conftest import confirm_if_waiting


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)


def build_world(mini_programme, make_institution, make_user):
    institution = make_institution("GOPS w Żółkiewce", Voivodeship.LUBELSKIE)
    trainer = make_user(Role.TRAINER, name="Tomasz Trener")
    people = {
        "institution": institution,
        "trainer": trainer,
        "admin": make_user(Role.ADMIN, name="Anna Admin"),
        "coordinator": make_user(Role.COORDINATOR, institution=institution, name="Katarzyna Koordynatorka"),
        "animator": make_user(Role.ANIMATOR, institution=institution, name="Zofia Żółć"),
        "colleague": make_user(Role.ANIMATOR, institution=institution, name="Jan Kowalski"),
    }
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    edition = Edition(
        name="Edycja lubelska", programme=programme, voivodeship=Voivodeship.LUBELSKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), trainers=[trainer], institutions=[institution],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    for key in ("animator", "colleague", "coordinator"):
        db.session.add(Enrolment(edition_id=edition.id, user_id=people[key].id, enrolled_by_id=people["admin"].id))
    db.session.commit()
    return {**people, "edition": edition, "programme": programme}


def submit(user, edition, slug: str, text: str = "Moja praca w społeczności."):
    """Submit an attempt on the assignment ``slug`` as ``user`` (confirmed by the coordinator when it is an
    institution deliverable); returns the attempt."""
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == slug))
    version = learning.current_assignment_version(assignment)
    work = learning.work_for(user, edition, assignment, version.scope)
    attempt = learning.submit(work, text, user)
    db.session.commit()
    return confirm_if_waiting(attempt)


def decide(attempt, trainer, decision=Decision.ACCEPTED):
    """The trainer decides, marking every criterion met (or the first unmet for a revision)."""
    criteria = attempt.assignment_version.criteria
    judgements = [
        reviews.CriterionJudgement(c.id, decision is Decision.ACCEPTED or index > 0) for index, c in enumerate(criteria)
    ]
    feedback = "" if decision is Decision.ACCEPTED else "Uzupełnij pierwszy punkt."
    review = reviews.decide(attempt, trainer, judgements, feedback, decision)
    db.session.commit()
    return review
