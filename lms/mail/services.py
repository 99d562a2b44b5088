"""The one mail module: record every message in the outbox, deliver by SMTP when configured."""

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from lms.base import utcnow
from lms.extensions import db
from lms.mail.models import OutboxMessage


def queue_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (so it exists only if the change commits)."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    current_app.logger.info("Mail to %s queued: %s", recipient, subject)
    return message


def deliver_pending() -> int:
    """Send unsent outbox messages when SMTP is configured; return how many were sent."""
    host = current_app.config.get("MAIL_SMTP_HOST")
    if not host:
        return 0
    pending = db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).limit(100)).all()
    if not pending:
        return 0
    config = current_app.config
    with smtplib.SMTP(host, config["MAIL_SMTP_PORT"], timeout=10) as smtp:
        if config["MAIL_SMTP_STARTTLS"]:
            smtp.starttls()
        if config.get("MAIL_SMTP_USER"):
            smtp.login(config["MAIL_SMTP_USER"], config["MAIL_SMTP_PASSWORD"])
        for message in pending:
            email = EmailMessage()
            email["From"] = config["MAIL_SENDER"]
            email["To"] = message.recipient
            email["Subject"] = message.subject
            email.set_content(message.body)
            smtp.send_message(email)
            message.sent_at = utcnow()
            db.session.commit()
    return len(pending)


def commit_and_deliver() -> None:
    """Commit the caller's transaction, then try to deliver what it queued.

    Delivery failures are logged, never shown as errors: the message stays in the outbox
    and ``flask mail deliver`` sends it later.
    """
    db.session.commit()
    try:
        deliver_pending()
    except (OSError, smtplib.SMTPException):
        db.session.rollback()
        current_app.logger.exception("SMTP delivery failed; messages stay in the outbox")
