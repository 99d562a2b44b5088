"""What the rest of the application asks of credentials: the published documents and online verification."""

import json
import warnings
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from joserfc import jwt
from sqlalchemy import select

from lms.content.models import Programme
from lms.credentials import keys, status
from lms.credentials.issuing import ALGORITHM
from lms.credentials.models import IssuedCredential
from lms.credentials.profile import issuer_profile
from lms.credentials.verifying import Check, Trust, Verification, parse, verify
from lms.extensions import db


def signed_status_list(issuer: str, purpose: str) -> str | None:
    """The issuer's status list as a signed VC-JWT, made now from the current bits; None if there is none.

    Signed on each request rather than stored: a revocation shows in the very next response, and an
    Ed25519 signature over 16 KB costs well under a millisecond.
    """
    status_list = status.find_list(issuer, purpose)
    programme = db.session.scalar(select(Programme).where(Programme.slug == issuer))
    signer = keys.signing_key()
    if status_list is None or programme is None or signer is None:
        return None
    key_name, key = signer
    credential = status.list_credential(status_list, issuer_profile(programme)["id"])
    claims = {**credential, "iss": credential["issuer"], "jti": credential["id"]}
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": keys.key_url(key_name)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see lms.credentials.issuing.ALGORITHM
        return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


def _own_status_bits(url: str) -> bytes | None:
    """The bits of one of this server's lists, read from the database (the same transaction as a revocation)."""
    prefix = current_app.config["PUBLIC_URL"].rstrip("/") + "/credentials/status/"
    if not url.startswith(prefix):
        return None  # another issuer's list: this server fetches nothing from elsewhere
    parts = url[len(prefix) :].split("/")
    if len(parts) != 2:
        return None
    status_list = status.find_list(parts[0], parts[1])
    return status_list.bits if status_list else None


def online_trust() -> Trust:
    """This server's published keys and status lists."""
    return Trust(keys={key["kid"]: key for key in keys.jwks()["keys"]}, status_bits=_own_status_bits)


def verify_online(token: str) -> Verification:
    """Verify a credential against this server's published keys and its current status lists."""
    return verify(token, online_trust())


# Claims the VC-JWT adds to the credential (OB 3.0 §8.2): not part of the JSON a holder downloads.
_REGISTERED_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")


def decoded(token: str) -> dict:
    """The credential a VC-JWT carries, without the JWT's registered claims (what the JSON download holds)."""
    _header, payload = parse(token)
    return {name: value for name, value in payload.items() if name not in _REGISTERED_CLAIMS}


def verify_submitted(text: str) -> Verification:
    """Verify what someone pasted or uploaded: a VC-JWT, or the JSON download of one of our credentials.

    A JSON credential carries no signature of its own: it is checked by finding the credential we issued
    under its id and comparing every field, then verifying that signed original.
    """
    text = text.strip().lstrip("\ufeff")
    if not text.startswith("{"):
        return verify_online(text)
    try:
        submitted = json.loads(text)
    except ValueError:
        submitted = None
    issued = None
    if isinstance(submitted, dict) and isinstance(submitted.get("id"), str):
        issued = db.session.scalar(select(IssuedCredential).where(IssuedCredential.credential_id == submitted["id"]))
    if issued is None:
        result = Verification(credential=submitted if isinstance(submitted, dict) else None)
        result.checks.append(Check("format", False, _("We did not issue a credential with this identifier.")))
        return result
    result = verify_online(issued.token)
    if decoded(issued.token) != submitted:
        result.checks.insert(
            0, Check("signature", False, _("The file differs from the credential we issued: it has been changed."))
        )
        result.state = "invalid"
        result.credential = submitted
    return result


def credential_of(certificate_id: int) -> IssuedCredential | None:
    """The certificate's signed credential, if it has one."""
    return db.session.scalar(select(IssuedCredential).where(IssuedCredential.certificate_id == certificate_id))


@dataclass(frozen=True)
class Summary:
    """What a verification page shows of an authentic credential's content."""

    title: str
    holder: str
    issuer: str
    valid_from: date | None
    valid_until: date | None
    curriculum_version: str
    content_versions: list[str]


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _day(value) -> date | None:
    """The day of a credential's ISO timestamp, so the page writes it as it writes every date; None if unreadable."""
    try:
        return date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None


def summary(credential: dict | None) -> Summary | None:
    """The displayable facts of a decoded credential, tolerating any shape."""
    if not isinstance(credential, dict):
        return None
    subject = credential.get("credentialSubject") if isinstance(credential.get("credentialSubject"), dict) else {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    issuer = credential.get("issuer")
    evidence = credential.get("evidence") if isinstance(credential.get("evidence"), list) else []
    return Summary(
        title=_text(credential.get("name")) or _text(achievement.get("name")),
        holder=_text(subject.get("name")),
        issuer=_text(issuer.get("name")) if isinstance(issuer, dict) else _text(issuer),
        valid_from=_day(credential.get("validFrom")),
        valid_until=_day(credential.get("validUntil")),
        curriculum_version=_text(achievement.get("version")),
        content_versions=[
            _text(item.get("name"))
            for item in evidence
            if isinstance(item, dict) and item.get("genre") == "Wersja treści"
        ],
    )
