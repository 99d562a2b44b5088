"""Events of an edition (trainings, study visits, seminars, consultations, meetings) and registrations for them."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.base import enum_column, utcnow
from lms.content.models import Module
from lms.content.spec import EventKind
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.models import Institution


class Event(db.Model):
    """One scheduled event of an edition. Times are naive UTC, like every timestamp of the app."""

    __table_args__ = (Index("ix_event_edition_start", "edition_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, 20))
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[int | None]  # the programme level it belongs to (training hours count per level)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("module.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    hours: Mapped[float]  # teaching hours it counts for (a three-day training is not 72 hours)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    host_institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    capacity: Mapped[int]
    agenda: Mapped[str] = mapped_column(Text, default="")  # Markdown
    agenda_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitised once, when saved
    # Raised on every move, so calendar programs replace their copy (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    edition: Mapped[Edition] = relationship()
    module: Mapped[Module | None] = relationship()
    host_institution: Mapped[Institution | None] = relationship()
    trainer: Mapped[User | None] = relationship()

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"  # on the waiting list, in order of registration
    WITHDRAWN = "withdrawn"


class Registration(db.Model):
    """A person's place (or place on the waiting list) at an event, and whether they attended."""

    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_registration_event_status", "event_id", "status", "id"),
        Index("ix_registration_user", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus, 20))
    # Waiting lists are served in this order; a re-registration after withdrawing goes to the end.
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    attended: Mapped[bool | None]  # None until the trainer takes attendance
    attendance_marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    attendance_marked_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CalendarToken(db.Model):
    """The secret in a person's private calendar feed URL; resetting it makes the old URL stop working."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
