"""Telling people what happened: in-app notifications, and e-mail (trainers get at most one digest an hour)."""

from datetime import timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from lms.accounts.models import User
from lms.base import utcnow
from lms.extensions import db
from lms.mail.services import queue_mail
from lms.notifications.models import DigestLog, Notification
from lms.urls import absolute_url, path_for

DIGEST_INTERVAL = timedelta(hours=1)


def notify(user_id: int, message: str, link: str = "", digest_pending: bool = False) -> None:
    """Add an in-app notification; the caller commits."""
    db.session.add(Notification(user_id=user_id, message=message[:500], link=link, digest_pending=digest_pending))


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
            ngettext(
                "Akademia CAL: %(num)s new attempt to review",
                "Akademia CAL: %(num)s new attempts to review",
                len(pending),
            ),
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
