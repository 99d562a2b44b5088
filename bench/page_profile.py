"""Key pages computed in-process, timed and profiled (run by hand against a seeded database)::

    LMS_DATABASE_URL=sqlite:////tmp/large.sqlite3 .venv/bin/python -m bench.page_profile [--pages "work page"]
        [--variants 20] [--profile "review page"] [--statements "review page"] [--top 25] [--sort tottime]

For each key page, ``--variants`` of its rotations (lms/demo/key_pages.py) are requested with the Flask
test client, each once to warm per-process state and then timed with every page cache emptied
(bench/appcache.py): the median wall and CPU time per request and the statements. ``--profile PAGE``
runs cProfile over that page's computed requests and prints the functions with the most cumulative
time; ``--statements PAGE`` prints that page's slowest statements. In-process, so the figures exclude
gunicorn and HTTP; SQLite runs in this process.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event

from bench.appcache import clear_page_caches
from bench.people import sessions_and_tokens

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=lambda text: text.split(","), default=None)
    parser.add_argument("--variants", type=int, default=20)
    parser.add_argument("--profile", default=None, help="a key page to profile with cProfile")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key, e.g. tottime")
    parser.add_argument("--statements", default=None, help="a key page whose statements to time, slowest first")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from app import app
    from lms.demo.key_pages import rotations, spread
    from lms.extensions import db

    with app.app_context():
        pages = {name: spread(rows, options.variants) for name, rows in rotations().items()}
        sessions, tokens = sessions_and_tokens(pages, "profile")
        engine = db.engine
    statements = {"n": 0}
    timed: list[tuple[float, str]] = []

    def count(_conn, _cursor, _statement, _parameters, context, _many):
        statements["n"] += 1
        context.started = time.perf_counter()

    def finished(_conn, _cursor, statement, _parameters, context, _many):
        if statements.get("timing"):
            timed.append(((time.perf_counter() - context.started) * 1000, " ".join(statement.split())[:200]))

    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "after_cursor_execute", finished)
    profiler = cProfile.Profile()
    print(f"{'page':<22} {'median ms':>9} {'cpu ms':>7} {'max ms':>7} {'statements':>10}")
    for name, rows in pages.items():
        if options.pages and name not in options.pages:
            continue
        wall, cpu, counts = [], [], []
        for page in rows:
            client = app.test_client()
            headers = {}
            if page.needs_api_token:
                headers = {"Authorization": f"Bearer {tokens[page.email]}"}
            elif page.email:
                with client.session_transaction() as session:
                    session["_user_id"], session["_fresh"] = sessions[page.email], True
            client.get(page.url, headers=headers)
            clear_page_caches(app)
            statements["n"] = 0
            started, started_cpu = time.perf_counter(), time.process_time()
            if name == options.profile:
                profiler.enable()
            statements["timing"] = name == options.statements
            status = client.get(page.url, headers=headers).status_code
            profiler.disable()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            counts.append(statements["n"])
            if status != 200:
                sys.exit(f"{name}: {page.url} answered {status}")
        spread_counts = f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"
        print(
            f"{name:<22} {statistics.median(wall):>9.1f} {statistics.median(cpu):>7.1f} {max(wall):>7.1f} "
            f"{spread_counts:>10}"
        )
    if timed:
        print(f"\nStatements of '{options.statements}', computed, slowest first (ms, {options.variants} variants):")
        for took, text in sorted(timed, reverse=True)[: options.top]:
            print(f"{took:8.2f}  {text}")
    if options.profile:
        print(f"\ncProfile of '{options.profile}', computed, {options.variants} variants, by {options.sort}:")
        pstats.Stats(profiler).sort_stats(options.sort).print_stats(options.top)


if __name__ == "__main__":
    main()
