"""Verifying a VC-JWT credential: signature against the published key, validity dates, revocation status.

The same checks serve the public verify page (keys and status lists from this server's database) and
``flask credentials verify`` (keys and a status list from files, no network). Each failed check says
what failed, in the user's language.
"""

import base64
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from lms.credentials import status

ACCEPTED_ALGORITHMS = ["EdDSA", "Ed25519"]


@dataclass
class Check:
    """One check and its outcome; ``message`` says what was found."""

    name: str
    passed: bool
    message: str


@dataclass
class Verification:
    """The outcome of verifying one credential."""

    checks: list[Check] = field(default_factory=list)
    credential: dict | None = None
    state: str = "invalid"  # valid, expired, revoked, not_yet_valid, invalid

    @property
    def valid(self) -> bool:
        """Whether every check passed."""
        return self.state == "valid"

    @property
    def authentic(self) -> bool:
        """Whether the signature was checked and matched: only then may the credential's content be shown."""
        signatures = [check.passed for check in self.checks if check.name == "signature"]
        return bool(signatures) and all(signatures)

    def failed(self) -> list[Check]:
        """The checks that failed."""
        return [check for check in self.checks if not check.passed]


@dataclass
class Trust:
    """What a verifier trusts: published keys by ``kid`` and a way to read a status list's bits by URL."""

    keys: dict[str, dict]
    status_bits: Callable[[str], bytes | None]


def _b64json(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def parse(token: str) -> tuple[dict, dict]:
    """Header and payload of a compact JWS, unverified; ValueError when it is not one."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    try:
        header, payload = _b64json(parts[0]), _b64json(parts[1])
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError("undecodable JWS") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValueError("JWS parts are not objects")
    return header, payload


def verify_signature(token: str, keys: dict[str, dict]) -> tuple[bool, dict]:
    """(signature valid, header) of ``token`` with the key its ``kid`` names among ``keys``."""
    header, _payload = parse(token)
    jwk = keys.get(header.get("kid", ""))
    if jwk is None or header.get("alg") not in ACCEPTED_ALGORITHMS:
        return False, header
    try:
        key = OKPKey.import_key({k: v for k, v in jwk.items() if k in ("kty", "crv", "x")})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "EdDSA" is deprecated by RFC 9864 but what OB 3.0 verifiers use
            jws.deserialize_compact(token.strip(), key, algorithms=[header["alg"]])
    except (JoseError, ValueError):
        return False, header
    return True, header


def _moment(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def verify(token: str, trust: Trust, now: datetime | None = None) -> Verification:
    """Every check of ``token``; the result's ``state`` sums them up."""
    result = Verification()
    now = now or datetime.now(UTC)
    try:
        _header, credential = parse(token)
    except ValueError:
        result.checks.append(Check("format", False, _("This is not a signed credential (VC-JWT).")))
        return result
    result.credential = credential
    if "OpenBadgeCredential" not in credential.get("type", []) and "AchievementCredential" not in credential.get(
        "type", []
    ):
        result.checks.append(Check("format", False, _("This is not an Open Badges credential.")))
        return result
    signed, header = verify_signature(token, trust.keys)
    if not signed:
        message = (
            _("The signature does not match the credential: it has been changed or was not signed by us.")
            if header.get("kid") in trust.keys
            else _("The credential names a key we have never published.")
        )
        result.checks.append(Check("signature", False, message))
        return result
    result.checks.append(Check("signature", True, _("The signature matches the issuer's published key.")))
    result.state = _dates(credential, now, result) or _status(credential, trust, result) or "valid"
    return result


def _dates(credential: dict, now: datetime, result: Verification) -> str | None:
    valid_from, valid_until = _moment(credential.get("validFrom")), _moment(credential.get("validUntil"))
    if valid_from is None:
        result.checks.append(Check("dates", False, _("The credential has no valid start date.")))
        return "invalid"
    if valid_from > now:
        result.checks.append(Check("dates", False, _("The credential is not valid yet.")))
        return "not_yet_valid"
    if valid_until is not None and valid_until < now:
        when = format_date(valid_until.date(), "long")
        result.checks.append(Check("dates", False, _("The credential expired on %(date)s.", date=when)))
        return "expired"
    result.checks.append(Check("dates", True, _("Within its validity dates.")))
    return None


def _status(credential: dict, trust: Trust, result: Verification) -> str | None:
    entry = credential.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        result.checks.append(Check("status", False, _("The credential has no revocation status to check.")))
        return "invalid"
    try:
        index = int(entry.get("statusListIndex", ""))
    except ValueError:
        index = -1
    bits = trust.status_bits(entry.get("statusListCredential", ""))
    if bits is None or not 0 <= index < len(bits) * 8:
        result.checks.append(Check("status", False, _("The revocation list could not be read.")))
        return "invalid"
    if status.is_set(bits, index):
        result.checks.append(Check("status", False, _("The credential has been revoked.")))
        return "revoked"
    result.checks.append(Check("status", True, _("Not revoked.")))
    return None


def status_list_bits(token: str, keys: dict[str, dict]) -> tuple[str, bytes] | None:
    """(URL, bits) of a signed BitstringStatusListCredential, or None if its signature or shape is wrong."""
    try:
        signed, _header = verify_signature(token, keys)
        _h, credential = parse(token)
    except ValueError:
        return None
    subject = credential.get("credentialSubject") or {}
    if not signed or subject.get("type") != "BitstringStatusList":
        return None
    try:
        return credential.get("id", ""), status.decode(subject.get("encodedList", ""))
    except (ValueError, OSError, EOFError):
        return None
