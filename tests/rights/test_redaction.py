"""An admin removes a passage of an attempt's text with a reason: the words are gone, the log says who and why."""

from sqlalchemy import select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.learning.models import Attempt
from lms.rights.redaction import REDACTED
from tests.conftest import csrf_token
from tests.learning.test_cycle import signed_in, submit_attempt, text_of
from tests.privacy.corpus import pesel

NUMBER = pesel(1944, 5, 14, 135)


def send(client, attempt_id, passage, reason):
    token = csrf_token(client.get(f"/reviews/attempts/{attempt_id}/").get_data(as_text=True))
    data = {"csrf_token": token, "passage": passage, "reason": reason, "redact": "1"}
    return client.post(f"/admin/attempts/{attempt_id}/redact", data=data)


def test_an_admin_removes_a_passage_and_the_log_keeps_who_when_and_why_but_not_the_words(app, world, make_user):
    attempt = submit_attempt(world, world.animator, world.profil, f"Profil.\nUczestniczka: PESEL {NUMBER}.\nKoniec.")
    admin = signed_in(app, make_user(Role.ADMIN))
    page = text_of(admin.get(f"/reviews/attempts/{attempt.id}/"))
    assert "Remove a passage of this attempt" in page
    response = send(admin, attempt.id, f"PESEL {NUMBER}", "Numer PESEL uczestniczki bez jej zgody")
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.text_md == f"Profil.\nUczestniczka: {REDACTED}.\nKoniec."
    assert NUMBER not in attempt.text_html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.redacted"))
    assert event.details["reason"] == "Numer PESEL uczestniczki bez jej zgody"
    assert NUMBER not in str(event.details)
    assert NUMBER not in text_of(signed_in(app, world.trainer).get(f"/reviews/attempts/{attempt.id}/"))
    assert "Remove a passage" not in text_of(signed_in(app, world.trainer).get(f"/reviews/attempts/{attempt.id}/"))


def test_a_passage_not_in_the_text_or_a_missing_reason_changes_nothing(app, world, make_user):
    attempt = submit_attempt(world, world.animator, world.profil, f"PESEL {NUMBER}")
    admin = signed_in(app, make_user(Role.ADMIN))
    first = send(admin, attempt.id, "czego tu nie ma", "powód")
    assert "This passage is not in the attempt's text" in text_of(admin.get(first.location))
    second = send(admin, attempt.id, NUMBER, "  ")
    assert "Give the reason" in text_of(admin.get(second.location))
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).text_md == f"PESEL {NUMBER}"


def test_only_an_admin_redacts(app, world):
    attempt = submit_attempt(world, world.animator, world.profil, f"PESEL {NUMBER}")
    trainer = signed_in(app, world.trainer)
    token = csrf_token(trainer.get(f"/reviews/attempts/{attempt.id}/").get_data(as_text=True))
    data = {"csrf_token": token, "passage": NUMBER, "reason": "x"}
    assert trainer.post(f"/admin/attempts/{attempt.id}/redact", data=data).status_code == 403
