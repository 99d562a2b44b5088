"""An allocation world: one edition with trainers A (staff of institution X, share 2), B and C, an admin, and
learners of X and Y who have each submitted the person-scope assignment "profil" (so works wait, allocated)."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.models import Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning.allocation import TrainerShare
from tests.certificates.conftest import submit as submit_as_enrolled


def submit(learner, edition, slug: str, enrol: bool = False):
    """Submit ``slug`` as ``learner`` (enrolling them first when asked); returns the attempt."""
    if enrol:
        db.session.add(Enrolment(edition_id=edition.id, user_id=learner.id, enrolled_by_id=learner.id))
        db.session.commit()
    return submit_as_enrolled(learner, edition, slug)


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)


def build_world(mini_programme, make_institution, make_user):
    x = make_institution("OPS w Iksinie", Voivodeship.POMORSKIE)
    y = make_institution("GOPS w Igrekowie", Voivodeship.POMORSKIE)
    a = make_user(Role.TRAINER, institution=x, name="Anna Adamska")
    b = make_user(Role.TRAINER, name="Bogdan Borek")
    c = make_user(Role.TRAINER, name="Cecylia Cichy")
    admin = make_user(Role.ADMIN, name="Adam Administrator")
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    edition = Edition(name="Edycja pomorska", programme=programme, voivodeship=Voivodeship.POMORSKIE,
                      starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), trainers=[a, b, c],
                      institutions=[x, y])  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    db.session.add(TrainerShare(edition_id=edition.id, user_id=a.id, share=2))
    learners = [make_user(Role.ANIMATOR, institution=y, name=f"Osoba Igrekowa {n}") for n in range(4)]
    learners += [make_user(Role.ANIMATOR, institution=x, name=f"Osoba Iksińska {n}") for n in range(2)]
    for learner in learners:
        db.session.add(Enrolment(edition_id=edition.id, user_id=learner.id, enrolled_by_id=admin.id))
    db.session.commit()
    attempts = [submit(learner, edition, "profil") for learner in learners]
    return {"edition": edition, "x": x, "y": y, "a": a, "b": b, "c": c, "admin": admin, "attempts": attempts,
            "programme": programme}  # fmt: skip
