"""Level II support: consultations with agreed actions (consulting.py), the monitoring thread
(monitoring_thread.py) and indicator reports (indicator_reporting.py). What they share is here: who is involved,
and the checks and notices every one of them makes.

The rules live in those modules (no Flask request objects): views translate HTTP into their calls. Every change
adds its audit event and notifications to the caller's transaction; the caller commits.
"""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User, UserRole
from lms.content.models import Programme
from lms.editions.dates import joined_on
from lms.editions.models import Edition, edition_institution, edition_trainer
from lms.extensions import db
from lms.institutions.models import Institution
from lms.notifications.services import notify


class SupportError(ValueError):
    """A change the rules refuse; the message is for the person who tried it, shown by ``field`` if named."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def programmes_of(institution_id: int) -> list[Programme]:
    """Programmes of the editions the institution takes part in, by title."""
    editions = (
        select(Edition.programme_id)
        .join(edition_institution, edition_institution.c.edition_id == Edition.id)
        .where(edition_institution.c.institution_id == institution_id)
    )
    return db.session.scalars(
        select(Programme).where(Programme.id.in_(editions)).order_by(Programme.title, Programme.id)
    ).all()


def trainers_of(institution_id: int, programme_id: int) -> list[User]:
    """Active trainers of the programme's editions the institution takes part in (not its own staff)."""
    editions = (
        select(Edition.id)
        .join(edition_institution, edition_institution.c.edition_id == Edition.id)
        .where(edition_institution.c.institution_id == institution_id, Edition.programme_id == programme_id)
    )
    trainer_ids = select(edition_trainer.c.user_id).where(edition_trainer.c.edition_id.in_(editions))
    return db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.id.in_(trainer_ids), UserRole.role == Role.TRAINER, User.active.is_(True))
        .where(User.institution_id.is_(None) | (User.institution_id != institution_id))
        .order_by(User.id)
    ).all()


def notify_all(people: list[User], message: str, link: str) -> None:
    for person in people:
        notify(person.id, message, link)


def check_programme(institution: Institution, programme: Programme) -> None:
    if programme.id not in {p.id for p in programmes_of(institution.id)}:
        raise SupportError(_("The institution does not take part in this programme."))


def check_joined(institution: Institution, programme: Programme, day: date, message: str, field: str) -> None:
    """Refuse ``day`` (of the form's ``field``) when it is before the institution began the programme, i.e. the
    start of its first edition of it; ``message`` names that date with ``%(date)s``."""
    began = joined_on(institution.id, programme.id)
    if began is not None and day < began:
        raise SupportError(message % {"date": format_date(began, "long")}, field)


def clean_text(text: str | None) -> str:
    """Browsers send text-area line breaks as CRLF; store plain newlines without surrounding space."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
