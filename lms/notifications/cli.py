"""``flask notifications digests``: send trainers' due digests (run hourly from cron)."""

import click
from flask.cli import AppGroup

from lms.notifications.services import send_due_digests

notifications_cli = AppGroup("notifications", help="Notifications and e-mail digests.")


@notifications_cli.command("digests")
def digests_command() -> None:
    """Queue every due digest (``flask jobs run`` does this every minute, then delivers the outbox)."""
    click.echo(f"Digests: {send_due_digests()}")
