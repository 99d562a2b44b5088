"""Catalogue, programme and module pages."""

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from lms.content import answer_sheets, services, workbook
from lms.content.models import ModuleKind
from lms.editions.deadlines import is_overdue
from lms.i18n import get_locale_code
from lms.learning.progress import ACCEPTED, module_status, module_work
from lms.learning.services import record_module_read

blueprint = Blueprint("content", __name__, url_prefix="/programmes")


@blueprint.get("/")
def catalogue():
    """All programmes."""
    return render_template("content/catalogue.html", entries=services.catalogue())


@blueprint.get("/<slug>/")
def programme(slug: str):
    """A programme's levels and modules in order."""
    programme = services.programme_by_slug(slug) or abort(404)
    return render_template("content/programme.html", programme=programme, outline=services.programme_outline(programme))


@blueprint.get("/<slug>/modules/<module_slug>/")
def module(slug: str, module_slug: str):
    """A module's teaching text, goals and assignments."""
    page = services.module_page(slug, module_slug) or abort(404)
    my_work = []
    if current_user.is_authenticated:
        record_module_read(current_user, page.module.id)
        my_work = module_work(current_user, page.module, page.version.assignments)
    overdue = {
        edition.id
        for edition, states in my_work
        if is_overdue(
            edition.due_on,
            module_status(page.version, [state.work for state in states], read=False) == ACCEPTED,
            page.module.kind is not ModuleKind.INTRODUCTION,
        )
    }
    return render_template("content/module.html", page=page, my_work=my_work, overdue=overdue)


_SHEET_FORMATS = {
    "docx": (answer_sheets.docx, answer_sheets.DOCX_TYPE),
    "odt": (answer_sheets.odt, answer_sheets.ODT_TYPE),
}


@blueprint.get("/<slug>/modules/<module_slug>/assignments/<int:assignment_id>/template.<fmt>")
def answer_template(slug: str, module_slug: str, assignment_id: int, fmt: str):
    """An assignment's answer template (DOCX or ODT) to write offline: public, like the module page."""
    page = services.module_page(slug, module_slug) or abort(404)
    assignment = next((a for a in page.version.assignments if a.assignment_id == assignment_id), None)
    if assignment is None or fmt not in _SHEET_FORMATS:
        abort(404)
    labels = {
        "instructions": _("The assignment"),
        "answer": _("Your answer"),
        "hint": _("Write under each review criterion below, then upload this file with your answer."),
    }
    sheet = answer_sheets.sheet(assignment.title, assignment.instructions_html, list(assignment.criteria), labels)
    build, mimetype = _SHEET_FORMATS[fmt]
    filename = f"{module_slug}-{assignment_id}.{fmt}"
    return Response(
        build(sheet), mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@blueprint.get("/<slug>/levels/<int:level_number>/workbook.pdf")
def level_workbook(slug: str, level_number: int):
    """A level's workbook (PDF) for a training room without internet: public, like the module pages."""
    programme = services.programme_by_slug(slug) or abort(404)
    if level_number not in {level.number for level in programme.levels}:
        abort(404)
    version = workbook.content_version(programme)
    pdf = workbook.cached(programme.id, level_number, version, get_locale_code())
    filename = f"{slug}-{level_number}-{version}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})
