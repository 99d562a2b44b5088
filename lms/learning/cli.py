"""``flask progress completions [--repair]``: check ``module_completion`` against the works (for cron);
``flask progress rerender-texts``: store people's texts rendered by the current renderer."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, select, update

from lms.extensions import db
from lms.learning import completions
from lms.learning.decisions import Review
from lms.learning.models import Attempt
from lms.rendering import render_typed_markdown

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
        click.echo(
            ngettext(
                "%(num)s row differs; run again with --repair to recompute it.",
                "%(num)s rows differ; run again with --repair to recompute them.",
                differing,
            ),
            err=True,
        )
        raise SystemExit(1)
    completions.rebuild(db.session)
    db.session.commit()
    click.echo(
        ngettext(
            "%(num)s row differed; every row was recomputed.",
            "%(num)s rows differed; every row was recomputed.",
            differing,
        )
    )


@progress_cli.command("rerender-texts")
def rerender_texts_command() -> None:
    """Render every stored attempt and feedback again from its Markdown (after the renderer changed)."""
    changed = 0
    for model, source, target in ((Attempt, "text_md", "text_html"), (Review, "feedback_md", "feedback_html")):
        last_id = 0
        while True:  # in batches: the large data set holds tens of thousands of texts
            rows = db.session.execute(
                select(model.id, getattr(model, source), getattr(model, target))
                .where(model.id > last_id)
                .order_by(model.id)
                .limit(1000)
            ).all()
            if not rows:
                break
            updates = [
                {"row_id": row_id, "html": html}
                for row_id, text, stored in rows
                if (html := render_typed_markdown(text)) != stored
            ]
            if updates:
                db.session.execute(
                    update(model.__table__)
                    .where(model.__table__.c.id == bindparam("row_id"))
                    .values({target: bindparam("html")}),
                    updates,
                )
            changed += len(updates)
            last_id = rows[-1][0]
        db.session.commit()
    click.echo(ngettext("%(num)s text rendered again.", "%(num)s texts rendered again.", changed))
