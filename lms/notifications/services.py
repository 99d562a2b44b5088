"""Telling people what happened: in-app notifications, and e-mail (trainers get at most one digest an hour)."""

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from lms.accounts.models import Role, User, UserRole
from lms.base import utcnow
from lms.editions.models import Enrolment, edition_trainer
from lms.extensions import db
from lms.learning.models import Attempt, Work
from lms.mail.services import queue_mail
from lms.notifications.models import DigestLog, Notification
from lms.urls import absolute_url, path_for

DIGEST_INTERVAL = timedelta(hours=1)


def notify(user_id: int, message: str, link: str = "", digest_pending: bool = False) -> None:
    """Add an in-app notification; the caller commits."""
    db.session.add(Notification(user_id=user_id, message=message[:500], link=link, digest_pending=digest_pending))


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


def send_digest_if_due(trainer: User) -> bool:
    """E-mail the trainer their pending arrivals unless a digest went out in the last hour."""
    log = db.session.get(DigestLog, trainer.id)
    now = utcnow()
    if log is not None and now - log.last_sent_at < DIGEST_INTERVAL:
        return False
    pending = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == trainer.id, Notification.digest_pending.is_(True))
        .order_by(Notification.id)
    ).all()
    if not pending:
        return False
    with force_locale("pl"):
        lines = "\n".join(f"- {n.message}" for n in pending)
        queue_mail(
            trainer.email,
            _("Akademia CAL: %(count)s new attempt(s) to review", count=len(pending)),
            _(
                "Hello %(name)s,\n\nnew attempts are waiting for your review:\n%(lines)s\n\nYour queue: %(link)s\n",
                name=trainer.name,
                lines=lines,
                link=absolute_url(path_for("reviews.queue")),
            ),
        )
    db.session.execute(
        update(Notification).where(Notification.id.in_([n.id for n in pending])).values(digest_pending=False)
    )
    if log is None:
        db.session.add(DigestLog(user_id=trainer.id, last_sent_at=now))
    else:
        log.last_sent_at = now
    return True


def send_due_digests() -> int:
    """Send every trainer's pending digest that is due (for cron: ``flask notifications digests``)."""
    trainer_ids = db.session.scalars(
        select(Notification.user_id).where(Notification.digest_pending.is_(True)).distinct()
    ).all()
    sent = sum(send_digest_if_due(db.session.get(User, trainer_id)) for trainer_id in trainer_ids)
    db.session.commit()
    return sent


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


def unread_count_of(user_id):
    """Unread notifications of ``user_id`` (a value or a column) as a scalar subquery (one indexed count)."""
    return (
        select(func.count(Notification.id))
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def unread_count(user_id: int) -> int:
    """Unread notifications, for the navigation badge."""
    return db.session.scalar(select(unread_count_of(user_id)))


def recent(user_id: int, limit: int = 50) -> list[Notification]:
    """The person's latest notifications."""
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc()).limit(limit)
    ).all()


def mark_all_read(user_id: int) -> None:
    """Mark every notification read; the caller commits."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
