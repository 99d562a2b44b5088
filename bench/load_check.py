"""Concurrency and crash check: animators submit and trainers review against gunicorn; nothing may be lost.

Usage:
  .venv/bin/python bench/load_check.py --db sqlite --seconds 60 --animators 50 --trainers 10 [--kill-after 30]
  scripts/throwaway-postgres.sh .venv/bin/python bench/load_check.py --db postgresql ...

Creates a fresh database (a SQLite file in a temp dir, or a new database on the PostgreSQL server of
LMS_TEST_DATABASE_URL / LMS_DATABASE_URL), runs ``flask db upgrade`` and ``flask demo seed --scale small``,
starts ``gunicorn -w 2 --no-control-socket`` on a free loopback port, and runs client threads that
sign in through the real form. Animators submit texts carrying a unique marker (a UUID); a submission
is acknowledged when the server answers 302 back to the work page. Trainers take attempts from their
queue (several trainers race for the same ones) and accept or request a revision.

With --kill-after S the server's process group is SIGKILLed after S seconds and started again;
connection errors while it is down are expected and never count as acknowledgements.

Fails (exit 1) on: any 5xx; a connection error while the server is up; an acknowledged marker that
is not stored; an attempt with two reviews; a failed integrity check (SQLite ``PRAGMA
integrity_check`` and ``foreign_key_check``; on PostgreSQL ``amcheck`` on every B-tree index) or a
failed consistency query (work counters and statuses against their attempts and reviews, module
completions against the works they follow from).
"""

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # the lms package

from loadlib import LOAD_LIMITS, LOOPBACK_SITE, Client, Server, demo_password, flask, free_port, fresh_postgres_url

MARKER = re.compile(r"load-check ([0-9a-f]{32})")
ATTEMPT_LINK = re.compile(r'href="/reviews/attempts/(\d+)/"')
CRITERION = re.compile(r'name="met_(\d+)"')


class Stats:
    """Everything the clients saw, behind one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()  # (kind, status) -> count
        self.server_errors: list[str] = []
        self.acknowledged: set[str] = set()
        self.unknown: set[str] = set()  # submissions whose answer was lost with the connection
        self.refused_submissions = 0
        self.decisions = 0
        self.refused_decisions = 0
        self.connection_errors: list[tuple[float, str]] = []
        self.down: list[list[float]] = []  # [killed_at, up_again_at] windows

    def saw(self, kind: str, path: str, response) -> None:
        with self.lock:
            self.statuses[(kind, response.status)] += 1
            if response.status >= 500:
                self.server_errors.append(f"{kind} {path} -> {response.status}")

    def lost_connection(self, what: str, error: Exception) -> None:
        with self.lock:
            self.connection_errors.append((time.monotonic(), f"{what}: {error}"))

    def unexpected_connection_errors(self) -> list[str]:
        """Connection errors outside the windows in which the server was killed and starting again."""
        return [
            what
            for at, what in self.connection_errors
            if not any(start - 0.05 <= at <= (end if end else float("inf")) + 1.0 for start, end in self.down)
        ]


def plan(url: str) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Animators (email, work page paths in their edition) spread over institutions; trainers' emails."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT u.email, u.institution_id, en.edition_id, a.id
                FROM "user" u
                JOIN user_role r ON r.user_id = u.id AND r.role = 'animator'
                JOIN enrolment en ON en.user_id = u.id
                JOIN edition ed ON ed.id = en.edition_id
                JOIN edition_institution ei ON ei.edition_id = ed.id AND ei.institution_id = u.institution_id
                JOIN assignment a ON a.programme_id = ed.programme_id
                JOIN module m ON m.id = a.module_id AND NOT m.retired
                JOIN assignment_version av ON av.assignment_id = a.id AND av.module_version_id = m.current_version_id
                ORDER BY u.id, a.id
                """
            )
        ).all()
        trainers = conn.execute(
            text(
                """SELECT u.email FROM "user" u JOIN user_role r ON r.user_id = u.id AND r.role = 'trainer'
                   JOIN edition_trainer et ON et.user_id = u.id GROUP BY u.email ORDER BY u.email"""
            )
        ).scalars()
        trainers = list(trainers)
    engine.dispose()
    pages: dict[str, list[str]] = {}
    institution_of: dict[str, int] = {}
    for email, institution_id, edition_id, assignment_id in rows:
        pages.setdefault(email, []).append(f"/editions/{edition_id}/assignments/{assignment_id}/")
        institution_of[email] = institution_id
    by_institution: dict[int, list[str]] = {}
    for email in pages:
        by_institution.setdefault(institution_of[email], []).append(email)
    spread = [e for group in zip(*by_institution.values(), strict=False) for e in group]  # round robin
    return [(email, pages[email]) for email in spread], trainers


def sign_in(stats: Stats, client: Client, email: str, password: str) -> bool:
    """One attempt through the login form; a refusal (e.g. the rate limit) waits a moment."""
    response = client.login(email, password)
    stats.saw("login", "/login", response)
    if response.status != 302:
        time.sleep(0.2)
    return response.status == 302


def animator(stats: Stats, base: str, email: str, pages: list[str], password: str, stop: threading.Event, seed: int):
    rng = random.Random(seed)
    client = Client(base)
    signed_in = False
    while not stop.is_set():
        try:
            signed_in = signed_in or sign_in(stats, client, email, password)
            if not signed_in:
                continue
            path = rng.choice(pages)
            page = client.request(path)
            stats.saw("work page", path, page)
            if page.status != 200 or 'name="text"' not in page.body or 'name="submit"' not in page.body:
                continue  # waiting for a decision, accepted, or not this animator's: try another
            marker = uuid.uuid4().hex
            # The text names the sender's e-mail, so the personal-data check asks why it may stay: answered
            # with the form, as a learner would after the first warning.
            form = {
                "text": f"load-check {marker}\n\nAnswer from {email}.",
                "submit": "1",
                "keep_reason": "institution_data",
                "csrf_token": page.csrf(),
            }
            try:
                response = client.request(path, form)
            except OSError as error:
                with stats.lock:
                    stats.unknown.add(marker)
                raise error
            stats.saw("submit", path, response)
            if response.status == 302 and response.location == path:
                with stats.lock:
                    stats.acknowledged.add(marker)
            elif response.status == 200:
                with stats.lock:
                    stats.refused_submissions += 1  # a colleague submitted the institution's work first
        except OSError as error:
            stats.lost_connection(f"animator {email}", error)
            time.sleep(0.2)


def trainer(stats: Stats, base: str, email: str, password: str, stop: threading.Event, seed: int):
    rng = random.Random(seed)
    client = Client(base)
    signed_in = False
    while not stop.is_set():
        try:
            signed_in = signed_in or sign_in(stats, client, email, password)
            if not signed_in:
                continue
            queue = client.request("/reviews/")
            stats.saw("queue", "/reviews/", queue)
            ids = ATTEMPT_LINK.findall(queue.body)
            if not ids:
                time.sleep(0.2)
                continue
            path = f"/reviews/attempts/{rng.choice(ids[:6])}/"  # trainers of one edition race for the oldest
            page = client.request(path)
            stats.saw("review page", path, page)
            criteria = CRITERION.findall(page.body)
            if page.status != 200 or not criteria:
                continue  # decided meanwhile
            form = {"csrf_token": page.csrf(), "feedback": f"Reviewed under load by {email}."}
            accept = rng.random() < 0.3
            for criterion in dict.fromkeys(criteria):
                form[f"met_{criterion}"] = "met"
            if accept:
                form["accept"] = "1"
            else:
                form[f"met_{criteria[0]}"] = "not_met"
                form["revise"] = "1"
            response = client.request(path, form)
            stats.saw("decide", path, response)
            with stats.lock:
                if response.status == 302:
                    stats.decisions += 1
                elif response.status == 200:
                    stats.refused_decisions += 1  # another trainer decided first
        except OSError as error:
            stats.lost_connection(f"trainer {email}", error)
            time.sleep(0.2)


def checks(url: str, dialect: str, stats: Stats) -> list[str]:
    """Everything that must hold in the database after the run; returns the failures."""
    from sqlalchemy import create_engine, text

    from lms.learning import completions

    failures = []
    engine = create_engine(url)
    with engine.connect() as conn:
        q = conn.execute
        stored = Counter()
        for (body,) in q(text("SELECT text_md FROM attempt WHERE text_md LIKE 'load-check %'")):
            stored[MARKER.match(body).group(1)] += 1
        missing = stats.acknowledged - set(stored)
        if missing:
            failures.append(f"{len(missing)} acknowledged submissions are not stored: {sorted(missing)[:5]}")
        twice = [m for m, n in stored.items() if n > 1]
        if twice:
            failures.append(f"{len(twice)} markers stored twice: {twice[:5]}")
        stray = set(stored) - stats.acknowledged - stats.unknown
        if stray:
            failures.append(f"{len(stray)} stored markers were never sent or were refused: {sorted(stray)[:5]}")
        stats.stored, stats.stored_unknown = len(stored), len(set(stored) & stats.unknown)
        stats.stored_markers = set(stored)

        double = q(text("SELECT attempt_id, COUNT(*) FROM review GROUP BY attempt_id HAVING COUNT(*) > 1")).all()
        if double:
            failures.append(f"attempts with two decisions: {double[:5]}")
        inconsistent = {
            "works whose attempt_count is not their number of attempts / highest number": """
                SELECT w.id FROM work w LEFT JOIN attempt a ON a.work_id = w.id
                GROUP BY w.id, w.attempt_count
                HAVING w.attempt_count <> COUNT(a.id) OR w.attempt_count <> COALESCE(MAX(a.number), 0)""",
            "submitted works whose latest attempt has a review, or decided works whose latest has none": """
                SELECT w.id FROM work w
                JOIN attempt a ON a.work_id = w.id AND a.number = w.attempt_count
                LEFT JOIN review r ON r.attempt_id = a.id
                WHERE (w.status = 'submitted' AND r.id IS NOT NULL)
                   OR (w.status IN ('accepted', 'revision_requested') AND (r.id IS NULL OR r.decision <> w.status))""",
            "attempts of a work that was decided before they were submitted (review older than a later attempt)": """
                SELECT r.id FROM review r JOIN attempt a ON a.id = r.attempt_id
                JOIN attempt later ON later.work_id = a.work_id AND later.number = a.number + 1
                WHERE r.decided_at > later.submitted_at""",
            "reviews without their criterion results": """
                SELECT r.id FROM review r LEFT JOIN criterion_result c ON c.review_id = r.id
                GROUP BY r.id HAVING COUNT(c.id) = 0""",
        }
        for label, sql in inconsistent.items():
            rows = q(text(sql)).all()
            if rows:
                failures.append(f"{label}: {[r[0] for r in rows[:5]]} ({len(rows)})")
        stats.completions = completions.stored(conn)
        drift = stats.completions ^ completions.computed(conn)
        if drift:
            failures.append(f"module completions out of step with the works: {sorted(drift)[:5]} ({len(drift)})")
        if dialect == "sqlite":
            result = q(text("PRAGMA integrity_check")).scalars().all()
            if result != ["ok"]:
                failures.append(f"PRAGMA integrity_check: {result[:5]}")
            fk = q(text("PRAGMA foreign_key_check")).all()
            if fk:
                failures.append(f"PRAGMA foreign_key_check: {fk[:5]}")
            if not fk and result == ["ok"]:
                stats.integrity = "PRAGMA integrity_check = ok, foreign_key_check empty"
        else:
            q(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            indexes = (
                q(
                    text(
                        """SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                       JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE am.amname = 'btree' AND n.nspname = 'public'"""
                    )
                )
                .scalars()
                .all()
            )
            for index in indexes:
                q(text("SELECT bt_index_check(CAST(:i AS regclass), true)"), {"i": index})  # raises if corrupt
            conn.commit()
            stats.integrity = f"amcheck bt_index_check(heapallindexed) passed on {len(indexes)} B-tree indexes"
        stats.attempts_total = q(text("SELECT COUNT(*) FROM attempt")).scalar()
        stats.reviews_total = q(text("SELECT COUNT(*) FROM review")).scalar()
    engine.dispose()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--animators", type=int, default=50)
    parser.add_argument("--trainers", type=int, default=10)
    parser.add_argument(
        "--kill-after",
        type=float,
        help="SIGKILL the server after S seconds (and after a first acknowledged submission)",
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="lms-load."))
    drop = None
    if args.db == "sqlite":
        url = f"sqlite:///{workdir / 'load.sqlite3'}"
    else:
        url, drop = fresh_postgres_url()
    env = {
        **os.environ,
        **LOOPBACK_SITE,
        **LOAD_LIMITS,
        "LMS_DATABASE_URL": url,
        "LMS_RATELIMIT_STORAGE_URL": "memory://",
    }
    env.pop("LMS_TEST_DATABASE_URL", None)
    server = Server(env, free_port(), workdir / "gunicorn.log", workers=args.workers)
    try:
        started = time.monotonic()
        flask(env, "db", "upgrade")
        flask(env, "demo", "seed", "--scale", "small")
        animators, trainers = plan(url)
        if len(animators) < args.animators or not trainers:
            raise SystemExit(f"the seed has {len(animators)} animators and {len(trainers)} trainers")
        print(f"== {args.db}: database ready in {time.monotonic() - started:.1f} s; log {server.log}")
        server.start()
        password = demo_password()
        stats, stop = Stats(), threading.Event()
        threads = [
            threading.Thread(target=animator, args=(stats, server.url, e, p, password, stop, i), daemon=True)
            for i, (e, p) in enumerate(animators[: args.animators])
        ] + [
            threading.Thread(target=trainer, args=(stats, server.url, trainers[i % len(trainers)], password, stop, i))
            for i in range(args.trainers)
        ]
        began, acknowledged_at_kill = time.monotonic(), 0
        for thread in threads:
            thread.start()
        if args.kill_after is not None:
            stop.wait(args.kill_after)
            while not stats.acknowledged and time.monotonic() - began < args.seconds / 2:
                time.sleep(0.1)  # the crash must hit a server that has acknowledged work
            with stats.lock:
                stats.down.append([time.monotonic(), 0.0])
            server.kill()
            acknowledged_at_kill = len(stats.acknowledged)
            print(f"   SIGKILL after {time.monotonic() - began:.1f} s ({acknowledged_at_kill} acknowledged so far)")
            time.sleep(1.0)  # let clients meet the dead port
            server.start()
            with stats.lock:
                stats.down[-1][1] = time.monotonic()
            print(f"   restarted after {stats.down[-1][1] - stats.down[-1][0]:.1f} s down")
        stop.wait(max(0.0, args.seconds - (time.monotonic() - began)))
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.monotonic() - began
        server.stop()

        failures = []
        if stats.server_errors:
            failures.append(f"{len(stats.server_errors)} server errors (5xx): {stats.server_errors[:5]}")
        unexpected = stats.unexpected_connection_errors()
        if unexpected:
            failures.append(f"{len(unexpected)} connection errors while the server was up: {unexpected[:5]}")
        if args.kill_after is not None and not acknowledged_at_kill:
            failures.append("nothing was acknowledged before the SIGKILL: raise --kill-after")
        if not stats.acknowledged or not stats.decisions:
            failures.append("the load did nothing: no acknowledged submission or no decision")
        failures += checks(url, args.db, stats)
        stored_markers = getattr(stats, "stored_markers", set())

        by_kind = Counter()
        for (kind, _status), n in stats.statuses.items():
            by_kind[kind] += n
        print(f"   {args.animators} animators, {args.trainers} trainers, {elapsed:.1f} s, gunicorn -w {args.workers}")
        print(f"   requests: {sum(by_kind.values())} ({', '.join(f'{k} {n}' for k, n in sorted(by_kind.items()))})")
        print(f"   statuses: {dict(sorted(Counter(s for (_k, s) in stats.statuses.elements()).items()))}")
        print(
            f"   submissions: {len(stats.acknowledged)} acknowledged (302), {stats.refused_submissions} refused with a"
            f" form error, {len(stats.unknown)} cut off by the crash"
            f" ({getattr(stats, 'stored_unknown', 0)} of them stored)"
        )
        print(f"   stored load-check attempts: {getattr(stats, 'stored', '?')}; acknowledged all stored: "
              f"{'NO' if stats.acknowledged - stored_markers else 'yes'}")  # fmt: skip
        print(f"   decisions: {stats.decisions} saved (302), {stats.refused_decisions} refused (already decided)")
        print(f"   module completions: {len(getattr(stats, 'completions', ()))}, compared with a recomputation")
        print(f"   database: {getattr(stats, 'attempts_total', '?')} attempts, {getattr(stats, 'reviews_total', '?')}"
              f" reviews; no attempt with two decisions; {getattr(stats, 'integrity', '')}")  # fmt: skip
        print(f"   5xx: {len(stats.server_errors)}; connection errors: {len(stats.connection_errors)}"
              f" ({len(unexpected)} while the server was up)")  # fmt: skip
        if failures:
            print("FAIL", *failures, sep="\n  - ")
            print(f"gunicorn log: {server.log}")
            return 1
        if "Traceback" in server.log.read_text():
            print(f"FAIL: a traceback in {server.log}")
            return 1
        print(f"OK: {args.db} load check passed")
        shutil.rmtree(workdir, ignore_errors=True)
        return 0
    finally:
        server.stop()
        if drop:
            drop()


if __name__ == "__main__":
    sys.exit(main())
