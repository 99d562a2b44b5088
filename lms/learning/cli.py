"""``flask progress completions [--repair]``: check ``module_completion`` against the works (for cron)."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from lms.extensions import db
from lms.learning import completions

progress_cli = AppGroup("progress", help="Learners' progress.")


@progress_cli.command("completions")
@click.option("--repair", is_flag=True, help="Recompute every row when some differ.")
def completions_command(repair: bool) -> None:
    """Compare the module completions the reports count with a recomputation from the works.

    Exits with 1 when they differ and were not repaired.
    """
    connection = db.session.connection()
    stored, computed = completions.stored(connection), completions.computed(connection)
    click.echo(
        _("Module completions: %(stored)s stored, %(computed)s computed.", stored=len(stored), computed=len(computed))
    )
    differing = len(stored ^ computed)
    if not differing:
        click.echo(_("They agree."))
        return
    if not repair:
        click.echo(_("%(count)s rows differ; run again with --repair to recompute them.", count=differing), err=True)
        raise SystemExit(1)
    completions.rebuild(db.session)
    db.session.commit()
    click.echo(_("%(count)s rows differed; every row was recomputed.", count=differing))
