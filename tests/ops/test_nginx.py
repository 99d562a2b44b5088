"""The shipped nginx site (deploy/nginx) in front of gunicorn (deploy/gunicorn.conf.py), checked through TLS.

Debian's nginx and gunicorn run on loopback with a self-signed certificate. Clients connect from other
loopback addresses (127.0.0.2 …), so the address the app sees can be told from nginx's own (127.0.0.1).
Skipped only where nginx is not installed; CI=true or LMS_REQUIRE_NGINX=1 makes it mandatory.
"""

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from lms.accounts import services as accounts
from lms.accounts.models import Role
from lms.content.importer import import_courses
from lms.content.models import Assignment, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship
from tests.conftest import MINI_COURSES, PASSWORD, csrf_token
from tests.ops.conftest import app_on

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "akademia.test"
LIMIT = 3 * 1024 * 1024  # LMS_MAX_REQUEST_BYTES and client_max_body_size for this run
REQUIRED = os.environ.get("CI") == "true" or os.environ.get("LMS_REQUIRE_NGINX") == "1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _seed(url: str) -> dict:
    """A person enrolled in an edition of the mini programme, in a new SQLite database."""
    seeding = app_on(url)
    with seeding.app_context():
        db.create_all()
        assert not import_courses(MINI_COURSES).errors
        institution = Institution(
            name="OPS w Testowie", kind=InstitutionKind.OPS, gmina="Testowo", powiat="testowski",
            voivodeship=Voivodeship.MAZOWIECKIE,
        )  # fmt: skip
        db.session.add(institution)
        admin = accounts.create_user("admin@akademia.test", "Anna Admin", PASSWORD, [Role.ADMIN])
        animator = accounts.create_user(
            "zofia@akademia.test", "Zofia Animatorka", PASSWORD, [Role.ANIMATOR], institution=institution
        )
        edition = Edition(
            name="Edycja testowa", programme=db.session.scalar(select(Programme)), voivodeship=Voivodeship.MAZOWIECKIE,
            starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), institutions=[institution],
        )  # fmt: skip
        db.session.add(edition)
        db.session.flush()
        db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=admin.id))
        assignment = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
        db.session.commit()
        seeded = {"email": animator.email, "work_path": f"/editions/{edition.id}/assignments/{assignment.id}/"}
        db.session.remove()
        db.engine.dispose()
    return seeded


def _site(tmp: Path, https_port: int, http_port: int, app_port: int) -> str:
    """deploy/nginx/akademia-cal.conf with this run's ports, paths, certificate and body limit."""
    site = (ROOT / "deploy" / "nginx" / "akademia-cal.conf").read_text()
    replacements = [
        ("/etc/letsencrypt/live/akademia.example.pl/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/letsencrypt/live/akademia.example.pl/privkey.pem", str(tmp / "key.pem")),
        ("akademia.example.pl", HOST),
        ("/srv/akademia-cal", str(ROOT)),
        ("/var/www/letsencrypt", str(tmp)),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen [::]:80;", ""),
        ("listen [::]:443 ssl http2;", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("client_max_body_size 60m;", f"client_max_body_size {LIMIT // 1024 // 1024}m;"),
    ]
    for shipped, here in replacements:
        assert shipped in site, f"deploy/nginx/akademia-cal.conf no longer contains {shipped!r}"
        site = site.replace(shipped, here)
    return site


def _main_config(tmp: Path) -> str:
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the certificate in a private folder
    temp_paths = "".join(
        f"{kind}_temp_path {tmp / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"};
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log {tmp / "access.log"};
  {temp_paths}
  include {tmp / "site.conf"};
}}
"""


class _Redis:
    def __init__(self):
        self.port = _free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        for line in self.process.stdout:
            if "Ready to accept connections" in line:
                break

    def stop(self):
        self.process.terminate()
        self.process.communicate()


class _Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py; its stderr (the app's JSON lines) kept in ``lines``."""

    def __init__(self, env: dict):
        self.lines: list[str] = []
        self.listening = threading.Event()
        self.new_line = threading.Condition()
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "app:app"],
            cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()
        if not self.listening.wait(60):
            self.stop()
            pytest.fail("gunicorn did not start:\n" + "".join(self.lines))

    def _read(self):
        for line in self.process.stderr:
            with self.new_line:
                self.lines.append(line)
                self.new_line.notify_all()
            if "Listening at:" in line:
                self.listening.set()

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in list(self.lines) if line.startswith("{")]

    def logged(self, wanted) -> bool:
        """Whether a JSON line ``wanted`` accepts reaches the log. A worker writes its line after the answer has
        left, so it is awaited (until a line comes or 30 s pass), not assumed to be there already."""
        with self.new_line:
            return self.new_line.wait_for(lambda: any(wanted(line) for line in self.json_lines()), timeout=30)

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """nginx (HTTPS and HTTP ports) → gunicorn (2 workers) → SQLite, with Redis for the rate limits."""
    if not Path(NGINX).exists():
        if REQUIRED:
            pytest.fail("nginx is required here (CI=true or LMS_REQUIRE_NGINX=1) but is not installed")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed for the shared rate limits of several workers")
    tmp = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    seeded = _seed(f"sqlite:///{tmp / 'lms.sqlite3'}")
    redis = _Redis()
    app_port, https_port, http_port = _free_port(), _free_port(), _free_port()
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("LMS_", "PROMETHEUS_"))},
        "LMS_DATABASE_URL": f"sqlite:///{tmp / 'lms.sqlite3'}",
        "LMS_PUBLIC_URL": f"https://{HOST}",
        "LMS_SECRET_KEY": uuid.uuid4().hex,
        "LMS_SECURE_COOKIES": "1",
        "LMS_PROXY_COUNT": "1",
        "LMS_MAX_REQUEST_BYTES": str(LIMIT),
        "LMS_MAX_ATTACHMENT_MB": str(LIMIT // 1024 // 1024),
        "LMS_RATELIMIT_STORAGE_URL": f"redis://127.0.0.1:{redis.port}/0",
        "LMS_RATELIMIT_LOGIN_PER_IP": "3 per 10 minutes",
        "LMS_METRICS_ALLOWED_IPS": "127.0.0.1",
        "LMS_BIND": f"127.0.0.1:{app_port}",
        "LMS_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
    }
    gunicorn = _Gunicorn(env)
    (tmp / "site.conf").write_text(_site(tmp, https_port, http_port, app_port))
    (tmp / "nginx.conf").write_text(_main_config(tmp))
    nginx = [NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-e", str(tmp / "error.log")]
    tested = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr
    subprocess.run(nginx, check=True)  # returns once the master has bound its ports and gone to the background
    try:
        yield {**seeded, "https": https_port, "http": http_port, "app": app_port, "cert": tmp / "cert.pem",
               "gunicorn": gunicorn}  # fmt: skip
    finally:
        subprocess.run([*nginx, "-s", "stop"], capture_output=True)
        gunicorn.stop()
        redis.stop()


class Browser:
    """A client with its own loopback address and cookie jar, speaking HTTPS to nginx."""

    def __init__(self, stack, address: str):
        self.stack, self.address, self.cookies = stack, address, {}
        self.context = ssl.create_default_context(cafile=str(stack["cert"]))

    def request(self, method, path, body=None, headers=None, https=True):
        if https:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.stack["https"], context=self.context, source_address=(self.address, 0), timeout=60
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.stack["http"], source_address=(self.address, 0))
        # Browsers send a Referer; Flask-WTF requires a same-site one on HTTPS (which the app must see).
        sent = {"Host": HOST, "Referer": f"https://{HOST}{path}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        response.body = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";")[0].split("=", 1)
            self.cookies[name] = value
        connection.close()
        return response

    def form(self, path, fields, headers=None):
        token = csrf_token(self.request("GET", path).body.decode())
        body = urlencode({**fields, "csrf_token": token})
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        )


def _multipart(fields: dict, file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
        f"Content-Type: text/plain\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_sign_in_over_https_with_secure_cookies_and_hsts(stack):
    browser = Browser(stack, "127.0.0.2")
    page = browser.request("GET", "/login")
    assert page.status == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    signed_in = browser.form("/login", {"email": stack["email"], "password": PASSWORD})
    assert signed_in.status == 302
    session_cookie = next(c for c in signed_in.headers.get_all("Set-Cookie") if c.startswith("session="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    assert "Zofia Animatorka" in browser.request("GET", "/").body.decode()


def test_plain_http_is_sent_to_https(stack):
    answer = Browser(stack, "127.0.0.2").request("GET", "/login?next=/", https=False)
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{HOST}/login?next=/"


def _upload(browser, stack, size: int):
    token = csrf_token(browser.request("GET", stack["work_path"]).body.decode())
    content = (b"Notatki ze spotkania z mieszkancami.\n" * (size // 37 + 1))[:size]
    body, content_type = _multipart({"csrf_token": token, "text": "Szkic", "save": "1"}, "notatki.txt", content)
    return browser.request("POST", stack["work_path"], body, {"Content-Type": content_type}), len(body)


def test_an_upload_near_the_limit_is_stored_and_one_above_it_refused_by_nginx(stack):
    browser = Browser(stack, "127.0.0.3")
    assert browser.form("/login", {"email": stack["email"], "password": PASSWORD}).status == 302

    accepted, sent = _upload(browser, stack, LIMIT - 8 * 1024)
    assert LIMIT - 16 * 1024 < sent <= LIMIT
    assert accepted.status == 302, accepted.body[:500]
    assert "notatki.txt" in browser.request("GET", stack["work_path"]).body.decode()

    refused, sent = _upload(browser, stack, LIMIT + 1024)
    assert sent > LIMIT
    assert refused.status == 413
    assert (
        refused.headers["Server"].startswith("nginx") and "X-Request-ID" not in refused.headers
    )  # never reached the app


def test_the_rate_limiter_counts_the_real_client_address(stack):
    def failed_sign_in(browser, number, headers=None):
        fields = {"email": f"nikt{number}@akademia.test", "password": "zle-haslo"}
        return browser.form("/login", fields, headers).status

    attacker = Browser(stack, "127.0.0.4")
    # A client's own X-Forwarded-For is replaced by nginx: it cannot pose as another address.
    statuses = [failed_sign_in(attacker, n, {"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert failed_sign_in(Browser(stack, "127.0.0.5"), 9) == 200  # another address is not held back

    gunicorn = stack["gunicorn"]
    assert gunicorn.logged(lambda line: line.get("endpoint") == "accounts.login" and line["client"] == "127.0.0.5")
    logged = [line for line in gunicorn.json_lines() if line.get("endpoint") == "accounts.login"]
    assert {"127.0.0.4", "127.0.0.5"} <= {line["client"] for line in logged}
    assert not {line["client"] for line in logged} & {"127.0.0.1"} - {None}


def test_request_ids_from_nginx_reach_the_app_log(stack):
    answer = Browser(stack, "127.0.0.2").request("GET", "/healthz")
    request_id = answer.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id
    assert stack["gunicorn"].logged(lambda line: line.get("request_id") == request_id)


def test_hashed_static_files_reach_the_browser_cached_for_a_year(stack):
    browser = Browser(stack, "127.0.0.2")
    link = re.search(r'href="(/static/css/app\.\w+\.css)"', browser.request("GET", "/").body.decode()).group(1)
    answer = browser.request("GET", link)
    assert answer.status == 200
    assert "max-age=31536000" in answer.headers["Cache-Control"] and "immutable" in answer.headers["Cache-Control"]


def test_metrics_are_not_served_through_nginx_but_sum_every_worker_on_loopback(stack):
    assert Browser(stack, "127.0.0.2").request("GET", "/metrics").status == 404
    for _ in range(20):
        connection = http.client.HTTPConnection("127.0.0.1", stack["app"])
        connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        connection.getresponse().read()
        connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", stack["app"])
    connection.request("GET", "/metrics", headers={"Host": "127.0.0.1"})
    answer = connection.getresponse()
    text = answer.read().decode()
    assert answer.status == 200
    health = re.search(r'lms_http_requests_total\{endpoint="main.health",method="GET",status="200"\} (\S+)', text)
    assert float(health.group(1)) >= 20  # this test's twenty, whichever worker answered each
    assert "lms_outbox_backlog" in text
