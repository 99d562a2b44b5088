"""A server that lost (or never had) its signing key: verifiers are told the list is unavailable, admins are warned."""

from pathlib import Path

from lms.extensions import db
from tests.conftest import login


def _lose_private_keys(app) -> None:
    for private in Path(app.config["CREDENTIAL_KEYS_DIR"]).glob("*.jwk"):
        private.unlink()


def test_status_list_without_a_signing_key_is_unavailable_not_missing(app, client, person_certificate):
    _lose_private_keys(app)
    response = client.get("/credentials/status/mini/revocation")
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Retry-After"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["error"] == "no_signing_key"
    assert "nie ma klucza do podpisu" in body["message"] and "Spróbuj ponownie później" in body["message"]
    # What does not exist is still 404, key or no key.
    assert client.get("/credentials/status/other/revocation").status_code == 404
    assert client.get("/credentials/status/mini/suspension").status_code == 404


def test_admins_are_warned_on_the_status_page_and_by_the_cli(app, client, runner, person_certificate, world):
    login(client, world["admin"])
    assert "Brak klucza do podpisu" not in client.get("/admin/system/").get_data(as_text=True)
    _lose_private_keys(app)
    page = client.get("/admin/system/").get_data(as_text=True)
    assert "Brak klucza do podpisu" in page and "flask credentials keys create" in page
    listed = runner.invoke(args=["credentials", "keys", "list"])
    assert listed.exit_code == 0 and "no usable signing key" in listed.output
    # Creating a key ends the warning and the list is served again.
    assert runner.invoke(args=["credentials", "keys", "create"]).exit_code == 0
    db.session.expire_all()
    assert "Brak klucza do podpisu" not in client.get("/admin/system/").get_data(as_text=True)
    assert client.get("/credentials/status/mini/revocation").status_code == 200
