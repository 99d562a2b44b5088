"""Dashboards: the coordinator's view of an institution, the trainer's view of their editions."""

from flask import Blueprint, render_template
from flask_login import current_user

from lms.access.checks import Action, get_or_404, require, require_signed_in
from lms.accounts.models import Role
from lms.dashboards import services
from lms.institutions.models import Institution

blueprint = Blueprint("dashboards", __name__, url_prefix="/dashboard")


@blueprint.get("/institutions/<int:institution_id>/")
def institution(institution_id: int):
    """Staff × modules, the certificate checklist, what waits, recent feedback."""
    institution = get_or_404(Institution, institution_id, Action.MONITOR)
    dashboard = services.coordinator_dashboard(institution)
    return render_template("dashboards/institution.html", institution=institution, dashboard=dashboard)


@blueprint.get("/trainer/")
def trainer():
    """Queues, decisions this week, time to decision, institutions' checklists, upcoming actions."""
    require_signed_in()
    if not current_user.has_role(Role.TRAINER):
        require(Action.REVIEW)  # answers 403: this dashboard is for trainers
    return render_template("dashboards/trainer.html", dashboard=services.trainer_dashboard(current_user))
