"""Bitstring Status Lists (W3C): one per issuer and purpose, bit i set when credential i is revoked.

Indexes are drawn at random from the positions never used before (a unique constraint refuses reuse),
so that neither an index nor the list's size says how many credentials exist; a list holds at least
131,072 bits, the minimum the specification sets for that reason.
"""

import base64
import gzip
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.base import utcnow
from lms.credentials.models import IssuedCredential, StatusList
from lms.extensions import db
from lms.urls import absolute_url, path_for

REVOCATION = "revocation"
MINIMUM_BITS = 131_072  # 16 KB
_TRIES = 64


class StatusListFull(RuntimeError):
    """No unused index was found; a larger list is needed."""


def status_list_url(issuer: str, purpose: str = REVOCATION) -> str:
    """The stable address of an issuer's status list credential."""
    return absolute_url(path_for("credentials.status_list", issuer=issuer, purpose=purpose))


def _locked_list(issuer: str, purpose: str) -> StatusList:
    """The issuer's list, created when first needed, locked for this transaction (PostgreSQL)."""
    statement = select(StatusList).where(StatusList.issuer == issuer, StatusList.purpose == purpose)
    status_list = db.session.scalar(statement.with_for_update())
    if status_list is None:
        status_list = StatusList(issuer=issuer, purpose=purpose, size=MINIMUM_BITS, bits=bytes(MINIMUM_BITS // 8))
        try:
            with db.session.begin_nested():
                db.session.add(status_list)
        except IntegrityError:  # another transaction created it first: wait for it and use that one
            status_list = db.session.scalar(statement.with_for_update())
    return status_list


def allocate(issuer: str, purpose: str = REVOCATION) -> tuple[StatusList, int]:
    """A never-used index in the issuer's list; the caller stores it with the credential (unique)."""
    status_list = _locked_list(issuer, purpose)
    for _ in range(_TRIES):
        index = secrets.randbelow(status_list.size)
        taken = db.session.scalar(
            select(IssuedCredential.id).where(
                IssuedCredential.status_list_id == status_list.id, IssuedCredential.status_index == index
            )
        )
        if taken is None:
            return status_list, index
    raise StatusListFull(f"No free index found in the {purpose} list of {issuer}.")


def set_bit(status_list: StatusList, index: int) -> None:
    """Set bit ``index`` (the first bit is the most significant bit of the first byte)."""
    bits = bytearray(status_list.bits)
    bits[index // 8] |= 0x80 >> (index % 8)
    status_list.bits = bytes(bits)
    status_list.updated_at = utcnow()


def is_set(bits: bytes, index: int) -> bool:
    """Whether bit ``index`` is set."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def encode(bits: bytes) -> str:
    """``encodedList``: multibase base64url (prefix ``u``, no padding) of the GZIP-compressed bits."""
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    """The bits of an ``encodedList``."""
    if not encoded.startswith("u"):
        raise ValueError("not multibase base64url")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def list_credential(status_list: StatusList, issuer_id: str) -> dict:
    """The BitstringStatusListCredential (unsigned) for ``status_list``."""
    url = status_list_url(status_list.issuer, status_list.purpose)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": encode(status_list.bits),
            "ttl": 300_000,  # milliseconds: as long as the list may be cached
        },
    }


def find_list(issuer: str, purpose: str) -> StatusList | None:
    """The issuer's list for ``purpose`` (not locked), or None."""
    return db.session.scalar(select(StatusList).where(StatusList.issuer == issuer, StatusList.purpose == purpose))
