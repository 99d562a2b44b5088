"""The in-process half of `make bench`: the rotations, API tokens, and SQL statements per key page.

Run by bench/run_bench.py in a child process whose environment points at the benchmark database::

    .venv/bin/python -m bench.statements --people 60 --objects 400 --sample 8

It prints one JSON line: the rotations (per page: [e-mail or null, url, needs an API token]), a
fresh API token per person who needs one, the demo password, and per page the statements of
``--sample`` variants spread over its rotation, each counted with the Flask test client:

* ``computed``: the variant's page once (to warm per-process state such as compiled statements),
  then every page cache emptied (bench/appcache.py), then the counted request;
* ``cached``: the same request again, counted, answered from whatever the app cached.
"""

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import event

from bench.appcache import clear_page_caches
from bench.people import sessions_and_tokens

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--objects", type=int, default=400)
    parser.add_argument("--sample", type=int, default=8)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from app import app
    from lms.demo.key_pages import rotations, spread
    from lms.extensions import db

    password = (Path(app.instance_path) / "demo_password").read_text().strip()
    with app.app_context():
        pages = rotations(options.people, options.objects)
        users, tokens = sessions_and_tokens(pages, "benchmark")
        engine = db.engine

    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    def counted(client, url: str, headers: dict) -> tuple[int, int]:
        counter["n"] = 0
        event.listen(engine, "before_cursor_execute", count)
        try:
            status = client.get(url, headers=headers).status_code
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return status, counter["n"]

    statements, cleared = {}, []
    for name, variants in pages.items():
        computed, cached = [], []
        for page in spread(variants, options.sample):
            client = app.test_client()
            headers = {}
            if page.needs_api_token:
                headers = {"Authorization": f"Bearer {tokens[page.email]}"}
            elif page.email is not None:
                with client.session_transaction() as session:
                    session["_user_id"], session["_fresh"] = users[page.email], True
            first = client.get(page.url, headers=headers)
            if first.status_code != 200:
                sys.exit(f"{name}: {page.url} as {page.email} answered {first.status_code}")
            cleared = clear_page_caches(app)
            status, n = counted(client, page.url, headers)
            again, m = counted(client, page.url, headers)
            if status != 200 or again != 200:
                sys.exit(f"{name}: {page.url} as {page.email} answered {status}, then {again}")
            computed.append(n)
            cached.append(m)
        statements[name] = {"computed": computed, "cached": cached}
    rows = {name: [[p.email, p.url, p.needs_api_token] for p in variants] for name, variants in pages.items()}
    facts = {"pages": rows, "tokens": tokens, "password": password, "statements": statements, "cleared": cleared}
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
