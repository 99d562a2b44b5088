"""One JSON line per request (and per logged error), each with a request id also sent back as ``X-Request-ID``.

A line names the person by id, never by e-mail (addresses in any logged message are masked), the endpoint
and its route pattern (never the path itself, which may hold an invitation or reset token), the status
and the duration. Errors carry their traceback. The same hook feeds the request metrics.
"""

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from werkzeug.local import LocalProxy

from lms.ops import metrics

REQUEST_ID_HEADER = "X-Request-ID"
# An id handed on by the proxy (nginx's $request_id) is kept when it looks like one; anything else is replaced.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
request_log = logging.getLogger("lms.request")


def _masked(text: str) -> str:
    return _EMAIL.sub("<e-mail>", text)


class JsonLinesFormatter(logging.Formatter):
    """A record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": _masked(record.getMessage()),
        }
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["traceback"] = _masked(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


JsonLinesFormatter.converter = time.gmtime


def _start() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if _ACCEPTABLE_ID.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def loaded_person():
    """The person this request signed in or loaded, or None; never loads one (that would cost a query)."""
    person = g.get("_login_user")
    if type(person) is LocalProxy:  # login_user(current_user) stores the proxy itself: it points at itself
        return None
    return person if person is not None and person.is_authenticated else None


def _finish(response):
    if "request_id" not in g:  # a request refused before any hook ran
        _start()
    seconds = time.perf_counter() - g.request_started
    endpoint = request.endpoint or "(no route)"
    response.headers[REQUEST_ID_HEADER] = g.request_id
    metrics.observe(endpoint, request.method, response.status_code, seconds)
    # The signed-in person only if this request already loaded them: logging must not cost a query.
    person = loaded_person()
    request_log.info(
        "request",
        extra={
            "fields": {
                "method": request.method,
                "endpoint": endpoint,
                "route": request.url_rule.rule if request.url_rule else None,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 2),
                "person_id": person.id if person is not None else None,
                "client": request.remote_addr,
            }
        },
    )
    return response


def register(app: Flask) -> None:
    """Stamp every request with an id, log it as a JSON line and count it."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)  # first, so a refusal is logged too
    app.after_request(_finish)
    if app.config["LOG_FORMAT"] != "json":
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLinesFormatter())
    lms_logger = logging.getLogger("lms")  # the app's logger: request lines, errors with tracebacks, jobs
    for old in list(lms_logger.handlers):
        if isinstance(old, logging.StreamHandler) and getattr(old, "_lms_json", False):
            lms_logger.removeHandler(old)  # a second app in one process (tests) must not log twice
    handler._lms_json = True
    lms_logger.addHandler(handler)
    lms_logger.setLevel(logging.INFO)
    from flask.logging import default_handler

    lms_logger.removeHandler(default_handler)
