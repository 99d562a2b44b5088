"""Credentials on top of the certification world: a signing key, a person's and an institution's certificate."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.certificates import services
from lms.certificates.models import Certificate, CertificateKind
from lms.credentials import keys
from lms.credentials.models import IssuedCredential
from lms.extensions import db
from tests.certificates.conftest import build_world, decide, submit
from tests.certificates.test_institution_certificate import VISIT, complete_everything

# The official schemas, copied unchanged from ../shared/specs (a clean clone on CI has no ../shared).
SPECS = Path(__file__).resolve().parents[2] / "specs" / "openbadges-3.0"


@pytest.fixture
def world(snapshot):
    """The certification world of tests/certificates."""
    return snapshot(build_world)


@pytest.fixture
def signing_key(app):
    """A published key whose private part is in the (temporary) keys folder; returns its name."""
    row, _private = keys.create_key()
    db.session.commit()
    return row.name


def credential_of(certificate: Certificate) -> IssuedCredential:
    return db.session.scalar(select(IssuedCredential).where(IssuedCredential.certificate_id == certificate.id))


def certificate_of(user) -> Certificate:
    return db.session.scalar(select(Certificate).where(Certificate.holder_id == user.id))


@pytest.fixture
def person_certificate(world, signing_key):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    return db.session.scalar(select(Certificate).where(Certificate.kind == CertificateKind.PERSON))


@pytest.fixture
def institution_certificate(world, signing_key):
    complete_everything(world)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    certificate = services.award(application, world["admin"], VISIT)
    db.session.commit()
    return certificate


@pytest.fixture(scope="session")
def achievement_schema():
    return json.loads((SPECS / "achievementcredential.schema.json").read_text())
