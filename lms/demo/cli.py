"""``flask demo load``: the demo data set that ``make run`` serves."""

import click
from flask import current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_command() -> None:
    """Import the course content (idempotent) for the demo."""
    from pathlib import Path

    from lms.content.importer import import_courses

    report = import_courses(Path(current_app.config["COURSES_PATH"]))
    for error in report.errors:
        click.echo(str(error), err=True)
    if report.errors:
        raise SystemExit(1)
    click.echo("Demo data ready.")
