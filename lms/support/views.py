"""Level II support pages: consultations and agreed actions, the monitoring thread, indicator reports."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access.checks import Action, can, get_or_404, require
from lms.content.models import Programme
from lms.extensions import db
from lms.i18n import translated
from lms.ids import id_arg
from lms.institutions.models import Institution
from lms.learning.downloads import send_stored_file
from lms.support import consulting, indicator_reporting, monitoring_thread, services
from lms.support.forms import (
    FORM_LABELS,
    ActionDoneForm,
    ConsultationLogForm,
    DecisionForm,
    NeedForm,
    ProposalForm,
    indicator_report_form,
)
from lms.support.labels import REPORT_STATUS_LABELS
from lms.support.models import IndicatorEvidence, IndicatorReport, MonitoringKind, ReportStatus

blueprint = Blueprint("support", __name__)


@blueprint.app_template_global()
def consultation_form_label(form) -> str:
    """On site / online / by phone, in the user's language."""
    return translated(FORM_LABELS).get(form, str(form))


blueprint.add_app_template_global(indicator_reporting.labelled_values, "labelled_values")


@blueprint.app_template_global()
def report_status_label(status) -> str:
    """An indicator report's status in the user's language."""
    return translated(REPORT_STATUS_LABELS).get(status, str(status))


def _institution(institution_id: int, action: Action = Action.VIEW) -> Institution:
    return get_or_404(Institution, institution_id, action)


def _programme(institution: Institution, programmes: list[Programme]) -> Programme | None:
    """The programme chosen with ?programme= (404 when not the institution's), else the first one."""
    chosen = id_arg(request.args.get("programme"))
    if chosen is None:
        return programmes[0] if programmes else None
    for programme in programmes:
        if programme.id == chosen:
            return programme
    abort(404)


def _context(institution: Institution, programmes: list[Programme], programme: Programme | None, section: str):
    return {
        "institution": institution,
        "programmes": programmes,
        "programme": programme,
        "section": section,
        "may_support": can(current_user, Action.SUPPORT, institution),
        "may_coordinate": can(current_user, Action.COORDINATE, institution),
    }


# --- consultations --------------------------------------------------------------------------


@blueprint.get("/institutions/<int:institution_id>/consultations/")
def consultations(institution_id: int):
    """The institution's consultations for a programme, newest first, with their agreed actions."""
    institution = _institution(institution_id)
    programmes = services.programmes_of(institution.id)
    programme = _programme(institution, programmes)
    return render_template(
        "support/consultations.html",
        **_context(institution, programmes, programme, "consultations"),
        consultations=consulting.consultations(institution.id, programme.id) if programme else [],
        done_form=ActionDoneForm(),
    )


@blueprint.route("/institutions/<int:institution_id>/consultations/new", methods=["GET", "POST"])
def log_consultation(institution_id: int):
    """A trainer of the institution logs a consultation with up to five agreed actions."""
    institution = _institution(institution_id, Action.SUPPORT)
    programmes = services.programmes_of(institution.id)
    programme = _programme(institution, programmes)
    form = ConsultationLogForm(programmes)
    if request.method == "GET" and programme:
        form.programme.data = programme.id
    if form.validate_on_submit():
        chosen = next(p for p in programmes if p.id == form.programme.data)
        data = consulting.ConsultationInput(
            held_on=form.held_on.data,
            duration_minutes=form.duration_minutes.data,
            form=form.mode.data,
            consultant=form.consultant.data,
            topic=form.topic.data,
            notes=form.notes.data or "",
            actions=[
                consulting.ActionInput(row["description"] or "", row["owner"] or "", row["due_on"])
                for row in form.actions.data
            ],
        )
        try:
            consulting.log_consultation(institution, chosen, current_user, data)
            db.session.commit()
        except services.SupportError as error:
            db.session.rollback()
            getattr(form, error.field or "topic").errors.append(str(error))
        else:
            flash(_("Consultation logged. The coordinator has been notified."), "success")
            return redirect(url_for("support.consultations", institution_id=institution.id, programme=chosen.id))
    return render_template(
        "support/consultation_form.html", **_context(institution, programmes, programme, "consultations"), form=form
    )


@blueprint.post("/institutions/<int:institution_id>/agreed-actions/<int:action_id>/done")
def complete_action(institution_id: int, action_id: int):
    """The coordinator marks an agreed action done (once)."""
    institution = _institution(institution_id, Action.COORDINATE)
    action = consulting.action_of(institution.id, action_id) or abort(404)
    programme_id = action.consultation.programme_id
    if ActionDoneForm().validate_on_submit():
        if consulting.complete_action(action, current_user):
            db.session.commit()
            flash(_("Action marked as done."), "success")
        else:
            db.session.rollback()
            flash(_("This action had already been marked as done."), "info")
    return redirect(url_for("support.consultations", institution_id=institution.id, programme=programme_id))


# --- the monitoring thread ------------------------------------------------------------------


@blueprint.route("/institutions/<int:institution_id>/monitoring/", methods=["GET", "POST"])
def monitoring(institution_id: int):
    """Needs stated by the coordinator and the trainers' proposals, in order; each side posts here."""
    institution = _institution(institution_id)
    programmes = services.programmes_of(institution.id)
    programme = _programme(institution, programmes)
    context = _context(institution, programmes, programme, "monitoring")
    if request.method == "POST" and not (context["may_coordinate"] or context["may_support"]):
        require(Action.COORDINATE, institution)  # answers 403 (or 404)
    if request.method == "POST" and programme is None:
        abort(404)
    form = None
    if context["may_coordinate"]:
        form = NeedForm()
    elif context["may_support"]:
        form = ProposalForm(monitoring_thread.programme_modules(programme.id) if programme else [])
    if form is not None and programme is not None and form.validate_on_submit():
        try:
            if isinstance(form, NeedForm):
                monitoring_thread.post_need(institution, programme, current_user, form.text.data)
                notice = _("Your need has been posted. The trainers have been notified.")
            else:
                monitoring_thread.post_proposal(
                    institution, programme, current_user, form.text.data, form.module_id, form.consultation.data
                )
                notice = _("Your proposal has been posted. The coordinator has been notified.")
            db.session.commit()
        except services.SupportError as error:
            db.session.rollback()
            form.text.errors.append(str(error))
        else:
            flash(notice, "success")
            return redirect(url_for("support.monitoring", institution_id=institution.id, programme=programme.id))
    return render_template(
        "support/monitoring.html",
        **context,
        messages=monitoring_thread.thread(institution.id, programme.id) if programme else [],
        form=form,
        kinds=MonitoringKind,
    )


# --- indicator reports ----------------------------------------------------------------------


@blueprint.get("/institutions/<int:institution_id>/indicators/")
def indicators(institution_id: int):
    """The institution's indicator reports for a programme with their status, newest first."""
    institution = _institution(institution_id)
    programmes = services.programmes_of(institution.id)
    programme = _programme(institution, programmes)
    return render_template(
        "support/indicators.html",
        **_context(institution, programmes, programme, "indicators"),
        reports=indicator_reporting.reports(institution.id, programme.id) if programme else [],
        indicators=indicator_reporting.indicators_of(programme) if programme else [],
    )


@blueprint.route("/institutions/<int:institution_id>/indicators/new", methods=["GET", "POST"])
def report_indicators(institution_id: int):
    """The coordinator reports the programme's indicators for a period, with optional evidence files."""
    institution = _institution(institution_id, Action.COORDINATE)
    programmes = services.programmes_of(institution.id)
    programme = _programme(institution, programmes) or abort(404)
    indicators = indicator_reporting.indicators_of(programme)
    form = indicator_report_form(indicators)
    if indicators and form.validate_on_submit():
        data = indicator_reporting.ReportInput(
            period_start=form.period_start.data,
            period_end=form.period_end.data,
            values=form.indicator_values(),
            description=form.description.data,
            files=form.checked_files,
        )
        try:
            report = indicator_reporting.submit_indicator_report(institution, programme, current_user, data)
            db.session.commit()
        except services.SupportError as error:
            db.session.rollback()
            getattr(form, error.field or "description").errors.append(str(error))
        else:
            flash(_("Report submitted. A trainer will accept it or return it with feedback."), "success")
            return redirect(url_for("support.report", report_id=report.id))
    return render_template(
        "support/indicator_form.html",
        **_context(institution, programmes, programme, "indicators"),
        form=form,
        indicators=indicators,
    )


@blueprint.route("/indicator-reports/<int:report_id>/", methods=["GET", "POST"])
def report(report_id: int):
    """One report: values, evidence, the decision; a trainer of the institution accepts or returns it."""
    report = get_or_404(IndicatorReport, report_id)
    form = DecisionForm()
    if request.method == "POST":
        require(Action.REVIEW, report)
        if form.validate_on_submit():
            try:
                indicator_reporting.decide_report(
                    report, current_user, bool(form.accept.data), form.feedback.data or ""
                )
                db.session.commit()
            except services.SupportError as error:
                db.session.rollback()
                if report.status is ReportStatus.SUBMITTED:
                    form.feedback.errors.append(str(error))
                else:  # another trainer decided first: the form is gone, say so above the page
                    flash(str(error), "error")
            else:
                flash(_("Decision saved. The coordinator has been notified."), "success")
                return redirect(url_for("support.report", report_id=report.id))
    institution = report.institution
    return render_template(
        "support/report.html",
        **_context(institution, [], report.programme, "indicators"),
        report=report,
        values=indicator_reporting.labelled_values(report),
        form=form,
        may_review=report.status is ReportStatus.SUBMITTED and can(current_user, Action.REVIEW, report),
    )


@blueprint.get("/indicator-evidence/<int:evidence_id>")
def evidence(evidence_id: int):
    """An evidence file, always as a download (never rendered inline), to people who may see its report."""
    item = db.session.get(IndicatorEvidence, evidence_id) or abort(404)
    require(Action.VIEW, db.session.get(IndicatorReport, item.report_id))
    return send_stored_file(indicator_reporting.evidence_file(item), item.filename)
