"""Programme reports for admins (every edition) and trainers (their editions): the page and its CSV files.

A coordinator is led to the programme's public figures instead, where their own institution's row stands
beside the programme's (lms.figures): the same figures, for the data they may see.
"""

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from lms import pagecache
from lms.access.checks import Action, can, require, require_signed_in
from lms.accounts.models import Role
from lms.audit.services import record_access
from lms.base import utcnow
from lms.editions.services import editions_of
from lms.extensions import db
from lms.reports.charts import report_charts
from lms.reports.csv import table_csv
from lms.reports.filters import filter_choices
from lms.reports.forms import EXPORT_PARAMETERS, FILTERS, ReportFilterForm, export_errors, parameter_errors
from lms.reports.services import programme_report
from lms.reports.tables import Report

blueprint = Blueprint("reports", __name__, url_prefix="/reports")


def _require_reports() -> None:
    require_signed_in()
    if not current_user.has_role(Role.TRAINER):
        require(Action.ADMIN_AREA)  # admins pass; everyone else gets 403


def _coordinators_figures() -> str | None:
    """Where a coordinator (who is neither trainer nor admin) reads the figures: their institution's newest
    programme's figures page, or the catalogue (every programme links its figures) before any edition."""
    if not current_user.is_authenticated or current_user.has_role(Role.TRAINER) or can(current_user, Action.ADMIN_AREA):
        return None
    institution = current_user.institution
    if institution is None or not can(current_user, Action.COORDINATE, institution):
        return None
    editions = editions_of(institution)
    if not editions:
        return url_for("content.catalogue")
    return url_for("figures.page", slug=editions[0].programme.slug, _anchor="own-heading")


def _read_filters(allowed: tuple[str, ...]):
    """The filter form bound to the query string, and every problem with the query string."""
    form = ReportFilterForm(request.args, filter_choices(current_user))
    errors = parameter_errors(request.args, allowed)
    if not form.validate():
        errors += [f"{field.label.text}: {message}" for field in form for message in field.errors]
    return form, errors


def _report(form) -> Report:
    """The report for the validated form; its editions come from the form's choices (one query fewer)."""
    return programme_report(current_user, form.filters(), form.filter_choices)


def _cache_key(form) -> tuple:
    """Admins see every edition, a trainer the editions they train; the rest is the validated filters."""
    reach = "all" if current_user.has_role(Role.ADMIN) else f"trainer:{current_user.id}"
    return reach, tuple(sorted(form.query().items()))


def _refused(form, errors: list[str]):
    content = Markup(render_template("reports/_page.html", form=form, errors=errors))
    return render_template("reports/index.html", content=content, computed_at=None), 400


@blueprint.get("/")
def index():
    """Summary tables per edition, voivodeship, module and month, with charts and CSV links."""
    figures = _coordinators_figures()
    if figures is not None:
        return redirect(figures)
    _require_reports()
    form, errors = _read_filters(FILTERS)
    if errors:
        return _refused(form, errors)

    def compute() -> str:
        report = _report(form)
        charts = report_charts(report)
        return render_template(
            "reports/_page.html", form=form, errors=[], report=report, charts=charts, query=form.query()
        )

    page = pagecache.cached_page(pagecache.REPORT, _cache_key(form), compute)
    return render_template("reports/index.html", content=Markup(page.body), computed_at=page.computed_at)


@blueprint.get("/export.csv")
def export_csv():
    """One report table as CSV (UTF-8 with BOM): the same rows and numbers as the page for the same filters."""
    _require_reports()
    form, errors = _read_filters(FILTERS + EXPORT_PARAMETERS)
    errors += export_errors(request.args)
    if errors:
        return _refused(form, errors)
    table, separator = request.args["table"], request.args.get("sep", ",")
    key = (*_cache_key(form), table, separator)
    page = pagecache.cached_page(pagecache.REPORT_CSV, key, lambda: table_csv(_report(form).table(table), separator))
    body = page.body
    filename = f"raport-{request.args['table']}-{utcnow():%Y-%m-%d}.csv"
    record_access(current_user.id, "report.exported", "Report", None)  # the rows may name institutions' staff
    db.session.commit()
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
