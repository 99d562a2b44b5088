"""Everything an admin reviews before awarding the institution certificate, gathered for one page."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts.models import User
from lms.certificates.checklist import InstitutionChecklist, institution_checklist
from lms.certificates.models import Certificate, CertificateKind, CertificationApplication, kind_is
from lms.extensions import db
from lms.support.models import Consultation, IndicatorReport


@dataclass
class Portfolio:
    checklist: InstitutionChecklist
    staff_certificates: list[Certificate]
    consultations: list[Consultation]
    indicator_reports: list[IndicatorReport]
    earlier: list[CertificationApplication]


def portfolio_of(application: CertificationApplication) -> Portfolio:
    """The live checklist and the evidence behind each item, in a fixed number of queries."""
    institution_id, programme_id = application.institution_id, application.programme_id
    return Portfolio(
        checklist=institution_checklist(application.institution, application.programme),
        staff_certificates=db.session.scalars(
            select(Certificate)
            .join(User, User.id == Certificate.holder_id)
            .where(
                kind_is(CertificateKind.PERSON),
                Certificate.programme_id == programme_id,
                User.institution_id == institution_id,
            )
            .options(joinedload(Certificate.holder))
            .order_by(User.name)
        ).all(),
        consultations=db.session.scalars(
            select(Consultation)
            .where(Consultation.institution_id == institution_id, Consultation.programme_id == programme_id)
            .options(selectinload(Consultation.actions))
            .order_by(Consultation.held_on.desc())
        ).all(),
        indicator_reports=db.session.scalars(
            select(IndicatorReport)
            .where(IndicatorReport.institution_id == institution_id, IndicatorReport.programme_id == programme_id)
            .order_by(IndicatorReport.submitted_at.desc())
        ).all(),
        earlier=db.session.scalars(
            select(CertificationApplication)
            .where(
                CertificationApplication.institution_id == institution_id,
                CertificationApplication.id != application.id,
            )
            .order_by(CertificationApplication.applied_at.desc())
        ).all(),
    )
