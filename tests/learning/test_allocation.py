"""Trainer allocation: weighted and deterministic, never the work's own institution, revisions back to the same
trainer, absences hand work on, admins reassign (audited), reminders once per threshold."""

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.base import utcnow
from lms.content.models import Assignment, Programme
from lms.content.spec import Scope
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import allocation
from lms.learning.allocation import TrainerShare, WorkAssignment
from lms.learning.models import Work, WorkStatus
from lms.notifications.models import Notification
from tests.certificates.conftest import decide, submit


@pytest.fixture
def edition_of_three(mini_programme, make_institution, make_user):
    """Trainers A (share 2, staff of institution X), B and C (share 1) in one edition with X, Y and Z."""
    x, y, z = (make_institution(f"OPS {n}", Voivodeship.POMORSKIE) for n in "XYZ")
    a = make_user(Role.TRAINER, institution=x, name="Anna A")
    b, c = make_user(Role.TRAINER, name="Bogdan B"), make_user(Role.TRAINER, name="Cecylia C")
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    edition = Edition(name="Edycja pomorska", programme=programme, voivodeship=Voivodeship.POMORSKIE,
                      starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), trainers=[a, b, c],
                      institutions=[x, y, z])  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    db.session.add_all([TrainerShare(edition_id=edition.id, user_id=a.id, share=2)])
    db.session.commit()
    return {"edition": edition, "institutions": (x, y, z), "trainers": (a, b, c), "admin": make_user(Role.ADMIN)}


def _works(world, per_institution: dict) -> list[Work]:
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
    works = []
    for institution, count in per_institution.items():
        for n in range(count):
            learner = User(email=f"l{institution.id}-{n}@example.org", name=f"Osoba {n}", password_hash="x",
                           institution_id=institution.id)  # fmt: skip
            db.session.add(learner)
            db.session.flush()
            work = Work(assignment_id=assignment.id, module_id=assignment.module_id,
                        edition_id=world["edition"].id, scope=Scope.PERSON, learner_id=learner.id,
                        institution_id=institution.id, status=WorkStatus.SUBMITTED, attempt_count=1,
                        last_submitted_at=utcnow())  # fmt: skip
            db.session.add(work)
            db.session.flush()
            allocation.work_submitted(work)
            works.append(work)
    db.session.commit()
    return works


def test_weights_2_1_1_over_400_works_within_5_percent_and_never_the_own_institution(edition_of_three):
    x, y, z = edition_of_three["institutions"]
    a, b, c = edition_of_three["trainers"]
    works = _works(edition_of_three, {x: 40, y: 180, z: 180})
    assigned = dict(db.session.execute(select(WorkAssignment.work_id, WorkAssignment.trainer_id)).all())
    shares = Counter(assigned.values())
    for trainer, weight in ((a, 0.5), (b, 0.25), (c, 0.25)):
        assert abs(shares[trainer.id] / 400 - weight) <= 0.05, shares
    assert not [w for w in works if w.institution_id == x.id and assigned[w.id] == a.id]
    print(f"allocation 2:1:1 over 400 works: {shares[a.id]} / {shares[b.id]} / {shares[c.id]}")


def test_allocation_is_deterministic(edition_of_three, app):
    x, y, _z = edition_of_three["institutions"]
    first = [w.id for w in _works(edition_of_three, {y: 10, x: 5})]
    order = [allocation.assigned_trainer_id(work_id) for work_id in first]
    db.session.execute(WorkAssignment.__table__.delete())
    for work_id in first:
        allocation.work_submitted(db.session.get(Work, work_id))
    assert [allocation.assigned_trainer_id(work_id) for work_id in first] == order


def test_a_revision_goes_back_to_the_trainer_who_asked_for_it(edition_of_three, make_user):
    from lms.editions.models import Enrolment
    from lms.learning.decisions import Decision

    _x, y, _z = edition_of_three["institutions"]
    learner = make_user(Role.ANIMATOR, institution=y)
    edition = edition_of_three["edition"]
    db.session.add(Enrolment(edition_id=edition.id, user_id=learner.id, enrolled_by_id=learner.id))
    db.session.commit()
    attempt = submit(learner, edition, "profil")
    first = allocation.assigned_trainer_id(attempt.work_id)
    other = next(t for t in edition_of_three["trainers"] if t.id != first)
    decide(attempt, other, Decision.REVISION_REQUESTED)  # any trainer of the edition may take a work over
    second = submit(learner, edition, "profil", "Poprawiona wersja.")
    assert allocation.assigned_trainer_id(second.work_id) == other.id


def test_an_absence_hands_waiting_work_to_the_others_and_new_work_skips_the_absent(edition_of_three):
    _x, y, z = edition_of_three["institutions"]
    _a, b, _c = edition_of_three["trainers"]
    works = _works(edition_of_three, {y: 8})
    mine = [w for w in works if allocation.assigned_trainer_id(w.id) == b.id]
    assert mine
    today = utcnow().date()
    assert allocation.mark_absence(b, today, today + timedelta(days=7)) == len(mine)
    db.session.commit()
    assert b.id not in {allocation.assigned_trainer_id(w.id) for w in works}
    later = _works(edition_of_three, {z: 6})
    assert b.id not in {allocation.assigned_trainer_id(w.id) for w in later}


def test_an_admin_reassigns_by_hand_audited_but_never_to_the_own_institution(edition_of_three):
    x, _y, _z = edition_of_three["institutions"]
    a, b, c = edition_of_three["trainers"]
    (work,) = _works(edition_of_three, {x: 1})  # A works at X: never theirs
    with pytest.raises(allocation.AllocationError):
        allocation.reassign(work, a, edition_of_three["admin"])
    target = b if allocation.assigned_trainer_id(work.id) == c.id else c
    allocation.reassign(work, target, edition_of_three["admin"])
    db.session.commit()
    assert allocation.assigned_trainer_id(work.id) == target.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "work.reassigned"))
    assert event is not None


def test_reminders_go_to_the_trainer_at_5_days_and_admins_at_7_once_each(edition_of_three):
    _x, y, _z = edition_of_three["institutions"]
    (work,) = _works(edition_of_three, {y: 1})
    from lms.learning.models import Attempt

    learner_id, version_id = work.learner_id, _version_id()
    db.session.add(Attempt(work_id=work.id, number=1, assignment_version_id=version_id, submitted_by_id=learner_id,
                           text_md="x", text_html="x"))  # fmt: skip
    db.session.commit()
    submitted = work.last_submitted_at
    assert allocation.send_due_reminders(submitted + timedelta(days=4)) == 0
    assert allocation.send_due_reminders(submitted + timedelta(days=5, minutes=1)) == 1
    assert allocation.send_due_reminders(submitted + timedelta(days=6)) == 0
    assert allocation.send_due_reminders(submitted + timedelta(days=7, minutes=1)) == 1
    assert allocation.send_due_reminders(submitted + timedelta(days=9)) == 0
    trainer = allocation.assigned_trainer_id(work.id)
    notices = db.session.execute(select(Notification.user_id, Notification.message)).all()
    assert [uid for uid, _m in notices] == [trainer, edition_of_three["admin"].id]


def _version_id() -> int:
    from lms.content.models import AssignmentVersion

    return db.session.scalar(select(AssignmentVersion.id).join(Assignment).where(Assignment.slug == "profil").limit(1))


def test_the_queue_shows_the_trainers_own_works_first_and_still_lists_everyones(edition_of_three, client, make_user):
    from lms.editions.models import Enrolment
    from tests.conftest import login

    _x, y, _z = edition_of_three["institutions"]
    learner = make_user(Role.ANIMATOR, institution=y, name="Zenon Zieliński")
    edition = edition_of_three["edition"]
    db.session.add(Enrolment(edition_id=edition.id, user_id=learner.id, enrolled_by_id=learner.id))
    db.session.commit()
    attempt = submit(learner, edition, "profil")
    owner = db.session.get(User, allocation.assigned_trainer_id(attempt.work_id))
    other = next(t for t in edition_of_three["trainers"][1:] if t.id != owner.id)
    login(client, owner)
    page = client.get("/reviews/").get_data(as_text=True)
    assert page.index("Przydzielone Tobie") < page.rindex("Zenon Zieliński")
    client.post("/logout", data={})
    other_client = client.application.test_client()
    login(other_client, other)
    page = other_client.get("/reviews/").get_data(as_text=True)
    assert "Przydzielone Tobie" not in page and "Zenon Zieliński" in page
