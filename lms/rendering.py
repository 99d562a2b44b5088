"""The one Markdown renderer: course content and learners' texts go through the same sanitiser."""

import re
from html import unescape

import markdown
import nh3

_EXTENSIONS = ["abbr", "def_list", "fenced_code", "tables", "sane_lists", "toc"]
# align="..." rather than style="text-align: ...": the CSP forbids inline styles.
_EXTENSION_CONFIGS = {"toc": {"permalink": False}, "tables": {"use_align_attribute": True}}

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


def _accessible_table(match: re.Match) -> str:
    """A table in its own keyboard-reachable scrolling box, named by its column headings (in the text's own
    language); an empty corner header cell becomes a plain cell (a header must name something)."""
    table = _EMPTY_HEADER.sub(r"<td\1></td>", match.group(0))
    headings = [unescape(_TAG.sub("", cell)).strip() for cell in _HEADER_CELL.findall(table)]
    label = ", ".join(heading for heading in headings if heading) or "—"
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<div class="scroll-box" role="region" tabindex="0" aria-label="{label}">{table}</div>'


def render_markdown(text: str, top_heading: int = 1) -> str:
    """Render Markdown to sanitised HTML. Callers store the result; pages never re-render.

    ``top_heading`` is the level a "# heading" gets; deeper ones follow it, never past h6.
    """
    configs = _EXTENSION_CONFIGS
    if top_heading != 1:
        configs = {**configs, "toc": {**configs["toc"], "baselevel": top_heading}}
    html = markdown.markdown(text or "", extensions=_EXTENSIONS, extension_configs=configs)
    # After sanitising: the wrapper's attributes are ours, and nh3 would drop them.
    return _TABLE.sub(_accessible_table, sanitise_html(html))
