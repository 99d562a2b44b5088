"""The one mail module: requests record messages in the outbox; a job delivers them by SMTP.

A request never talks to the SMTP server: it only adds outbox rows in its own transaction, so a
message exists exactly when the change it reports was committed. ``deliver_pending`` (run by
``flask mail deliver`` and every minute by ``flask jobs run``) claims due messages first, so two
senders never send one message twice, and retries failures later and later.
"""

import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, select, update

from lms.base import utcnow
from lms.extensions import db
from lms.mail.models import OutboxMessage

BATCH = 100
CLAIM = timedelta(minutes=10)  # a sender that died mid-batch leaves its messages to others after this
MAX_ATTEMPTS = 10
_FAILURES = (OSError, smtplib.SMTPException)


def queue_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (so it exists only if the change commits)."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    current_app.logger.info("Mail to %s queued: %s", recipient, subject)
    return message


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0


def _claim(limit: int) -> list[OutboxMessage]:
    """Mark up to ``limit`` due messages as this sender's, committed, and return them. On PostgreSQL rows
    another sender is claiming are skipped (SKIP LOCKED); SQLite runs one writer at a time."""
    now = utcnow()
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claim = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(claimed_until=now + CLAIM)
        .returning(OutboxMessage.id)
    )
    ids = db.session.scalars(claim, execution_options={"synchronize_session": False}).all()
    db.session.commit()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)).all()


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    return email


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"], timeout=10)
    if config["MAIL_SMTP_STARTTLS"]:
        smtp.starttls()
    if config.get("MAIL_SMTP_USER"):
        smtp.login(config["MAIL_SMTP_USER"], config["MAIL_SMTP_PASSWORD"])
    return smtp


def _failed(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.next_attempt_at = utcnow() + retry_delay(message.attempts)
    message.claimed_until = None
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    db.session.commit()
    current_app.logger.warning("Mail %s to %s not delivered (attempt %s): %s", message.id, message.recipient,
                               message.attempts, message.last_error)  # fmt: skip


def deliver_pending(limit: int = BATCH) -> Delivery:
    """Send due outbox messages when SMTP is configured (LMS_SMTP_HOST); unsent ones wait for the next run."""
    delivery = Delivery()
    if not current_app.config.get("MAIL_SMTP_HOST"):
        return delivery
    messages = _claim(limit)
    if not messages:
        return delivery
    try:
        smtp = _connect()
    except _FAILURES as error:
        for message in messages:
            _failed(message, error)
        delivery.failed = len(messages)
        return delivery
    with smtp:
        for message in messages:
            try:
                smtp.send_message(_email(message))
            except _FAILURES as error:
                _failed(message, error)
                delivery.failed += 1
            else:
                message.sent_at, message.claimed_until = utcnow(), None
                db.session.commit()
                delivery.sent += 1
    return delivery
