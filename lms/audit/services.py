"""Recording audit events; the caller commits them together with the change."""

from sqlalchemy import insert

from lms.audit.models import AuditEvent
from lms.base import utcnow
from lms.extensions import db


def record(actor, action: str, obj, **details) -> AuditEvent:
    """Add an audit event for ``action`` by ``actor`` on ``obj`` to the current transaction.

    ``details`` name objects by id and describe the change; they never hold a person's name or e-mail
    (the log is append-only, so an erasure could not remove them again)."""
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


def record_access(actor_id: int | None, action: str, object_type: str, object_id: int | None) -> None:
    """Log that someone read something (an attempt, a file, an export): one INSERT, nothing read first.

    Views call it after the page is built and commit straight away, so the request writes one row and
    holds the write lock for that one statement; no other request waits on rows it reads."""
    db.session.execute(
        insert(AuditEvent).values(
            at=utcnow(), actor_id=actor_id, action=action, object_type=object_type, object_id=object_id, details={}
        )
    )
