"""The notification list and its unread badge."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from lms.access.checks import require_signed_in
from lms.extensions import db
from lms.forms import AppForm
from lms.notifications import services

blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")


@blueprint.app_context_processor
def unread_badge():
    """The unread count for the navigation: counted when the session loaded the person, else now."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    counted = getattr(current_user, "unread_notifications", None)
    return {"unread_notifications": services.unread_count(current_user.id) if counted is None else counted}


@blueprint.get("/")
def index():
    """The person's latest notifications."""
    require_signed_in()
    return render_template("notifications/index.html", notifications=services.recent(current_user.id), form=AppForm())


@blueprint.post("/read")
def mark_read():
    """Mark everything read."""
    require_signed_in()
    if AppForm().validate_on_submit():
        services.mark_all_read(current_user.id)
        db.session.commit()
    return redirect(url_for("notifications.index"))
