"""The verify page checks a code, an uploaded credential file or a pasted VC-JWT, and says in Polish what failed."""

import base64
import io
import json

from pypdf import PdfReader

from lms.certificates import codes, services
from lms.extensions import db
from tests.conftest import csrf_token, login
from tests.credentials.conftest import credential_of


def _post(client, token: str = "", file: tuple[bytes, str] | None = None):
    page = client.get("/verify/").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "token": token}
    if file:
        data["file"] = (io.BytesIO(file[0]), file[1])
    return client.post("/verify/", data=data, content_type="multipart/form-data")


def _forged(token: str, change) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(claims)
    return ".".join([header, base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("="), signature])


def test_a_pasted_credential_is_checked_and_shows_its_curriculum_version(client, person_certificate):
    response = _post(client, credential_of(person_certificate).token)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Poświadczenie jest autentyczne i ważne." in html
    assert "Podpis zgadza się z opublikowanym kluczem wystawcy." in html and "Nie unieważniono." in html
    assert "Wersja programu" in html and "Moduł „Pierwszy moduł”, wersja treści 1" in html


def test_an_uploaded_jwt_or_json_file_is_checked(client, person_certificate):
    login(client, person_certificate.holder.email)
    jwt_file = client.get(f"/certificates/{person_certificate.id}/credential.jwt")
    json_file = client.get(f"/certificates/{person_certificate.id}/credential.json")
    assert jwt_file.headers["Content-Disposition"].endswith('.jwt"') and json_file.mimetype == "application/json"
    assert json_file.get_json()["credentialSubject"]["name"] == "Zofia Żółć"
    for body, name in ((jwt_file.data, "c.jwt"), (json_file.data, "c.json")):
        html = _post(client, file=(body, name)).get_data(as_text=True)
        assert "Poświadczenie jest autentyczne i ważne." in html


def test_a_tampered_credential_fails_the_signature_check(client, person_certificate):
    forged = _forged(credential_of(person_certificate).token, lambda c: c["credentialSubject"].update(name="Ktoś Inny"))
    response = _post(client, forged)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Podpis nie zgadza się z poświadczeniem" in html and "Nie można ufać temu poświadczeniu." in html


def test_a_changed_json_file_fails(client, person_certificate):
    login(client, person_certificate.holder.email)
    credential = client.get(f"/certificates/{person_certificate.id}/credential.json").get_json()
    credential["validUntil"] = "2099-01-01T00:00:00Z"
    html = _post(client, file=(json.dumps(credential).encode(), "c.json")).get_data(as_text=True)
    assert "Plik różni się od wydanego przez nas poświadczenia" in html


def test_a_revoked_credential_is_reported_revoked_within_the_same_request(client, person_certificate, world):
    services.revoke(person_certificate, world["admin"], "Plagiat.")
    db.session.commit()
    html = _post(client, credential_of(person_certificate).token).get_data(as_text=True)
    assert "Poświadczenie zostało unieważnione." in html
    code_page = client.get(f"/verify/{codes.readable(person_certificate.code)}").get_data(as_text=True)
    assert "unieważniony" in code_page.lower() and "Plagiat." in code_page


def test_garbage_gets_a_clear_polish_message_and_no_500(client, person_certificate):
    for text in ("to nie jest poświadczenie", "a.b.c", '{"id": "urn:uuid:nope"}', "{not json"):
        response = _post(client, text)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "To nie jest podpisane poświadczenie" in html or "Nie wydaliśmy poświadczenia" in html
    assert "Wybierz plik z poświadczeniem" in _post(client, "").get_data(as_text=True)


def test_a_foreign_key_is_named_as_unknown(client, person_certificate):
    forged = credential_of(person_certificate).token.split(".")
    header = json.dumps({"alg": "EdDSA", "typ": "JWT", "kid": "https://evil.example/key"}).encode()
    forged[0] = base64.urlsafe_b64encode(header).decode().rstrip("=")
    html = _post(client, ".".join(forged)).get_data(as_text=True)
    assert "Poświadczenie wskazuje klucz, którego nigdy nie opublikowaliśmy." in html


def test_the_code_page_checks_the_credential_too(client, person_certificate):
    html = client.get(f"/verify/{codes.readable(person_certificate.code)}").get_data(as_text=True)
    assert "Poświadczenie jest autentyczne i ważne." in html and "Wersja programu" in html


def test_holder_downloads_a_qr_code_and_a_pdf_with_the_credential_attached(client, person_certificate):
    login(client, person_certificate.holder.email)
    qr = client.get(f"/certificates/{person_certificate.id}/qr.png")
    assert qr.status_code == 200 and qr.data.startswith(b"\x89PNG")
    document = PdfReader(io.BytesIO(client.get(f"/certificates/{person_certificate.id}/pdf").data))
    ((name, (content,)),) = document.attachments.items()
    assert name.endswith(".jwt") and content.decode() == credential_of(person_certificate).token


def test_a_revoked_certificates_pdf_is_stamped_with_date_and_reason(client, person_certificate, world):
    services.revoke(person_certificate, world["admin"], "Praca okazała się plagiatem.")
    db.session.commit()
    login(client, person_certificate.holder.email)
    text = PdfReader(io.BytesIO(client.get(f"/certificates/{person_certificate.id}/pdf").data)).pages[0].extract_text()
    assert "UNIEWAŻNIONO" in text and "Praca okazała się plagiatem." in text


def test_others_cannot_download_someone_elses_credential(client, person_certificate, world):
    login(client, world["colleague"].email)
    assert client.get(f"/certificates/{person_certificate.id}/credential.json").status_code == 404
    assert client.get(f"/certificates/{person_certificate.id}/credential.jwt").status_code == 404


def test_a_forged_credentials_content_is_not_shown(client, person_certificate):
    forged = _forged(credential_of(person_certificate).token, lambda c: c["credentialSubject"].update(name="Ktoś Inny"))
    html = _post(client, forged).get_data(as_text=True)
    assert "Ktoś Inny" not in html and "Wersja programu" not in html


def test_the_verify_page_writes_every_date_one_way_under_labels_that_agree(client, person_certificate):
    """The certificate's dates and its credential's dates side by side: one form of date, no ISO dates, and labels
    that are nouns ("Data wydania", "Termin ważności") instead of adjectives of two genders (Wydany, Ważne od)."""
    import re

    from flask_babel import force_locale

    from lms.i18n import format_day

    html = client.get(f"/verify/{person_certificate.code}").get_data(as_text=True)
    assert person_certificate.valid_until is None  # a person's certificate does not expire
    with client.application.test_request_context(), force_locale("pl"):
        issued = format_day(person_certificate.issued_at)
    assert "Poświadczenie jest autentyczne i ważne." in html  # the credential check is on the page
    assert f'Data wydania</dt><dd class="col-sm-8">{issued}' in html
    assert f'Początek ważności</dt><dd class="col-sm-8">{issued}' in html
    assert 'Termin ważności</dt><dd class="col-sm-8">bezterminowo' in html
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}\s*<", html)
    assert not re.search(r"\b(Wydany|Ważne od|Ważny do)\b", html)


def test_an_expiring_certificate_and_its_credential_show_the_same_end_date(client, institution_certificate):
    from flask_babel import force_locale

    from lms.i18n import format_day

    html = client.get(f"/verify/{institution_certificate.code}").get_data(as_text=True)
    with client.application.test_request_context(), force_locale("pl"):
        until = format_day(institution_certificate.valid_until)
    assert html.count(f'Termin ważności</dt><dd class="col-sm-8">{until}') == 2  # the certificate and its credential
