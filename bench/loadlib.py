"""Shared helpers for the load and fault scripts (bench/load_check.py, bench/two_servers.py).

Loopback only: every server binds 127.0.0.1 on a free port; clients use urllib with a cookie jar
and never follow redirects (a 302 is the answer we check).
"""

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The servers answer on 127.0.0.1 (any port): the app needs a public address for links in its mail.
# Load runs sign seeded admins and trainers in with a password alone (no second factor).
LOOPBACK_SITE = {"LMS_PUBLIC_URL": "http://127.0.0.1", "LMS_REQUIRE_TOTP": "0"}
LOAD_LIMITS = {
    # Only failed sign-ins count, but be generous: every client signs in from 127.0.0.1.
    "LMS_RATELIMIT_LOGIN_PER_IP": "100000 per minute",
    "LMS_RATELIMIT_LOGIN_PER_ACCOUNT": "100000 per minute",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_password() -> str:
    return (ROOT / "instance" / "demo_password").read_text().strip()


def fresh_postgres_url() -> tuple[str, callable]:
    """A new, empty database on the server of LMS_TEST_DATABASE_URL (or LMS_DATABASE_URL) and its dropper."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ.get("LMS_TEST_DATABASE_URL") or os.environ.get("LMS_DATABASE_URL")
    if not base or not base.startswith("postgresql"):
        raise SystemExit(
            "PostgreSQL runs need LMS_TEST_DATABASE_URL or LMS_DATABASE_URL (scripts/throwaway-postgres.sh)"
        )
    base_url = make_url(base)
    name = f"lms_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base_url.set(database=name).render_as_string(hide_password=False), drop


def flask(env: dict, *args: str) -> str:
    """Run ``flask --app app ARGS`` in the project; exit on failure with its output."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"flask {' '.join(args)} failed ({done.returncode})")
    return done.stdout


class Server:
    """``gunicorn -w N --no-control-socket app:app`` on a loopback port, in its own process group."""

    def __init__(self, env: dict, port: int, log: Path, workers: int = 2):
        self.env, self.port, self.log, self.workers = env, port, log, workers
        self.proc: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 60) -> None:
        with open(self.log, "a") as log:
            log.write(f"\n===== start {time.strftime('%H:%M:%S')} =====\n")
            log.flush()
            self.proc = subprocess.Popen(
                [
                    str(BIN / "gunicorn"), "-w", str(self.workers), "--no-control-socket",
                    "-b", f"127.0.0.1:{self.port}", "--timeout", "120", "--graceful-timeout", "5",
                    "--error-logfile", "-", "--log-level", "warning", "app:app",
                ],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise SystemExit(f"gunicorn did not answer /healthz within {timeout} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers): a crash, not a shutdown."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: str):
        self.status, self.headers, self.body = status, headers, body

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path

    def csrf(self) -> str | None:
        found = CSRF.search(self.body)
        return found.group(1) if found else None


class Client:
    """One browser: its own cookie jar; a base URL that can change (the two-server run)."""

    def __init__(self, base: str, timeout: float = 60):
        self.base, self.timeout = base, timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict | None = None, base: str | None = None) -> Response:
        """GET (or POST ``data``); HTTP errors are answers, connection failures raise OSError."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request((base or self.base) + path, data=body)
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                return Response(response.status, response.headers, response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read().decode("utf-8", "replace"))
        except urllib.error.URLError as error:
            raise OSError(str(error.reason)) from error
        except http.client.HTTPException as error:  # e.g. a response cut off by a killed worker
            raise OSError(repr(error)) from error

    def login(self, email: str, password: str, base: str | None = None) -> Response:
        token = self.request("/login", base=base).csrf()
        return self.request("/login", {"email": email, "password": password, "csrf_token": token}, base=base)
