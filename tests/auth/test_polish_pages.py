"""Every page of the access matrix, in Polish, for every visitor: no English word and no raw key on it.

The English vocabulary is the interface's own: the words of the catalogue's msgids. A word from it on a
Polish page is an untranslated string or a raw value (a status such as ``accepted``, an indicator key).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lms.extensions import db
from tests.auth.test_access_matrix import EXPECTED, ROLES, build_url, routes, world  # noqa: F401 (fixture)
from tests.conftest import login

CATALOGUE = Path(__file__).parents[2] / "translations/pl/LC_MESSAGES/messages.po"

# Words that are English msgid words and also Polish words, or names that stay as they are in Polish.
ALLOWED = {
    # Polish words spelled like English ones
    "a", "i", "o", "w", "z", "do", "na", "to", "no", "nie", "od", "po", "go", "on", "ten", "we", "my", "moje",
    "dom", "plan", "program", "programu", "animator", "gmina", "kultury", "status", "problem", "start", "portfolio",
    "online", "email", "mail", "test", "data", "dane", "format", "post", "kod", "link", "login", "teren", "raport",
    "region", "lista", "temat", "forma", "monitoring", "powiat", "role", "administrator", "system",
    "module", "one", "by", "bank", "same", "form", "in",  # "w module 3", "one", "by", "bank komentarzy", "te same",
    # "nowych form", "m.in."
    # proper names, abbreviations and formats that Polish uses as they are
    "akademia", "cal", "ii", "iii", "api", "csv", "json", "url", "ops", "mops", "ngo", "pal", "osl", "qr", "id",
    "pesel", "http", "https", "rrrr", "mm", "dd", "utc", "authorization", "bearer", "token", "markdown", "html",
    "utf", "yaml", "openapi", "english", "polski", "txt", "pdf", "docx", "odt", "ods", "xlsx", "jpg", "png",
    "open", "badges", "vc", "jwt",  # the standard's name (Open Badges) and its file format (VC-JWT)
    "sqlite", "postgresql", "kb", "mb", "gb",  # database names and sizes on the system status page
    "menu", "certyfikat",  # the menu button; "Certyfikat Jakości" is a name in English strings too
    "rodo", "art", "list", "zip", "schema", "files",  # "art. 15 RODO", "list obecności", JSON Schema, the ZIP folder
    "ics", "min",  # calendar files (.ics), "45 min"
    "natural", "earth",  # Natural Earth, the source of the map's boundaries
}  # fmt: skip
SKIPPED_ENDPOINTS = {"static", "bootstrap.static", "main.health"}
EMAIL = re.compile(r"\S+@\S+")
CODE = re.compile(r"\S*[\d_]\S*")  # codes, dates, LMS_* settings: a random certificate code may spell "US"
WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?")


def english_words() -> set[str]:
    """Words of the interface's English source strings, without placeholders and markup."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="pl")
    words = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            text = re.sub(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>", " ", text or "")
            words.update(word.lower() for word in WORD.findall(text) if len(word) > 1)
    return words - ALLOWED


class VisibleText(HTMLParser):
    """Text a person reads: element text and the attributes shown or read aloud, without scripts and styles."""

    SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "value")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attributes = dict(attrs)
        shown = [name for name in self.SHOWN_ATTRIBUTES if attributes.get(name)]
        if not (tag == "input" and attributes.get("type") in ("submit", "button")):
            shown = [name for name in shown if name != "value"]  # a form's data, not the interface
        self.parts.extend(attributes[name] for name in shown)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's readable text, without e-mail addresses (their domains are not the interface's words)."""
    parser = VisibleText()
    parser.feed(html)
    return CODE.sub(" ", EMAIL.sub(" ", " ".join(parser.parts)))


@pytest.mark.parametrize("role", ROLES)
def test_polish_pages_show_no_english_word(app, client, world, role):  # noqa: F811 (fixture)
    if role != "anonymous":
        assert login(client, world["people"][role]).status_code == 302
    english = english_words()
    found = []
    for endpoint, method, rule in routes(app):
        if method != "GET" or endpoint in SKIPPED_ENDPOINTS or EXPECTED[(endpoint, method)][role] != 200:
            continue
        url = build_url(rule, world)
        response = client.get(url, headers={"Accept-Language": "en"})  # the visitor's browser does not choose
        assert response.status_code == 200, url
        if response.mimetype != "text/html":
            continue
        words = {
            word for word in WORD.findall(visible_text(response.get_data(as_text=True))) if word.lower() in english
        }
        if words:
            found.append(f"{url} ({endpoint}): {', '.join(sorted(words))}")
    assert not found, "English words on Polish pages:\n" + "\n".join(found)


def test_lived_in_key_pages_show_no_english_word(app):
    """The key pages on seeded data (queues, staff tables, reports with rows), each as its person sees it."""
    from lms.demo.key_pages import key_pages
    from tests.test_key_page_queries import SMALL, _seeded

    _seeded(SMALL)
    english, found = english_words(), []
    pages = key_pages()
    db.session.commit()  # key_pages makes the animators' calendar feed tokens
    for page in pages:
        if page.needs_api_token:
            continue
        client = app.test_client()
        if page.email:
            assert login(client, page.email).status_code == 302
        response = client.get(page.url)
        assert response.status_code == 200, page
        if response.mimetype != "text/html":
            continue  # a calendar feed is iCalendar, whose keywords are English by standard
        words = {
            word for word in WORD.findall(visible_text(response.get_data(as_text=True))) if word.lower() in english
        }
        if words:
            found.append(f"{page.name} {page.url}: {', '.join(sorted(words))}")
    assert not found, "English words on Polish pages:\n" + "\n".join(found)
