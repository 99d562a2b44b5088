"""``flask courses check|import [PATH]``: validate and import course folders. It lives in learning because an
import also recomputes, in its transaction, the module completions that depend on which assignments count."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.content.importer import ImportReport, check_courses, import_courses
from lms.learning import completions

courses_cli = AppGroup("courses", help="Validate and import course content (Markdown + YAML).")


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["COURSES_PATH"])


def _fail_with(errors) -> None:
    for error in errors:
        click.echo(str(error), err=True)
    summary = ngettext("%(num)s error; nothing was changed.", "%(num)s errors; nothing was changed.", len(errors))
    click.echo(summary, err=True)
    raise SystemExit(1)


@courses_cli.command("check")
@click.argument("path", required=False)
def check_command(path: str | None) -> None:
    """Validate course files without importing them."""
    errors = check_courses(_root(path))
    if errors:
        _fail_with(errors)
    click.echo(_("No errors found."))


@courses_cli.command("import")
@click.argument("path", required=False)
def import_command(path: str | None) -> None:
    """Validate, then import all programmes in one transaction."""
    report = import_courses(_root(path), recompute_derived=completions.rebuild)
    if report.errors:
        _fail_with(report.errors)
    _print_report(report)


def _print_report(report: ImportReport) -> None:
    lines = [
        (_("New programme"), report.programmes_created),
        (_("Programme settings updated"), report.programmes_updated),
        (_("New module"), report.modules_created),
        (_("New module version"), report.modules_versioned),
        (_("Module restored"), report.modules_restored),
        (_("Module retired"), report.modules_retired),
    ]
    for label, names in lines:
        for name in names:
            click.echo(f"{label}: {name}")
    if not report.changed:
        click.echo(_("No changes: the database already matches the course files."))
    unchanged = report.modules_unchanged
    click.echo(ngettext("%(num)s module unchanged.", "%(num)s modules unchanged.", unchanged))
