"""Dashboards: the coordinator's view of an institution, the trainer's view of their editions."""

from flask import Blueprint, render_template
from flask_login import current_user

from lms.access.checks import Action, get_or_404, require, require_signed_in
from lms.accounts.models import Role
from lms.caching import revisions
from lms.caching.fragments import cached_fragment
from lms.dashboards import services
from lms.extensions import db
from lms.institutions.models import Institution

blueprint = Blueprint("dashboards", __name__, url_prefix="/dashboard")


@blueprint.get("/institutions/<int:institution_id>/")
def institution(institution_id: int):
    """Staff × modules, the certificate checklist, what waits, recent feedback."""
    institution = get_or_404(Institution, institution_id, Action.MONITOR)
    revision = revisions.institution_revision(db.session, institution.id)
    content = cached_fragment(
        ("coordinator-dashboard", institution.id, revision),
        lambda: render_template("dashboards/_institution.html", dashboard=services.coordinator_dashboard(institution)),
    )
    return render_template("dashboards/institution.html", institution=institution, content=content)


@blueprint.get("/trainer/")
def trainer():
    """Queues, decisions this week, time to decision, institutions' checklists, upcoming actions."""
    require_signed_in()
    if not current_user.has_role(Role.TRAINER):
        require(Action.REVIEW)  # answers 403: this dashboard is for trainers
    revision = revisions.trainer_revision(db.session, current_user)
    content = cached_fragment(
        ("trainer-dashboard", current_user.id, revision),
        lambda: render_template("dashboards/_trainer.html", dashboard=services.trainer_dashboard(current_user)),
    )
    return render_template("dashboards/trainer.html", content=content)
