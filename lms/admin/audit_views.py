"""The audit log screen and its CSV: admins read all of it, coordinators their institution's events."""

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from lms.access.checks import Action, require
from lms.admin import audit_log
from lms.admin.forms import AuditFilterForm
from lms.audit.services import record_access
from lms.base import utcnow
from lms.extensions import db
from lms.ids import id_arg, requested_page

blueprint = Blueprint("audit_log", __name__, url_prefix="/admin/audit")


def _read_filters() -> tuple[AuditFilterForm, audit_log.AuditFilters | None]:
    """The filter form bound to the query string, and the filters (None when a value was refused)."""
    form = AuditFilterForm(request.args, audit_log.ACTION_LABELS, audit_log.OBJECT_LABELS)
    if not form.validate():
        return form, None
    return form, audit_log.AuditFilters(
        person=form.person.data or "",
        object_type=form.object_type.data or "",
        object_id=id_arg(form.object_id.data),
        action=form.action.data or "",
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


def columns() -> list[str]:
    """The screen's and the CSV's column headings."""
    return [_("No."), _("When (Warsaw time)"), _("Who"), _("Action"), _("Object")]


@blueprint.get("/")
def index():
    """The log, newest first, filtered and paged."""
    require(Action.READ_AUDIT_LOG)
    form, filters = _read_filters()
    page = requested_page(audit_log.events(current_user, filters)) if filters else None
    return render_template(
        "admin/audit_log.html",
        form=form,
        page=page,
        lines=audit_log.rows(page.items) if page else [],
        columns=columns(),
        institution=audit_log.institution_name(current_user),
    ), (200 if filters else 400)


@blueprint.get("/export.csv")
def export_csv():
    """The filtered log as CSV, with the screen's columns."""
    require(Action.READ_AUDIT_LOG)
    form, filters = _read_filters()
    if filters is None:
        return render_template(
            "admin/audit_log.html", form=form, page=None, lines=[], columns=columns(), institution=None
        ), 400
    body = audit_log.csv_bytes(current_user, filters, columns())
    record_access(current_user.id, "audit_log.exported", "AuditLog", None)
    db.session.commit()
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="dziennik-zdarzen-{utcnow():%Y-%m-%d}.csv"'},
    )
