"""Before submission the learner is warned about personal data, and fixes it or says why it stays;
the trainer sees that confirmation."""

import io

from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.learning.models import Attempt
from lms.privacy.models import KeepReason, PersonalDataConfirmation
from tests.conftest import csrf_token
from tests.learning.test_cycle import count, signed_in, text_of, the_work, work_url
from tests.privacy.corpus import docx, pesel

NUMBER = pesel(1944, 5, 14, 135)
TEXT = f"Profil animatorki.\nUczestniczka: PESEL {NUMBER}."


def press_submit(client, url: str, text: str, reason: str | None = None, files=None):
    token = csrf_token(client.get(url).get_data(as_text=True))
    data = {"text": text, "submit": "1", "csrf_token": token}
    if reason:
        data["keep_reason"] = reason
    if files:
        data["files"] = files
    return client.post(url, data=data, content_type="multipart/form-data")


def test_a_pesel_in_the_text_stops_the_submission_with_a_warning_saying_what_and_where(app, world):
    animator, url = signed_in(app, world.animator), work_url(world, world.profil)
    response = press_submit(animator, url, TEXT)
    page = text_of(response)
    assert response.status_code == 200
    assert count(Attempt) == 0
    assert "Your answer may contain personal data" in page
    assert "PESEL number" in page and "in your text, line 2" in page
    assert NUMBER[:3] + "•" in page
    assert the_work(world, world.profil, world.animator).draft_text == TEXT  # nothing typed is lost


def test_the_learner_who_removes_the_data_submits_without_any_confirmation(app, world):
    animator, url = signed_in(app, world.animator), work_url(world, world.profil)
    press_submit(animator, url, TEXT)
    assert press_submit(animator, url, "Profil animatorki.\nUczestniczka: (dane w OPS).").status_code == 302
    assert count(Attempt) == 1 and count(PersonalDataConfirmation) == 0


def test_a_confirmed_reason_submits_and_the_trainer_sees_it(app, world):
    animator, url = signed_in(app, world.animator), work_url(world, world.profil)
    press_submit(animator, url, TEXT)
    assert press_submit(animator, url, TEXT, reason=KeepReason.CONSENTED.value).status_code == 302
    attempt = db.session.scalar(select(Attempt))
    confirmation = db.session.scalar(select(PersonalDataConfirmation))
    assert (confirmation.attempt_id, confirmation.reason, confirmation.found) == (
        attempt.id,
        KeepReason.CONSENTED,
        {"pesel": 1},
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.personal_data_confirmed"))
    assert event.actor_id == world.animator.id and event.details["reason"] == "consented"
    assert NUMBER not in str(event.details) and NUMBER not in str(confirmation.found)
    review = text_of(signed_in(app, world.trainer).get(f"/reviews/attempts/{attempt.id}/"))
    assert "Personal data check: PESEL number (1)" in review
    assert "The persons concerned consented" in review


def test_an_attachment_with_a_list_of_names_is_named_in_the_warning(app, world):
    animator, url = signed_in(app, world.animator), work_url(world, world.profil)
    attendance = docx(["Lista obecności", "Anna Kowalska", "Jan Nowak"])
    response = press_submit(animator, url, "Lista w załączniku.", files=[(io.BytesIO(attendance), "lista.docx")])
    page = text_of(response)
    assert count(Attempt) == 0
    assert "list of first names and surnames" in page and "in the file lista.docx" in page
    assert "Anna Kowalska" in page
    # the file stayed in the draft: confirming submits it with the attempt
    assert press_submit(animator, url, "Lista w załączniku.", reason="institution_data").status_code == 302
    assert [a.filename for a in db.session.scalar(select(Attempt)).attachments] == ["lista.docx"]


def test_an_unknown_reason_is_not_taken_as_a_confirmation(app, world):
    animator, url = signed_in(app, world.animator), work_url(world, world.profil)
    response = press_submit(animator, url, TEXT, reason="bo-tak")
    assert response.status_code == 200 and count(Attempt) == 0
