"""The privacy notice is shown from the first sign-in until the person closes it."""

from sqlalchemy import select

from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.privacy.services import notice_seen_of
from tests.conftest import csrf_token
from tests.learning.test_cycle import signed_in, text_of

HEADING = "How we process your personal data"


def test_the_notice_greets_a_person_at_first_sign_in_until_they_close_it(app, client, world):
    assert HEADING not in text_of(client.get("/verify/"))  # not for visitors
    animator = signed_in(app, world.animator)
    page = animator.get("/").get_data(as_text=True)
    assert HEADING in text_of(animator.get("/"))
    response = animator.post("/privacy/seen", data={"csrf_token": csrf_token(page), "next": "/certificates/"})
    assert response.status_code == 302 and response.location.endswith("/certificates/")
    assert HEADING not in text_of(animator.get("/"))
    assert HEADING not in text_of(signed_in(app, world.animator).get("/"))  # nor in a new browser
    assert HEADING in text_of(signed_in(app, world.coordinator).get("/"))  # others still see it
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy_notice.seen"))
    assert event.actor_id == world.animator.id


def test_closing_the_notice_never_redirects_off_site(app, world):
    animator = signed_in(app, world.animator)
    token = csrf_token(animator.get("/").get_data(as_text=True))
    response = animator.post("/privacy/seen", data={"csrf_token": token, "next": "//evil.example/"})
    assert response.location == "/"


def test_closing_the_notice_twice_records_it_once_and_one_helper_answers_both_readers(app, world):
    """The sign-in statement and a lone question ask the same helper (``notice_seen_of``) and agree."""
    person_id = world.animator.id
    assert db.session.scalar(select(notice_seen_of(person_id))) is False
    animator = signed_in(app, world.animator)
    for _ in range(2):
        token = csrf_token(animator.get("/").get_data(as_text=True))
        assert animator.post("/privacy/seen", data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(select(notice_seen_of(person_id))) is True
    seen_with_the_person = db.session.execute(select(User.id, notice_seen_of(User.id)).order_by(User.id)).all()
    assert dict(seen_with_the_person) == {pid: pid == person_id for pid, _seen in seen_with_the_person}
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy_notice.seen")).all()
    assert len(events) == 1
