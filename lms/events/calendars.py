"""Calendars: one event as an .ics file, and each person's private feed of the events they are registered for
and the due dates of their modules' assignments still waiting to be accepted.

The feed is read by calendar programs without a session, so its URL carries a secret token; resetting the token
makes the old URL stop working. An event keeps its UID and raises its SEQUENCE when it moves or is cancelled, so
calendar programs update the copy they hold instead of adding a second one. A due date is an all-day entry
with a UID of its edition and module: moving it updates the entry, and once the work is accepted it leaves
the feed.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import Row, bindparam, or_, select

from lms.accounts.models import User
from lms.base import utcnow
from lms.content.models import AssignmentVersion, Module, ModuleKind, ModuleVersion, Programme
from lms.editions.deadlines import is_overdue
from lms.editions.models import Enrolment, ModuleDeadline
from lms.events.models import CalendarToken, Event, Registration, RegistrationStatus
from lms.extensions import db
from lms.learning.models import Work, WorkStatus
from lms.learning.progress import ACCEPTED, WorkSummary, module_status
from lms.urls import absolute_url, path_for

FEED_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Akademia CAL//events//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _host() -> str:
    return urlsplit(current_app.config["PUBLIC_URL"]).hostname or "akademia-cal"


def _component(event: Event, event_link: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"event-{event.id}@{_host()}")
    item.add("dtstamp", utcnow().replace(tzinfo=UTC))
    item.add("dtstart", event.starts_at.replace(tzinfo=UTC))
    item.add("dtend", event.ends_at.replace(tzinfo=UTC))
    item.add("summary", event.title)
    item.add("sequence", event.sequence)
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    item.add("location", event.place or event.online_url)
    item.add("url", event_link)
    item.add("description", f"{event.agenda}\n\n{event_link}".strip())
    return item


def event_ics(event: Event) -> bytes:
    """One event as an iCalendar file."""
    calendar = _calendar(event.title)
    calendar.add_component(_component(event, absolute_url(path_for("events.show", event_id=event.id))))
    return calendar.to_ical()


def feed_events(user_id: int) -> list[Event]:
    """Events the person is registered (or waiting) for, cancelled ones included so calendars drop them."""
    return db.session.scalars(
        select(Event)
        .join(Registration, Registration.event_id == Event.id)
        .where(Registration.user_id == user_id, Registration.status.in_(FEED_STATUSES))
        .order_by(Event.starts_at, Event.id)
    ).all()


@dataclass
class DueModule:
    """A module due in an edition the person is enrolled in, with its assignments and their accepted works."""

    edition_id: int
    module_id: int
    due_on: date
    updated_at: datetime
    title: str
    module_slug: str
    programme_slug: str
    kind: ModuleKind
    rows: dict[int, Row] = field(default_factory=dict)  # assignment id -> its row (``required``, ``assignment_id``)
    accepted: dict[int, WorkSummary] = field(default_factory=dict)  # assignment id -> its accepted work

    @property
    def assignments(self) -> list[Row]:
        """The assignments of the module's current version, as ``module_status`` reads them."""
        return list(self.rows.values())

    @property
    def overdue(self) -> bool:
        """Past its due date (the module is not accepted: ``due_modules`` lists no other)."""
        return is_overdue(self.due_on, self.done, self.kind is not ModuleKind.INTRODUCTION)

    @property
    def done(self) -> bool:
        """Accepted as progress shows the module: progress's own rule (``module_status``) decides."""
        works = [self.accepted.get(assignment.assignment_id) for assignment in self.assignments]
        return module_status(self, works, read=False) == ACCEPTED


# Built once with bound parameters, as progress's statements are: every calendar program polls the feed.
# Each row: a due date of an edition the person is enrolled in, one assignment of the module's current
# version, and the person's (or, for a deliverable, their institution's) accepted work on it, if any.
_DUE_MODULES = (
    select(
        ModuleDeadline.edition_id,
        ModuleDeadline.module_id,
        ModuleDeadline.due_on,
        ModuleDeadline.updated_at,
        ModuleVersion.title,
        Module.slug,
        Programme.slug.label("programme_slug"),
        Module.kind,
        AssignmentVersion.assignment_id,
        AssignmentVersion.required,
        Work.id.label("accepted_work_id"),
    )
    .join(Enrolment, Enrolment.edition_id == ModuleDeadline.edition_id)
    .join(Module, Module.id == ModuleDeadline.module_id)
    .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
    .join(Programme, Programme.id == Module.programme_id)
    .join(AssignmentVersion, AssignmentVersion.module_version_id == ModuleVersion.id)
    .outerjoin(
        Work,
        (Work.edition_id == ModuleDeadline.edition_id)
        & (Work.assignment_id == AssignmentVersion.assignment_id)
        & (Work.status == WorkStatus.ACCEPTED)
        & or_(
            Work.learner_id == bindparam("user_id"),
            Work.learner_id.is_(None) & (Work.institution_id == bindparam("institution_id")),
        ),
    )
    .where(Enrolment.user_id == bindparam("user_id"), Module.retired.is_(False))
    .order_by(ModuleDeadline.due_on, ModuleDeadline.edition_id, ModuleDeadline.module_id)
)


def due_modules(user: User) -> list[DueModule]:
    """Modules with a due date in the person's editions whose assignments are not all accepted yet, by date
    (one statement, however many editions and modules)."""
    found: dict[tuple[int, int], DueModule] = {}
    rows = db.session.execute(_DUE_MODULES, {"user_id": user.id, "institution_id": user.institution_id})
    for row in rows:
        key = (row.edition_id, row.module_id)
        due = found.get(key)
        if due is None:
            due = found[key] = DueModule(*row[:8])
        due.rows.setdefault(row.assignment_id, row)
        if row.accepted_work_id is not None:
            due.accepted[row.assignment_id] = WorkSummary(row.accepted_work_id, WorkStatus.ACCEPTED)
    return [due for due in found.values() if not due.done]


def _due_component(due: DueModule, module_link: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"deadline-{due.edition_id}-{due.module_id}@{_host()}")
    item.add("dtstamp", utcnow().replace(tzinfo=UTC))
    item.add("last-modified", due.updated_at.replace(tzinfo=UTC))
    item.add("dtstart", due.due_on)  # a date: an all-day entry
    item.add("dtend", due.due_on + timedelta(days=1))
    item.add("summary", _("Due: %(module)s", module=due.title))
    item.add("transp", "TRANSPARENT")  # a due date does not make the person busy
    item.add("url", module_link)
    item.add("description", module_link)
    return item


def feed_ics(user: User) -> bytes:
    """The person's private feed. Links are built once from a pattern: the feed may hold hundreds of events."""
    calendar = _calendar("Akademia CAL")
    marker = 987654321
    pattern = absolute_url(path_for("events.show", event_id=marker))
    for event in feed_events(user.id):
        calendar.add_component(_component(event, pattern.replace(str(marker), str(event.id))))
    for due in due_modules(user):
        link = absolute_url(path_for("content.module", slug=due.programme_slug, module_slug=due.module_slug))
        calendar.add_component(_due_component(due, link))
    return calendar.to_ical()


def token_of(user: User) -> str:
    """The person's feed token, made on first use; the caller commits."""
    row = db.session.get(CalendarToken, user.id)
    if row is None:
        row = CalendarToken(user_id=user.id, token=secrets.token_urlsafe(32))
        db.session.add(row)
        db.session.flush()
    return row.token


def reset_token(user: User) -> str:
    """A new secret: the old feed URL stops working; the caller commits."""
    row = db.session.get(CalendarToken, user.id)
    if row is None:
        return token_of(user)
    row.token, row.created_at = secrets.token_urlsafe(32), utcnow()
    return row.token


def owner_of(token: str) -> User | None:
    """The active person whose feed ``token`` opens (None: unknown, reset, or deactivated)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(User)
        .join(CalendarToken, CalendarToken.user_id == User.id)
        .where(CalendarToken.token == token, User.active.is_(True))
    )
