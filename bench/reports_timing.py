r"""Time the report pages on the large generated data set (run by hand; pytest does not collect it).

    .venv/bin/python -m bench.reports_timing /tmp/reports-large.sqlite3 [--fresh] [--cache-type NullCache]
    scripts/throwaway-postgres.sh sh -c \
        '.venv/bin/python -m bench.reports_timing "$LMS_TEST_DATABASE_URL" --fresh'

The target is a SQLite file or a database URL (PostgreSQL: ``postgresql+psycopg://…``). With ``--fresh``
(or when the database has no people yet) it is rebuilt: ``db.create_all()`` (so every model index
exists), then ``flask demo seed --scale large`` (with Level II: consultations, indicator reports,
institution certificates, so that every report query has rows to read). Prints, per page, computed
(every page cache emptied before each request, by bench/appcache.py: the fragment cache while it
exists, Flask-Caching's when the app has it) and answered from the cache: the median and worst
wall-clock time of several requests, the median CPU time of this process (SQLite runs in it, so that is
the page's own cost whatever else the machine is doing; PostgreSQL's own work is not in it) and the
number of SQL statements. ``--cache-type NullCache`` sets Flask-Caching's CACHE_TYPE, so that even the
"cached" rows are computed. The last line is the computed admin-wide report (``/reports/``, no filter).
"""

import argparse
import statistics
import time
from pathlib import Path

from sqlalchemy import event, select

from bench.appcache import cache_config, clear_page_caches
from lms import create_app
from lms.accounts.models import Role, User, UserRole
from lms.accounts.signins import start_sign_in
from lms.certificates.models import Certificate
from lms.editions.models import Edition, edition_trainer
from lms.extensions import db
from lms.support.models import Consultation, IndicatorReport

RUNS = 15
ADMIN_WIDE = "/reports/"


def build(app, path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--scale", "large"])
    print(result.output)


def sign_in(client, user_id: int) -> None:
    user = db.session.get(User, user_id)
    start_sign_in(user)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def measure(app, client, url: str, cached: bool, runs: int) -> tuple[float, float, float, int, int]:
    """Median and worst wall time, median CPU time, statements and status of ``url``: computed (every
    page cache emptied first) or answered from the cache."""
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    def get():
        if not cached:
            clear_page_caches(app)
        return client.get(url)

    get()  # warm up
    timings, cpu = [], []
    for _run in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = get()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            get()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return statistics.median(timings), max(timings), statistics.median(cpu), counter["n"], response.status_code


def _is_empty(app) -> bool:
    with app.app_context():
        if not db.inspect(db.engine).has_table(User.__tablename__):
            return True
        return db.session.scalar(select(User.id).limit(1)) is None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="/tmp/reports-large.sqlite3", help="SQLite file or database URL")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database (large seed)")
    parser.add_argument(
        "--cache-type", help="Flask-Caching CACHE_TYPE for the app, e.g. NullCache (default: as shipped)"
    )
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed requests per page and way (default {RUNS})")
    options = parser.parse_args()
    target = options.target
    url, path = (target, None) if "://" in target else (f"sqlite:///{target}", Path(target))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "PUBLIC_URL": "http://127.0.0.1",
            **cache_config(options.cache_type),
        }
    )
    if options.fresh or (path is not None and not path.exists()) or _is_empty(app):
        build(app, path)
    with app.app_context():
        admin = db.session.scalar(select(UserRole.user_id).where(UserRole.role == Role.ADMIN))
        trainer = db.session.scalar(select(edition_trainer.c.user_id).order_by(edition_trainer.c.user_id))
        edition = db.session.scalar(select(Edition).order_by(Edition.id))
        counts = {
            model.__tablename__: db.session.scalar(select(db.func.count()).select_from(model))
            for model in (Edition, User, Consultation, IndicatorReport, Certificate)
        }
        print("rows:", counts)
        pages = [
            ("admin", admin, ADMIN_WIDE),
            ("admin", admin, "/reports/?programme=cal"),
            ("admin", admin, f"/reports/?voivodeship={edition.voivodeship.value}"),
            ("admin", admin, f"/reports/?edition={edition.id}"),
            ("admin", admin, "/reports/?from=2026-01-01&to=2026-06-30"),
            ("admin", admin, "/reports/export.csv?table=editions"),
            ("admin", admin, "/reports/export.csv?table=modules&sep=;&from=2025-07-01"),
            ("admin", admin, "/reports/export.csv?table=monthly"),
            ("trainer", trainer, "/reports/"),
            ("trainer", trainer, "/reports/?from=2026-01-01"),
        ]
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}" if Path("/proc/loadavg").exists() else "")
    with app.app_context():
        dialect = db.engine.dialect.name
        cleared = clear_page_caches(app)
    print(f"database: {dialect}; caches emptied for 'computed': {', '.join(cleared) or 'none present'}")
    print(f"{'who':<8} {'page':<58} {'how':<9} {'median ms':>9} {'max ms':>7} {'cpu ms':>7} {'queries':>7} status")
    admin_wide = None
    for who, user_id, url in pages:
        client = app.test_client()
        with app.app_context():
            sign_in(client, user_id)
        for how, cached in (("computed", False), ("cached", True)):
            median, worst, cpu, queries, status = measure(app, client, url, cached, options.runs)
            print(f"{who:<8} {url:<58} {how:<9} {median:>9.1f} {worst:>7.1f} {cpu:>7.1f} {queries:>7} {status}")
            if (who, url, cached) == ("admin", ADMIN_WIDE, False):
                admin_wide = (median, worst, queries, status)
    median, worst, queries, status = admin_wide
    print(
        f"admin-wide report computed on {dialect}: median {median:.1f} ms, max {worst:.1f} ms, "
        f"{queries} statements, status {status}"
    )


if __name__ == "__main__":
    main()
