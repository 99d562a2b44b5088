"""A trainer marks, sees and withdraws their own absences; an admin does it for them. Waiting work moves on,
new work skips the absent, everything is audited; bad dates get a clear Polish message."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.base import utcnow
from lms.extensions import db
from lms.learning import allocation
from lms.learning.allocation import TrainerAbsence
from tests.conftest import login, post_form

MINE = "/trainers/absences/"


def _waiting_for(world, trainer) -> list[int]:
    return [a.work_id for a in world["attempts"] if allocation.assigned_trainer_id(a.work_id) == trainer.id]


def test_a_trainer_marks_an_absence_and_their_waiting_work_goes_to_the_others(client, world):
    b = world["b"]
    mine = _waiting_for(world, b)
    assert mine
    login(client, b)
    today = utcnow().date()
    week = {"starts_on": today.isoformat(), "ends_on": (today + timedelta(days=6)).isoformat(), "reason": "Urlop"}
    response = post_form(client, MINE, week)
    assert response.status_code == 302
    page = client.get(MINE).get_data(as_text=True)
    assert "Nieobecność zapisana." in page
    assert f"{len(mine)} czekając" in page and "trafił" in page  # "1 czekająca praca trafiła", "2 czekające prace…"
    assert "Urlop" in page and "7 dni" in page and "teraz" in page
    assert not _waiting_for(world, b)
    assert b.id not in allocation.eligible_trainers(world["edition"].id, world["y"].id, today)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "trainer.absent"))
    assert event.actor_id == b.id and event.object_id == b.id


def test_bad_dates_are_refused_with_a_polish_message_and_no_500(client, world):
    login(client, world["b"])
    backwards = post_form(client, MINE, {"starts_on": "2030-05-10", "ends_on": "2030-05-01"})
    assert backwards.status_code == 200
    assert "Nieobecność musi się kończyć w dniu jej rozpoczęcia lub później." in backwards.get_data(as_text=True)
    garbage = post_form(client, MINE, {"starts_on": "jutro", "ends_on": "2030-13-45", "reason": "x" * 300})
    assert garbage.status_code == 200
    text = garbage.get_data(as_text=True)
    assert "is-invalid" in text and "Not a valid" not in text
    assert db.session.scalar(select(TrainerAbsence.id)) is None


def test_a_trainer_withdraws_a_coming_absence_but_not_a_past_one(client, world):
    b = world["b"]
    today = utcnow().date()
    allocation.mark_absence(b, today + timedelta(days=10), today + timedelta(days=12))
    allocation.mark_absence(b, date(2025, 1, 1), date(2025, 1, 3))
    db.session.commit()
    coming, past = db.session.scalars(select(TrainerAbsence).order_by(TrainerAbsence.starts_on.desc())).all()
    login(client, b)
    page = client.get(MINE).get_data(as_text=True)
    assert page.count("Wycofaj") == 1  # only the coming one offers it
    assert post_form(client, f"/trainers/absences/{coming.id}/cancel", token_from=MINE).status_code == 302
    assert "Nieobecność wycofana" in client.get(MINE).get_data(as_text=True)
    post_form(client, f"/trainers/absences/{past.id}/cancel", token_from=MINE)
    assert "Miniona nieobecność zostaje" in client.get(MINE).get_data(as_text=True)
    assert db.session.scalars(select(TrainerAbsence.id)).all() == [past.id]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "trainer.absence_cancelled"))


def test_another_trainer_cannot_see_or_withdraw_my_absence(client, world):
    today = utcnow().date()
    allocation.mark_absence(world["b"], today + timedelta(days=3), today + timedelta(days=4))
    db.session.commit()
    absence_id = db.session.scalar(select(TrainerAbsence.id))
    login(client, world["c"])
    assert "Brak zgłoszonych nieobecności." in client.get(MINE).get_data(as_text=True)
    assert post_form(client, f"/trainers/absences/{absence_id}/cancel", token_from=MINE).status_code == 404
    assert db.session.get(TrainerAbsence, absence_id) is not None


def test_an_admin_marks_a_trainers_absence_audited_as_theirs(client, world):
    b, admin = world["b"], world["admin"]
    mine = _waiting_for(world, b)
    login(client, admin)
    url = f"/admin/trainers/{b.id}/absences/"
    today = utcnow().date()
    response = post_form(client, url, {"starts_on": today.isoformat(), "ends_on": today.isoformat()})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "Nieobecności: Bogdan Borek" in page and "1 dzień" in page
    assert len(mine) and not _waiting_for(world, b)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "trainer.absent"))
    assert event.actor_id == admin.id and event.object_id == b.id
    absence_id = db.session.scalar(select(TrainerAbsence.id))
    back = post_form(client, f"/trainers/absences/{absence_id}/cancel", token_from=url)
    assert back.headers["Location"].endswith(url)
    assert client.get(f"/admin/trainers/{world['admin'].id}/absences/").status_code == 404  # not a trainer


def test_an_absence_marked_ahead_hands_on_the_waiting_work_when_it_begins(world):
    b = world["b"]
    mine = _waiting_for(world, b)
    start = utcnow().date() + timedelta(days=5)
    assert allocation.mark_absence(b, start, start + timedelta(days=2)) == 0  # nothing moves yet
    db.session.commit()
    assert _waiting_for(world, b) == mine
    assert allocation.hand_on_from_absent(start - timedelta(days=1)) == 0
    assert allocation.hand_on_from_absent(start) == len(mine)
    assert not _waiting_for(world, b)
    assert allocation.hand_on_from_absent(start) == 0  # once


def test_the_daily_jobs_hand_on_work_of_trainers_whose_absence_began(world):
    from lms.jobs.runner import run_due_jobs

    b = world["b"]
    mine = _waiting_for(world, b)
    db.session.add(TrainerAbsence(user_id=b.id, starts_on=utcnow().date(), ends_on=utcnow().date()))
    db.session.commit()
    assert dict(run_due_jobs())["review reminders"] == f"handed on {len(mine)}, sent 0"
    assert not _waiting_for(world, b)
