"""Errors to Sentry when ``LMS_SENTRY_DSN`` is set, with personal data scrubbed before anything leaves.

Sentry gets the exception, its stack (without local variables), the endpoint, the request id and the
person's id. It never gets cookies, form or query data, headers other than a few harmless ones, the
person's e-mail or name, nor e-mail addresses inside messages.
"""

import re

import sentry_sdk
from flask import Flask, g, has_request_context
from sentry_sdk.integrations.flask import FlaskIntegration

from lms.ops.requestlog import loaded_person

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_KEPT_HEADERS = {"user-agent", "accept", "accept-language", "content-type", "content-length", "x-request-id"}
_FILTERED = "[filtered]"


def _scrub_text(value):
    return _EMAIL.sub("<e-mail>", value) if isinstance(value, str) else value


def _scrub_tree(value):
    """Mask e-mail addresses anywhere in a nested structure of dicts, lists and strings."""
    if isinstance(value, dict):
        return {key: _scrub_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub_tree(item) for item in value]
    return _scrub_text(value)


def scrub(event: dict, _hint: dict | None = None) -> dict:
    """``before_send``: keep what helps to fix the error, drop what identifies or authenticates a person."""
    request = event.get("request") or {}
    for key in ("cookies", "data", "query_string", "env"):
        if key in request:
            request[key] = _FILTERED
    headers = request.get("headers") or {}
    request["headers"] = {name: value for name, value in headers.items() if name.lower() in _KEPT_HEADERS}
    if "url" in request:
        request["url"] = _FILTERED  # a path may hold an invitation or password-reset token
    event["user"] = {}
    if has_request_context():  # before_send runs in the failing request: name it by id only
        event.setdefault("tags", {})["request_id"] = g.get("request_id")
        person = loaded_person()
        if person is not None:
            event["user"] = {"id": str(person.id)}
    for frame_list in _frames(event):
        for frame in frame_list:
            frame.pop("vars", None)
    return _scrub_tree(event)


def _frames(event: dict):
    for exception in (event.get("exception") or {}).get("values") or []:
        yield (exception.get("stacktrace") or {}).get("frames") or []
    for thread in (event.get("threads") or {}).get("values") or []:
        yield (thread.get("stacktrace") or {}).get("frames") or []


def register(app: Flask) -> None:
    """Start reporting when a DSN is configured."""
    dsn = app.config["SENTRY_DSN"]
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["SENTRY_ENVIRONMENT"],
        integrations=[FlaskIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,
        traces_sample_rate=0,
    )
