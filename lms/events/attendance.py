"""Attendance: the trainer (or programme staff) marks each participant present or absent; attended training
hours count toward the person's progress and, where programme.yaml asks for it, toward the person certificate."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager

from lms.accounts.models import User
from lms.audit.services import record
from lms.base import utcnow
from lms.content.models import Module, Programme
from lms.content.spec import EventKind
from lms.events.models import Event, Registration, RegistrationStatus
from lms.extensions import db


class AttendanceError(ValueError):
    """Attendance the rules refuse; the message is for whoever takes it."""


def take_attendance(event: Event, present: dict[int, bool], by: User) -> int:
    """Record present/absent for registered participants (by registration id); returns how many were marked.
    Ids of anyone not registered for this event are ignored, so a forged form changes nothing else."""
    if event.cancelled:
        raise AttendanceError(_("The event has been cancelled."))
    if event.starts_at > utcnow():
        raise AttendanceError(_("Attendance can be taken once the event has started."))
    marked = 0
    now = utcnow()
    for was_present in (True, False):
        ids = sorted(rid for rid, value in present.items() if value is was_present)
        if not ids:
            continue
        marked += db.session.execute(
            update(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.REGISTERED,
                Registration.id.in_(ids),
            )
            .values(attended=was_present, attendance_marked_by_id=by.id, attendance_marked_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
    record(by, "event.attendance", event, marked=marked, present=sum(present.values()))
    return marked


def expected_training_hours(programme: Programme, level: int) -> float:
    """The level's training hours as programme.yaml declares them (per module: hours × the level's modules)."""
    rules = [
        r for r in programme.events or [] if r["kind"] == EventKind.TRAINING and r["level"] == level and r["hours"]
    ]
    if not rules:
        return 0.0
    modules = 0
    if any(r["per_module"] for r in rules):
        modules = db.session.scalar(
            select(func.count(Module.id)).where(
                Module.programme_id == programme.id, Module.level_number == level, Module.retired.is_(False)
            )
        )
    return float(sum(r["hours"] * (modules if r["per_module"] else 1) for r in rules))


def attended_hours(user_id: int, edition_id: int, level: int | None = None, kind: EventKind | None = None) -> float:
    """Hours of the edition's events the person was marked present at (cancelled events count for nothing)."""
    statement = (
        select(func.coalesce(func.sum(Event.hours), 0))
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.user_id == user_id,
            Registration.attended.is_(True),
            Registration.status == RegistrationStatus.REGISTERED,
            Event.edition_id == edition_id,
            Event.cancelled_at.is_(None),
        )
    )
    if level is not None:
        statement = statement.where(Event.level == level)
    if kind is not None:
        statement = statement.where(Event.kind == kind)
    return float(db.session.scalar(statement))


@dataclass
class AttendanceStanding:
    """Where a person stands toward an attendance requirement, in hours."""

    percent_required: int
    expected_hours: float
    attended_hours: float

    @property
    def required_hours(self) -> float:
        return self.expected_hours * self.percent_required / 100

    @property
    def missing_hours(self) -> float:
        return max(0.0, self.required_hours - self.attended_hours)

    @property
    def met(self) -> bool:
        # Compared in hundredths of an hour, so 12.8 of 16 hours (80 %) is not lost to float rounding.
        return round(self.attended_hours * 100) >= round(self.required_hours * 100)


def attendance_standing(user_id: int, programme: Programme, edition_id: int) -> AttendanceStanding | None:
    """The person's standing toward the person certificate's attendance rule (None: the rule asks none)."""
    rule = (programme.certificates or {}).get("person") or {}
    percent = rule.get("min_attendance_percent")
    if not percent:
        return None
    level = rule["level"]
    return AttendanceStanding(
        percent_required=percent,
        expected_hours=expected_training_hours(programme, level),
        attended_hours=attended_hours(user_id, edition_id, level=level, kind=EventKind.TRAINING),
    )


def participants_for_attendance(event_id: int) -> list[Registration]:
    """Registered participants (not the waiting list), by name, for the attendance page."""
    return db.session.scalars(
        select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.REGISTERED)
        .options(contains_eager(Registration.user))
        .order_by(User.name, User.id)
    ).all()
