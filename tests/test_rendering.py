"""Markdown from course authors and learners renders inert: no script, no handlers, no js: links."""

import re
from html.parser import HTMLParser

import pytest

from lms.rendering import render_markdown, render_typed_markdown
from tests.typed_text import TYPED

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://example.com"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "![x](javascript:alert(1))",
    '<p onclick="alert(1)">x</p>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<form action="https://evil.example"><input name=a></form>',
    "{: onclick=alert(1) }\n# nagłówek",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dangerous_markup_is_removed(payload):
    html = render_markdown(f"Tekst przed.\n\n{payload}\n\nTekst po.").lower()
    tags = " ".join(re.findall(r"<[^>]*>", html))  # text that merely mentions a payload is harmless
    for marker in ("<script", " on", "javascript:", "<iframe", "<svg", "<form", "data:", "style="):
        assert marker not in tags
    assert "tekst przed." in html and "tekst po." in html


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown(
        "## Mapa zasobów\n\n- **ludzkie**\n- materialne\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[CAL](https://cal.org.pl)"
    )
    assert '<h2 id="mapa-zasobow">Mapa zasobów</h2>' in html
    assert "<li><strong>ludzkie</strong></li>" in html
    assert "<td>1</td>" in html
    assert 'href="https://cal.org.pl"' in html and 'rel="noopener noreferrer nofollow"' in html


# ---- What people type: Markdown formats it, anything looking like HTML is shown as typed. ----


def visible_text(html: str) -> str:
    """The text a browser shows for an HTML fragment (entities decoded, tags dropped)."""
    parts: list[str] = []

    class Collector(HTMLParser):
        def handle_data(self, data):
            parts.append(data)

    Collector(convert_charrefs=True).feed(html)
    return "".join(parts)


@pytest.mark.parametrize("typed", TYPED)
def test_typed_text_reads_as_typed(typed):
    html = render_typed_markdown(f"Przed.\n\n{typed}\n\nPo.")
    assert typed in visible_text(html)


def test_typed_text_still_formats_markdown():
    html = render_typed_markdown("## Plan\n\n- **sąsiadka** z <ogrodem>\n- [CAL](https://cal.org.pl)\n\nlinia\ndruga")
    assert "<h5>Plan</h5>" in html  # below the page's own headings, and no id: it could collide with theirs
    assert "<li><strong>sąsiadka</strong> z &lt;ogrodem&gt;</li>" in html
    assert 'href="https://cal.org.pl"' in html
    assert "linia<br>" in html  # Enter is a line break, as in a letter


@pytest.mark.parametrize("payload", PAYLOADS)
def test_typed_text_never_carries_markup(payload):
    html = render_typed_markdown(f"Tekst przed.\n\n{payload}\n\nTekst po.").lower()
    tags = " ".join(re.findall(r"<[^>]*>", html))
    for marker in ("<script", " on", "javascript:", "<iframe", "<svg", "<form", "data:", "style="):
        assert marker not in tags
