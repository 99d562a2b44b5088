"""Links in e-mails and PDFs come only from LMS_PUBLIC_URL, never from the request's Host.

Every mail and PDF the app produces is triggered once with a forged Host (refused: 400, nothing
queued), once with a forged X-Forwarded-Host and once with a forged port (both served, and the
link still points at the configured public address).
"""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, select

from lms import create_app
from lms.config import ConfigurationError
from lms.content.models import Assignment
from lms.extensions import db
from lms.notifications.models import DigestLog
from tests.auth.test_access_matrix import world  # noqa: F401 (the fixture)
from tests.conftest import csrf_token, login, outbox

FORGED_HOST = {"Host": "evil.example"}
SERVED_FORGERIES = {
    "forwarded host": {"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example"},
    "forged port": {"Host": "localhost:6666"},
}
REFUSAL = "Ta strona nie jest dostępna pod tym adresem."


def signed_in(app, person):
    client = app.test_client()
    if person is not None:
        assert login(client, person).status_code == 302
    return client


def post_with(client, url: str, data: dict, headers: dict, token_from: str | None = None):
    """POST ``data`` with a CSRF token read from a normal page, sending ``headers`` only on the POST."""
    token = csrf_token(client.get(token_from or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token}, headers=headers)


def password_reset(app, world, headers):  # noqa: F811
    client = signed_in(app, None)
    email = world["people"]["animator"].email
    return post_with(client, "/password/forgotten", {"email": email}, headers), email


def invitation(app, world, headers):  # noqa: F811
    client = signed_in(app, world["people"]["admin"])
    data = {"email": "nowy.trener@example.org", "role": "trainer", "institution": "0"}
    return post_with(client, "/invitations/new", data, headers), "nowy.trener@example.org"


def invitation_to_an_existing_account(app, world, headers):  # noqa: F811
    client = signed_in(app, world["people"]["coordinator"])
    existing = world["people"]["animator_other"]
    data = {"email": existing.email, "role": "animator", "institution": str(world["institution"].id)}
    return post_with(client, "/invitations/new", data, headers), existing.email


def trainers_digest(app, world, headers):  # noqa: F811
    db.session.execute(delete(DigestLog))  # the world's own attempt already sent this hour's digest
    db.session.commit()
    client = signed_in(app, world["people"]["coordinator"])  # their own submission needs no confirmation
    mapa = db.session.scalar(select(Assignment).where(Assignment.slug == "mapa"))
    url = f"/editions/{world['edition'].id}/assignments/{mapa.id}/"
    response = post_with(client, url, {"text": "Mapa zasobów osiedla.", "submit": "1"}, headers)
    return response, world["people"]["trainer"].email


def decision(app, world, headers):  # noqa: F811
    client = signed_in(app, world["people"]["trainer"])
    attempt = world["work"].attempts[0]
    data = {"feedback": "Dobrze.", "accept": "1"}
    data.update({f"met_{criterion.id}": "met" for criterion in attempt.assignment_version.criteria})
    response = post_with(client, f"/reviews/attempts/{attempt.id}/", data, headers)
    return response, world["people"]["animator"].email


MAILS = [password_reset, invitation, invitation_to_an_existing_account, trainers_digest, decision]


def links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


@pytest.mark.parametrize("trigger", MAILS, ids=lambda trigger: trigger.__name__)
def test_a_forged_host_is_refused_and_no_mail_is_written(app, world, trigger):  # noqa: F811
    before = len(outbox())
    response, _ = trigger(app, world, FORGED_HOST)
    assert response.status_code == 400
    assert REFUSAL in response.get_data(as_text=True)
    assert len(outbox()) == before


@pytest.mark.parametrize("forgery", SERVED_FORGERIES.values(), ids=SERVED_FORGERIES)
@pytest.mark.parametrize("trigger", MAILS, ids=lambda trigger: trigger.__name__)
def test_mail_links_use_the_public_address_whatever_the_request_says(app, world, trigger, forgery):  # noqa: F811
    before = len(outbox())
    response, recipient = trigger(app, world, forgery)
    assert response.status_code == 302
    [message] = outbox()[before:]
    assert message.recipient == recipient
    assert links(message.body)
    for link in links(message.body):
        assert link.startswith(app.config["PUBLIC_URL"] + "/"), link


def certificate_pdf_text(app, world, headers):  # noqa: F811
    client = signed_in(app, world["people"]["animator"])
    response = client.get(f"/certificates/{world['certificate'].id}/pdf", headers=headers)
    if response.status_code != 200:
        return response, ""
    return response, "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_a_certificate_pdf_is_refused_to_a_forged_host(app, world):  # noqa: F811
    response, _ = certificate_pdf_text(app, world, FORGED_HOST)
    assert response.status_code == 400


@pytest.mark.parametrize("forgery", SERVED_FORGERIES.values(), ids=SERVED_FORGERIES)
def test_a_certificate_pdf_links_to_the_public_address(app, world, forgery):  # noqa: F811
    response, text = certificate_pdf_text(app, world, forgery)
    assert response.status_code == 200
    assert f"{app.config['PUBLIC_URL']}/verify/{world['certificate'].code}" in text
    assert "evil.example" not in text and "6666" not in text


def test_the_api_answers_a_forged_host_in_json(client):
    response = client.get("/api/v1/programmes", headers=FORGED_HOST)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == REFUSAL


def test_outside_debug_and_tests_the_app_will_not_start_without_a_public_url(monkeypatch):
    monkeypatch.delenv("LMS_PUBLIC_URL", raising=False)
    monkeypatch.setenv("LMS_SECRET_KEY", "x")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigurationError, match="LMS_PUBLIC_URL"):
        create_app()
    monkeypatch.setenv("LMS_PUBLIC_URL", "akademia.cal.org.pl")  # no scheme: a typo, not an address
    with pytest.raises(ConfigurationError, match="http"):
        create_app()


def test_trusted_hosts_default_to_the_public_host_and_the_local_names(monkeypatch):
    monkeypatch.setenv("LMS_PUBLIC_URL", "https://akademia.cal.org.pl")
    monkeypatch.setenv("LMS_SECRET_KEY", "x")
    assert create_app().config["TRUSTED_HOSTS"] == ["akademia.cal.org.pl", "localhost", "127.0.0.1"]
    monkeypatch.setenv("LMS_TRUSTED_HOSTS", "cal.example, www.cal.example")
    assert create_app().config["TRUSTED_HOSTS"] == ["akademia.cal.org.pl", "cal.example", "www.cal.example"]
