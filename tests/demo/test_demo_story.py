"""``flask demo load``: the institution one step from the Certyfikat has its last deliverable with the trainers."""

from sqlalchemy import select

from lms.accounts.models import User
from lms.content.importer import import_courses
from lms.content.models import Assignment
from lms.demo.data import load_demo
from lms.demo.story import LAST_STEP
from lms.extensions import db
from lms.learning.models import Attempt, Work, WorkStatus
from tests.conftest import REAL_COURSES


def test_the_demo_deliverable_waiting_for_the_trainer_is_confirmed_by_the_coordinator(app):
    assert not import_courses(REAL_COURSES).errors
    load_demo("hasło-demo-123")
    work = db.session.scalar(select(Work).join(Assignment).where(Assignment.slug == LAST_STEP))
    attempt = db.session.scalar(select(Attempt).where(Attempt.work_id == work.id))
    coordinator = db.session.scalar(select(User).where(User.email == "koordynator1@demo.cal.local"))
    assert work.status is WorkStatus.SUBMITTED  # in trener1's queue, not waiting for a confirmation
    assert attempt.confirmed_by_id == coordinator.id and attempt.confirmed_at is not None
