"""Every certificate is also an Open Badges 3.0 credential that validates against the official schema."""

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.content.models import ModuleVersion
from lms.content.reader import read_courses
from lms.credentials.models import IssuedCredential
from lms.credentials.verifying import parse
from lms.extensions import db
from tests.certificates.conftest import decide, submit
from tests.credentials.conftest import SPECS, credential_of


def _validate(payload: dict, schema: dict) -> None:
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    validator.validate(payload)


@pytest.mark.parametrize("which", ["person_certificate", "institution_certificate"])
def test_every_issued_credential_validates_against_the_achievementcredential_schema(request, which, achievement_schema):
    certificate = request.getfixturevalue(which)
    header, payload = parse(credential_of(certificate).token)
    _validate(payload, achievement_schema)
    assert header["alg"] == "EdDSA" and header["kid"].startswith("https://akademia.example/credentials/keys/")
    assert "OpenBadgeCredential" in payload["type"]
    # The registered claims say the same as the credential (OB 3.0, VC-JWT).
    assert payload["iss"] == payload["issuer"]["id"] and payload["jti"] == payload["id"]


def test_person_credential_names_the_holder_and_hashes_the_email(person_certificate, world):
    _header, payload = parse(credential_of(person_certificate).token)
    subject = payload["credentialSubject"]
    assert subject["name"] == "Zofia Żółć"
    email = world["animator"].email
    assert email not in credential_of(person_certificate).token and email not in str(payload)
    (identity,) = subject["identifier"]
    expected = hashlib.sha256((email + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}" and identity["hashed"] is True


def test_person_credential_states_achievement_criteria_and_content_versions(person_certificate):
    _header, payload = parse(credential_of(person_certificate).token)
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["name"] == "Zaświadczenie testowe" and achievement["fieldOfStudy"] == "Program testowy"
    assert "Poziom 1" in achievement["tag"] and "zaakceptowane przez trenera" in achievement["criteria"]["narrative"]
    version = db.session.get(ModuleVersion, person_certificate.basis["module_versions"][0])
    names = [item["name"] for item in payload["evidence"]]
    assert f"Moduł „{version.title}”, wersja treści {version.number}" in names
    assert any(name.startswith("Zadanie „Mój profil animatora”") for name in names)
    assert f"sha256:{version.content_hash}" in [item.get("description") for item in payload["evidence"]]
    assert "validUntil" not in payload  # the person certificate of this programme does not expire
    assert payload["validFrom"] == person_certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_institution_credential_is_valid_until_the_certificate_expires(institution_certificate):
    _header, payload = parse(credential_of(institution_certificate).token)
    assert payload["validUntil"] == f"{institution_certificate.valid_until.isoformat()}T23:59:59Z"
    assert payload["credentialSubject"]["name"] == "GOPS w Żółkiewce"
    assert payload["credentialSubject"]["achievement"]["achievementType"] == "Certification"
    assert "wizytacja" in payload["credentialSubject"]["achievement"]["criteria"]["narrative"]


def test_issuer_is_the_programme_organiser_profile(client, person_certificate, achievement_schema):
    _header, payload = parse(credential_of(person_certificate).token)
    profile = client.get("/credentials/issuers/mini").get_json()
    assert payload["issuer"] == profile and profile["type"] == ["Profile"]
    _validate(profile, json.loads((SPECS / "profile.schema.json").read_text()))
    assert client.get("/credentials/issuers/no-such-programme").status_code == 404
    achievement = client.get("/credentials/achievements/mini/person").get_json()
    assert achievement["criteria"] == payload["credentialSubject"]["achievement"]["criteria"]


def test_the_real_programmes_name_their_organiser(app):
    specs, errors = read_courses(Path(app.config["COURSES_PATH"]))
    assert not errors
    for spec in specs:
        assert spec.certificates["issuer"]["name"] == "Stowarzyszenie Centrum Wspierania Aktywności Lokalnej CAL"
        assert spec.certificates["issuer"]["url"] == "https://www.cal.org.pl"


def test_without_a_signing_key_certificates_are_still_issued(world):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    assert db.session.scalar(select(Certificate)) is not None
    assert db.session.scalar(select(IssuedCredential)) is None
