"""Control characters (NUL above all: PostgreSQL cannot store it) are refused before any view runs.

Form fields, query arguments, path arguments and JSON bodies: 400 with a page in Polish (JSON under
/api/), and nothing is stored. Tab and line breaks stay allowed in values (not in names or paths).
"""

import pytest
from sqlalchemy import func, select

from lms.api.models import ApiToken
from lms.content.models import Assignment
from lms.extensions import db
from lms.learning.models import Work
from lms.support.models import MonitoringMessage
from tests.auth.test_access_matrix import world  # noqa: F401 (the fixture)
from tests.conftest import csrf_token, login

REFUSAL = "Formularz lub adres zawiera znaki sterujące (np. bajt NUL)."


def signed_in(app, person=None):
    client = app.test_client()
    if person is not None:
        assert login(client, person).status_code == 302
    return client


def post(client, url: str, data: dict):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def mapa_url(world) -> str:  # noqa: F811
    mapa = db.session.scalar(select(Assignment).where(Assignment.slug == "mapa"))
    return f"/editions/{world['edition'].id}/assignments/{mapa.id}/"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_nul_in_the_sign_in_e_mail_is_refused_with_a_polish_page(app):
    response = post(signed_in(app), "/login", {"email": "a\x00@b.pl", "password": "cokolwiek-123"})
    assert response.status_code == 400
    assert REFUSAL in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "url", "data", "model"),
    [
        ("animator", mapa_url, {"text": "Mapa\x00zasobów", "save": "1"}, Work),
        ("animator", "/account/tokens/", {"name": "Gmina\x00"}, ApiToken),
        ("coordinator", "/institutions/{institution}/monitoring/", {"text": "Potrzeba\x00"}, MonitoringMessage),
        ("coordinator", "/institutions/{institution}/edit", {"address": "ul. Długa 1\x07"}, None),
    ],
    ids=["draft text", "token name", "monitoring need", "institution address"],
)
def test_control_characters_in_a_form_are_refused_and_nothing_changes(app, world, who, url, data, model):  # noqa: F811
    url = url(world) if callable(url) else url.format(institution=world["institution"].id)
    before = count(model) if model else None
    address = world["institution"].address
    response = post(signed_in(app, world["people"][who]), url, data)
    assert response.status_code == 400
    assert REFUSAL in response.get_data(as_text=True)
    db.session.expire_all()
    assert (count(model) if model else None) == before
    assert world["institution"].address == address


def test_tab_and_line_breaks_in_typed_text_are_kept(app, world):  # noqa: F811
    client = signed_in(app, world["people"]["animator"])
    assert post(client, mapa_url(world), {"text": "Punkt 1\tulica\r\nPunkt 2", "save": "1"}).status_code == 302
    assert "Punkt 1\tulica" in client.get(mapa_url(world)).get_data(as_text=True)


@pytest.mark.parametrize(
    "url", ["/admin/people/?q=a%00b", "/institutions/?q=%01", "/registry/?voivodeship=%0B", "/reports/?x%00=1"]
)
def test_control_characters_in_a_query_string_are_refused(app, world, url):  # noqa: F811
    response = signed_in(app, world["people"]["admin"]).get(url)
    assert response.status_code == 400
    assert REFUSAL in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url", ["/api/v1/programmes/cal%00", "/api/v1/editions?programme=mini%00", "/api/v1/verify/AB%1FCD"]
)
def test_the_api_refuses_control_characters_in_json(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(REFUSAL)


def test_a_json_body_with_a_nul_is_refused(client):
    response = client.get("/api/v1/programmes", json={"name": ["ok", {"a\x00": 1}]})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(REFUSAL)
