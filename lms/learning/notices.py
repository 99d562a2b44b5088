"""Telling the edition's eligible trainers that an attempt arrived (in the app, and by e-mail in a digest)."""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.editions.models import edition_trainer
from lms.extensions import db
from lms.learning.models import Attempt, Work
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


def attempt_arrived(attempt: Attempt) -> None:
    """Tell the edition's eligible trainers; e-mail each at most once an hour (a digest)."""
    work = attempt.work
    review_link = path_for("reviews.review", attempt_id=attempt.id)
    with force_locale("pl"):
        message = _(
            "New attempt %(number)s from %(owner)s: %(title)s",
            number=attempt.number,
            owner=_owner_label(work),
            title=attempt.assignment_version.title,
        )
    for trainer in reviewers_of(work):
        notify(trainer.id, message, review_link, digest_pending=True)
    db.session.flush()
    for trainer in reviewers_of(work):
        send_digest_if_due(trainer)
