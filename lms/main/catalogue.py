"""Catalogue, programme and module pages."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from lms.content import services
from lms.learning.progress import module_work
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
        my_work = module_work(current_user, page.module.programme_id, page.version.assignments)
    return render_template("content/module.html", page=page, my_work=my_work)
