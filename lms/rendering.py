"""The one Markdown renderer: course content and people's texts go through the same sanitiser.

Course content is written by programme authors and may hold HTML (which the sanitiser trims). What
people type on the site (attempts, drafts, feedback) is shown as they typed it: Markdown formats it,
but ``<imię i nazwisko>``, ``<b>x</b>``, ``a<b>c``, ``<jan@example.pl>`` and ``&amp;`` stay text,
escaped rather than parsed (and so never removed by the sanitiser).
"""

import re
from html import unescape

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

_EXTENSIONS = ["abbr", "def_list", "fenced_code", "tables", "sane_lists", "toc"]
# People's texts: no abbreviation or definition syntax (a line starting with ":" or "*[" is text), no
# heading ids (they could collide with the page's own), and a line break where the person pressed Enter.
_TYPED_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]
# align="..." rather than style="text-align: ...": the CSP forbids inline styles.
_EXTENSION_CONFIGS = {"toc": {"permalink": False}, "tables": {"use_align_attribute": True}}
_TYPED_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TAGS = _HEADINGS | {
    "p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "del", "sup", "sub",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {
    **{tag: {"id"} for tag in _HEADINGS},  # toc anchors
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    """Remove everything that could run script or load foreign content from an HTML fragment."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


# People's texts (attempts, feedback) are shown inside cards under the page's h1-h3: their "# heading" becomes h4.
LEARNER_HEADING_LEVEL = 4

_TABLE = re.compile(r"<table>.*?</table>", re.S)
_EMPTY_HEADER = re.compile(r"<th( align=\"\w+\")?>\s*</th>")
_HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _accessible_table(match: re.Match) -> str:
    """A table in its own keyboard-reachable scrolling box, named by its column headings (in the text's own
    language); an empty corner header cell becomes a plain cell (a header must name something)."""
    table = _EMPTY_HEADER.sub(r"<td\1></td>", match.group(0))
    headings = [unescape(_TAG.sub("", cell)).strip() for cell in _HEADER_CELL.findall(table)]
    label = ", ".join(heading for heading in headings if heading) or "—"
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<div class="scroll-box" role="region" tabindex="0" aria-label="{label}">{table}</div>'


def _boxed_tables(html: str) -> str:
    """Applied after sanitising: the wrapper's attributes are ours, and nh3 would drop them."""
    return _TABLE.sub(_accessible_table, html)


def render_markdown(text: str) -> str:
    """Render course Markdown to sanitised HTML. Callers store the result; pages never re-render."""
    html = markdown.markdown(text or "", extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    return _boxed_tables(sanitise_html(html))


class _LiteralAmpersand(InlineProcessor):
    """Every ``&`` is a character: ``&amp;`` or ``&copy;`` typed by a person reads as typed, not as ``&`` or ©."""

    def handleMatch(self, match, data):
        return self.md.htmlStash.store("&amp;"), match.start(0), match.end(0)


class _TypedText(Extension):
    """Markdown without its HTML: raw tags, entities and ``<…>`` autolinks are left as text (escaped)."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        for pattern in ("html", "entity", "automail", "autolink"):
            md.inlinePatterns.deregister(pattern)
        md.inlinePatterns.register(_LiteralAmpersand("&", md), "literal_ampersand", 80)


def render_typed_markdown(text: str) -> str:
    """Render what a person typed: Markdown formats it, anything looking like HTML is shown as text.

    Callers store the result; pages never re-render. Still sanitised: a Markdown link or image may
    carry a script URL.
    """
    html = markdown.markdown(
        text or "", extensions=[*_TYPED_EXTENSIONS, _TypedText()], extension_configs=_TYPED_EXTENSION_CONFIGS
    )
    shift = LEARNER_HEADING_LEVEL - 1  # "# heading" sits below the page's own headings, never past h6
    html = _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}>", html)
    return _boxed_tables(sanitise_html(html))
