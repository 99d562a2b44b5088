"""One JSON line per request with a request id; errors with tracebacks; Sentry gets errors without personal data."""

import gzip
import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
import sentry_sdk

from lms.accounts.models import Role
from lms.ops.requestlog import JsonLinesFormatter
from tests.conftest import login
from tests.ops.conftest import app_on


@pytest.fixture
def log_lines():
    """The JSON lines the app logs during the test, parsed (as the production handler writes them)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("lms")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_the_app_logs_json_lines_to_stderr_by_default(app):
    handlers = logging.getLogger("lms").handlers
    assert any(isinstance(handler.formatter, JsonLinesFormatter) for handler in handlers)


def test_each_request_is_one_line_with_its_id_person_endpoint_status_and_duration(client, make_user, log_lines):
    animator = make_user(Role.ANIMATOR, email="zofia.zolc@example.org")
    login(client, animator)
    answer = client.get("/certificates/")
    request_lines = [line for line in log_lines() if line["logger"] == "lms.request"]
    last = request_lines[-1]
    assert last["request_id"] == answer.headers["X-Request-ID"]
    assert last["person_id"] == animator.id
    assert last["endpoint"] == "certificates.mine" and last["route"] == "/certificates/"
    assert last["status"] == 200 and last["method"] == "GET"
    assert isinstance(last["duration_ms"], int | float) and last["duration_ms"] >= 0
    assert all("zofia.zolc" not in json.dumps(line) for line in log_lines())  # never the e-mail
    assert len({line["request_id"] for line in request_lines}) == len(request_lines)  # one line, one request


def test_a_request_id_from_the_proxy_is_kept_and_a_malformed_one_replaced(client, log_lines):
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-0f3a9c2e41"})
    assert kept.headers["X-Request-ID"] == "nginx-0f3a9c2e41"
    replaced = client.get("/healthz", headers={"X-Request-ID": 'x" injected'})
    assert replaced.headers["X-Request-ID"] != 'x" injected' and len(replaced.headers["X-Request-ID"]) == 32
    assert [line["request_id"] for line in log_lines()] == ["nginx-0f3a9c2e41", replaced.headers["X-Request-ID"]]


def test_a_token_in_the_path_never_reaches_the_log(client, log_lines):
    client.get("/password/reset/secret-token-123")
    line = log_lines()[-1]
    assert "secret-token-123" not in json.dumps(line)
    assert "<" in (line["route"] or "")  # the route pattern, not the path


def _app_with_a_failing_route(app, **config):
    failing = app_on(app.config["SQLALCHEMY_DATABASE_URI"], PROPAGATE_EXCEPTIONS=False, **config)

    @failing.get("/boom")
    def boom():
        from flask_login import current_user

        raise RuntimeError(f"kaput while helping {current_user.email}")

    return failing


def test_an_error_is_logged_with_its_traceback_and_request_id(app, make_user, log_lines):
    failing = _app_with_a_failing_route(app)
    client = failing.test_client()
    login(client, make_user(Role.ANIMATOR, email="anna.nowak@example.org"))
    answer = client.get("/boom")
    assert answer.status_code == 500
    error = next(line for line in log_lines() if line["level"] == "error")
    assert error["request_id"] == answer.headers["X-Request-ID"]
    assert "RuntimeError: kaput while helping <e-mail>" in error["traceback"]
    assert "anna.nowak" not in json.dumps(log_lines())


def test_proxy_headers_are_believed_only_when_configured(app, log_lines):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    app_on(app.config["SQLALCHEMY_DATABASE_URI"]).test_client().get("/healthz", headers=forwarded)
    app_on(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_COUNT=1).test_client().get("/healthz", headers=forwarded)
    assert [line["client"] for line in log_lines()] == ["127.0.0.1", "203.0.113.9"]


class _SentryInbox(BaseHTTPRequestHandler):
    """A stand-in Sentry server on loopback: keeps every envelope it receives."""

    received: ClassVar[list[bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # the SDK prefers it when installed

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args):
        pass


@pytest.fixture
def sentry_inbox():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentryInbox)
    _SentryInbox.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_address[1]}/1", _SentryInbox.received
    sentry_sdk.init()  # no DSN: reporting off again for the rest of the suite
    server.shutdown()


def test_sentry_gets_the_error_without_personal_data(app, make_user, sentry_inbox):
    dsn, received = sentry_inbox
    failing = _app_with_a_failing_route(app, SENTRY_DSN=dsn)
    client = failing.test_client()
    person = make_user(Role.ANIMATOR, email="anna.nowak@example.org", name="Anna Nowak")
    login(client, person)
    assert client.get("/boom?email=anna.nowak@example.org", headers={"X-Request-ID": "req-12345678"}).status_code == 500
    sentry_sdk.flush(timeout=10)

    sent = b"".join(received).decode()
    assert "RuntimeError" in sent and "kaput while helping" in sent
    event = next(json.loads(line) for line in sent.splitlines() if '"exception"' in line)
    assert event["user"] == {"id": str(person.id)}
    assert event["tags"]["request_id"] == "req-12345678"
    for secret in ("anna.nowak", "Anna Nowak", "session=", "email="):
        assert secret not in sent
