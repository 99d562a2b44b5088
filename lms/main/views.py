"""Home page and the language switch."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from lms.access.checks import Action, can
from lms.caching import revisions
from lms.caching.fragments import cached_fragment
from lms.content import services as content
from lms.editions.services import visible_editions
from lms.extensions import db
from lms.learning.progress import edition_progress, enrolled_editions
from lms.urls import safe_next

blueprint = Blueprint("main", __name__)


@blueprint.get("/")
def home():
    """Landing page: the programmes on offer and, for a signed-in person, their progress and editions."""
    if not current_user.is_authenticated:
        return render_template("main/home.html", personal=None, entries=content.catalogue())
    roles = tuple(sorted(role.value for role in current_user.roles))  # what the page offers depends on them
    revision = revisions.revision(db.session, revisions.GLOBAL, revisions.person_scope(current_user))
    personal = cached_fragment(("home", current_user.id, roles, revision), _personal_home)
    return render_template("main/home.html", personal=personal)


def _personal_home() -> str:
    statement = visible_editions(current_user, can(current_user, Action.ADMIN_AREA)).limit(10)
    progress = [edition_progress(current_user, e) for e in enrolled_editions(current_user)[:3]]
    return render_template(
        "main/_home_person.html",
        entries=content.catalogue(),
        editions=db.session.scalars(statement).all(),
        progress=progress,
    )


@blueprint.get("/healthz")
def health():
    """For load balancers and benchmarks: answers without touching the database."""
    return {"status": "ok"}


@blueprint.post("/language")
def set_language():
    """Remember the chosen interface language and go back where the visitor was."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))
