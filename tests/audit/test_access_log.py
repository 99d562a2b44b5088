"""Reading another person's work leaves one audit row (who, what, when); reading one's own leaves none.
Sign-ins, failed sign-ins and role changes are logged too, without the password or the typed e-mail."""

from sqlalchemy import event, select

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, post_form


def _reads() -> list[tuple]:
    """(action, actor, object type, object id) of the logged reads, in order."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.in_(["attempt.viewed", "work.viewed", "attachment.downloaded"]))
        .order_by(AuditEvent.id)
    )
    return [(e.action, e.actor_id, e.object_type, e.object_id) for e in events]


def _signed_in(app, person):
    client = app.test_client()
    assert login(client, person).status_code == 302
    return client


def test_a_trainer_reading_an_attempt_and_its_file_is_logged(app, world):
    trainer, attempt, attachment = world["people"]["trainer"], world["work"].attempts[0], world["attachment"]
    client = _signed_in(app, trainer)
    assert client.get(f"/reviews/attempts/{attempt.id}/").status_code == 200
    assert client.get(f"/files/{attachment.id}").status_code == 200
    assert _reads() == [
        ("attempt.viewed", trainer.id, "Attempt", attempt.id),
        ("attachment.downloaded", trainer.id, "Attachment", attachment.id),
    ]
    logged = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.viewed"))
    assert logged.at is not None and logged.details == {}


def test_a_coordinator_reading_a_staff_members_work_is_logged(app, world):
    coordinator, work = world["people"]["coordinator"], world["work"]
    assert _signed_in(app, coordinator).get(f"/works/{work.id}/").status_code == 200
    assert _reads() == [("work.viewed", coordinator.id, "Work", work.id)]


def test_an_admin_reading_is_logged_and_the_author_reading_their_own_work_is_not(app, world):
    animator, admin, attachment = world["people"]["animator"], world["people"]["admin"], world["attachment"]
    own = _signed_in(app, animator)
    assert own.get(f"/files/{attachment.id}").status_code == 200
    assert own.get(f"/works/{world['work'].id}/").status_code == 302  # led to their one work page
    assert own.get(f"/editions/{world['edition'].id}/assignments/{world['work'].assignment_id}/").status_code == 200
    assert _reads() == []
    assert _signed_in(app, admin).get(f"/files/{attachment.id}").status_code == 200
    assert _reads() == [("attachment.downloaded", admin.id, "Attachment", attachment.id)]


def test_refused_readers_leave_no_read_in_the_log(app, world):
    other = _signed_in(app, world["people"]["trainer_other"])
    assert other.get(f"/reviews/attempts/{world['work'].attempts[0].id}/").status_code == 404
    assert other.get(f"/files/{world['attachment'].id}").status_code == 404
    assert _reads() == []


def test_the_review_page_adds_one_insert_and_nothing_else(app, world, count_queries):
    client = _signed_in(app, world["people"]["trainer"])
    url = f"/reviews/attempts/{world['work'].attempts[0].id}/"
    client.get(url)
    writes = []

    def remember(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement.split("(")[0].strip())

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert writes == ["INSERT INTO audit_event"]


def test_sign_ins_and_failed_sign_ins_are_logged_without_password_or_typed_address(app, world):
    animator = world["people"]["animator"]
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for email in (animator.email, "nieznany.adres@example.org"):
        response = client.post("/login", data={"email": email, "password": "Zle-haslo-123", "csrf_token": token})
        assert response.status_code == 200
    signing_in = {"email": animator.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=signing_in).status_code == 302
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("user.sign%")).order_by(AuditEvent.id))
    assert [(e.action, e.actor_id, e.object_id) for e in events] == [
        ("user.sign_in_failed", None, animator.id),
        ("user.sign_in_failed", None, None),
        ("user.signed_in", animator.id, animator.id),
    ]
    stored = str([(e.details, e.object_type) for e in db.session.scalars(select(AuditEvent))])
    assert "nieznany" not in stored and "Zle-haslo" not in stored and animator.email not in stored


def test_a_change_of_roles_is_logged_as_such(app, world):
    admin, animator = world["people"]["admin"], world["people"]["animator"]
    client = _signed_in(app, admin)
    url = f"/admin/people/{animator.id}/"
    data = {"name": animator.name, "roles": ["animator", "coordinator"], "institution": animator.institution_id}
    assert post_form(client, url, {**data, "active": "y"}).status_code == 302
    changed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.roles_changed"))
    assert (changed.actor_id, changed.object_type, changed.object_id) == (admin.id, "User", animator.id)
    assert changed.details == {"roles_before": "animator", "roles": "animator,coordinator"}
    db.session.expire_all()
    assert db.session.get(User, animator.id).has_role(Role.COORDINATOR)
