"""Serving stored files: always as downloads, never rendered by the browser."""

from io import BytesIO

from flask import send_file

from lms.learning.models import StoredFile


def send_stored_file(stored: StoredFile, filename: str):
    """A response that makes the browser save ``stored`` as ``filename`` (sandboxed, not cached)."""
    response = send_file(
        BytesIO(stored.content),
        mimetype=stored.mime,
        as_attachment=True,
        download_name=filename,
        etag=stored.sha256,
        max_age=0,
    )
    # Even if a browser ignored the attachment disposition, the file could run nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
