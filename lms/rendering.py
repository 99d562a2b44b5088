"""The one Markdown renderer: course content and learners' texts go through the same sanitiser."""

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


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML. Callers store the result; pages never re-render."""
    html = markdown.markdown(text or "", extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    return sanitise_html(html)
