"""``flask demo load``: the demo data set that ``make run`` serves, with its logins printed."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.certificates.lifecycle import issue_missing_credentials
from lms.content.importer import import_courses
from lms.credentials import keys
from lms.demo.data import demo_password, load_demo
from lms.demo.seed_cli import seed_command
from lms.extensions import db
from lms.learning import completions

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_command() -> None:
    """Import the courses and create the demo people, institutions and edition (idempotent)."""
    report = import_courses(Path(current_app.config["COURSES_PATH"]), recompute_derived=completions.rebuild)
    if report.errors:
        for error in report.errors:
            click.echo(str(error), err=True)
        raise SystemExit(1)
    password = demo_password(Path(current_app.instance_path))
    logins = load_demo(password)
    if keys.signing_key() is None:  # the demo signs its certificates' credentials with a key of its own
        keys.create_key()
        db.session.commit()
    issue_missing_credentials(limit=100_000)
    click.echo(f"\nDemo logins (password for all: {password})")
    for email, name, roles in logins:
        click.echo(f"  {email:<30} {roles:<12} {name}")
    if current_app.config["REQUIRE_TOTP"]:
        click.echo("Admins and trainers set up two-step sign-in (an authenticator app) when they first sign in.")
    else:
        click.echo("Two-step sign-in is off (LMS_REQUIRE_TOTP=0): admins and trainers need only the password.")
    click.echo(
        "\nTry: animator3 submits an assignment, trener1 asks for a revision, animator3 resubmits, trener1 accepts."
        "\nGOPS w Wierzbicy Górnej is one step from the Certyfikat: trener1 accepts its waiting „Plan promocji”,"
        "\nkoordynator1 applies on the institution's certification page, admin awards it (Certyfikacja)."
    )


demo_cli.add_command(seed_command)
