"""Print SQL queries and time per key page on the configured database (LMS_DATABASE_URL).

Usage: LMS_DATABASE_URL=sqlite:////tmp/seed-large.sqlite3 .venv/bin/python bench/page_queries.py
Signs in as seeded people (flask demo seed) through the real login form; reads no test fixtures.
"""

import re
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import app
from lms.accounts.models import Role, User, UserRole
from lms.extensions import db
from lms.learning.models import Attempt, Work, WorkStatus

REPEAT = 5


def signed_in(email: str, password: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, f"cannot sign in as {email}"
    return client


def measure(engine, client, url: str) -> tuple[int, float, int]:
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    client.get(url)  # warm caches and templates
    event.listen(engine, "before_cursor_execute", count)
    timings = []
    for _ in range(REPEAT):
        counter["n"] = 0
        started = time.perf_counter()
        status = client.get(url).status_code
        timings.append((time.perf_counter() - started) * 1000)
    event.remove(engine, "before_cursor_execute", count)
    return status, statistics.median(timings), counter["n"]


def main() -> None:
    password = (Path(app.instance_path) / "demo_password").read_text().strip()
    with app.app_context():
        trainer = db.session.scalar(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.TRAINER, User.institution_id.is_(None))
            .order_by(User.id)
        )
        work = db.session.scalar(
            select(Work).where(
                Work.status == WorkStatus.SUBMITTED, Work.edition_id.in_([e.id for e in trainer_editions(trainer)])
            )
        )
        attempt = db.session.scalar(select(Attempt).where(Attempt.work_id == work.id).order_by(Attempt.number.desc()))
        coordinator = db.session.scalar(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.COORDINATOR, User.institution_id == work.institution_id)
        )
        animator = work.learner or db.session.scalar(select(User).where(User.institution_id == work.institution_id))
        attempts = db.session.scalar(select(db.func.count(Attempt.id)))
        emails = (trainer.email, coordinator.email, animator.email)
        institution_id, edition_id, assignment_id = work.institution_id, work.edition_id, work.assignment_id
        engine = db.engine
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI']}  attempts: {attempts}")
    pages = [
        (emails[0], "review queue", "/reviews/"),
        (emails[0], "review page", f"/reviews/attempts/{attempt.id}/"),
        (emails[0], "trainer dashboard", "/dashboard/trainer/"),
        (emails[1], "coordinator dashboard", f"/dashboard/institutions/{institution_id}/"),
        (emails[1], "institution checklist", f"/institutions/{institution_id}/certification/"),
        (emails[2], "animator home", "/"),
        (emails[2], "work page", f"/editions/{edition_id}/assignments/{assignment_id}/"),
        (emails[2], "module page", "/programmes/cal/modules/ja-jako-animator/"),
    ]
    clients = {}
    print(f"{'page':<24} {'status':>6} {'p50_ms':>8} {'queries':>8}")
    for email, name, url in pages:
        client = clients.setdefault(email, signed_in(email, password))
        status, p50, queries = measure(engine, client, url)
        print(f"{name:<24} {status:>6} {p50:>8.1f} {queries:>8}")


def trainer_editions(trainer):
    from lms.editions.models import Edition, edition_trainer

    return db.session.scalars(
        select(Edition).join(edition_trainer).where(edition_trainer.c.user_id == trainer.id)
    ).all()


if __name__ == "__main__":
    main()
