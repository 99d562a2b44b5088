"""``flask privacy purge``: replace evidence files kept longer than the programme allows by tombstones."""

import click
from flask.cli import AppGroup

from lms.rights.retention import purge_expired

privacy_cli = AppGroup("privacy", help="Personal data: retention of evidence files.")


@privacy_cli.command("purge")
def purge_command() -> None:
    """Tombstone every evidence file whose retention period has passed (safe to run repeatedly)."""
    click.echo(f"purged {purge_expired()} file(s)")
