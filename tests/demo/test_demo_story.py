"""``flask demo load``: the institution one step from the Certyfikat has its last deliverable with the trainers."""

from sqlalchemy import select

from lms.accounts.models import User
from lms.base import utcnow
from lms.certificates.checklist import institution_checklist
from lms.content.importer import import_courses
from lms.content.models import Assignment
from lms.demo.data import load_demo
from lms.demo.story import LAST_STEP
from lms.editions.models import Edition
from lms.events.models import Event
from lms.extensions import db
from lms.learning.models import Attempt, Work, WorkStatus
from lms.support.models import Consultation, IndicatorReport
from tests.conftest import REAL_COURSES


def test_the_demo_deliverable_waiting_for_the_trainer_is_confirmed_by_the_coordinator(app):
    assert not import_courses(REAL_COURSES).errors
    load_demo("hasło-demo-123")
    work = db.session.scalar(select(Work).join(Assignment).where(Assignment.slug == LAST_STEP))
    attempt = db.session.scalar(select(Attempt).where(Attempt.work_id == work.id))
    coordinator = db.session.scalar(select(User).where(User.email == "koordynator1@demo.cal.local"))
    assert work.status is WorkStatus.SUBMITTED  # in trener1's queue, not waiting for a confirmation
    assert attempt.confirmed_by_id == coordinator.id and attempt.confirmed_at is not None


def test_the_demo_keeps_the_date_rules_and_gops_lacks_only_its_last_deliverable(app):
    assert not import_courses(REAL_COURSES).errors
    load_demo("hasło-demo-123")
    coordinator = db.session.scalar(select(User).where(User.email == "koordynator1@demo.cal.local"))
    gops, edition = coordinator.institution, db.session.scalar(select(Edition))
    programme = edition.programme
    today = utcnow().date()

    logged = db.session.scalars(select(Consultation).order_by(Consultation.held_on)).all()
    assert [c.topic.split(":")[0] for c in logged] == [f"Konsultacja {n}" for n in range(1, 5)]  # in date order
    assert all(edition.starts_on <= c.held_on <= today for c in logged)
    report = db.session.scalar(select(IndicatorReport))
    assert edition.starts_on <= report.period_start <= report.period_end <= today
    for event in db.session.scalars(select(Event)):
        assert edition.starts_on <= event.starts_at.date() and event.ends_at.date() <= edition.ends_on

    checklist = institution_checklist(gops, programme)
    unmet = [item.key for item in checklist.items if not item.met]
    assert unmet == [f"deliverable:{LAST_STEP}"]  # 4/4 consultations, four quarters in a row, report accepted
