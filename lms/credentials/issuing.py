"""Issuing: a certificate's facts → an OB 3.0 AchievementCredential, signed as a VC-JWT (OB 3.0 §8.2).

The JWT payload is the credential itself, with the registered claims the specification maps onto it:
``iss`` = issuer.id, ``jti`` = id, ``nbf`` = validFrom, ``exp`` = validUntil. The header names the
signing key by the URL of its public JWK (``kid``).
"""

import hashlib
import secrets
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from joserfc import jwt
from sqlalchemy import select

from lms.content.models import AssignmentVersion, ModuleVersion, Programme
from lms.credentials import keys, status, wording
from lms.credentials.models import IssuedCredential
from lms.credentials.profile import issuer_profile
from lms.extensions import db
from lms.urls import absolute_url, path_for

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
# RFC 9864 prefers "Ed25519", but OB 3.0 verifiers in use know "EdDSA" (RFC 8037); the signature is the same.
ALGORITHM = "EdDSA"


@dataclass(frozen=True)
class CertificateFacts:
    """What a credential says about one certificate; built by the certificates package."""

    certificate_id: int
    kind: str  # "person" or "institution"
    title: str
    programme: Programme
    level: int | None
    holder_name: str
    holder_email: str | None  # hashed with a salt, never written plainly
    issued_at: datetime
    valid_until: date | None
    verify_url: str
    module_version_ids: list[int] = field(default_factory=list)
    assignment_version_ids: list[int] = field(default_factory=list)
    checklist: list[dict] = field(default_factory=list)
    revoked: bool = False


def _timestamp(moment: datetime) -> str:
    return moment.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")


def _end_of(day: date) -> datetime:
    """A certificate valid until a day is valid through that whole day (UTC)."""
    return datetime.combine(day, time(23, 59, 59))


def identity(email: str) -> dict:
    """The holder's e-mail as a salted SHA-256 IdentityObject: checkable by who knows it, unreadable otherwise."""
    salt = secrets.token_hex(8)
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def _evidence(facts: CertificateFacts) -> list[dict]:
    """The content versions (module and assignment versions) or the checklist the certificate was earned on."""
    evidence = []
    if facts.module_version_ids:
        versions = db.session.scalars(
            select(ModuleVersion).where(ModuleVersion.id.in_(facts.module_version_ids)).order_by(ModuleVersion.id)
        )
        for version in versions:
            evidence.append({
                "type": ["Evidence"],
                "name": wording.module_evidence(version.title, version.number),
                "description": f"sha256:{version.content_hash}",
                "genre": "Wersja treści",
            })  # fmt: skip
    if facts.assignment_version_ids:
        assignments = db.session.scalars(
            select(AssignmentVersion)
            .where(AssignmentVersion.id.in_(facts.assignment_version_ids))
            .order_by(AssignmentVersion.id)
        )
        for assignment in assignments:
            module = assignment.module_version
            evidence.append({
                "type": ["Evidence"],
                "name": wording.module_evidence(module.title, module.number, assignment.title),
                "genre": "Zadanie zaakceptowane przez trenera",
            })  # fmt: skip
    for item in facts.checklist:
        condition = {"type": ["Evidence"], "name": item["label"], "genre": "Warunek certyfikacji"}
        if item.get("detail"):
            condition["description"] = item["detail"]
        evidence.append(condition)
    evidence.append({"id": facts.verify_url, "type": ["Evidence"], "name": "Publiczna strona weryfikacji certyfikatu"})
    return evidence


def curriculum_version(facts: CertificateFacts) -> str:
    """A short label of the content the certificate was earned on: module versions, or the programme's content."""
    if facts.module_version_ids:
        digest = hashlib.sha256(",".join(map(str, sorted(facts.module_version_ids))).encode()).hexdigest()
        return f"{facts.programme.slug}@{digest[:12]}"
    return f"{facts.programme.slug}@{facts.programme.content_hash[:12]}"


def build(facts: CertificateFacts, credential_id: str, status_entry: dict) -> dict:
    """The AchievementCredential (unsigned)."""
    programme = facts.programme
    subject = {"type": ["AchievementSubject"], "name": facts.holder_name}
    if facts.holder_email:
        subject["identifier"] = [identity(facts.holder_email)]
    achievement_url = absolute_url(path_for("credentials.achievement", issuer=programme.slug, kind=facts.kind))
    subject["achievement"] = {
        "id": achievement_url,
        "type": ["Achievement"],
        "achievementType": wording.ACHIEVEMENT_TYPE[facts.kind],
        "name": facts.title,
        "description": wording.description(facts.kind, programme, facts.level),
        "criteria": {"narrative": wording.criteria(facts.kind, programme, facts.level)},
        "inLanguage": "pl",
        "version": curriculum_version(facts),
        "fieldOfStudy": programme.title,
        "tag": ["CAL", f"Poziom {facts.level}"] if facts.level else ["CAL"],
    }
    credential = {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.title,
        "issuer": issuer_profile(programme),
        "validFrom": _timestamp(facts.issued_at),
        "awardedDate": _timestamp(facts.issued_at),
        "credentialSubject": subject,
        "credentialStatus": status_entry,
        "credentialSchema": [SCHEMA],
    }
    if facts.valid_until:
        credential["validUntil"] = _timestamp(_end_of(facts.valid_until))
    evidence = _evidence(facts)
    if evidence:
        credential["evidence"] = evidence
    return credential


def _seconds(stamp: str) -> int:
    return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def sign(credential: dict, key_name: str, key) -> str:
    """The compact VC-JWT of ``credential`` signed with ``key``."""
    claims = dict(credential)
    claims["iss"] = credential["issuer"]["id"] if isinstance(credential["issuer"], dict) else credential["issuer"]
    claims["jti"] = credential["id"]
    claims["nbf"] = _seconds(credential["validFrom"])
    if "validUntil" in credential:
        claims["exp"] = _seconds(credential["validUntil"])
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": keys.key_url(key_name)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc's RFC 9864 deprecation notice for "EdDSA": see ALGORITHM
        return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


def issue(facts: CertificateFacts) -> IssuedCredential | None:
    """Sign and store the certificate's credential in the caller's transaction.

    None when this server has no signing key yet (``flask credentials keys create``): the job
    ``credentials`` issues what is missing once it has one.
    """
    signer = keys.signing_key()
    if signer is None:
        return None
    key_name, key = signer
    status_list, index = status.allocate(facts.programme.slug)
    entry_url = status.status_list_url(facts.programme.slug)
    entry = {
        "id": f"{entry_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status.REVOCATION,
        "statusListIndex": str(index),
        "statusListCredential": entry_url,
    }
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    token = sign(build(facts, credential_id, entry), key_name, key)
    issued = IssuedCredential(
        certificate_id=facts.certificate_id,
        credential_id=credential_id,
        status_list_id=status_list.id,
        status_index=index,
        key_name=key_name,
        token=token,
    )
    db.session.add(issued)
    if facts.revoked:  # issued late for a certificate already revoked
        status.set_bit(status_list, index)
    return issued


def revoke(certificate_id: int) -> bool:
    """Set the revocation bit of the certificate's credential, in the caller's transaction; False if it has none."""
    issued = db.session.scalar(select(IssuedCredential).where(IssuedCredential.certificate_id == certificate_id))
    if issued is None:
        return False
    status_list = db.session.scalar(
        select(status.StatusList).where(status.StatusList.id == issued.status_list_id).with_for_update()
    )
    status.set_bit(status_list, issued.status_index)
    return True
