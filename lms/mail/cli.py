"""``flask mail deliver``: send what is waiting in the outbox (for cron, after an SMTP outage)."""

import click
from flask.cli import AppGroup

from lms.mail.services import deliver_pending

mail_cli = AppGroup("mail", help="The e-mail outbox.")


@mail_cli.command("deliver")
def deliver_command() -> None:
    """Deliver due messages by SMTP (needs LMS_SMTP_HOST); failures are retried later by the next run."""
    delivery = deliver_pending()
    click.echo(f"Delivered: {delivery.sent}, failed: {delivery.failed}")
