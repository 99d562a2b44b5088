"""A second verifier, written only from the specifications (RFC 7515/8037 JWS with Ed25519, Bitstring Status
List v1.0, OB 3.0 §8.2), with raw ``cryptography``, base64url and gzip: none of our signing or verifying code.

It reads everything the way an outside verifier would: the credential file, then the issuer's JWKS and
status list from their published URLs (through the test client instead of the network).
"""

import base64
import gzip
import json
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lms.certificates import services
from lms.extensions import db
from tests.credentials.conftest import credential_of


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def get(client, url: str):
    assert url.startswith("https://akademia.example/")
    return client.get(url.removeprefix("https://akademia.example"))


def check_jws(client, token: str) -> dict:
    """The payload of a compact JWS whose Ed25519 signature verifies with the key its kid names, or raise."""
    header_part, payload_part, signature_part = token.split(".")
    header = json.loads(b64url_decode(header_part))
    assert header["alg"] in ("EdDSA", "Ed25519")
    jwks = get(client, "https://akademia.example/credentials/jwks.json").get_json()
    (jwk,) = [key for key in jwks["keys"] if key["kid"] == header["kid"]]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    public_key = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    public_key.verify(b64url_decode(signature_part), f"{header_part}.{payload_part}".encode("ascii"))
    return json.loads(b64url_decode(payload_part))


def independent_verdict(client, token: str) -> str:
    try:
        credential = check_jws(client, token)
    except InvalidSignature:
        return "bad signature"
    now = datetime.now(UTC)
    if datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00")) > now:
        return "not yet valid"
    if "validUntil" in credential and datetime.fromisoformat(credential["validUntil"].replace("Z", "+00:00")) < now:
        return "expired"
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    status_list = check_jws(client, get(client, entry["statusListCredential"]).get_data(as_text=True))
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"  # multibase base64url, no padding
    bits = gzip.decompress(b64url_decode(encoded[1:]))
    index = int(entry["statusListIndex"])
    revoked = (bits[index // 8] >> (7 - index % 8)) & 1  # bit 0 is the left-most bit of the first byte
    return "revoked" if revoked else "valid"


def test_an_outside_verifier_accepts_our_credential(client, person_certificate):
    assert independent_verdict(client, credential_of(person_certificate).token) == "valid"


def test_an_outside_verifier_rejects_a_tampered_credential(client, person_certificate):
    header, payload, signature = credential_of(person_certificate).token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["credentialSubject"]["name"] = "Ktoś Inny"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert independent_verdict(client, f"{header}.{forged}.{signature}") == "bad signature"


def test_an_outside_verifier_sees_a_revocation_at_once(client, person_certificate, world):
    services.revoke(person_certificate, world["admin"], "Zaświadczenie wydano omyłkowo.")
    db.session.commit()
    assert independent_verdict(client, credential_of(person_certificate).token) == "revoked"


def test_an_outside_verifier_accepts_the_institution_credential(client, institution_certificate):
    assert independent_verdict(client, credential_of(institution_certificate).token) == "valid"
