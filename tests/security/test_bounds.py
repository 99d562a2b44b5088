"""Numbers beyond any database's reach and control characters in ``next``: a 404 or a safe redirect, never 500."""

import pytest

from lms.urls import safe_next
from tests.auth.test_access_matrix import world  # noqa: F401 (the fixture)
from tests.conftest import csrf_token, login

HUGE = "200000000000000000"
PAGED = [("anonymous", "/registry/"), ("admin", "/editions/"), ("admin", "/admin/people/"),
         ("admin", "/institutions/"), ("trainer", "/reviews/")]  # fmt: skip


def visitor(app, world, who):  # noqa: F811
    client = app.test_client()
    if who != "anonymous":
        assert login(client, world["people"][who]).status_code == 302
    return client


@pytest.mark.parametrize(("who", "url"), PAGED)
def test_a_page_number_beyond_any_list_is_not_found(app, world, who, url):  # noqa: F811
    client = visitor(app, world, who)
    for page in (HUGE, "2147483648", "9" * 5000):
        assert client.get(url, query_string={"page": page}).status_code == 404, page
    for page in ("1", "0", "-3", "abc"):  # malformed means the first page
        assert client.get(url, query_string={"page": page}).status_code == 200, page
    # Far leads to the list's last page (an empty page past the end claimed "nothing is waiting" beside
    # "1 result"); the public registry answers 404 instead, as it keeps copies only of real pages.
    far = client.get(url, query_string={"page": "2147483647"})
    if url == "/registry/":
        assert far.status_code == 404
    else:
        assert far.status_code == 302 and client.get(far.headers["Location"]).status_code == 200


def test_an_id_beyond_any_table_is_not_found(app, world):  # noqa: F811
    client = visitor(app, world, "admin")
    assert client.get(f"/institutions/{HUGE}/").status_code == 404
    assert client.get(f"/files/{HUGE}").status_code == 404


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/\nx", "/\t/evil.example", "/\x7f", "//evil.example"])
def test_safe_next_refuses_control_characters_and_other_hosts(target):
    assert safe_next(target, "/fallback") == "/fallback"
    assert safe_next("/editions/?page=2", "/fallback") == "/editions/?page=2"


def test_the_language_switch_ignores_a_next_with_line_breaks(client):
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"lang": "en", "next": "/\r\nx", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signing_in_with_a_line_break_in_next_goes_home(app, world):  # noqa: F811
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    email = world["people"]["animator"].email
    response = client.post(
        "/login?next=%0Ax", data={"email": email, "password": "Zielona-Łąka-2026", "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
