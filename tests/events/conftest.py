"""An events world: the mini programme in one edition with two institutions, a trainer and staff."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.base import utcnow
from lms.content.models import Programme
from lms.content.spec import EventKind
from lms.editions.models import Edition, Enrolment
from lms.events import services
from lms.extensions import db
from lms.institutions.models import Voivodeship


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)


def build_world(mini_programme, make_institution, make_user):
    institution = make_institution("GOPS w Kowali", Voivodeship.MAZOWIECKIE)
    other = make_institution("OPS w Dobczycach", Voivodeship.MALOPOLSKIE)
    trainer = make_user(Role.TRAINER, name="Tomasz Trener")
    people = {
        "institution": institution,
        "other_institution": other,
        "trainer": trainer,
        "admin": make_user(Role.ADMIN, name="Anna Admin"),
        "coordinator": make_user(Role.COORDINATOR, institution=institution, name="Katarzyna Koordynatorka"),
        "animator": make_user(Role.ANIMATOR, institution=institution, name="Zofia Żółć"),
        "other_coordinator": make_user(Role.COORDINATOR, institution=other, name="Olga Obca"),
        "other_animator": make_user(Role.ANIMATOR, institution=other, name="Piotr Obcy"),
    }
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    edition = Edition(
        name="Edycja mazowiecka", programme=programme, voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), trainers=[trainer], institutions=[institution, other],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    db.session.add(Enrolment(edition_id=edition.id, user_id=people["animator"].id, enrolled_by_id=people["admin"].id))
    db.session.commit()
    return {**people, "edition": edition, "programme": programme}


def event_input(**changes) -> services.EventInput:
    """A two-day training a week from now, 16 hours, 20 places."""
    start = (utcnow() + timedelta(days=7)).replace(hour=7, minute=0, second=0, microsecond=0)
    values = {
        "kind": EventKind.TRAINING, "title": "Szkolenie: Ja jako animator", "starts_at": start,
        "ends_at": start + timedelta(days=1, hours=8), "hours": 16.0, "capacity": 20,
        "place": "Dom Kultury, ul. Lipowa 3, Kowala", "level": 1, "agenda": "## Dzień 1\n\n- mapa zasobów",
    }  # fmt: skip
    values.update(changes)
    return services.EventInput(**values)


def schedule(world, **changes):
    """A committed event of the world's edition."""
    event = services.create_event(world["edition"], event_input(**changes), world["trainer"])
    db.session.commit()
    return event


def past(hours_ago: int = 30) -> dict:
    """Times for an event that has already taken place."""
    start = utcnow().replace(microsecond=0) - timedelta(hours=hours_ago)
    return {"starts_at": start, "ends_at": start + timedelta(hours=8)}


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour)
