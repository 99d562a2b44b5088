"""The public "Program … w liczbach" page of each programme, and its CSV file.

The public part (map and table) is the same for everyone: it is computed at most once in five minutes per
programme and language (lms.pagecache), with "stan na" shown. A signed-in coordinator also sees their
own institution's row, computed for them.
"""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user
from markupsafe import Markup

from lms import pagecache
from lms.access.checks import Action, can
from lms.content.models import Programme
from lms.content.services import programme_by_slug
from lms.figures.own import institution_figures
from lms.figures.services import MAP_LEGEND, figure_columns, outlines, programme_figures, public_indicators
from lms.institutions.models import Institution
from lms.reports.csv import table_csv
from lms.reports.tables import ReportColumn

blueprint = Blueprint("figures", __name__, url_prefix="/programmes")


def _own(programme: Programme, columns: list[ReportColumn]) -> tuple[Institution, list] | None:
    """The signed-in coordinator's institution and its row of figures, in the public table's columns."""
    if not current_user.is_authenticated or current_user.institution_id is None:
        return None
    institution = current_user.institution
    if not can(current_user, Action.COORDINATE, institution):
        return None
    keys = [i["key"] for i in public_indicators(programme)]
    found = institution_figures(institution.id, programme.id, keys)
    return institution, [found[column.key] for column in columns[1:]]


@blueprint.get("/<slug>/figures/")
def page(slug: str):
    """Anyone: the programme's figures by voivodeship, a map and a table; a coordinator also sees their own."""
    programme = programme_by_slug(slug) or abort(404)
    cached = pagecache.cached_page(
        pagecache.FIGURES,
        ("page", programme.slug),
        lambda: render_template(
            "figures/_public.html", figures=programme_figures(programme), outlines=outlines(), legend=MAP_LEGEND
        ),
    )
    columns = figure_columns(programme)
    return render_template(
        "figures/programme.html",
        programme=programme,
        columns=columns,
        own=_own(programme, columns),
        content=Markup(cached.body),
        computed_at=cached.computed_at,
    )


@blueprint.get("/<slug>/figures.csv")
def csv(slug: str):
    """The page's table as a CSV file, cell for cell."""
    programme = programme_by_slug(slug) or abort(404)
    cached = pagecache.cached_page(
        pagecache.FIGURES,
        ("csv", programme.slug),
        lambda: table_csv(programme_figures(programme).table).decode("utf-8"),
    )
    filename = f"{programme.slug}-w-liczbach-{cached.computed_at:%Y-%m-%d}.csv"
    return Response(
        cached.body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
