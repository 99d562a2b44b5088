"""Level II support: consultations with agreed actions, the monitoring thread and indicator reports.

The rules live here (no Flask request objects): views translate HTTP into these calls. Every change
adds its audit event and notifications to the caller's transaction; the caller commits.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts.models import Role, User, UserRole
from lms.audit.services import record
from lms.base import utcnow
from lms.content.models import Module, Programme, current_version_summary
from lms.editions.models import Edition, edition_institution, edition_trainer
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.files import CheckedFile
from lms.learning.models import StoredFile
from lms.notifications.services import notify
from lms.support.models import (
    AgreedAction,
    Consultation,
    ConsultationForm,
    IndicatorEvidence,
    IndicatorReport,
    MonitoringKind,
    MonitoringMessage,
    ReportStatus,
)
from lms.urls import path_for

MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 600
MAX_AGREED_ACTIONS = 5
MAX_EVIDENCE_FILES = 3
MAX_INDICATOR_VALUE = 1_000_000_000
MAX_NOTES_LENGTH = 20_000
MAX_MESSAGE_LENGTH = 5_000
MAX_DESCRIPTION_LENGTH = 2_000
MAX_FEEDBACK_LENGTH = 5_000


class SupportError(ValueError):
    """A change the rules refuse; the message is for the person who tried it."""


# --- who is involved ------------------------------------------------------------------------


def programmes_of(institution_id: int) -> list[Programme]:
    """Programmes of the editions the institution takes part in, by title."""
    editions = (
        select(Edition.programme_id)
        .join(edition_institution, edition_institution.c.edition_id == Edition.id)
        .where(edition_institution.c.institution_id == institution_id)
    )
    return db.session.scalars(
        select(Programme).where(Programme.id.in_(editions)).order_by(Programme.title, Programme.id)
    ).all()


def trainers_of(institution_id: int, programme_id: int) -> list[User]:
    """Active trainers of the programme's editions the institution takes part in (not its own staff)."""
    editions = (
        select(Edition.id)
        .join(edition_institution, edition_institution.c.edition_id == Edition.id)
        .where(edition_institution.c.institution_id == institution_id, Edition.programme_id == programme_id)
    )
    trainer_ids = select(edition_trainer.c.user_id).where(edition_trainer.c.edition_id.in_(editions))
    return db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.id.in_(trainer_ids), UserRole.role == Role.TRAINER, User.active.is_(True))
        .where(User.institution_id.is_(None) | (User.institution_id != institution_id))
        .order_by(User.id)
    ).all()


def coordinators_of(institution_id: int) -> list[User]:
    """The institution's active coordinators."""
    return db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.institution_id == institution_id, UserRole.role == Role.COORDINATOR, User.active.is_(True))
        .order_by(User.id)
    ).all()


def _notify_all(people: list[User], message: str, link: str) -> None:
    for person in people:
        notify(person.id, message, link)


def _check_programme(institution: Institution, programme: Programme) -> None:
    if programme.id not in {p.id for p in programmes_of(institution.id)}:
        raise SupportError(_("The institution does not take part in this programme."))


def _clean(text: str | None) -> str:
    """Browsers send text-area line breaks as CRLF; store plain newlines without surrounding space."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


# --- consultations --------------------------------------------------------------------------


@dataclass
class ActionInput:
    """One agreed action as entered: what, who, by when."""

    description: str
    owner: str
    due_on: date | None = None


@dataclass
class ConsultationInput:
    held_on: date
    duration_minutes: int
    form: ConsultationForm
    consultant: str
    topic: str
    notes: str = ""
    actions: list[ActionInput] | None = None


def log_consultation(
    institution: Institution, programme: Programme, trainer: User, data: ConsultationInput
) -> Consultation:
    """Record a consultation and its agreed actions; audited; the coordinators are told."""
    _check_programme(institution, programme)
    if not MIN_DURATION_MINUTES <= data.duration_minutes <= MAX_DURATION_MINUTES:
        raise SupportError(
            _(
                "The duration must be between %(low)s and %(high)s minutes.",
                low=MIN_DURATION_MINUTES,
                high=MAX_DURATION_MINUTES,
            )
        )
    consultant, topic, notes = _clean(data.consultant), _clean(data.topic), _clean(data.notes)
    if not consultant or not topic:
        raise SupportError(_("Name the consultant and the topic."))
    if len(notes) > MAX_NOTES_LENGTH:
        raise SupportError(_("The notes are too long (at most %(count)s characters).", count=MAX_NOTES_LENGTH))
    actions = [a for a in (data.actions or []) if _clean(a.description) or _clean(a.owner)]
    if len(actions) > MAX_AGREED_ACTIONS:
        raise SupportError(_("At most %(count)s agreed actions.", count=MAX_AGREED_ACTIONS))
    if any(not _clean(a.description) or not _clean(a.owner) for a in actions):
        raise SupportError(_("Every agreed action needs a description and an owner."))
    consultation = Consultation(
        institution_id=institution.id,
        programme_id=programme.id,
        logged_by_id=trainer.id,
        held_on=data.held_on,
        duration_minutes=data.duration_minutes,
        form=ConsultationForm(data.form),
        consultant=consultant,
        topic=topic,
        notes=notes,
        actions=[
            AgreedAction(description=_clean(a.description), owner=_clean(a.owner), due_on=a.due_on) for a in actions
        ],
    )
    db.session.add(consultation)
    record(
        trainer,
        "consultation.logged",
        consultation,
        institution_id=institution.id,
        programme_id=programme.id,
        actions=len(actions),
    )
    with force_locale("pl"):
        message = _("A Level II consultation was logged: %(topic)s", topic=topic)
    link = path_for("support.consultations", institution_id=institution.id, programme=programme.id)
    _notify_all(coordinators_of(institution.id), message, link)
    return consultation


def consultations(institution_id: int, programme_id: int) -> list[Consultation]:
    """The institution's consultations in the programme with their actions, newest first."""
    return db.session.scalars(
        select(Consultation)
        .where(Consultation.institution_id == institution_id, Consultation.programme_id == programme_id)
        .options(selectinload(Consultation.actions), joinedload(Consultation.logged_by))
        .order_by(Consultation.held_on.desc(), Consultation.id.desc())
    ).all()


def action_of(institution_id: int, action_id: int) -> AgreedAction | None:
    """An agreed action of one of the institution's consultations (None: not theirs or unknown)."""
    return db.session.scalar(
        select(AgreedAction)
        .join(Consultation, Consultation.id == AgreedAction.consultation_id)
        .where(AgreedAction.id == action_id, Consultation.institution_id == institution_id)
        .options(joinedload(AgreedAction.consultation))
    )


def complete_action(action: AgreedAction, coordinator: User) -> bool:
    """Mark an agreed action done (once: a guarded UPDATE); False when it was already done."""
    result = db.session.execute(
        update(AgreedAction)
        .where(AgreedAction.id == action.id, AgreedAction.done_at.is_(None))
        .values(done_at=utcnow(), done_by_id=coordinator.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(action)
    consultation = action.consultation
    record(coordinator, "agreed_action.done", action, consultation_id=consultation.id)
    with force_locale("pl"):
        message = _("Agreed action done: %(description)s", description=action.description)
    link = path_for(
        "support.consultations", institution_id=consultation.institution_id, programme=consultation.programme_id
    )
    notify(consultation.logged_by_id, message, link)
    return True


# --- the monitoring thread ------------------------------------------------------------------


def programme_modules(programme_id: int) -> list[Module]:
    """The programme's current modules in order (what a trainer may propose)."""
    return db.session.scalars(
        select(Module)
        .where(Module.programme_id == programme_id, Module.retired.is_(False))
        .options(current_version_summary())
        .order_by(Module.level_number, Module.position, Module.id)
    ).all()


def thread(institution_id: int, programme_id: int) -> list[MonitoringMessage]:
    """Every message of the institution's monitoring thread for the programme, oldest first."""
    return db.session.scalars(
        select(MonitoringMessage)
        .where(MonitoringMessage.institution_id == institution_id, MonitoringMessage.programme_id == programme_id)
        .options(
            joinedload(MonitoringMessage.author),
            joinedload(MonitoringMessage.proposed_module).options(current_version_summary()),
        )
        .order_by(MonitoringMessage.created_at, MonitoringMessage.id)
    ).all()


def _message_text(text: str) -> str:
    text = _clean(text)
    if not text:
        raise SupportError(_("Write the message."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise SupportError(_("The message is too long (at most %(count)s characters).", count=MAX_MESSAGE_LENGTH))
    return text


def post_need(institution: Institution, programme: Programme, coordinator: User, text: str) -> MonitoringMessage:
    """The coordinator states a need of their team; audited; the institution's trainers are told."""
    _check_programme(institution, programme)
    message = MonitoringMessage(
        institution_id=institution.id,
        programme_id=programme.id,
        author_id=coordinator.id,
        kind=MonitoringKind.NEED,
        text=_message_text(text),
    )
    db.session.add(message)
    record(coordinator, "monitoring.need", message, institution_id=institution.id, programme_id=programme.id)
    with force_locale("pl"):
        note = _("%(institution)s stated a need in the monitoring thread.", institution=institution.name)
    link = path_for("support.monitoring", institution_id=institution.id, programme=programme.id)
    _notify_all(trainers_of(institution.id, programme.id), note, link)
    return message


def post_proposal(
    institution: Institution,
    programme: Programme,
    trainer: User,
    text: str,
    module_id: int | None,
    proposes_consultation: bool,
) -> MonitoringMessage:
    """A trainer proposes a module of the programme or an individual consultation; the coordinators are told."""
    _check_programme(institution, programme)
    module = None
    if module_id is not None:
        module = db.session.get(Module, module_id)
        if module is None or module.programme_id != programme.id or module.retired:
            raise SupportError(_("Choose a module of this programme."))
    if module is None and not proposes_consultation:
        raise SupportError(_("Propose a module or an individual consultation."))
    message = MonitoringMessage(
        institution_id=institution.id,
        programme_id=programme.id,
        author_id=trainer.id,
        kind=MonitoringKind.PROPOSAL,
        text=_message_text(text),
        proposed_module_id=module.id if module else None,
        proposes_consultation=bool(proposes_consultation),
    )
    db.session.add(message)
    record(
        trainer,
        "monitoring.proposal",
        message,
        institution_id=institution.id,
        programme_id=programme.id,
        module_id=module.id if module else "",
        consultation=bool(proposes_consultation),
    )
    with force_locale("pl"):
        note = _("%(trainer)s proposed a training in the monitoring thread.", trainer=trainer.name)
    link = path_for("support.monitoring", institution_id=institution.id, programme=programme.id)
    _notify_all(coordinators_of(institution.id), note, link)
    return message


# --- indicator reports ----------------------------------------------------------------------


def indicators_of(programme: Programme) -> list[dict]:
    """The programme's indicators as programme.yaml lists them: [{key, label}, …]."""
    return [i for i in (programme.indicators or []) if isinstance(i, dict) and i.get("key")]


@dataclass
class ReportInput:
    period_start: date
    period_end: date
    values: dict
    description: str
    files: list[CheckedFile] | None = None


def submit_indicator_report(
    institution: Institution, programme: Programme, coordinator: User, data: ReportInput
) -> IndicatorReport:
    """Store the institution's indicator values for a period with evidence files; audited; trainers are told."""
    _check_programme(institution, programme)
    if data.period_end < data.period_start:
        raise SupportError(_("The end of the period cannot be before its start."))
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
    description = _clean(data.description)
    if not description:
        raise SupportError(_("Describe the period briefly."))
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise SupportError(
            _("The description is too long (at most %(count)s characters).", count=MAX_DESCRIPTION_LENGTH)
        )
    files = data.files or []
    if len(files) > MAX_EVIDENCE_FILES:
        raise SupportError(_("At most %(count)s evidence files.", count=MAX_EVIDENCE_FILES))
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
    _notify_all(trainers_of(institution.id, programme.id), note, path_for("support.report", report_id=report.id))
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
    feedback = _clean(feedback)
    if not accept and not feedback:
        raise SupportError(_("Write feedback saying what to correct before returning the report."))
    if len(feedback) > MAX_FEEDBACK_LENGTH:
        raise SupportError(_("The feedback is too long (at most %(count)s characters).", count=MAX_FEEDBACK_LENGTH))
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
        f"indicator_report.{status.value}",
        report,
        institution_id=report.institution_id,
        programme_id=report.programme_id,
    )
    period = f"{report.period_start.isoformat()} – {report.period_end.isoformat()}"
    with force_locale("pl"):
        message = (
            _("Indicator report accepted (%(period)s).", period=period)
            if accept
            else _("Indicator report returned for correction (%(period)s).", period=period)
        )
    _notify_all(coordinators_of(report.institution_id), message, path_for("support.report", report_id=report.id))


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
