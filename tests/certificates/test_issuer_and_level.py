"""The person certificate names the programme's organiser as issuer and its level as Poziom I, everywhere."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lms.base import utcnow
from lms.certificates import codes
from lms.certificates.models import Certificate
from lms.content.models import Programme
from lms.extensions import db
from tests.certificates.conftest import decide, submit
from tests.conftest import login

ORGANISER = "Stowarzyszenie Organizatorów Testowych"  # tests/data/courses/mini/programme.yaml


@pytest.fixture
def certificate(world):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    return db.session.scalar(select(Certificate))


def pdf_text(client, certificate) -> str:
    response = client.get(f"/certificates/{certificate.id}/pdf")
    assert response.status_code == 200
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_pdf_names_the_organiser_as_issuer_not_the_trainer(app, world, certificate):
    holder = app.test_client()
    login(holder, world["animator"])
    text = pdf_text(holder, certificate)
    assert f"Wystawca: {ORGANISER}" in text
    assert "Tomasz Trener" not in text and "Wydał" not in text
    assert "Program testowy — Poziom I" in text and "poziom 1" not in text


def test_the_verify_page_and_the_api_name_the_issuer_and_the_level_alike(client, certificate):
    html = client.get(f"/verify/{codes.readable(certificate.code)}").get_data(as_text=True)
    assert "Wystawca" in html and ORGANISER in html
    assert "Program testowy — Poziom I" in html and "poziom 1" not in html
    data = client.get(f"/api/v1/verify/{certificate.code}").get_json()
    assert data["issuer"] == ORGANISER and data["level"] == 1


def test_the_module_page_names_the_level_as_the_certificate_does(client, mini_programme):
    html = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    assert "Poziom I · moduł 1" in html


def test_a_programme_without_an_organiser_is_issued_by_akademia_cal(app, world, certificate):
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    programme.certificates = {key: rule for key, rule in programme.certificates.items() if key != "issuer"}
    db.session.commit()
    holder = app.test_client()
    login(holder, world["animator"])
    assert "Wystawca: Akademia CAL" in pdf_text(holder, certificate)


def test_the_pdf_prints_symbols_noto_sans_lacks_from_the_fallback_font(app, world, certificate):
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = "Wizytacja → brak OSL w statucie; wymagane ≥ 3 konsultacje"
    db.session.commit()
    holder = app.test_client()
    login(holder, world["animator"])
    assert "Wizytacja → brak OSL w statucie; wymagane ≥ 3 konsultacje" in pdf_text(holder, certificate)
