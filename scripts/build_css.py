"""Build static/css/bootstrap.min.css: Bootstrap's compiled CSS cut down to the rules our pages can use.

Bootstrap 5.3 comes from the pinned Bootstrap-Flask package (no download). A rule stays when every class its
selector names appears somewhere in templates/ or lms/ (or in the safelist of class names that templates build
from parts, such as ``alert-{{ category }}``). Rules without classes (elements, :root, keyframes) stay, except
those of the dark colour theme, which no page uses.

    .venv/bin/python scripts/build_css.py           # write the file (make does this)
    .venv/bin/python scripts/build_css.py --check   # exit 1 when the committed file is out of date

tests/test_delivery.py fails when the committed build no longer matches the templates.
"""

import re
import sys
from pathlib import Path

import flask_bootstrap

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css" / "bootstrap.min.css"
TARGET = ROOT / "static" / "css" / "bootstrap.min.css"
SCANNED = [(ROOT / "templates", "*.html"), (ROOT / "lms", "*.py")]

# Class names templates put together from a prefix and a value (``text-bg-{{ styles[...] }}``).
_COLOURS = ["primary", "secondary", "success", "info", "warning", "danger", "light", "dark"]
_PREFIXES = ["alert", "text-bg", "text", "border", "btn", "bg"]
SAFELIST = {f"{prefix}-{colour}" for prefix in _PREFIXES for colour in _COLOURS}

_WORD = re.compile(r"[A-Za-z_][\w-]*")
_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")


def used_words() -> set[str]:
    """Every word-like token in the templates and the Python code, and the safelist."""
    words = set(SAFELIST)
    for folder, pattern in SCANNED:
        for path in sorted(folder.rglob(pattern)):
            words.update(_WORD.findall(path.read_text(encoding="utf-8")))
    return words


def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _scan_to(css: str, i: int, stops: str) -> int:
    """The index of the first of ``stops`` at or after ``i``, outside strings and parentheses."""
    depth = 0
    while i < len(css):
        char = css[i]
        if char in "\"'":
            i = _skip_string(css, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char in stops:
            return i
        i += 1
    return i


def _matching_brace(css: str, i: int) -> int:
    """The index just after the brace that closes the one at ``i``."""
    depth = 0
    while True:
        i = _scan_to(css, i, "{}")
        depth += 1 if css[i] == "{" else -1
        i += 1
        if depth == 0:
            return i


def _split_selectors(prelude: str) -> list[str]:
    parts, start, i = [], 0, 0
    while True:
        i = _scan_to(prelude, i, ",")
        parts.append(prelude[start:i])
        if i >= len(prelude):
            return parts
        start = i = i + 1


def _used(selector: str, words: set[str]) -> bool:
    """Every class the selector names is used; the dark colour theme never is (no page switches to it)."""
    return "data-bs-theme=dark" not in selector and all(c in words for c in _CLASS.findall(selector))


def _purge_block(css: str, i: int, words: set[str]) -> tuple[str, int]:
    """Purge rules from ``i`` up to the closing brace of the enclosing block; returns (css, index after it)."""
    out = []
    while i < len(css):
        if css.startswith("/*", i):
            end = css.index("*/", i) + 2
            if css.startswith("/*!", i):
                out.append(css[i:end])  # the licence
            i = end
            continue
        if css[i] == "}":
            return "".join(out), i + 1
        stop = _scan_to(css, i, "{;}")
        prelude = css[i:stop].strip()
        if stop < len(css) and css[stop] == ";":  # @charset, @import
            out.append(prelude + ";")
            i = stop + 1
            continue
        if prelude.startswith(("@media", "@supports", "@container", "@layer")):
            inner, i = _purge_block(css, stop + 1, words)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
            continue
        if prelude.startswith("@"):  # @keyframes, @font-face: whole, nested blocks and all
            end = _matching_brace(css, stop)
            out.append(f"{prelude}{css[stop:end]}")
            i = end
            continue
        end = _scan_to(css, stop + 1, "}")
        body = css[stop + 1 : end]
        i = end + 1
        kept = [s for s in _split_selectors(prelude) if _used(s, words)]
        if kept:
            out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out), i


def purged_css(words: set[str] | None = None) -> str:
    css = SOURCE.read_text(encoding="utf-8")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    result, _ = _purge_block(css, 0, used_words() if words is None else words)
    header = "/* Built by scripts/build_css.py from Bootstrap-Flask's Bootstrap: only the rules our templates use. */\n"
    return header + result + "\n"


def main(argv: list[str]) -> int:
    css = purged_css()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != css:
            stale = TARGET.relative_to(ROOT)
            print(f"{stale} is out of date: run .venv/bin/python scripts/build_css.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(css, encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(css.encode()):,} bytes (from {SOURCE.stat().st_size:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
