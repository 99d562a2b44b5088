"""What the rest of the application asks of credentials: the published documents and online verification."""

import warnings

from flask import current_app
from joserfc import jwt
from sqlalchemy import select

from lms.content.models import Programme
from lms.credentials import keys, status
from lms.credentials.issuing import ALGORITHM
from lms.credentials.profile import issuer_profile
from lms.credentials.verifying import Trust, Verification, verify
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
