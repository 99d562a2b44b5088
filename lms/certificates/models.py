"""Certificates (person and institution), and institutions' applications for the Certyfikat."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, literal, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.base import enum_column, utcnow
from lms.content.models import Programme
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.models import Institution


class CertificateKind(enum.StrEnum):
    PERSON = "person"  # Zaświadczenie ukończenia Poziomu I
    INSTITUTION = "institution"  # Certyfikat Jakości pracy metodą CAL


class Certificate(db.Model):
    """An issued certificate with its public verification code."""

    __table_args__ = (
        # A person gets a programme's certificate once, even when two acceptances race.
        Index(
            "uq_certificate_person", "programme_id", "holder_id", unique=True,
            sqlite_where=text("kind = 'person'"), postgresql_where=text("kind = 'person'"),
        ),
        Index("ix_certificate_registry", "kind", "revoked_at", "valid_until"),
        # Institutions' checklists: their certificates of a programme (kind first, so that SQLite
        # prefers it to ix_certificate_programme_id for a list of institutions too).
        Index("ix_certificate_institution", "kind", "institution_id", "programme_id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind, 20))
    code: Mapped[str] = mapped_column(String(32), unique=True)  # 80 random bits, base32
    title: Mapped[str] = mapped_column(String(300))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    level: Mapped[int | None]
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)  # person certificates
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("edition.id"))
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[date | None]
    # What it was earned against: module versions, accepted attempts, the application.
    basis: Mapped[dict] = mapped_column(JSON, default=dict)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # A renewal: the certificate this one continues, and the first day of the unbroken validity they share.
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), index=True)
    continuous_since: Mapped[date | None]

    programme: Mapped[Programme] = relationship()
    holder: Mapped[User | None] = relationship(foreign_keys=[holder_id])
    institution: Mapped[Institution] = relationship()
    edition: Mapped[Edition | None] = relationship()
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    AWARDED = "awarded"


class CertificationApplication(db.Model):
    """An institution's application for the institution certificate, decided by an admin after a visit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    applied_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    checklist: Mapped[dict] = mapped_column(JSON, default=dict)  # the checklist as it stood when applying
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, 20), default=ApplicationStatus.SUBMITTED, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    feedback: Mapped[str] = mapped_column(Text, default="")
    visit_on: Mapped[date | None]  # the on-site visit (wizytacja)
    visitors: Mapped[str] = mapped_column(String(300), default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))  # a renewal of this certificate

    institution: Mapped[Institution] = relationship()
    programme: Mapped[Programme] = relationship()
    applied_by: Mapped[User] = relationship(foreign_keys=[applied_by_id])
    certificate: Mapped[Certificate | None] = relationship(foreign_keys=[certificate_id])
    renews: Mapped[Certificate | None] = relationship(foreign_keys=[renews_id])


class ExpiryReminder(db.Model):
    """A reminder sent to an institution's coordinators ``days_before`` its certificate expires."""

    __table_args__ = (UniqueConstraint("certificate_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"))
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


def kind_is(kind: CertificateKind):
    """``Certificate.kind == kind`` with the kind written into the SQL, not bound: SQLite re-plans a
    statement on every run when a bound value is compared with a partial index's condition
    (``uq_certificate_person``: ``kind = 'person'``), which costs milliseconds per statement."""
    return Certificate.kind == literal(kind, Certificate.kind.type, literal_execute=True)
