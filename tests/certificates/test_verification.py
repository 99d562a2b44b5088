"""Public verification, the registry and the PDF document."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from lms.certificates import codes, pdf
from lms.certificates.models import Certificate
from lms.extensions import db
from tests.certificates.conftest import decide, submit
from tests.conftest import login


@pytest.fixture
def certificate(world):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    return db.session.scalar(select(Certificate))


def test_codes_have_80_random_bits_and_a_readable_form():
    code = codes.new_code()
    assert len(code) == 16 and len({codes.new_code() for _ in range(200)}) == 200
    printed = codes.readable(code)
    assert printed.count("-") == 3 and codes.normalise(printed.lower()) == code
    assert codes.normalise("ABCD-EFGH-IJKL-MN0P") == "ABCDEFGHIJKLMNOP"  # a typed zero is read as O
    assert codes.normalise("not a code") is None and codes.normalise("A" * 17) is None


def test_verify_page_shows_only_public_facts(client, certificate, world):
    html = client.get(f"/verify/{codes.readable(certificate.code)}").get_data(as_text=True)
    assert "Ważny certyfikat" in html
    assert "Zofia Żółć" in html and "GOPS w Żółkiewce" in html and "Testowo" in html
    assert world["animator"].email not in html  # nothing more personal than name, institution, locality


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "<script>", "x" * 500, "AAAA"])
def test_unknown_or_malformed_codes_are_a_clear_not_found(client, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "Żaden certyfikat nie ma tego kodu" in response.get_data(as_text=True)
    assert client.get("/verify/", query_string={"code": code}).status_code == 404


def test_verify_form_accepts_a_typed_code(client, certificate):
    response = client.get("/verify/", query_string={"code": codes.readable(certificate.code).lower()})
    assert response.status_code == 200 and "Ważny certyfikat" in response.get_data(as_text=True)


def test_verification_is_rate_limited(client, app):
    app.config["RATELIMIT_VERIFY"], limit = "3 per minute", app.config["RATELIMIT_VERIFY"]
    try:
        statuses = [client.get("/verify/AAAA-AAAA-AAAA-AAAA").status_code for _ in range(4)]
    finally:
        app.config["RATELIMIT_VERIFY"] = limit
    assert statuses == [404, 404, 404, 429]


def test_pdf_carries_polish_text_and_a_qr_code_of_the_verify_url(app, world, certificate):
    holder = app.test_client()
    login(holder, world["animator"])
    response = holder.get(f"/certificates/{certificate.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in (
        "Zaświadczenie testowe",
        "Zofia Żółć",
        "GOPS w Żółkiewce",
        "Program testowy",
        codes.readable(certificate.code),
    ):
        assert expected in text
    verify_url = f"https://akademia.example/verify/{certificate.code}"
    assert verify_url in text
    # The printed QR code is exactly the code of the verification address (pixel for pixel).
    [printed] = PdfReader(io.BytesIO(response.data)).pages[0].images
    expected = io.BytesIO()
    pdf.qr_code(verify_url).save(expected, kind="png", scale=6, border=2)
    assert printed.image.convert("1").tobytes() == Image.open(expected).convert("1").tobytes()


def test_pdf_only_for_the_holder_their_coordinator_and_admins(app, world, certificate):
    for key, expected in (
        ("animator", 200),
        ("coordinator", 200),
        ("admin", 200),
        ("colleague", 404),
        ("trainer", 404),
    ):
        client = app.test_client()
        login(client, world[key])
        assert client.get(f"/certificates/{certificate.id}/pdf").status_code == expected, key
