"""Append-only record of every decision and every read of another person's work: who, what, when, to what."""

from datetime import datetime

from sqlalchemy import DDL, JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from lms.audit import append_only
from lms.base import utcnow
from lms.extensions import db


class AuditEvent(db.Model):
    """One decision or access. Written in the same transaction as the change it records; never updated.

    It names people and objects by id only (``details`` too): an erasure relabels the person's own row
    and leaves the log as it is."""

    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)


# Tables made by ``create_all`` (the tests) get the append-only trigger the migration gives real databases.
for _statement in (append_only.FUNCTION, append_only.TRIGGER):
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
