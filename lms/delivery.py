"""How responses travel on a slow link: static files under content-hashed names, compressed and cached for a
year; pages compressed; pages of a signed-in person never stored by a browser or a proxy.

Static files: at start-up each file under static/ gets a name with a hash of its content
(``css/app.css`` -> ``css/app.3f2a9c1d7e55.css``), which ``url_for('static', ...)`` writes into pages. WhiteNoise
serves those names with ``Cache-Control: public, max-age=31536000, immutable`` and brotli or gzip variants that
are written once per content into ``instance/static/`` (so a changed file can never be served stale, and the
project tree stays read-only). The plain names keep working, with ``no-cache``, for anything outside our pages.
"""

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

import brotli
from flask import Flask, request, session
from whitenoise import WhiteNoise

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
PRIVATE = "no-store"
PUBLIC_PAGE = "private, no-cache"  # a page holds a CSRF token of its visitor's session: never a shared copy
COMPRESSIBLE_FILES = {".css", ".js", ".svg", ".json", ".txt", ".html", ".map"}
COMPRESSIBLE_TYPES = {"text/html", "text/csv", "application/json", "text/plain"}
SMALLEST_WORTH_COMPRESSING = 600  # bytes: below this the headers cost more than compression saves
PAGE_BROTLI_QUALITY = 5  # per request: ~4x faster than 11, a few per cent larger


class _StaticFiles(WhiteNoise):
    """WhiteNoise with our two cache policies (its own default is one minute)."""

    def __init__(self, application, immutable_urls: set[str]):
        super().__init__(application, max_age=None, allow_all_origins=False)
        self.immutable_urls = immutable_urls

    def add_cache_headers(self, headers, path, url):
        headers["Cache-Control"] = IMMUTABLE if url in self.immutable_urls else REVALIDATE


def hashed_name(relative: str, content: bytes) -> str:
    """``css/app.css`` -> ``css/app.<12 hex digits of its SHA-256>.css``."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    stem, dot, extension = relative.rpartition(".")
    return f"{stem}.{digest}.{extension}" if dot else f"{relative}.{digest}"


def _write_once(path: Path, content: bytes) -> None:
    """Write a content-addressed file unless it exists; atomic, so processes starting together never clash."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.replace(temporary, path)


def _build(static_root: Path, build_root: Path) -> dict[str, str]:
    """Copy each static file under its hashed name (with .br and .gz beside it) into ``build_root``; returns
    the manifest: plain name -> hashed name."""
    manifest = {}
    for path in sorted(static_root.rglob("*")):
        if not path.is_file() or path.suffix in (".gz", ".br") or path.name.startswith("."):
            continue
        relative, content = path.relative_to(static_root).as_posix(), path.read_bytes()
        hashed = manifest[relative] = hashed_name(relative, content)
        target = build_root / hashed
        if path.suffix in COMPRESSIBLE_FILES:
            _write_once(target.with_name(target.name + ".br"), brotli.compress(content, quality=11))
            _write_once(target.with_name(target.name + ".gz"), gzip.compress(content, 9, mtime=0))
        _write_once(target, content)  # last: its presence means the variants are there too
    return manifest


def init_app(app: Flask) -> None:
    """Serve static files through WhiteNoise; hash their names in url_for; compress and mark pages."""
    static_root = Path(app.static_folder)
    build_root = Path(app.instance_path) / "static"
    manifest = _build(static_root, build_root)
    prefix = app.static_url_path.rstrip("/") + "/"
    files = _StaticFiles(app.wsgi_app, immutable_urls={prefix + hashed for hashed in manifest.values()})
    files.add_files(str(static_root), prefix=prefix)  # plain names, revalidated
    for hashed in manifest.values():
        files.add_file_to_dictionary(prefix + hashed, str(build_root / hashed))
    app.wsgi_app = files
    app.extensions["static_manifest"] = manifest

    @app.url_defaults
    def hashed_static_names(endpoint, values):
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    app.after_request(cache_and_compress)


def cache_and_compress(response):
    """A signed-in person's pages are never stored; other pages are revalidated; text is compressed."""
    if "Cache-Control" not in response.headers and response.mimetype in COMPRESSIBLE_TYPES:
        response.headers["Cache-Control"] = PRIVATE if _signed_in() else PUBLIC_PAGE
    if response.mimetype in COMPRESSIBLE_TYPES:
        response.vary.add("Accept-Encoding")
        compress(response)
    return response


def _signed_in() -> bool:
    """Whether the response belongs to a signed-in person. Flask-Login keeps the id in the session (a remember
    cookie puts it there when it signs the person in), so no person is loaded: health checks stay DB-free."""
    return "_user_id" in session


def compress(response) -> None:
    """Brotli when the browser accepts it, else gzip; only whole bodies worth the trouble."""
    if response.direct_passthrough or response.is_streamed or "Content-Encoding" in response.headers:
        return
    accepted = request.accept_encodings
    encoding = "br" if accepted["br"] else "gzip" if accepted["gzip"] else None
    if encoding is None or response.status_code in (204, 304):
        return
    body = response.get_data()
    if len(body) < SMALLEST_WORTH_COMPRESSING:
        return
    packed = brotli.compress(body, quality=PAGE_BROTLI_QUALITY) if encoding == "br" else gzip.compress(body, 6)
    response.set_data(packed)
    response.headers["Content-Encoding"] = encoding
