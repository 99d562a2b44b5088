"""The one Markdown renderer: course content and people's texts go through the same sanitiser.

Course content is written by programme authors and may hold HTML (which the sanitiser trims). What
people type on the site (attempts, drafts, feedback) is shown as they typed it: Markdown formats it,
but ``<imię i nazwisko>``, ``<b>x</b>``, ``a<b>c``, ``<jan@example.pl>`` and ``&amp;`` stay text,
escaped rather than parsed (and so never removed by the sanitiser).
"""

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


def render_markdown(text: str) -> str:
    """Render course Markdown to sanitised HTML. Callers store the result; pages never re-render."""
    html = markdown.markdown(text or "", extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    return sanitise_html(html)


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
    return sanitise_html(html)
