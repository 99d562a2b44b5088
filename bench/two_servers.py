"""Two app servers, one PostgreSQL, Redis for rate limits and page copies: the web processes hold no state.

Usage: scripts/throwaway-postgres.sh .venv/bin/python bench/two_servers.py

Creates a fresh database on the server of LMS_TEST_DATABASE_URL (or LMS_DATABASE_URL), seeds it
(``flask demo seed --scale small``), starts Debian's redis-server on a free loopback port (installing
it with apt-get when missing and running as root; no persistence, in a temp dir) and two gunicorns
on two ports sharing the database, LMS_RATELIMIT_STORAGE_URL and LMS_CACHE_URL (redis://…). Then:

1. an animator signs in on A, opens the work page on A and submits the form (A's cookie and CSRF
   token) to B: B answers 302 and the attempt is in the database;
2. a trainer signs in on A, reviews that attempt on B's queue and decides on A: 302, one review;
3. the animator sees the trainer's decision on B (the work is open for revision again);
4. failed sign-ins counted on both servers share one limit: with 3 per account, failures on A, B, A
   make the fourth, on B, answer 429;
5. the page copies are shared too (LMS_CACHE_URL=redis://…): the registry copy A made is in Redis and
   B serves it (the same "Stan na HH:MM").
Exits non-zero on the first failed step; everything started is stopped.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_check import ATTEMPT_LINK, CRITERION, plan
from loadlib import LOOPBACK_SITE, Client, Server, demo_password, flask, free_port, fresh_postgres_url

AS_OF = re.compile(r"Stan na \d\d:\d\d")


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    print("== Installing redis-server (Debian)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "redis-server"],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return shutil.which("redis-server") or "/usr/bin/redis-server"


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    import redis

    port = free_port()
    log = open(workdir / "redis.log", "w")  # noqa: SIM115  (the server writes to it until stopped)
    proc = subprocess.Popen(
        [
            redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(workdir), "--daemonize", "no",
        ],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if redis.Redis.from_url(url).ping():
                return proc, url
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("redis-server did not answer PING")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
    print(f"   ok  {message}")


def scenario(url: str, a: Server, b: Server, redis_url: str) -> None:
    from sqlalchemy import create_engine, text

    password = demo_password()
    animators, _trainers = plan(url)
    email, pages = animators[0]

    animator = Client(a.url)
    check(animator.login(email, password).status == 302, f"animator {email} signs in on A")
    check(animator.request("/", base=b.url).status == 200, "A's session cookie is accepted on B")
    for path in pages:
        page = animator.request(path)  # on A
        if 'name="submit"' in page.body:
            break
    else:
        raise AssertionError("the animator has no open assignment")
    marker = uuid.uuid4().hex
    answer = animator.request(
        path, {"text": f"load-check {marker}\n\nTwo servers.", "submit": "1", "csrf_token": page.csrf()}, base=b.url
    )
    check(answer.status == 302 and answer.location == path, f"form from A ({path}) submitted to B: 302")

    engine = create_engine(url)
    with engine.connect() as conn:
        attempt_id, work_id, edition_id, institution_id, module_id = conn.execute(
            text(
                "SELECT a.id, w.id, w.edition_id, w.institution_id, w.module_id"
                " FROM attempt a JOIN work w ON w.id = a.work_id WHERE a.text_md LIKE :m"
            ),
            {"m": f"load-check {marker}%"},
        ).one()
        check(True, f"the attempt is stored (attempt {attempt_id}, work {work_id})")
        trainer_email = conn.execute(
            text(
                """SELECT u.email FROM "user" u JOIN edition_trainer et ON et.user_id = u.id
                   WHERE et.edition_id = :e AND (u.institution_id IS NULL OR u.institution_id <> :i)
                   ORDER BY u.id LIMIT 1"""
            ),
            {"e": edition_id, "i": institution_id},
        ).scalar_one()

    trainer = Client(a.url)
    check(trainer.login(trainer_email, password).status == 302, f"trainer {trainer_email} signs in on A")
    filters = f"?edition={edition_id}&institution={institution_id}&module={module_id}"
    queue = trainer.request(f"/reviews/{filters}", base=b.url)
    check(queue.status == 200 and str(attempt_id) in ATTEMPT_LINK.findall(queue.body), "B's review queue lists it")
    review_path = f"/reviews/attempts/{attempt_id}/"
    page = trainer.request(review_path)  # on A
    criteria = list(dict.fromkeys(CRITERION.findall(page.body)))
    check(page.status == 200 and bool(criteria), f"A shows the review form ({len(criteria)} criteria)")
    form = {"csrf_token": page.csrf(), "feedback": "Please add the dates.", "revise": "1"}
    form.update({f"met_{c}": "met" for c in criteria})
    form[f"met_{criteria[0]}"] = "not_met"
    decided = trainer.request(review_path, form)  # on A
    check(decided.status == 302, "the trainer's decision on A: 302")
    with engine.connect() as conn:
        reviews = conn.execute(text("SELECT decision FROM review WHERE attempt_id = :a"), {"a": attempt_id}).all()
        status = conn.execute(text("SELECT status FROM work WHERE id = :w"), {"w": work_id}).scalar_one()
    engine.dispose()
    check(reviews == [("revision_requested",)] and status == "revision_requested", "one review; work is in revision")
    again = animator.request(path, base=b.url)
    check('name="submit"' in again.body and "Two servers." in again.body, "B shows the animator the reopened draft")

    # Rate limits live in Redis: failures on both servers add up.
    stranger = Client(a.url)
    statuses = [stranger.login(email, "wrong password", base=server.url).status for server in (a, b, a, b)]
    check(statuses[:3] == [200, 200, 200] and statuses[3] == 429, f"failed sign-ins A,B,A,B answer {statuses}")
    import redis

    keys = redis.Redis.from_url(redis_url).keys("*")
    check(bool(keys), f"the limiter's counters are in Redis ({len(keys)} keys)")

    # Page copies live in Redis too (LMS_CACHE_URL): the registry A computed is the one B serves.
    visitor = Client(a.url)
    on_a, on_b = visitor.request("/registry/"), visitor.request("/registry/", base=b.url)
    copies = redis.Redis.from_url(redis_url).keys("lms:public:registry:*")
    as_of = AS_OF.search(on_a.body)
    check(bool(copies) and as_of is not None and as_of.group(0) in on_b.body, "B serves the registry copy A made")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="lms-two."))
    url, drop = fresh_postgres_url()
    redis_proc = None
    servers: list[Server] = []
    try:
        redis_proc, redis_url = start_redis(workdir)
        env = {
            **os.environ,
            **LOOPBACK_SITE,
            "LMS_DATABASE_URL": url,
            "LMS_RATELIMIT_STORAGE_URL": redis_url,
            "LMS_CACHE_URL": redis_url,
            "LMS_RATELIMIT_LOGIN_PER_IP": "1000 per 10 minutes",
            "LMS_RATELIMIT_LOGIN_PER_ACCOUNT": "3 per 10 minutes",
        }
        env.pop("LMS_TEST_DATABASE_URL", None)
        flask(env, "db", "upgrade")
        flask(env, "demo", "seed", "--scale", "small")
        for name in ("a", "b"):
            server = Server(env, free_port(), workdir / f"gunicorn-{name}.log")
            server.start()
            servers.append(server)
        print(f"== two servers: A {servers[0].url}, B {servers[1].url}, PostgreSQL, Redis {redis_url}")
        scenario(url, servers[0], servers[1], redis_url)
    except AssertionError as error:
        print(f"FAIL: {error}\nlogs in {workdir}")
        return 1
    finally:
        for server in servers:
            server.stop()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
        drop()
    for server in servers:
        log = server.log.read_text()
        if "Traceback" in log:
            print(f"FAIL: a traceback in {server.log}")
            return 1
    shutil.rmtree(workdir, ignore_errors=True)
    print("OK: two servers share nothing but PostgreSQL and Redis")
    return 0


if __name__ == "__main__":
    sys.exit(main())
