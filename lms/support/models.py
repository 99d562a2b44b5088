"""Level II support: consultations with agreed actions, the monitoring thread, indicator reports."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.base import enum_column, utcnow
from lms.content.models import Module, Programme
from lms.extensions import db
from lms.institutions.models import Institution


class ConsultationForm(enum.StrEnum):
    ON_SITE = "on_site"
    ONLINE = "online"
    PHONE = "phone"


class Consultation(db.Model):
    """An individual Level II consultation a trainer held with an institution."""

    __table_args__ = (Index("ix_consultation_institution", "institution_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    held_on: Mapped[date]
    duration_minutes: Mapped[int]
    form: Mapped[ConsultationForm] = mapped_column(enum_column(ConsultationForm, 20))
    consultant: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship()
    programme: Mapped[Programme] = relationship()
    logged_by: Mapped[User] = relationship()
    actions: Mapped[list["AgreedAction"]] = relationship(back_populates="consultation", order_by="AgreedAction.id")


class AgreedAction(db.Model):
    """Something agreed at a consultation: who does what by when; the coordinator marks it done."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    consultation: Mapped[Consultation] = relationship(back_populates="actions")


class MonitoringKind(enum.StrEnum):
    NEED = "need"  # the coordinator: "our team needs training in …"
    PROPOSAL = "proposal"  # a trainer's answer: a module or an individual consultation
    COMMENT = "comment"


class MonitoringMessage(db.Model):
    """One message in an institution's monitoring thread (needs and proposed trainings)."""

    __table_args__ = (Index("ix_monitoring_institution", "institution_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[MonitoringKind] = mapped_column(enum_column(MonitoringKind, 20))
    text: Mapped[str] = mapped_column(Text)
    proposed_module_id: Mapped[int | None] = mapped_column(ForeignKey("module.id"))
    proposes_consultation: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()
    proposed_module: Mapped[Module | None] = relationship()


class ReportStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class IndicatorReport(db.Model):
    """An institution's indicator values for a period; a trainer accepts or returns it.

    A returned report is corrected by submitting a new report; the decision is written once
    (a guarded UPDATE ... WHERE status = 'submitted', so the first decision wins).
    """

    __table_args__ = (Index("ix_indicator_report_institution", "institution_id", "programme_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    values: Mapped[dict] = mapped_column(JSON)  # indicator key -> whole number, keys from programme.yaml
    description: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus, 20), default=ReportStatus.SUBMITTED)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    feedback: Mapped[str] = mapped_column(Text, default="")

    institution: Mapped[Institution] = relationship()
    programme: Mapped[Programme] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    evidence: Mapped[list["IndicatorEvidence"]] = relationship(order_by="IndicatorEvidence.id")


class IndicatorEvidence(db.Model):
    """A file supporting an indicator report (stored like attempt attachments)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("indicator_report.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    filename: Mapped[str] = mapped_column(String(200))
