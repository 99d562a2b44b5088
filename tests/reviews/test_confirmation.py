"""Institution deliverables reach trainers only after their coordinator confirms them "w imieniu instytucji"."""

import pytest
from sqlalchemy import select

from lms.access.checks import Action, can
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.learning import services as learning
from lms.learning.allocation import WorkAssignment
from lms.learning.models import Attempt, Work, WorkStatus
from lms.notifications.models import Notification
from tests.conftest import csrf_token
from tests.reviews.test_reviews import build_world, queued_ids, review_url, signed_in, text_of


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)


def _submit(world, user, assignment, text="Mapa: szkoła, biblioteka, OSP.") -> Attempt:
    version = learning.current_assignment_version(assignment)
    work = learning.work_for(user, world.edition, assignment, version.scope)
    attempt = learning.submit(work, text, user)
    db.session.commit()
    return attempt


def _confirm(client, work_id: int, tick: bool = True):
    page = text_of(client.get(f"/works/{work_id}/", follow_redirects=True))
    data = {"csrf_token": csrf_token(page), "confirm": "1", **({"on_behalf": "y"} if tick else {})}
    return client.post(f"/works/{work_id}/confirm", data=data)


def _status(work_id: int) -> WorkStatus:
    db.session.expire_all()
    return db.session.get(Work, work_id).status


def test_a_staff_submission_waits_hidden_from_trainers_until_the_coordinator_confirms(app, world):
    attempt = _submit(world, world.animator, world.mapa)
    work_id = attempt.work_id
    assert _status(work_id) is WorkStatus.AWAITING_CONFIRMATION
    assert db.session.get(WorkAssignment, work_id) is None  # nobody is allocated yet
    asked = db.session.scalars(select(Notification).where(Notification.user_id == world.coordinator.id)).all()
    assert [n.link for n in asked] == [f"/editions/{world.edition.id}/assignments/{world.mapa.id}/"]

    trainer = signed_in(app, world.trainer)
    assert attempt.id not in queued_ids(text_of(trainer.get("/reviews/")))
    assert trainer.get(review_url(attempt)).status_code == 403  # the policy refuses it; it is not gone
    assert not can(world.trainer, Action.VIEW, db.session.get(Work, work_id))
    assert not can(world.trainer, Action.REVIEW, db.session.get(Work, work_id))
    assert signed_in(app, world.stranger).get(review_url(attempt)).status_code == 404  # another institution

    # Only the institution's coordinator confirms, and only with the box ticked.
    assert _confirm(signed_in(app, world.animator), work_id).status_code == 403
    other_coordinator = db.session.scalar(
        select(type(world.coordinator)).where(type(world.coordinator).name == "Oskar Obcy")
    )
    outsider = signed_in(app, other_coordinator)
    token = csrf_token(text_of(outsider.get(f"/editions/{world.edition.id}/assignments/{world.mapa.id}/")))
    refused = outsider.post(f"/works/{work_id}/confirm", data={"csrf_token": token, "on_behalf": "y", "confirm": "1"})
    assert refused.status_code == 404  # not theirs to know of
    coordinator = signed_in(app, world.coordinator)
    page = text_of(coordinator.get(f"/works/{work_id}/", follow_redirects=True))
    assert "Waiting for the coordinator's confirmation" in page and "I confirm on behalf of the institution" in page
    assert _confirm(coordinator, work_id, tick=False).status_code == 302
    assert _status(work_id) is WorkStatus.AWAITING_CONFIRMATION

    assert _confirm(coordinator, work_id).status_code == 302
    assert _status(work_id) is WorkStatus.SUBMITTED
    confirmed = db.session.get(Attempt, attempt.id)
    assert confirmed.confirmed_by_id == world.coordinator.id and confirmed.confirmed_at is not None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.confirmed"))
    assert (audit.actor_id, audit.object_id) == (world.coordinator.id, attempt.id)
    assert int(audit.details["work_id"]) == work_id
    assert db.session.get(WorkAssignment, work_id).trainer_id == world.trainer.id

    assert attempt.id in queued_ids(text_of(trainer.get("/reviews/")))
    review_page = text_of(trainer.get(review_url(attempt)))
    assert "Confirmed on behalf of the institution by Celina Koordynatorka" in review_page
    assert _confirm(coordinator, work_id).status_code == 302  # twice: told it no longer waits, nothing changes
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "attempt.confirmed").offset(1)) is None


def test_a_coordinators_own_submission_is_their_confirmation_and_person_work_needs_none(world):
    own = _submit(world, world.coordinator, world.mapa)
    assert _status(own.work_id) is WorkStatus.SUBMITTED
    assert db.session.get(Attempt, own.id).confirmed_by_id == world.coordinator.id
    personal = _submit(world, world.animator, world.profil, "Mój profil.")
    assert _status(personal.work_id) is WorkStatus.SUBMITTED
    assert db.session.get(Attempt, personal.id).confirmed_by_id is None


def test_the_coordinators_dashboard_lists_what_waits_for_their_confirmation(app, world):
    attempt = _submit(world, world.animator, world.mapa)
    page = text_of(signed_in(app, world.coordinator).get(f"/dashboard/institutions/{world.own.id}/"))
    waiting = page[page.index('id="waiting-heading"') :]
    assert "awaiting confirmation" in waiting[:2000]
    assert f"/works/{attempt.work_id}/" in waiting[:2000]
