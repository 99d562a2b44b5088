"""Telling the edition's eligible trainers that an attempt arrived (in the app, and by e-mail in a digest)."""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from lms.accounts.models import User
from lms.editions.models import edition_trainer
from lms.extensions import db
from lms.learning.models import Attempt, Work
from lms.notifications.models import Notification
from lms.notifications.services import notify, send_digest_if_due
from lms.urls import path_for


def reviewers_of(work: Work) -> list[User]:
    """The edition's trainers who may decide on this work (not members of its institution)."""
    return db.session.scalars(
        select(User)
        .join(edition_trainer, edition_trainer.c.user_id == User.id)
        .where(edition_trainer.c.edition_id == work.edition_id, User.active.is_(True))
        .where((User.institution_id.is_(None)) | (User.institution_id != work.institution_id))
    ).all()


def _owner_label(work: Work) -> str:
    return work.learner.name if work.learner is not None else work.institution.name


def arrival_message(number: int, owner: str, title: str) -> str:
    """What trainers read of an arrival: a first submission is new work, a later one a numbered version."""
    if number == 1:
        return _("New work from %(owner)s: %(title)s", owner=owner, title=title)
    return _("New attempt %(number)s from %(owner)s: %(title)s", number=number, owner=owner, title=title)


def work_decided(work: Work) -> None:
    """Trainers' arrival notices of the work disappear once anybody has decided on it: nothing is left to do."""
    arrival_links = [path_for("reviews.review", attempt_id=attempt_id) for attempt_id in _attempt_ids(work)]
    trainers = select(edition_trainer.c.user_id).where(edition_trainer.c.edition_id == work.edition_id)
    db.session.execute(
        delete(Notification).where(Notification.user_id.in_(trainers), Notification.link.in_(arrival_links))
    )


def _attempt_ids(work: Work) -> list[int]:
    return db.session.scalars(select(Attempt.id).where(Attempt.work_id == work.id)).all()


def attempt_arrived(attempt: Attempt) -> None:
    """Tell the edition's eligible trainers; e-mail each at most once an hour (a digest)."""
    work = attempt.work
    review_link = path_for("reviews.review", attempt_id=attempt.id)
    with force_locale("pl"):
        message = arrival_message(attempt.number, _owner_label(work), attempt.assignment_version.title)
    for trainer in reviewers_of(work):
        notify(trainer.id, message, review_link, digest_pending=True)
    db.session.flush()
    for trainer in reviewers_of(work):
        send_digest_if_due(trainer)
