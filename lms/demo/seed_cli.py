"""``flask demo seed``: the large generated data set for benchmarks (see lms/demo/seed.py)."""

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from lms.accounts.models import User
from lms.content.importer import import_courses
from lms.content.models import Programme
from lms.demo.data import demo_password
from lms.demo.seed import SCALES, seed
from lms.demo.seed_people import ADMIN_EMAIL, DOMAIN
from lms.extensions import db


def _cal_programme() -> Programme:
    """The CAL programme, importing the courses first if it is missing (exits on content errors)."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == "cal"))
    if programme is None:
        report = import_courses(Path(current_app.config["COURSES_PATH"]))
        for error in report.errors:
            click.echo(str(error), err=True)
        programme = db.session.scalar(select(Programme).where(Programme.slug == "cal"))
        if report.errors or programme is None:
            click.echo("The CAL programme (courses/cal) could not be imported.", err=True)
            raise SystemExit(1)
    return programme


@click.command("seed")
@click.option("--scale", type=click.Choice(list(SCALES)), default="small", show_default=True)
@with_appcontext
def seed_command(scale: str) -> None:
    """Generate a large data set on the CAL programme with bulk inserts (once per database)."""
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        click.echo(f"Seed data already exists ({ADMIN_EMAIL} is present); nothing was changed.", err=True)
        raise SystemExit(1)
    started = time.perf_counter()
    programme = _cal_programme()
    password = demo_password(Path(current_app.instance_path))
    counts = seed(programme, SCALES[scale], password)
    elapsed = time.perf_counter() - started
    click.echo(f"Seed data ({scale}) on programme „{programme.title}”:")
    for label, count in counts.items():
        click.echo(f"  {label:<32} {count:>9,}")
    click.echo(f"Done in {elapsed:.1f} s.")
    click.echo(f"\nLogins (password for all: {password}): {ADMIN_EMAIL} (admin), trainer01@{DOMAIN},")
    click.echo(f"  coordinator001@{DOMAIN}, animator0001@{DOMAIN} (and so on)")
