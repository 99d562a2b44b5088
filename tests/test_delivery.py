"""Light pages (issue 15): hashed static names cached for a year, brotli and gzip, compressed pages, no-store on
a signed-in person's pages, and a committed CSS build that matches the templates. Headers only, no timings."""

import gzip
import importlib.util
import re
from pathlib import Path

import brotli

from lms.accounts.models import Role
from lms.delivery import IMMUTABLE
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent


def build_css_module():
    spec = importlib.util.spec_from_file_location("build_css", ROOT / "scripts" / "build_css.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def test_pages_link_static_files_by_content_hash_and_those_are_immutable_and_compressed(client):
    links = stylesheets(client.get("/").get_data(as_text=True))
    assert links and all(re.search(r"\.[0-9a-f]{12}\.css$", link) for link in links), links
    for link in links:
        plain = (ROOT / "static" / re.sub(r"\.[0-9a-f]{12}\.css$", ".css", link.removeprefix("/static/"))).read_bytes()
        as_brotli = client.get(link, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert as_brotli.headers["Content-Encoding"] == "br"
        assert as_brotli.headers["Cache-Control"] == IMMUTABLE
        assert brotli.decompress(as_brotli.get_data()) == plain
        as_gzip = client.get(link, headers={"Accept-Encoding": "gzip"})
        assert as_gzip.headers["Content-Encoding"] == "gzip" and gzip.decompress(as_gzip.get_data()) == plain
        assert "Accept-Encoding" in as_gzip.headers["Vary"]
        raw = client.get(link)
        assert "Content-Encoding" not in raw.headers and raw.get_data() == plain


def test_a_changed_file_gets_a_new_name_and_the_plain_name_is_revalidated(client):
    from lms.delivery import hashed_name

    assert hashed_name("css/app.css", b"a") != hashed_name("css/app.css", b"b")
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"


def test_pages_are_compressed_and_private_ones_never_stored(client, make_user):
    anonymous = client.get("/programmes/", headers={"Accept-Encoding": "br"})
    assert anonymous.headers["Content-Encoding"] == "br" and "Accept-Encoding" in anonymous.headers["Vary"]
    assert "<h1" in brotli.decompress(anonymous.get_data()).decode()
    assert anonymous.headers["Cache-Control"] == "private, no-cache"
    assert client.get("/", headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"

    login(client, make_user(Role.ANIMATOR))
    for url in ("/", "/programmes/", "/certificates/", "/account/password"):
        response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["Content-Encoding"] == "br", url


def test_the_committed_css_build_matches_the_templates():
    build_css = build_css_module()
    committed = (ROOT / "static" / "css" / "bootstrap.min.css").read_text(encoding="utf-8")
    assert committed == build_css.purged_css(), "stale CSS build: run .venv/bin/python scripts/build_css.py"


def test_the_css_build_keeps_what_templates_use_and_drops_the_rest():
    build_css = build_css_module()
    css = build_css.purged_css()
    for used in (".navbar-nav", ".btn-primary", ".alert-danger", ".table-sm", ".visually-hidden-focusable"):
        assert used in css, used
    for unused in (".carousel-item", ".offcanvas-start", ".accordion-button", ".toast-header"):
        assert unused not in css, unused
    # A class a template starts using brings its rules back.
    assert ".carousel-item" in build_css.purged_css(build_css.used_words() | {"carousel-item"})
