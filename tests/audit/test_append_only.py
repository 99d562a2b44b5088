"""On PostgreSQL the audit log is append-only: a trigger refuses UPDATE and DELETE of its rows, whoever asks.
(The suite's tables get the trigger the migration installs; SQLite has no such guard and skips this.)"""

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.audit.services import record
from lms.extensions import db


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")


@pytest.fixture
def logged(postgresql_only, make_user):
    admin = make_user(Role.ADMIN)
    event = record(admin, "user.updated", admin, roles="admin")
    db.session.commit()
    return event.id


def _refused(statement) -> str:
    with pytest.raises(DBAPIError) as refused:
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()
    return str(refused.value)


def test_an_audit_row_cannot_be_updated(logged):
    message = _refused(update(AuditEvent).where(AuditEvent.id == logged).values(action="user.nothing"))
    assert "append-only" in message and "UPDATE" in message
    assert _refused(text("UPDATE audit_event SET details = '{}'")).count("append-only") == 1
    assert db.session.get(AuditEvent, logged).action == "user.updated"


def test_an_audit_row_cannot_be_deleted(logged):
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    message = _refused(delete(AuditEvent).where(AuditEvent.id == logged))
    assert "append-only" in message and "DELETE" in message
    assert _refused(text("DELETE FROM audit_event")).count("append-only") == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_new_rows_are_still_added(logged):
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    record(None, "file.purged", db.session.get(AuditEvent, logged))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before + 1
