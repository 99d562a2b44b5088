"""Scheduling events: create, change (move) and cancel, telling the participants.

The rules only (no Flask request objects); each change adds its audit event, notifications and e-mails to the
caller's transaction, and the caller commits.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.audit.services import record
from lms.base import utc_to_polish, utcnow
from lms.content.models import Module
from lms.content.spec import EventKind
from lms.editions.dates import edition_dates, within_edition
from lms.editions.models import Edition, edition_institution, edition_trainer
from lms.events.models import Event
from lms.events.notices import described, tell_participants
from lms.events.places import fill_free_places
from lms.extensions import db
from lms.rendering import render_typed_markdown

MAX_CAPACITY = 500
MAX_HOURS = 100
MAX_AGENDA_LENGTH = 20_000
MAX_LENGTH = timedelta(days=14)


class EventError(ValueError):
    """A change the rules refuse; the message is for the person who tried it, shown by ``field`` if named."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class EventInput:
    """An event as entered (times in UTC)."""

    kind: EventKind
    title: str
    starts_at: datetime
    ends_at: datetime
    hours: float
    capacity: int
    place: str = ""
    online_url: str = ""
    level: int | None = None
    module_id: int | None = None
    host_institution_id: int | None = None
    trainer_id: int | None = None
    agenda: str = ""


def _check(edition: Edition, data: EventInput, event: Event | None = None) -> None:
    if not data.title.strip():
        raise EventError(_("Give the event a title."))
    if data.ends_at <= data.starts_at:
        raise EventError(_("The event must end after it starts."))
    if data.ends_at - data.starts_at > MAX_LENGTH:
        raise EventError(_("An event lasts at most 14 days."))
    # As with due dates: a time set before the edition's dates changed stays valid until someone moves the event.
    unmoved = event is not None and (event.starts_at, event.ends_at) == (data.starts_at, data.ends_at)
    first, last = utc_to_polish(data.starts_at).date(), utc_to_polish(data.ends_at).date()
    if not unmoved and not within_edition(edition, first, last):
        raise EventError(
            _("The event must take place within the edition, from %(start)s to %(end)s.", **edition_dates(edition)),
            "starts_at",
        )
    if not 0 < data.hours <= MAX_HOURS:
        raise EventError(_("The hours must be more than 0 and at most %(count)s.", count=MAX_HOURS))
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise EventError(_("The number of places must be from 1 to %(count)s.", count=MAX_CAPACITY))
    if not data.place.strip() and not data.online_url.strip():
        raise EventError(_("Give a place or an online link."))
    if data.online_url and not data.online_url.startswith(("https://", "http://")):
        raise EventError(_("The online link must start with https://."))
    if len(data.agenda) > MAX_AGENDA_LENGTH:
        raise EventError(_("The agenda is too long (at most %(count)s characters).", count=MAX_AGENDA_LENGTH))
    if data.level is not None and data.level not in {level.number for level in edition.programme.levels}:
        raise EventError(_("The programme has no such level."))
    if data.module_id is not None:
        module = db.session.get(Module, data.module_id)
        if module is None or module.programme_id != edition.programme_id:
            raise EventError(_("The module is not part of this edition's programme."))
    if data.host_institution_id is not None and not db.session.scalar(
        select(edition_institution.c.institution_id).where(
            edition_institution.c.edition_id == edition.id,
            edition_institution.c.institution_id == data.host_institution_id,
        )
    ):
        raise EventError(_("The host institution does not take part in this edition."))
    if data.trainer_id is not None and not db.session.scalar(
        select(edition_trainer.c.user_id).where(
            edition_trainer.c.edition_id == edition.id, edition_trainer.c.user_id == data.trainer_id
        )
    ):
        raise EventError(_("The trainer is not a trainer of this edition."))


def _apply(event: Event, data: EventInput) -> None:
    event.kind = EventKind(data.kind)
    event.title = data.title.strip()
    event.level = data.level
    event.module_id = data.module_id
    event.starts_at, event.ends_at = data.starts_at, data.ends_at
    event.hours = data.hours
    event.capacity = data.capacity
    event.place, event.online_url = data.place.strip(), data.online_url.strip()
    event.host_institution_id, event.trainer_id = data.host_institution_id, data.trainer_id
    event.agenda = data.agenda.strip()
    event.agenda_html = render_typed_markdown(event.agenda)
    event.updated_at = utcnow()


def create_event(edition: Edition, data: EventInput, actor: User) -> Event:
    """Schedule an event in the edition; audited."""
    _check(edition, data)
    event = Event(edition_id=edition.id, sequence=0)
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    record(actor, "event.created", event, edition_id=edition.id, kind=event.kind.value)
    return event


def change_event(event: Event, data: EventInput, actor: User) -> bool:
    """Save changes; when the time or place changed (a move), participants are told in the app and by e-mail.
    Returns whether it was a move. Places freed by a larger capacity go to those waiting."""
    if event.cancelled:
        raise EventError(_("A cancelled event cannot be changed."))
    _check(event.edition, data, event)
    before = (event.starts_at, event.ends_at, event.place, event.online_url)
    _apply(event, data)
    moved = before != (event.starts_at, event.ends_at, event.place, event.online_url)
    if moved:
        event.sequence += 1
    record(actor, "event.moved" if moved else "event.changed", event, starts_at=event.starts_at.isoformat())
    if moved:
        tell_participants(
            event,
            lambda: _("The event “%(title)s” has moved: now %(when)s, %(where)s.", **described(event)),
        )
    fill_free_places(event)
    return moved


def cancel_event(event: Event, actor: User) -> bool:
    """Cancel the event (once); participants and those waiting are told. False when it was already cancelled."""
    if event.cancelled:
        return False
    event.cancelled_at = utcnow()
    event.sequence += 1
    record(actor, "event.cancelled", event)
    tell_participants(
        event, lambda: _("The event “%(title)s” planned for %(when)s has been cancelled.", **described(event))
    )
    return True


def events_of(edition_id: int, include_cancelled: bool = True) -> list[Event]:
    """The edition's events in time order, with their trainer and host."""
    statement = (
        select(Event)
        .where(Event.edition_id == edition_id)
        .options(joinedload(Event.trainer), joinedload(Event.host_institution))
        .order_by(Event.starts_at, Event.id)
    )
    if not include_cancelled:
        statement = statement.where(Event.cancelled_at.is_(None))
    return db.session.scalars(statement).all()
