"""Links: for notifications and e-mails, built with or without a request (CLI, scripts, services), and the
safe targets of redirects."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    """A site-relative URL for ``endpoint``."""
    if has_request_context():
        return url_for(endpoint, **values)
    # Outside a request (CLI, jobs) a made-up one on the public host, which TRUSTED_HOSTS always allows.
    public = urlsplit(current_app.config["PUBLIC_URL"])
    with current_app.test_request_context(base_url=f"{public.scheme}://{public.netloc}"):
        return url_for(endpoint, **values)


def id_link(endpoint: str, key: str) -> str:
    """The path of ``endpoint`` as a format string with ``{}`` for the id ``key``.

    One ``url_for`` for a whole table of links that differ only in an id (``url_for`` per row costs
    more than the rest of the row).
    """
    marker = 987654321
    return path_for(endpoint, **{key: marker}).replace("{", "{{").replace("}", "}}").replace(str(marker), "{}")


def absolute_url(path: str) -> str:
    """``path`` on the public site (LMS_PUBLIC_URL), for e-mails and PDFs.

    Never the request's address: its Host header is whatever the sender wrote, so a link built from it
    could send a password-reset token to another site.
    """
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths are followed after an action (no open redirects).

    Control characters are refused too: browsers drop tabs and line breaks from a URL, so "/\t/evil.example"
    would become "//evil.example", and CR/LF must never reach a header.
    """
    if target and not any(ord(character) < 32 or character == "\x7f" for character in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith(("//", "/\\")):
            return target
    return fallback
