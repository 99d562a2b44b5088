"""Security headers for every response, and the one input-hygiene check for every request."""

import re

from flask import Flask, request
from flask_babel import gettext as _

from lms.errors import RefusedInput

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"

# C0 control characters. Values (typed text, filters) may hold tab and line breaks, field names and path
# arguments may not. NUL in particular cannot be stored by PostgreSQL at all; the rest are never typed.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL = re.compile(r"[\x00-\x1f]")


def _json_strings(value):
    """Every string in a JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _all_values(multidict) -> list[str]:
    """Every value of a query or form, repeated names included."""
    return [value for _name, value in multidict.items(multi=True)]


def has_control_characters() -> bool:
    """True when the request's path arguments, query, form fields or JSON body hold control characters."""
    path_arguments = [value for value in (request.view_args or {}).values() if isinstance(value, str)]
    if any(_CONTROL.search(name) for name in [*path_arguments, *request.args.keys(), *request.form.keys()]):
        return True
    texts = [*_all_values(request.args), *_all_values(request.form)]
    if request.is_json:
        texts.extend(_json_strings(request.get_json(silent=True)))
    return any(_CONTROL_IN_TEXT.search(text) for text in texts)


def register(app: Flask) -> None:
    """Refuse requests with control characters; add the headers after every request."""

    @app.before_request
    def refuse_control_characters():
        if has_control_characters():
            raise RefusedInput(
                _("The form or address contains control characters (such as a NUL byte). Remove them and try again.")
            )

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if app.config["SESSION_COOKIE_SECURE"]:
            # Served over HTTPS (LMS_SECURE_COOKIES=1): browsers must not try plain HTTP, and leak cookies, again.
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
