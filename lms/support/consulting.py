"""Level II consultations: a trainer logs a consultation with its agreed actions; the coordinator closes the actions.

The rules only (no Flask request objects); each change adds its audit event and notifications to the caller's
transaction, and the caller commits.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts.models import User
from lms.accounts.services import coordinators_of
from lms.audit.services import record
from lms.base import polish_today, utcnow
from lms.content.models import Programme
from lms.extensions import db
from lms.institutions.models import Institution
from lms.notifications.services import notify
from lms.support.models import AgreedAction, Consultation, ConsultationForm
from lms.support.services import SupportError, check_joined, check_programme, clean_text, notify_all
from lms.urls import path_for

MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 600
MAX_AGREED_ACTIONS = 5
MAX_NOTES_LENGTH = 20_000


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
    check_programme(institution, programme)
    if data.held_on > polish_today():
        raise SupportError(
            _("A consultation is logged after it took place: the date cannot be in the future."), "held_on"
        )
    check_joined(
        institution,
        programme,
        data.held_on,
        _("A consultation cannot be dated before the institution began the programme (%(date)s)."),
        "held_on",
    )
    if not MIN_DURATION_MINUTES <= data.duration_minutes <= MAX_DURATION_MINUTES:
        raise SupportError(
            _(
                "The duration must be between %(low)s and %(high)s minutes.",
                low=MIN_DURATION_MINUTES,
                high=MAX_DURATION_MINUTES,
            )
        )
    consultant, topic, notes = clean_text(data.consultant), clean_text(data.topic), clean_text(data.notes)
    if not consultant or not topic:
        raise SupportError(_("Name the consultant and the topic."))
    if len(notes) > MAX_NOTES_LENGTH:
        raise SupportError(_("The notes are too long (at most %(count)s characters).", count=MAX_NOTES_LENGTH))
    actions = [a for a in (data.actions or []) if clean_text(a.description) or clean_text(a.owner)]
    if len(actions) > MAX_AGREED_ACTIONS:
        raise SupportError(
            ngettext("At most %(num)s agreed action.", "At most %(num)s agreed actions.", MAX_AGREED_ACTIONS)
        )
    if any(not clean_text(a.description) or not clean_text(a.owner) for a in actions):
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
            AgreedAction(description=clean_text(a.description), owner=clean_text(a.owner), due_on=a.due_on)
            for a in actions
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
    notify_all(coordinators_of(institution.id), message, link)
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
