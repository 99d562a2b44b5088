"""The public "Program … w liczbach" page of each programme, and its CSV file."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from lms.access.checks import Action, can
from lms.base import utcnow
from lms.content.services import programme_by_slug
from lms.figures.own import institution_figures
from lms.figures.services import programme_figures, public_indicators
from lms.institutions.models import Institution
from lms.reports.csv import table_csv

blueprint = Blueprint("figures", __name__, url_prefix="/programmes")


def _figures(slug: str):
    programme = programme_by_slug(slug) or abort(404)
    return programme_figures(programme)


def _own(figures) -> tuple[Institution, list] | None:
    """The signed-in coordinator's institution and its row of figures, in the public table's columns."""
    if not current_user.is_authenticated or current_user.institution_id is None:
        return None
    institution = current_user.institution
    if not can(current_user, Action.COORDINATE, institution):
        return None
    keys = [i["key"] for i in public_indicators(figures.programme)]
    found = institution_figures(institution.id, figures.programme.id, keys)
    return institution, [found[column.key] for column in figures.table.columns[1:]]


@blueprint.get("/<slug>/figures/")
def page(slug: str):
    """Anyone: the programme's figures by voivodeship, a map and a table; a coordinator also sees their own."""
    figures = _figures(slug)
    return render_template("figures/programme.html", figures=figures, own=_own(figures), computed_at=utcnow())


@blueprint.get("/<slug>/figures.csv")
def csv(slug: str):
    """The page's table as a CSV file, cell for cell."""
    figures = _figures(slug)
    filename = f"{figures.programme.slug}-w-liczbach-{utcnow():%Y-%m-%d}.csv"
    return Response(
        table_csv(figures.table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
