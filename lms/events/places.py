"""Places at an event: registering staff, the waiting list, and handing a freed place to the first one waiting.

Capacity is enforced by the database, not by what a page last showed: every change to an event's places first
takes the event row's lock and only then counts. On PostgreSQL that is ``SELECT … FOR UPDATE`` on the event row,
so concurrent registrations for one event count one after another. SQLite has one writer at a time, and its
driver begins a transaction at the first write, so there the lock is a write to the event row, made before the
count (a plain SELECT would not hold the writer lock and two registrations could both count 19 of 20).
"""

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.audit.services import record
from lms.base import utcnow
from lms.editions.models import edition_institution
from lms.events.models import Event, Registration, RegistrationStatus
from lms.events.notices import described, tell
from lms.extensions import db
from lms.institutions.models import Institution


class PlaceError(ValueError):
    """A registration the rules refuse; the message is for the person who tried it."""


def lock_event(event_id: int) -> None:
    """Wait until no other transaction is changing this event's places (see the module docstring)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())
    else:
        db.session.execute(
            update(Event).where(Event.id == event_id).values(sequence=Event.sequence),
            execution_options={"synchronize_session": False},
        )


def registered_count(event_id: int) -> int:
    """Places taken."""
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.REGISTERED
        )
    )


def place_counts(event_id: int) -> dict[RegistrationStatus, int]:
    """Registrations by status (registered, waiting, withdrawn), in one statement."""
    rows = db.session.execute(
        select(Registration.status, func.count(Registration.id))
        .where(Registration.event_id == event_id)
        .group_by(Registration.status)
    )
    return {**dict.fromkeys(RegistrationStatus, 0), **dict(rows.all())}


def register(event: Event, person: User, by: User) -> Registration:
    """Give ``person`` a place, or a place on the waiting list when the event is full; audited."""
    if event.cancelled:
        raise PlaceError(_("The event has been cancelled."))
    if event.ends_at <= utcnow():
        raise PlaceError(_("The event is over."))
    if (
        not person.active
        or person.institution_id is None
        or not db.session.scalar(
            select(edition_institution.c.institution_id).where(
                edition_institution.c.edition_id == event.edition_id,
                edition_institution.c.institution_id == person.institution_id,
            )
        )
    ):
        raise PlaceError(_("Only staff of institutions taking part in the edition can be registered."))
    lock_event(event.id)
    registration = db.session.scalar(
        select(Registration).where(Registration.event_id == event.id, Registration.user_id == person.id)
    )
    if registration is not None and registration.status != RegistrationStatus.WITHDRAWN:
        raise PlaceError(_("%(name)s is already registered.", name=person.name))
    status = (
        RegistrationStatus.REGISTERED if registered_count(event.id) < event.capacity else RegistrationStatus.WAITING
    )
    if registration is None:
        registration = Registration(event_id=event.id, user_id=person.id, status=status, registered_by_id=by.id)
        db.session.add(registration)
    registration.status, registration.registered_by_id, registration.queued_at = status, by.id, utcnow()
    db.session.flush()
    record(by, "event.registered", event, person_id=person.id, status=status.value)
    return registration


def withdraw(registration: Registration, by: User) -> None:
    """Give up a place (or a place on the waiting list); a freed place goes to the first one waiting."""
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.WITHDRAWN:
        return
    registration.status = RegistrationStatus.WITHDRAWN
    record(by, "event.withdrawn", registration.event, person_id=registration.user_id)
    db.session.flush()
    fill_free_places(registration.event)


def fill_free_places(event: Event) -> list[Registration]:
    """Move people from the waiting list into free places, first come first served; each is told."""
    lock_event(event.id)
    if event.cancelled:
        return []
    free = event.capacity - registered_count(event.id)
    if free <= 0:
        return []
    promoted = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.queued_at, Registration.id)
        .limit(free)
        .options(joinedload(Registration.user))
    ).all()
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        tell(
            registration.user,
            event,
            lambda: _("A place has been freed for you at “%(title)s” (%(when)s, %(where)s).", **described(event)),
        )
    db.session.flush()
    return promoted


def registrations_of(event_id: int, institution_id: int | None = None) -> Select:
    """The event's registrations (all, or one institution's), registered first, then the waiting list in order:
    a statement of the columns the event page shows, which it pages (a training may gather hundreds)."""
    statement = (
        select(
            Registration.id,
            Registration.status,
            Registration.attended,
            User.name,
            User.institution_id,
            Institution.name.label("institution_name"),
        )
        .join(User, User.id == Registration.user_id)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .where(Registration.event_id == event_id, Registration.status != RegistrationStatus.WITHDRAWN)
        .order_by(Registration.status, Registration.queued_at, Registration.id)
    )
    if institution_id is not None:
        statement = statement.where(User.institution_id == institution_id)
    return statement


def place_of(event_id: int, user_id: int) -> RegistrationStatus | None:
    """The person's own place at the event: registered, waiting, or None (never registered, or withdrawn)."""
    return db.session.scalar(
        select(Registration.status).where(
            Registration.event_id == event_id,
            Registration.user_id == user_id,
            Registration.status != RegistrationStatus.WITHDRAWN,
        )
    )


def registrable_staff(event: Event, institution_id: int) -> list[User]:
    """The institution's active people not yet registered (or waiting) for the event."""
    taken = select(Registration.user_id).where(
        Registration.event_id == event.id, Registration.status != RegistrationStatus.WITHDRAWN
    )
    return db.session.scalars(
        select(User)
        .where(User.institution_id == institution_id, User.active.is_(True), User.id.not_in(taken))
        .order_by(User.name, User.id)
    ).all()
