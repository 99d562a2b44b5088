"""Recording audit events; the caller commits them together with the change."""

from lms.audit.models import AuditEvent
from lms.extensions import db


def record(actor, action: str, obj, **details) -> AuditEvent:
    """Add an audit event for ``action`` by ``actor`` on ``obj`` to the current transaction."""
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
