"""The monitoring thread of an institution and a programme: the coordinator states needs, trainers propose a module
or an individual consultation.

The rules only (no Flask request objects); each change adds its audit event and notifications to the caller's
transaction, and the caller commits.
"""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.accounts.services import coordinators_of
from lms.audit.services import record
from lms.content.models import Module, Programme, current_version_summary
from lms.extensions import db
from lms.institutions.models import Institution
from lms.support.models import MonitoringKind, MonitoringMessage
from lms.support.services import SupportError, check_programme, clean_text, notify_all, trainers_of
from lms.urls import path_for

MAX_MESSAGE_LENGTH = 5_000


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
    text = clean_text(text)
    if not text:
        raise SupportError(_("Write the message."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise SupportError(_("The message is too long (at most %(count)s characters).", count=MAX_MESSAGE_LENGTH))
    return text


def post_need(institution: Institution, programme: Programme, coordinator: User, text: str) -> MonitoringMessage:
    """The coordinator states a need of their team; audited; the institution's trainers are told."""
    check_programme(institution, programme)
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
    notify_all(trainers_of(institution.id, programme.id), note, link)
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
    check_programme(institution, programme)
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
    notify_all(coordinators_of(institution.id), note, link)
    return message
