"""Telling people about an event: an in-app notification and an e-mail, in Polish, in the caller's transaction."""

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.events.models import Event, Registration, RegistrationStatus
from lms.extensions import db
from lms.mail.services import queue_mail
from lms.notifications.services import notify
from lms.urls import absolute_url, path_for


def described(event: Event) -> dict:
    """The title, start and place of an event, for messages."""
    return {
        "title": event.title,
        "when": format_datetime(event.starts_at, "d MMMM y, HH:mm"),
        "where": event.place or event.online_url,
    }


def tell_participants(event: Event, message, statuses=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)):
    """Notify everyone registered (and waiting) in the app and by e-mail; ``message`` is built in Polish."""
    people = db.session.scalars(
        select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(Registration.event_id == event.id, Registration.status.in_(statuses))
        .order_by(User.id)
    ).all()
    for person in people:
        tell(person, event, message)


def tell(person: User, event: Event, message) -> None:
    """One person: an in-app notification and an e-mail with a link to the event."""
    link = path_for("events.show", event_id=event.id)
    with force_locale("pl"):
        text = message()
        notify(person.id, text, link)
        queue_mail(
            person.email,
            _("Akademia CAL: %(title)s", title=event.title),
            _(
                "Hello %(name)s,\n\n%(text)s\n\nThe event: %(link)s\n",
                name=person.name,
                text=text,
                link=absolute_url(link),
            ),
        )
