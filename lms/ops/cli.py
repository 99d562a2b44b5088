"""``flask backup create|verify|restore DIR``."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from lms.ops.backup import BackupError, create_backup, restore_backup, verify_backup

backup_cli = AppGroup("backup", help="Back up, verify and restore the database (uploaded files included).")
_folder = click.argument("directory", type=click.Path(file_okay=False, path_type=Path))


def _summary(manifest: dict) -> str:
    rows = sum(table["rows"] for table in manifest["tables"].values())
    return _(
        "%(tables)s tables, %(rows)s rows, %(files)s stored files (%(bytes)s bytes), schema %(revision)s.",
        tables=len(manifest["tables"]),
        rows=rows,
        files=manifest["stored_files"]["count"],
        bytes=manifest["stored_files"]["bytes"],
        revision=manifest["schema_revision"] or "–",
    )


def _run(action, directory: Path, done: str) -> None:
    try:
        manifest = action(directory)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:  # a folder the service user may not write (README: /var/backups/akademia-cal)
        raise click.ClickException(
            _("Cannot use %(path)s: %(reason)s.", path=error.filename or directory, reason=error.strerror or error)
        ) from error
    click.echo(done)
    click.echo(_summary(manifest))


@backup_cli.command("create")
@_folder
def create_command(directory: Path) -> None:
    """Write a consistent backup into DIRECTORY (new or empty)."""
    _run(create_backup, directory, _("Backup written to %(dir)s.", dir=directory))


@backup_cli.command("verify")
@_folder
def verify_command(directory: Path) -> None:
    """Check the backup in DIRECTORY without restoring it."""
    _run(verify_backup, directory, _("The backup in %(dir)s is intact.", dir=directory))


@backup_cli.command("restore")
@_folder
def restore_command(directory: Path) -> None:
    """Restore the backup in DIRECTORY into the configured database, which must be empty."""
    _run(restore_backup, directory, _("The backup from %(dir)s was restored and matches its manifest.", dir=directory))
