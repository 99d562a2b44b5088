"""Dashboards: the coordinator's view of an institution, the trainer's view of their editions."""

from flask import Blueprint, render_template
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from lms.access.checks import Action, get_or_404, require, require_signed_in
from lms.accounts.models import Role
from lms.dashboards import services
from lms.institutions.models import Institution
from lms.learning.models import WorkStatus
from lms.learning.staff import StaffTable

blueprint = Blueprint("dashboards", __name__, url_prefix="/dashboard")


# A staff table row; its progress bar as templates/_progress_bar.html draws one, the figure beside the bar (inside,
# a bar at 0 has no room for it) and in words for screen readers.
_STAFF_ROW = (
    '\n      <tr><th scope="row">{name}</th>\n'
    '        <td><div class="d-flex align-items-center gap-2"><div class="progress flex-grow-1" role="progressbar" '
    'aria-label="{name}" aria-valuenow="{percent}" aria-valuemin="0" aria-valuemax="100" aria-valuetext="{spoken}">'
    '<div class="progress-bar bg-success w-{width}"></div></div>'
    '<span class="small text-nowrap progress-figure" aria-hidden="true">{done}/{total}</span></div></td>\n'
    "        {cells}\n      </tr>\n    "
)


@blueprint.app_template_global()
def staff_rows(table: StaffTable, labels: dict[str, str], work_link: str) -> Markup:
    """The staff table's rows: each person's name, modules accepted, and each module's state linked to its
    first work (``work_link``: ``id_link``) unless that is a draft, which is its author's own until submitted.

    Built here rather than in a template loop: a table has hundreds of cells, and Jinja costs several
    times more per cell than a formatted string.
    """
    link = str(escape(work_link))
    escaped = {status: str(escape(label)) for status, label in labels.items()}  # once per table, not per cell
    total = len(table.modules)
    spoken: dict[int, str] = {}  # per number of modules accepted, not per row
    rows = []
    for member, done, states in table.rows:
        cells = []
        for status, work in states:
            label = escaped[status]
            linked = work and work.status != WorkStatus.DRAFT
            content = f'<a href="{link.format(work.id)}">{label}</a>' if linked else label
            cells.append(f'<td class="cell-{status}">{content}</td>')
        percent = round(100 * done / total) if total else 0  # Python's rounding, as Jinja's |round has it
        name = escape(member.name)
        if done not in spoken:
            spoken[done] = str(
                escape(
                    ngettext(
                        "%(done)s of %(num)s module accepted", "%(done)s of %(num)s modules accepted", total, done=done
                    )
                )
            )
        rows.append(
            _STAFF_ROW.format(
                name=name,
                percent=percent,
                width=percent // 5 * 5,
                done=done,
                total=total,
                cells="".join(cells),
                spoken=spoken[done],
            )
        )
    return Markup("".join(rows))


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
