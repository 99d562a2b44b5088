"""Telling the people whose work was decided on."""

from sqlalchemy import select

from lms.accounts.models import Role, User, UserRole
from lms.editions.models import Enrolment
from lms.extensions import db
from lms.learning.models import Work
from lms.mail.services import queue_mail
from lms.notifications.services import notify
from lms.urls import absolute_url


def decision_made(work: Work, message: str, link: str) -> None:
    """Tell the learner (or, for a deliverable, the institution's staff taking part and its coordinators)."""
    if work.learner_id is not None:
        recipients = [work.learner]
    else:
        taking_part = select(Enrolment.user_id).where(Enrolment.edition_id == work.edition_id)
        coordinators = select(UserRole.user_id).where(UserRole.role == Role.COORDINATOR)
        recipients = db.session.scalars(
            select(User).where(
                User.institution_id == work.institution_id,
                User.active.is_(True),
                User.id.in_(taking_part) | User.id.in_(coordinators),
            )
        ).all()
    for person in recipients:
        notify(person.id, message, link)
        queue_mail(person.email, message, f"{message}\n\n{absolute_url(link)}\n")
