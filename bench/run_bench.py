"""`make bench`: key pages under load on the small and the large seeded data (a script, not a test).

For each scale: a throw-away SQLite database (``flask db upgrade``; small = ``demo load`` + ``demo seed
--scale small``, large = ``demo seed --scale large``), ``gunicorn -w 2`` on loopback, sign-in through the
real login form, ``wrk -t2 -c8 -d5s --latency`` per key page (lms/demo/key_pages.py) and on the bare
``/healthz`` route in the same run, SQL queries per page counted in-process with the Flask test client,
and each worker's RSS after the run. Rate limits are lifted on the benchmark servers (see LIFTED).

Usage: .venv/bin/python bench/run_bench.py [--duration 5s] [--scales small,large]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
FLASK = [str(BIN / "flask"), "--app", "app"]
LIFTED = {  # the benchmark must not measure the rate limiter's 429s
    "LMS_RATELIMIT_VERIFY": "1000000 per minute",
    "LMS_RATELIMIT_LOGIN_PER_IP": "1000000 per minute",
    "LMS_RATELIMIT_LOGIN_PER_ACCOUNT": "1000000 per minute",
}
TARGET_FRACTION, TARGET_GROWTH, TARGET_RSS_MB = 0.10, 1.5, 200


def _environment(database: Path) -> dict[str, str]:
    return (
        os.environ
        | LIFTED
        | {
            "LMS_DATABASE_URL": f"sqlite:///{database}",
            "LMS_SECRET_KEY": "bench-secret-key-shared-by-all-workers",
            "LMS_PUBLIC_URL": "http://127.0.0.1",
            "FLASK_DEBUG": "0",
        }
    )


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stdout}\n{done.stderr}")


def build_database(scale: str, directory: Path) -> tuple[Path, float]:
    database = directory / f"{scale}.sqlite3"
    env = _environment(database)
    started = time.perf_counter()
    _run([*FLASK, "db", "upgrade"], env)
    if scale == "small":
        _run([*FLASK, "demo", "load"], env)
    _run([*FLASK, "demo", "seed", "--scale", scale], env)
    return database, time.perf_counter() - started


def in_process(database: Path) -> dict:
    """Key pages, queries per page (Flask test client, signed in) and an API token, from a child process."""
    done = subprocess.run(
        [str(BIN / "python"), __file__, "--in-process"],
        cwd=ROOT,
        env=_environment(database),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        sys.exit(f"in-process measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _in_process_main() -> None:
    """Runs inside the child: prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from app import app
    from lms.demo.key_pages import api_tokens, key_pages
    from lms.extensions import db

    password = (Path(app.instance_path) / "demo_password").read_text().strip()
    with app.app_context():
        pages = key_pages()
        tokens = api_tokens(pages, "benchmark")
        db.session.commit()
        engine = db.engine
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    clients, queries = {}, {}
    for page in pages:
        headers = {"Authorization": f"Bearer {tokens[page.email]}"} if page.needs_api_token else {}
        if page.needs_api_token or page.email is None:
            client = app.test_client()
        else:
            client = clients.get(page.email) or clients.setdefault(page.email, _signed_in(app, page.email, password))
        first = client.get(page.url, headers=headers)  # warm caches, templates and the session
        if first.status_code != 200:
            sys.exit(f"{page.name}: {page.url} answered {first.status_code}")
        event.listen(engine, "before_cursor_execute", count)
        counter["n"] = 0
        client.get(page.url, headers=headers)
        event.remove(engine, "before_cursor_execute", count)
        queries[page.name] = counter["n"]
    print(json.dumps({"pages": [list(p) for p in pages], "queries": queries, "tokens": tokens, "password": password}))


def _signed_in(app, email: str, password: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code != 302:
        sys.exit(f"cannot sign in as {email} in-process")
    return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    args = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--no-control-socket", "app:app"]
    server = subprocess.Popen(
        args,
        cwd=ROOT,
        env=_environment(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = _request(port, "GET", "/healthz")
            if status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn did not answer /healthz within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _cookies(headers, jar: dict[str, str]) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]


def sign_in(port: int, email: str, password: str) -> str:
    """The Cookie header of a session signed in through the real login form."""
    jar: dict[str, str] = {}
    _status, headers, page = _request(port, "GET", "/login")
    _cookies(headers, jar)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, _ = _request(
        port,
        "POST",
        "/login",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    if status != 302:
        sys.exit(f"cannot sign in as {email} through the login form (status {status})")
    _cookies(headers, jar)
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(port: int, path: str, headers: dict[str, str], duration: str) -> dict:
    args = ["wrk", "-t2", "-c8", f"-d{duration}", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=120
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        m[0]: _ms(m[1], m[2]) for m in re.findall(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    }
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "non2xx": int(errors.group(1)) if errors else 0}


def worker_rss_mb(master_pid: int) -> list[float]:
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            sizes.append(int(rss.group(1)) / 1024 if rss else 0.0)
    return sorted(sizes)


def measure(scale: str, database: Path, duration: str) -> dict:
    facts = in_process(database)
    pages = facts["pages"]
    server, port = start_server(database)
    try:
        cookies = {}
        for _name, email, _url, needs_token in pages:
            if email and not needs_token and email not in cookies:
                cookies[email] = sign_in(port, email, facts["password"])
        bare = wrk(port, "/healthz", {}, duration)
        rows = []
        for name, email, url, needs_token in pages:
            if needs_token:
                headers = {"Authorization": f"Bearer {facts['tokens'][email]}"}
            else:
                headers = {"Cookie": cookies[email]} if email else {}
            status, _h, _b = _request(port, "GET", url, headers=headers)
            if status != 200:
                sys.exit(f"{scale}: {name} {url} answered {status} over HTTP")
            result = wrk(port, url, headers, duration)
            rows.append({"page": name, "url": url, "queries": facts["queries"][name], **result})
        rss = worker_rss_mb(server.pid)
    finally:
        stop_server(server)
    for row in rows:
        row["fraction"] = row["rps"] / bare["rps"]
    return {"bare": bare, "rows": rows, "rss": rss}


def print_table(scale: str, result: dict, seconds: float) -> None:
    bare = result["bare"]
    print(f"\n== {scale} data (database built in {seconds:.0f} s) ==")
    print(f"{'page':<22} {'rps':>8} {'p50_ms':>8} {'p99_ms':>8} {'queries':>8} {'fraction':>9}")
    print(f"{'(bare /healthz)':<22} {bare['rps']:>8.0f} {bare['p50']:>8.2f} {bare['p99']:>8.2f} {0:>8} {1:>9.2f}")
    for row in result["rows"]:
        note = f"  ({row['non2xx']} non-2xx/3xx)" if row["non2xx"] else ""
        print(
            f"{row['page']:<22} {row['rps']:>8.0f} {row['p50']:>8.2f} {row['p99']:>8.2f} "
            f"{row['queries']:>8} {row['fraction']:>9.2f}{note}"
        )
    rss = ", ".join(f"{mb:.0f} MB" for mb in result["rss"])
    print(f"gunicorn worker RSS after the run: {rss}")


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is missing and installing it needs root: run `sudo apt-get install -y wrk`, then `make bench`.")
    print("Installing wrk (apt-get install -y wrk) …", flush=True)
    done = subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, text=True)
    if done.returncode != 0 or not shutil.which("wrk"):
        sys.exit(f"could not install wrk with apt-get:\n{done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="5s", help="wrk duration per page (default 5s)")
    parser.add_argument("--scales", default="small,large")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.in_process:
        _in_process_main()
        return
    ensure_wrk()
    scales = options.scales.split(",")
    print("Benchmark: gunicorn -w 2 on 127.0.0.1, wrk -t2 -c8 -d" + options.duration + " --latency per page.")
    print("Rate limits lifted on the benchmark servers: " + ", ".join(f"{k}={v!r}" for k, v in LIFTED.items()))
    results = {}
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as directory:
        for scale in scales:
            print(f"Building the {scale} database …", flush=True)
            database, seconds = build_database(scale, Path(directory))
            print(f"Measuring {scale} …", flush=True)
            results[scale] = measure(scale, database, options.duration)
            print_table(scale, results[scale], seconds)
    report(results, scales)


def report(results: dict, scales: list[str]) -> None:
    small, large = results[scales[0]], results[scales[-1]]
    failures = []
    if len(scales) > 1:
        print(f"\n== {scales[0]} → {scales[-1]} ==")
        print(f"{'page':<22} {'p50 growth':>10} {'queries':>10}")
        for before, after in zip(small["rows"], large["rows"], strict=True):
            growth = after["p50"] / before["p50"]
            same = "same" if before["queries"] == after["queries"] else f"{before['queries']}→{after['queries']}"
            print(f"{after['page']:<22} {growth:>9.2f}× {same:>10}")
            if growth > TARGET_GROWTH:
                failures.append(f"{after['page']}: p50 grew {growth:.2f}× (target ≤ {TARGET_GROWTH}×)")
            if before["queries"] != after["queries"]:
                failures.append(f"{after['page']}: queries {same}")
    for row in large["rows"]:
        if row["fraction"] < TARGET_FRACTION:
            failures.append(f"{row['page']}: {row['fraction']:.2f} of the bare route (target ≥ {TARGET_FRACTION})")
    if max(large["rss"], default=0) >= TARGET_RSS_MB:
        failures.append(f"worker RSS {max(large['rss']):.0f} MB (target < {TARGET_RSS_MB} MB)")
    print("\nTargets: " + ("all met." if not failures else "NOT met:\n  " + "\n  ".join(failures)))
    lowest = min(large["rows"], key=lambda row: row["fraction"])
    print(f"lowest fraction of bare route: {lowest['fraction']:.2f} ({lowest['page']})")


if __name__ == "__main__":
    main()
