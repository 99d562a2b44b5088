"""Calendars: one event as an .ics file, and each person's private feed of the events they are registered for.

The feed is read by calendar programs without a session, so its URL carries a secret token; resetting the token
makes the old URL stop working. An event keeps its UID and raises its SEQUENCE when it moves or is cancelled, so
calendar programs update the copy they hold instead of adding a second one.
"""

import secrets
from datetime import UTC
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import select

from lms.accounts.models import User
from lms.base import utcnow
from lms.events.models import CalendarToken, Event, Registration, RegistrationStatus
from lms.extensions import db
from lms.urls import absolute_url, path_for

FEED_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Akademia CAL//events//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _component(event: Event, event_link: str) -> CalendarEvent:
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "akademia-cal"
    item = CalendarEvent()
    item.add("uid", f"event-{event.id}@{host}")
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


def feed_ics(user: User) -> bytes:
    """The person's private feed. Links are built once from a pattern: the feed may hold hundreds of events."""
    calendar = _calendar("Akademia CAL")
    marker = 987654321
    pattern = absolute_url(path_for("events.show", event_id=marker))
    for event in feed_events(user.id):
        calendar.add_component(_component(event, pattern.replace(str(marker), str(event.id))))
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
