"""Dashboards: the coordinator's view of an institution, the trainer's view of their editions."""

from flask import Blueprint, render_template
from flask_login import current_user
from markupsafe import Markup, escape

from lms.access.checks import Action, get_or_404, require, require_signed_in
from lms.accounts.models import Role
from lms.dashboards import services
from lms.institutions.models import Institution
from lms.learning.models import WorkStatus
from lms.learning.progress import EditionProgress

blueprint = Blueprint("dashboards", __name__, url_prefix="/dashboard")


@blueprint.app_template_global()
def module_cells(progress: EditionProgress, labels: dict[str, str], work_link: str) -> Markup:
    """A staff table row's cells: each module's state, linked to its first work (``work_link``: ``id_link``)
    unless that is a draft, which is its author's own until submitted.

    Built here rather than in a template loop: a table has hundreds of cells, and Jinja costs several
    times more per cell than a formatted string.
    """
    link = str(escape(work_link))
    cells = []
    for level in progress.levels:
        for state in level.modules:
            label, work = escape(labels[state.status]), state.work
            linked = work and work.status != WorkStatus.DRAFT
            content = f'<a href="{link.format(work.id)}">{label}</a>' if linked else label
            cells.append(f'<td class="cell-{state.status}">{content}</td>')
    return Markup("".join(cells))


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
