"""A certificate's Open Badges credential: the facts it states, handed to lms.credentials to sign."""

from lms.certificates.models import Certificate, CertificateKind
from lms.credentials import issuing
from lms.credentials.models import IssuedCredential
from lms.urls import absolute_url, path_for


def facts_of(certificate: Certificate) -> issuing.CertificateFacts:
    """What the credential of ``certificate`` says."""
    basis = certificate.basis or {}
    checklist = basis.get("checklist", {}).get("items", [])
    holder = certificate.holder
    return issuing.CertificateFacts(
        certificate_id=certificate.id,
        kind=certificate.kind.value,
        title=certificate.title,
        programme=certificate.programme,
        level=certificate.level,
        holder_name=holder.name if holder else certificate.institution.name,
        holder_email=holder.email if holder else None,
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        verify_url=absolute_url(path_for("certificates.verify_code", code=certificate.code)),
        module_version_ids=list(basis.get("module_versions", [])),
        assignment_version_ids=list(basis.get("assignment_versions", [])),
        checklist=[item for item in checklist if item.get("met")]
        if certificate.kind is CertificateKind.INSTITUTION
        else [],
        revoked=certificate.revoked_at is not None,
    )


def issue_credential(certificate: Certificate) -> IssuedCredential | None:
    """Sign the certificate's credential in the caller's transaction (None while no signing key exists)."""
    return issuing.issue(facts_of(certificate))


def revoke_credential(certificate: Certificate) -> bool:
    """Set the credential's revocation bit in the caller's transaction (False: it has no credential yet)."""
    return issuing.revoke(certificate.id)
