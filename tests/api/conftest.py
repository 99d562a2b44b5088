"""An API world: institutions A and B, each in its own edition of the mini programme, with tokens."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.api import services as api
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
    a = make_institution("OPS A", Voivodeship.MAZOWIECKIE)
    b = make_institution("OPS B", Voivodeship.PODLASKIE)
    people = {
        "animator": make_user(Role.ANIMATOR, institution=a, name="Alicja Animatorka"),
        "colleague": make_user(Role.ANIMATOR, institution=a, name="Bartek Kolega"),
        "animator_other": make_user(Role.ANIMATOR, institution=b, name="Obca Animatorka"),
        "coordinator": make_user(Role.COORDINATOR, institution=a, name="Celina Koordynatorka"),
        "coordinator_other": make_user(Role.COORDINATOR, institution=b, name="Obca Koordynatorka"),
        "trainer": make_user(Role.TRAINER, name="Tomasz Trener"),
        "trainer_other": make_user(Role.TRAINER, name="Obcy Trener"),
        "admin": make_user(Role.ADMIN, name="Anna Admin"),
    }
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    editions = {}
    for key, institution, trainer, staff in (
        ("E", a, people["trainer"], ["animator", "colleague"]),
        ("F", b, people["trainer_other"], ["animator_other"]),
    ):
        edition = Edition(
            name=f"Edycja {institution.name}", programme=programme, voivodeship=institution.voivodeship,
            starts_on=date(2026, 1, 1) if key == "E" else date(2026, 9, 1), ends_on=date(2027, 12, 31),
            trainers=[trainer], institutions=[institution],
        )  # fmt: skip
        db.session.add(edition)
        db.session.flush()
        for name in staff:
            db.session.add(Enrolment(edition_id=edition.id, user_id=people[name].id, enrolled_by_id=people["admin"].id))
        editions[key] = edition
    db.session.commit()
    tokens = {}
    for role, person in people.items():
        _token, tokens[role] = api.create_token(person, f"{role} system")
    db.session.commit()
    return {"A": a, "B": b, **editions, "people": people, "tokens": tokens, "programme": programme}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def get(client, path: str, token: str | None = None):
    """GET an API path, with the token if given."""
    return client.get(path, headers=bearer(token) if token else {})


def submit(user, edition, slug: str, text: str = "Moja praca w społeczności."):
    """Submit an attempt on the assignment ``slug`` as ``user`` (confirmed by the coordinator when it is an
    institution deliverable); returns the attempt."""
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == slug))
    version = learning.current_assignment_version(assignment)
    work = learning.work_for(user, edition, assignment, version.scope)
    attempt = learning.submit(work, text, user)
    db.session.commit()
    return confirm_if_waiting(attempt)


def accept(attempt, trainer):
    """The trainer accepts, marking every criterion met."""
    judgements = [reviews.CriterionJudgement(c.id, True) for c in attempt.assignment_version.criteria]
    review = reviews.decide(attempt, trainer, judgements, "", Decision.ACCEPTED)
    db.session.commit()
    return review
