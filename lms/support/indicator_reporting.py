"""Indicator reports: the coordinator reports the programme's indicators for a period with evidence files, and a
trainer of the institution accepts the report or returns it for correction.

The rules only (no Flask request objects); each change adds its audit event and notifications to the caller's
transaction, and the caller commits.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.accounts.services import coordinators_of
from lms.audit.services import record
from lms.base import polish_today, utcnow
from lms.content.models import Programme
from lms.extensions import db
from lms.i18n import format_day
from lms.institutions.models import Institution
from lms.learning.files import CheckedFile
from lms.learning.models import StoredFile
from lms.support.models import IndicatorEvidence, IndicatorReport, ReportStatus
from lms.support.services import (
    SupportError,
    check_joined,
    check_programme,
    clean_text,
    notify_all,
    trainers_of,
)
from lms.urls import path_for

MAX_EVIDENCE_FILES = 3
MAX_INDICATOR_VALUE = 1_000_000_000
MAX_DESCRIPTION_LENGTH = 2_000
MAX_FEEDBACK_LENGTH = 5_000


def indicators_of(programme: Programme) -> list[dict]:
    """The programme's indicators as programme.yaml lists them: [{key, label}, …]."""
    return [i for i in (programme.indicators or []) if isinstance(i, dict) and i.get("key")]


def labelled_values(report: IndicatorReport) -> list[tuple[str, object]]:
    """The report's figures as (label, value), in the programme's order; a key it no longer lists keeps its key."""
    labels = {i["key"]: i.get("label") or i["key"] for i in indicators_of(report.programme)}
    keys = [key for key in labels if key in report.values] + [key for key in report.values if key not in labels]
    return [(labels.get(key, key), report.values[key]) for key in keys]


@dataclass
class ReportInput:
    period_start: date
    period_end: date
    values: dict
    description: str
    files: list[CheckedFile] | None = None


def _check_period(institution: Institution, programme: Programme, start: date, end: date) -> None:
    """The period has ended by today and does not begin before the institution began the programme."""
    # Figures are reported for a period that is over: reports count a report by its period's end, and a trainer
    # accepts figures as evidence, which a period still running (or in the future) cannot give.
    today = polish_today()
    if end > today:
        raise SupportError(
            _(
                "Report a period that has ended: its end cannot be after today (%(today)s).",
                today=format_date(today, "long"),
            ),
            "period_end",
        )
    check_joined(
        institution,
        programme,
        start,
        _("The period cannot begin before the institution began the programme (%(date)s)."),
        "period_start",
    )


def submit_indicator_report(
    institution: Institution, programme: Programme, coordinator: User, data: ReportInput
) -> IndicatorReport:
    """Store the institution's indicator values for a period with evidence files; audited; trainers are told."""
    check_programme(institution, programme)
    if data.period_end < data.period_start:
        raise SupportError(_("The end of the period cannot be before its start."), "period_end")
    _check_period(institution, programme, data.period_start, data.period_end)
    keys = [i["key"] for i in indicators_of(programme)]
    if not keys:
        raise SupportError(_("This programme has no indicators to report."))
    if set(data.values) != set(keys):
        raise SupportError(_("Give a value for every indicator."))
    values = {}
    for key in keys:
        value = data.values[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INDICATOR_VALUE:
            raise SupportError(_("Every value must be a whole number, 0 or more."))
        values[key] = value
    description = clean_text(data.description)
    if not description:
        raise SupportError(_("Describe the period briefly."))
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise SupportError(
            _("The description is too long (at most %(count)s characters).", count=MAX_DESCRIPTION_LENGTH)
        )
    files = data.files or []
    if len(files) > MAX_EVIDENCE_FILES:
        raise SupportError(
            ngettext("At most %(num)s evidence file.", "At most %(num)s evidence files.", MAX_EVIDENCE_FILES)
        )
    report = IndicatorReport(
        institution_id=institution.id,
        programme_id=programme.id,
        period_start=data.period_start,
        period_end=data.period_end,
        values=values,
        description=description,
        submitted_by_id=coordinator.id,
        status=ReportStatus.SUBMITTED,
    )
    db.session.add(report)
    db.session.flush()
    for checked in files:
        stored = StoredFile(sha256=checked.sha256, size=checked.size, mime=checked.mime, content=checked.content)
        db.session.add(stored)
        db.session.flush()
        db.session.add(IndicatorEvidence(report_id=report.id, stored_file_id=stored.id, filename=checked.filename))
    record(
        coordinator,
        "indicator_report.submitted",
        report,
        institution_id=institution.id,
        programme_id=programme.id,
        files=",".join(f"{c.filename}:{c.sha256}" for c in files),
    )
    with force_locale("pl"):
        note = _("%(institution)s submitted an indicator report.", institution=institution.name)
    notify_all(trainers_of(institution.id, programme.id), note, path_for("support.report", report_id=report.id))
    return report


def reports(institution_id: int, programme_id: int) -> list[IndicatorReport]:
    """The institution's indicator reports for the programme, newest first."""
    return db.session.scalars(
        select(IndicatorReport)
        .where(IndicatorReport.institution_id == institution_id, IndicatorReport.programme_id == programme_id)
        .options(joinedload(IndicatorReport.submitted_by), joinedload(IndicatorReport.decided_by))
        .order_by(IndicatorReport.submitted_at.desc(), IndicatorReport.id.desc())
    ).all()


def evidence_file(evidence: IndicatorEvidence) -> StoredFile:
    """The stored bytes of an evidence file (loaded only for downloads)."""
    return db.session.get(StoredFile, evidence.stored_file_id)


def decide_report(report: IndicatorReport, trainer: User, accept: bool, feedback: str) -> None:
    """Accept or return a submitted report; the first decision wins (a guarded UPDATE); the caller commits."""
    feedback = clean_text(feedback)
    if not accept and not feedback:
        raise SupportError(_("Write feedback saying what to correct before returning the report."))
    if len(feedback) > MAX_FEEDBACK_LENGTH:
        raise SupportError(_("The feedback is too long (at most %(count)s characters).", count=MAX_FEEDBACK_LENGTH))
    if accept:  # a report submitted before the period rules existed is returned, not accepted
        try:
            _check_period(report.institution, report.programme, report.period_start, report.period_end)
        except SupportError as error:
            raise SupportError(_("Return this report for correction instead: %(reason)s", reason=str(error))) from None
    status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    result = db.session.execute(
        update(IndicatorReport)
        .where(IndicatorReport.id == report.id, IndicatorReport.status == ReportStatus.SUBMITTED)
        .values(status=status, decided_by_id=trainer.id, decided_at=utcnow(), feedback=feedback)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _already_decided(report.id)
    db.session.refresh(report)
    record(
        trainer,
        "indicator_report.accepted" if accept else "indicator_report.returned",
        report,
        institution_id=report.institution_id,
        programme_id=report.programme_id,
    )
    with force_locale("pl"):
        period = f"{format_day(report.period_start)} – {format_day(report.period_end)}"
        message = (
            _("Indicator report accepted (%(period)s).", period=period)
            if accept
            else _("Indicator report returned for correction (%(period)s).", period=period)
        )
    notify_all(coordinators_of(report.institution_id), message, path_for("support.report", report_id=report.id))


def _already_decided(report_id: int) -> SupportError:
    db.session.rollback()
    report = db.session.scalar(
        select(IndicatorReport).where(IndicatorReport.id == report_id).options(joinedload(IndicatorReport.decided_by))
    )
    if report is None or report.decided_by is None:
        return SupportError(_("This report is not waiting for a decision."))
    return SupportError(
        _("This report has already been decided by %(name)s. Nothing was changed.", name=report.decided_by.name)
    )
