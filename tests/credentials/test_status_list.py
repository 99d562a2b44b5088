"""Revocation: a signed BitstringStatusList per issuer and purpose, flipped in the revocation's transaction."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.certificates import services
from lms.credentials import status
from lms.credentials.models import StatusList
from lms.credentials.services import verify_online
from lms.credentials.verifying import parse
from lms.extensions import db
from tests.certificates.conftest import decide, submit
from tests.credentials.conftest import certificate_of, credential_of


def _list_payload(client) -> tuple[dict, dict]:
    response = client.get("/credentials/status/mini/revocation")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    return response, parse(response.get_data(as_text=True))[1]


def test_status_list_is_signed_cacheable_five_minutes_and_padded(client, person_certificate):
    response, payload = _list_payload(client)
    max_age = int(response.headers["Cache-Control"].split("max-age=")[1])
    assert "public" in response.headers["Cache-Control"] and 0 < max_age <= 300
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = payload["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    bits = status.decode(subject["encodedList"])
    assert len(bits) * 8 >= 131_072 and not any(bits)
    entry = parse(credential_of(person_certificate).token)[1]["credentialStatus"]
    assert (
        entry["statusListCredential"] == payload["id"] == "https://akademia.example/credentials/status/mini/revocation"
    )


def test_unknown_lists_are_not_found(client, person_certificate):
    assert client.get("/credentials/status/mini/suspension").status_code == 404
    assert client.get("/credentials/status/other/revocation").status_code == 404


def test_revoking_flips_the_bit_in_the_same_transaction(client, person_certificate, world):
    issued = credential_of(person_certificate)
    services.revoke(person_certificate, world["admin"], "Praca okazała się plagiatem.")
    # Before the commit, in the same transaction, the list already says revoked ...
    assert verify_online(issued.token).state == "revoked"
    db.session.rollback()
    # ... and a revocation that is rolled back leaves the bit unset.
    assert verify_online(issued.token).state == "valid"
    services.revoke(person_certificate, world["admin"], "Praca okazała się plagiatem.")
    db.session.commit()
    _response, payload = _list_payload(client)
    bits = status.decode(payload["credentialSubject"]["encodedList"])
    assert status.is_set(bits, issued.status_index) and sum(bin(byte).count("1") for byte in bits) == 1


def test_indexes_are_never_reused_and_do_not_count_credentials(world, signing_key):
    for key in ("animator", "colleague"):
        decide(submit(world[key], world["edition"], "profil"), world["trainer"])
    indexes = [credential_of(certificate_of(world[key])).status_index for key in ("animator", "colleague")]
    assert len(set(indexes)) == 2
    assert db.session.scalar(select(StatusList.size)) == 131_072
    # Taking an index twice is refused by the database itself.
    first, second = (credential_of(certificate_of(world[key])) for key in ("animator", "colleague"))
    second.status_index = first.status_index
    with pytest.raises(IntegrityError):
        db.session.flush()
