"""`make bench`: every key page under load, rotated over many people or objects, on small and large data.

For each scale: a throw-away SQLite database (``flask db upgrade``; small = ``demo load`` + ``demo seed
--scale small``, large = ``demo seed --scale large``); in a child process (bench/statements.py) the
rotations of lms/demo/key_pages.py (each key page as seen by up to ``--people`` different seeded people,
or on up to ``--objects`` attempts and certificate codes for the review and verify pages), an API
token per person who needs one, and the SQL statements per request counted with the Flask test client
for several variants of each page; then ``gunicorn -w 2`` on loopback, every person signed in through
the real login form, and per page: ``wrk -t2 -c8 --latency`` on the bare ``/healthz`` route, then on
the page with a Lua script rotating over its (path, cookie or token) pairs (bench/wrkrun.py). A page's
fraction is its rps over the bare route's just before it. Each worker's RSS is read after the run.
Rate limits are lifted on the benchmark servers (see LIFTED); the app is otherwise as shipped.

Usage: .venv/bin/python bench/run_bench.py [--duration 5s] [--scales small,large] [--people 60]
       [--objects 400] [--sample 8] [--pages "review page,verify page"] [--save results.json]
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wrkrun import CONNECTIONS, THREADS, request, sign_in_all, worker_rss_mb, wrk

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
            "LMS_REQUIRE_TOTP": "0",  # seeded admins and trainers sign in with a password alone
            "FLASK_DEBUG": "0",
        }
    )


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build_database(scale: str, directory: Path) -> tuple[Path, float]:
    database = directory / f"{scale}.sqlite3"
    env = _environment(database)
    started = time.perf_counter()
    _run([*FLASK, "db", "upgrade"], env)
    if scale == "small":
        _run([*FLASK, "demo", "load"], env)
    _run([*FLASK, "demo", "seed", "--scale", scale], env)
    return database, time.perf_counter() - started


def in_process(database: Path, options) -> dict:
    """Rotations, API tokens, password and statements per page, from bench/statements.py in a child."""
    args = [str(BIN / "python"), "-m", "bench.statements", "--people", str(options.people)]
    args += ["--objects", str(options.objects), "--sample", str(options.sample)]
    return json.loads(_run(args, _environment(database)).strip().splitlines()[-1])


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
            status, _headers, _body = request(port, "GET", "/healthz")
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


def _requests(variants: list, cookies: dict[str, str], tokens: dict[str, str]) -> list[tuple[str, dict]]:
    """(path, headers) per variant: the person's session cookie, their API token, or nothing."""
    rows = []
    for email, url, needs_token in variants:
        if needs_token:
            rows.append((url, {"Authorization": f"Bearer {tokens[email]}"}))
        else:
            rows.append((url, {"Cookie": cookies[email]} if email else {}))
    return rows


def _spread_statements(counts: list[int]) -> str:
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}-{high}"


def measure(scale: str, database: Path, options) -> dict:
    facts = in_process(database, options)
    pages = {name: rows for name, rows in facts["pages"].items() if not options.pages or name in options.pages}
    server, port = start_server(database)
    try:
        emails = sorted({email for rows in pages.values() for email, _url, token in rows if email and not token})
        started = time.perf_counter()
        cookies = sign_in_all(port, emails, facts["password"])
        seconds = time.perf_counter() - started
        print(f"  {len(emails)} people signed in through the login form in {seconds:.0f} s", flush=True)
        rows = []
        for name, variants in pages.items():
            requests = _requests(variants, cookies, facts["tokens"])
            path, headers = requests[0]
            status, _h, _b = request(port, "GET", path, headers=headers)
            if status != 200:
                sys.exit(f"{scale}: {name} {path} answered {status} over HTTP")
            bare = wrk(port, [("/healthz", {})], options.duration)
            result = wrk(port, requests, options.duration)
            statements = facts["statements"][name]
            rows.append(
                {
                    "page": name,
                    **result,
                    "bare": bare,
                    "fraction": result["rps"] / bare["rps"],
                    "variants": len(variants),
                    "people": len({email for email, _url, _token in variants if email}),
                    "computed": statements["computed"],
                    "cached": statements["cached"],
                }
            )
            print(f"  {name}: {result['rps']:.0f} rps, bare route {bare['rps']:.0f} rps", flush=True)
        rss = worker_rss_mb(server.pid)
    finally:
        stop_server(server)
    return {"rows": rows, "rss": rss, "cleared": facts["cleared"]}


def print_table(scale: str, result: dict, seconds: float) -> None:
    bare = statistics.median(row["bare"]["rps"] for row in result["rows"])
    bare_p50 = statistics.median(row["bare"]["p50"] for row in result["rows"])
    bare_p99 = statistics.median(row["bare"]["p99"] for row in result["rows"])
    print(f"\n== {scale} data (database built in {seconds:.0f} s) ==")
    print(
        f"{'page':<22} {'rps':>8} {'p50_ms':>8} {'p99_ms':>8} {'queries':>8} {'fraction':>9}"
        f" {'bare_rps':>9} {'cached_q':>8} {'variants':>8} {'people':>6}"
    )
    print(f"{'(bare /healthz, median)':<22} {bare:>8.0f} {bare_p50:>8.2f} {bare_p99:>8.2f} {0:>8} {1:>9.2f}")
    for row in result["rows"]:
        note = f"  ({row['unexpected']} of {row['requests']} not 200)" if row["unexpected"] else ""
        print(
            f"{row['page']:<22} {row['rps']:>8.0f} {row['p50']:>8.2f} {row['p99']:>8.2f} "
            f"{_spread_statements(row['computed']):>8} {row['fraction']:>9.2f} {row['bare']['rps']:>9.0f} "
            f"{_spread_statements(row['cached']):>8} {row['variants']:>8} {row['people']:>6}{note}"
        )
    rss = ", ".join(f"{mb:.0f} MB" for mb in result["rss"])
    print(f"gunicorn worker RSS after the run: {rss}")
    print(
        "queries: SQL statements per request with the page caches emptied (cached_q: answered from them), "
        f"counted for up to {len(result['rows'][0]['computed'])} variants (a-b: they differ); "
        f"caches emptied: {', '.join(result['cleared']) or 'none present'}"
    )


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
    parser.add_argument("--duration", default="5s", help="wrk duration per page and per bare-route run (default 5s)")
    parser.add_argument("--scales", default="small,large")
    parser.add_argument("--people", type=int, default=60, help="variants per page (people or filters), default 60")
    parser.add_argument("--objects", type=int, default=400, help="attempts and certificate codes, default 400")
    parser.add_argument("--sample", type=int, default=8, help="variants per page whose statements are counted")
    parser.add_argument("--pages", type=lambda text: text.split(","), default=None, help="only these key pages")
    parser.add_argument("--save", type=Path, help="also write the measurements to this JSON file")
    options = parser.parse_args()
    ensure_wrk()
    scales = options.scales.split(",")
    print(
        f"Benchmark: gunicorn -w 2 on 127.0.0.1, wrk -t{THREADS} -c{CONNECTIONS} -d{options.duration} --latency "
        f"per page with a Lua script rotating over up to {options.people} people or filters per page "
        f"({options.objects} attempts and certificate codes for the review and verify pages); /healthz before each."
    )
    print("Rate limits lifted on the benchmark servers: " + ", ".join(f"{k}={v!r}" for k, v in LIFTED.items()))
    results = {}
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as directory:
        for scale in scales:
            print(f"Building the {scale} database …", flush=True)
            database, seconds = build_database(scale, Path(directory))
            print(f"Measuring {scale} …", flush=True)
            results[scale] = measure(scale, database, options)
            print_table(scale, results[scale], seconds)
    if options.save:
        options.save.write_text(json.dumps(results, indent=1))
    report(results, scales)


def _verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def _usual(counts: list[int]) -> int:
    """The count most variants had (the smallest of equally common ones)."""
    return max(sorted(set(counts)), key=counts.count)


def _distribution(counts: list[int]) -> str:
    return ", ".join(f"{n}×{counts.count(n)}" for n in sorted(set(counts)))


def _growth(small: dict, large: dict, names: tuple[str, str]) -> list[tuple[bool, str, str]]:
    """The small → large table; the growth and statement targets."""
    print(f"\n== {names[0]} → {names[1]} ==")
    print(f"{'page':<22} {'p50 growth':>10} {'queries':>12} {'cached_q':>12} {'variants':>10}")
    growths, changed, fewer = {}, [], []
    for before, after in zip(small["rows"], large["rows"], strict=True):
        page = after["page"]
        growths[page] = after["p50"] / before["p50"]
        same = [
            "same" if _usual(before[k]) == _usual(after[k]) else f"{_usual(before[k])}→{_usual(after[k])}"
            for k in ("computed", "cached")
        ]
        if same != ["same", "same"]:
            changed.append(f"{page} ({same[0]}, cached {same[1]})")
        if before["variants"] < after["variants"]:
            fewer.append(f"{page} {before['variants']} vs {after['variants']}")
        variants = f"{before['variants']}→{after['variants']}"
        print(f"{page:<22} {growths[page]:>9.2f}× {same[0]:>12} {same[1]:>12} {variants:>10}")
    print("queries: the count most sampled variants had on each size.")
    if fewer:
        print(
            "Fewer variants on the smaller data (while the app caches pages per process, more of its requests "
            "are answered from the cache, so the growth is overstated): " + "; ".join(fewer)
        )
    worst = max(growths, key=growths.get)
    others = "".join(f"; {page} {g:.2f}×" for page, g in growths.items() if g > TARGET_GROWTH and page != worst)
    return [
        (
            growths[worst] <= TARGET_GROWTH,
            f"p50 growth {names[0]}→{names[1]} ≤ {TARGET_GROWTH}×",
            f"largest {growths[worst]:.2f}× ({worst}){others}",
        ),
        (not changed, "statement counts identical on both sizes", "; ".join(changed) or "every page"),
    ]


def report(results: dict, scales: list[str]) -> None:
    """The growth table and the targets, judged on the last scale (the large seed)."""
    large = results[scales[-1]]
    targets = _growth(results[scales[0]], large, (scales[0], scales[-1])) if len(scales) > 1 else []
    low = [row for row in large["rows"] if row["fraction"] < TARGET_FRACTION]
    lowest = min(large["rows"], key=lambda row: row["fraction"])
    detail = "; ".join(f"{row['page']} {row['fraction']:.3f}" for row in low) or f"lowest {lowest['fraction']:.3f}"
    targets.append((not low, f"every key page ≥ {TARGET_FRACTION:.2f} of the bare route", detail))
    rss = max(large["rss"], default=0.0)
    targets.append((rss < TARGET_RSS_MB, f"worker RSS < {TARGET_RSS_MB} MB", f"largest {rss:.0f} MB"))
    varying = [
        f"{scale} {row['page']} ({_distribution(row['computed'])}; cached {_distribution(row['cached'])})"
        for scale in scales
        for row in results[scale]["rows"]
        if len(set(row["computed"])) > 1 or len(set(row["cached"])) > 1
    ]
    unexpected = [f"{row['page']} {row['unexpected']}" for row in large["rows"] if row["unexpected"]]
    print(f"\nTargets on the {scales[-1]} data, app as shipped:")
    for passed, target, text in targets:
        print(f"  {_verdict(passed)}  {target}: {text}")
    print(f"  note  statements differ between sampled variants (count×variants): {'; '.join(varying) or 'no page'}")
    print(f"  note  answers other than 200 on the {scales[-1]} data: {', '.join(unexpected) or 'none'}")
    print(f"lowest fraction of bare route: {lowest['fraction']:.2f} ({lowest['page']})")


if __name__ == "__main__":
    main()
