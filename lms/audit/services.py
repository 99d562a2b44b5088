"""Recording audit events; the caller commits them together with the change."""

from sqlalchemy import insert
from werkzeug.local import LocalProxy

from lms.audit.models import AuditEvent
from lms.base import utcnow
from lms.extensions import db


def record(actor, action: str, obj, **details) -> AuditEvent:
    """Add an audit event for ``action`` by ``actor`` on ``obj`` to the current transaction.

    ``details`` name objects by id and describe the change; they never hold a person's name or e-mail
    (the log is append-only, so an erasure could not remove them again)."""
    if isinstance(obj, LocalProxy):  # ``current_user``: the log names the person, never the proxy's class
        obj = obj._get_current_object()
    db.session.flush()  # so a new ``obj`` has its id
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        details={key: str(value) for key, value in details.items()},
    )
    db.session.add(event)
    return event


def _access_row(actor_id: int | None, action: str, object_type: str, object_id: int | None):
    return insert(AuditEvent).values(
        at=utcnow(), actor_id=actor_id, action=action, object_type=object_type, object_id=object_id, details={}
    )


def record_access(actor_id: int | None, action: str, object_type: str, object_id: int | None) -> None:
    """Log an access (a sign-in, an export) in the request's transaction: one INSERT; the caller commits."""
    db.session.execute(_access_row(actor_id, action, object_type, object_id))


def record_read(actor_id: int, action: str, object_type: str, object_id: int) -> None:
    """Log that someone read another person's work or file: one INSERT in a transaction of its own.

    Committed at once on its own connection, so the page's session is neither committed nor expired (nothing
    it loaded is read again) and the write lock is held for this one statement. For requests that have not
    written (GET pages and downloads): on SQLite a request holding the write lock would wait for itself."""
    with db.engine.begin() as connection:
        connection.execute(_access_row(actor_id, action, object_type, object_id))
