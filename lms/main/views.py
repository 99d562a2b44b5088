"""Home page and the language switch."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from lms.access.checks import Action, can
from lms.accounts.services import update_profile
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
    statement = visible_editions(current_user, can(current_user, Action.ADMIN_AREA)).limit(10)
    return render_template(
        "main/home.html",
        personal=True,
        entries=content.catalogue(),
        editions=db.session.scalars(statement).all(),
        progress=[edition_progress(current_user, e) for e in enrolled_editions(current_user)[:3]],
    )


@blueprint.get("/dostepnosc")
def accessibility():
    """The accessibility statement (deklaracja dostępności) required of public bodies' web services."""
    config = current_app.config
    contact = {
        "name": config["ACCESSIBILITY_CONTACT_NAME"],
        "email": config["ACCESSIBILITY_CONTACT_EMAIL"],
        "phone": config["ACCESSIBILITY_CONTACT_PHONE"],
    }
    return render_template(
        "main/accessibility.html",
        operator=config["ACCESSIBILITY_OPERATOR"],
        contact=contact,
        published_on=config["ACCESSIBILITY_PUBLISHED_ON"],
        updated_on=config["ACCESSIBILITY_UPDATED_ON"],
        declared_on=config["ACCESSIBILITY_DECLARED_ON"],
        address=config["PUBLIC_URL"],
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
        if current_user.is_authenticated:  # the same choice as on the profile page
            update_profile(current_user, current_user.name, lang)
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))
