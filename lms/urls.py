"""Links: for notifications and e-mails, built with or without a request (CLI, scripts, services), and the
safe targets of redirects."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


def path_for(endpoint: str, **values) -> str:
    """A site-relative URL for ``endpoint``."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def id_link(endpoint: str, key: str) -> str:
    """The path of ``endpoint`` as a format string with ``{}`` for the id ``key``.

    One ``url_for`` for a whole table of links that differ only in an id (``url_for`` per row costs
    more than the rest of the row).
    """
    marker = 987654321
    return path_for(endpoint, **{key: marker}).replace("{", "{{").replace("}", "}}").replace(str(marker), "{}")


def absolute_url(path: str) -> str:
    """``path`` on the public site: LMS_PUBLIC_URL when set, else the address of this request."""
    base = current_app.config["PUBLIC_URL"] or (request.host_url if has_request_context() else "http://localhost/")
    return base.rstrip("/") + path


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths are followed after an action (no open redirects)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith(("//", "/\\")):
            return target
    return fallback
