"""The public registry's history: Certyfikaty that expired or were revoked, and the renewals that continued them.

The registry proper (services.registry) lists what is valid today. Its history answers the other question a
grant officer asks: did this centre hold the Certyfikat then, and did it lapse or was it taken away?
"""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from lms.base import utcnow
from lms.certificates.models import Certificate, CertificateKind, kind_is
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship

VALID, HISTORY = "", "history"  # the registry's ``status`` filter: valid today (the default), or ended


def history(voivodeship: str = "", kind: str = "", today: date | None = None):
    """A select of institution certificates that ended (revoked, or expired before ``today``):
    by institution, newest first."""
    today = today or utcnow().date()
    statement = (
        select(Certificate)
        .join(Institution, Institution.id == Certificate.institution_id)
        .where(
            kind_is(CertificateKind.INSTITUTION),
            or_(Certificate.revoked_at.is_not(None), Certificate.valid_until < today),
        )
        .options(joinedload(Certificate.institution), joinedload(Certificate.programme))
        .order_by(Institution.name, Certificate.issued_at.desc(), Certificate.id.desc())
    )
    if voivodeship in {v.value for v in Voivodeship}:
        statement = statement.where(Institution.voivodeship == Voivodeship(voivodeship))
    if kind in {k.value for k in InstitutionKind}:
        statement = statement.where(Institution.kind == InstitutionKind(kind))
    return statement


def continued_by(certificates: list[Certificate]) -> dict[int, Certificate]:
    """``{ended certificate id: the renewal that continued it without a break}``, for the given certificates.

    Only a renewal awarded in time (it carries ``continuous_since``) and not itself revoked continues one.
    """
    ids = [certificate.id for certificate in certificates if certificate.revoked_at is None]
    if not ids:
        return {}
    renewals = db.session.scalars(
        select(Certificate).where(
            Certificate.renews_id.in_(ids),
            Certificate.revoked_at.is_(None),
            Certificate.continuous_since.is_not(None),
        )
    )
    return {renewal.renews_id: renewal for renewal in renewals}
