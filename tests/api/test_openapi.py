"""The OpenAPI document is valid, covers exactly the API's routes, and matches the real responses."""

import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.extensions import db
from tests.api.conftest import accept, get, submit


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.json


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }


def _api_paths(app) -> set[str]:
    paths = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            paths.add(re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
    return paths


def test_every_api_route_is_documented_and_nothing_else(app, document):
    assert _api_paths(app) == set(document["paths"])
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule.rule  # read-only
    for path, item in document["paths"].items():
        declared = {p["name"] for p in item["get"].get("parameters", []) if p.get("in") == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), path


def _response_schema(document, path: str, status: int) -> dict:
    response = document["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = dict(response["content"]["application/json"]["schema"])
    schema["components"] = document["components"]  # so "#/components/..." references resolve
    return schema


def _check(document, path: str, response) -> None:
    assert response.is_json, response.get_data(as_text=True)
    schema = _response_schema(document, path, response.status_code)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(response.json), key=lambda e: list(e.path))
    assert not errors, f"{path} {response.status_code}: " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5]
    )


def test_every_response_matches_its_schema(client, world, document):
    people, tokens = world["people"], world["tokens"]
    accept(submit(people["animator"], world["E"], "profil"), people["trainer"])
    accept(submit(people["colleague"], world["E"], "mapa"), people["trainer"])
    submit(people["colleague"], world["E"], "profil")
    certificate = db.session.scalar(select(Certificate))
    admin, coordinator = tokens["admin"], tokens["coordinator"]
    a, e = world["A"].id, world["E"].id
    calls = [
        ("/api/v1/programmes", "/api/v1/programmes", None, 200),
        ("/api/v1/programmes/{slug}", "/api/v1/programmes/mini", None, 200),
        ("/api/v1/programmes/{slug}", "/api/v1/programmes/none", None, 404),
        ("/api/v1/programmes", "/api/v1/programmes?per_page=101", None, 400),
        ("/api/v1/editions", "/api/v1/editions", admin, 200),
        ("/api/v1/editions", "/api/v1/editions?programme=mini&starts_after=2020-01-01", coordinator, 200),
        ("/api/v1/editions", "/api/v1/editions?starts_after=someday", admin, 400),
        ("/api/v1/editions", "/api/v1/editions", None, 401),
        ("/api/v1/editions/{edition_id}", f"/api/v1/editions/{e}", coordinator, 200),
        ("/api/v1/editions/{edition_id}", f"/api/v1/editions/{e}", tokens["animator_other"], 404),
        ("/api/v1/institutions/{institution_id}/progress", f"/api/v1/institutions/{a}/progress", coordinator, 200),
        ("/api/v1/institutions/{institution_id}/progress", f"/api/v1/institutions/{a}/progress?page=9", admin, 200),
        ("/api/v1/institutions/{institution_id}/checklist", f"/api/v1/institutions/{a}/checklist", admin, 200),
        (
            "/api/v1/institutions/{institution_id}/checklist",
            f"/api/v1/institutions/{a}/checklist",
            tokens["coordinator_other"],
            404,
        ),
        ("/api/v1/certificates", "/api/v1/certificates", admin, 200),
        ("/api/v1/certificates", "/api/v1/certificates?kind=person&per_page=1", coordinator, 200),
        ("/api/v1/verify/{code}", f"/api/v1/verify/{certificate.code}", None, 200),
        ("/api/v1/verify/{code}", "/api/v1/verify/AAAA-AAAA-AAAA-AAAA", None, 404),
    ]
    for path, url, token, status in calls:
        response = get(client, url, token)
        assert response.status_code == status, (url, response.get_data(as_text=True))
        _check(document, path, response)
    # Non-empty lists really were checked item by item.
    assert get(client, f"/api/v1/institutions/{a}/progress", coordinator).json["items"]
    assert get(client, "/api/v1/certificates", admin).json["items"]


def test_revoked_and_expired_certificates_match_the_schema_too(client, world, document):
    from datetime import date

    from lms.certificates.services import revoke

    accept(submit(world["people"]["animator"], world["E"], "profil"), world["people"]["trainer"])
    certificate = db.session.scalar(select(Certificate))
    revoke(certificate, world["people"]["admin"], "Błąd w dokumentacji.")
    certificate.valid_until = date(2020, 1, 1)
    db.session.commit()
    response = get(client, "/api/v1/certificates", world["tokens"]["admin"])
    _check(document, "/api/v1/certificates", response)
    assert response.json["items"][0]["state"] == "revoked"
    response = get(client, f"/api/v1/verify/{certificate.code}")
    _check(document, "/api/v1/verify/{code}", response)
    assert response.json["revoked_reason"] == "Błąd w dokumentacji."
