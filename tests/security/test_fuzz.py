"""Fuzzing every form and the query parameters of the API and the reports: whatever arrives, never a 500.

Values include NUL and other control characters, integers beyond any database column and bytes that
are not UTF-8. These tests run on PostgreSQL too (``make test``'s second pass), where NUL cannot be stored.

Each POST route of ``app.url_map`` is sent random field values (the names its form really uses, read
from its page, plus random ones) with a valid CSRF token, by a person the access policy lets use it;
the GET routes that read query parameters get random ones. Bounded and derandomised, so CI repeats it.
"""

import io
import re
from datetime import date
from urllib.parse import quote, quote_from_bytes

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lms.api.services import create_token
from lms.content.models import Assignment
from lms.extensions import db, limiter
from tests.auth.test_access_matrix import EXPECTED, build_url, routes, world  # noqa: F401 (the fixture)
from tests.conftest import csrf_token, login

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- values ----------------------------------------------------------------------------------

HUGE = st.integers(1000, 30000)  # repetitions: strings far beyond any field's limit
_CHARACTERS = st.characters(codec="utf-8", exclude_categories=["Cs"])
_CONTROL = st.characters(min_codepoint=0, max_codepoint=31)
values = st.one_of(
    st.just(""),
    st.text(_CHARACTERS, max_size=40),
    st.text(_CONTROL, min_size=1, max_size=8),
    st.builds(
        lambda piece, times: piece * times, st.text(_CHARACTERS, min_size=1, max_size=4), st.integers(1000, 30000)
    ),
    st.integers(-(2**63), 2**64).map(str),
    st.integers(2**64, 10**40).map(str),  # beyond any database integer
    st.sampled_from(["9" * 5000, "200000000000000000", "-" + "9" * 30]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(["0", "-1", "1", "2147483648", "on", "y", "true", "null", "NaN", "1e999", "31.02.2026", "\x00"]),
    st.sampled_from(["a\x00b", "\x00", "x\x1b[31m", "\x7f", "\x01\x02", "line\r\nbreak", "\x0b\x0c"]),
    st.sampled_from(["2026-02-30", "9999-99-99", "../../etc/passwd", "<script>window.__xss=1</script>", "' OR 1=1--"]),
)
# Bytes that are not UTF-8, sent raw and percent-encoded, in query strings and form bodies.
INVALID_UTF8 = st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"a\x80b"])
names = st.text(st.characters(codec="ascii", categories=["Ll", "Lu", "Nd", "Pc", "Pd"]), min_size=1, max_size=12)


def not_utf8(piece: bytes, percent_encoded: bool) -> str:
    """``piece`` in a query string or form body: percent-encoded, or raw (WSGI carries raw bytes as latin-1)."""
    return quote_from_bytes(piece) if percent_encoded else piece.decode("latin-1")


invalid_utf8_values = st.builds(not_utf8, INVALID_UTF8, st.booleans())
uploads = st.tuples(st.binary(max_size=2048), st.text(_CHARACTERS, max_size=300))


# --- who may use a route, and what its form looks like -----------------------------------------

PREFERENCE = ["admin", "coordinator", "trainer", "animator", "animator_other", "anonymous"]
# These sign the client out: no fields to fuzz, covered by the access matrix.
SKIPPED = {("accounts.logout", "POST"), ("accounts.logout_everywhere", "POST")}


def user_for(endpoint: str, method: str) -> str:
    """The first role (most powerful first) the access matrix lets use the route."""
    expected = EXPECTED[(endpoint, method)]
    return next((role for role in PREFERENCE if expected[role] in (200, 302)), "anonymous")


# Fields a page does not show to the fuzzing user (a one-button form, or a refused token), named here.
KNOWN_FIELDS = {
    "accounts.accept_invitation": {"name": "input", "password": "password", "confirm": "password"},
    "accounts.reset_password": {"password": "password", "confirm": "password"},
    "certificates.revoke": {"reason": "textarea", "revoke": "submit"},
    "main.set_language": {"lang": "input", "next": "hidden"},
    "learning.work": {"text": "textarea", "files": "file", "save": "submit", "preview": "submit", "submit": "submit"},
}

FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def form_fields(html: str) -> dict[str, str]:
    """name -> input type of every field on a page (files are "file", selects and textareas by tag)."""
    fields = {}
    for tag, attributes in FIELD.findall(html):
        found = dict(ATTRIBUTE.findall(attributes))
        if "name" in found and found["name"] != "csrf_token":
            fields[found["name"]] = found.get("type", tag.lower())
    return fields


def post_routes():
    return sorted((e, m) for (e, m) in EXPECTED if m == "POST" and (e, m) not in SKIPPED)


def query_routes():
    """The API's GET routes and the reports, plus every page that reads filters from the query string."""
    listed = {
        "reports.index", "reports.export_csv", "certificates.registry", "certificates.verify", "admin.people",
        "institutions.index", "reviews.queue", "support.consultations", "accounts.invite",
    }  # fmt: skip
    return sorted(e for (e, m) in EXPECTED if m == "GET" and (e.startswith("api.") or e in listed))


QUERY_NAMES = [
    "page", "per_page", "programme", "starts_after", "kind", "edition", "voivodeship", "from", "to", "table", "sep",
    "q", "role", "scope", "institution", "module", "code", "status", "next",
]  # fmt: skip


class Clients:
    """One signed-in test client per role, made on first use (signing in hashes a password: slow)."""

    def __init__(self, app, world):  # noqa: F811 (``world`` is the fixture's value)
        self.app, self.world, self.clients = app, world, {}

    def __call__(self, role: str):
        if role not in self.clients:
            client = self.app.test_client()
            if role != "anonymous":
                assert login(client, self.world["people"][role]).status_code == 302
            self.clients[role] = client
        return self.clients[role]


def _rule(app, endpoint, method):
    return next(rule for e, m, rule in routes(app) if (e, m) == (endpoint, method))


def _run(fuzz, description: str, failures: list[str]) -> None:
    """Run one route's fuzz; collect its failure (Hypothesis has already shrunk it) and go on."""
    try:
        fuzz()
    except AssertionError as error:
        failures.append(f"{description}: {error}")


def form_fuzz(client, url: str, fields: dict[str, str], token: str, role: str):
    """A Hypothesis test posting random values for ``fields`` (and random extra fields) to ``url``."""

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        form = {"csrf_token": token}
        for name, kind in fields.items():
            if not data.draw(st.booleans(), label=f"send {name}"):
                continue
            if kind == "file":
                content, filename = data.draw(uploads, label=name)
                form[name] = (io.BytesIO(content), filename)
            elif kind == "select" and data.draw(st.booleans()):
                form[name] = data.draw(st.lists(values, max_size=3), label=name)
            else:
                form[name] = data.draw(values, label=name)
        form.update(data.draw(st.dictionaries(names, values, max_size=3), label="extra fields"))
        if data.draw(st.booleans(), label="a url-encoded body with bytes that are not UTF-8"):
            broken = {name: data.draw(invalid_utf8_values, label=name) for name in fields}
            body = "&".join([f"csrf_token={quote(token)}", *(f"{name}={value}" for name, value in broken.items())])
            response = client.post(url, data=body.encode("latin-1"), content_type="application/x-www-form-urlencoded")
        else:
            response = client.post(url, data=form, content_type="multipart/form-data")
        db.session.rollback()
        limiter.reset()
        assert response.status_code < 500, f"{role} POST {url} -> {response.status_code}"

    return fuzz


QUERIES = st.one_of(
    st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), names), values), max_size=5),
    st.builds(lambda name, value: f"{name}={value}", st.sampled_from(QUERY_NAMES), invalid_utf8_values),
)


def query_fuzz(client, url: str, headers: dict, role: str):
    """A Hypothesis test sending random query strings to ``url``."""

    @FUZZ
    @given(query=QUERIES)
    def fuzz(query):
        response = client.get(url, query_string=query, headers=headers)
        db.session.rollback()
        assert response.status_code < 500, f"{role} GET {url} -> {response.status_code}"

    return fuzz


# One world per test (building it signs up seven people), every route fuzzed in it.


def test_no_form_answers_500_whatever_its_fields_hold(app, world):  # noqa: F811
    clients = Clients(app, world)
    failures: list[str] = []
    for endpoint, method in post_routes():
        role = user_for(endpoint, method)
        client = clients(role)
        rule = _rule(app, endpoint, method)
        url = build_url(rule, world)
        if endpoint == "learning.work":  # the world's own attempt waits for a decision: fuzz an open one
            mapa = db.session.scalar(select(Assignment).where(Assignment.slug == "mapa"))
            url = url.replace(f"/assignments/{world['work'].assignment_id}/", f"/assignments/{mapa.id}/")
        page = client.get(url) if "GET" in rule.methods else None
        fields = form_fields(page.get_data(as_text=True)) if page is not None and page.status_code == 200 else {}
        fields = {**KNOWN_FIELDS.get(endpoint, {}), **fields}
        token = csrf_token(client.get("/").get_data(as_text=True))

        _run(form_fuzz(client, url, fields, token, role), f"{endpoint} {method}", failures)
    assert not failures, "\n".join(failures)


def test_no_query_string_makes_a_page_or_the_api_answer_500(app, world):  # noqa: F811
    clients = Clients(app, world)
    _, raw = create_token(world["people"]["admin"], "Fuzz")
    db.session.commit()
    failures: list[str] = []
    for endpoint in query_routes():
        url = build_url(_rule(app, endpoint, "GET"), world)
        if endpoint.startswith("api."):
            role, client, headers = "admin (token)", clients("anonymous"), {"Authorization": f"Bearer {raw}"}
        else:
            role, headers = user_for(endpoint, "GET"), {}
            client = clients(role)

        _run(query_fuzz(client, url, headers, role), endpoint, failures)
    assert not failures, "\n".join(failures)
