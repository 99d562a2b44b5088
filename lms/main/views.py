"""Home page and the language switch."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from lms.auth.policy import Action, can
from lms.content import services as content
from lms.editions.services import visible_editions
from lms.extensions import db
from lms.learning.progress import edition_progress, enrolled_editions

blueprint = Blueprint("main", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths are followed after an action (no open redirects).

    Control characters are refused too: browsers drop tabs and line breaks from a URL, so "/\t/evil.example"
    would become "//evil.example", and CR/LF must never reach a header.
    """
    if target and not any(ord(character) < 32 or character == "\x7f" for character in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith(("//", "/\\")):
            return target
    return fallback


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
