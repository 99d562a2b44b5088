"""``flask demo seed``: a large, realistic data set on the CAL programme, for benchmarks.

Everything is planned in Python with ``random.Random(2026)`` and written table by table with bulk
``insert(Model)`` statements in batches; ids of the big tables are read back by their natural keys.
The steps, in the order they run: ``seed_people`` (institutions, people, editions), ``seed_works`` (works,
attempts, reviews), ``seed_certificates`` (Level I certificates, Level II), ``seed_events`` and ``deadlines``;
``seed_state`` holds what they share.
"""

import random

from sqlalchemy import func, select, text

from lms.accounts.passwords import hash_password
from lms.content.models import Programme
from lms.demo.deadlines import seed_deadlines
from lms.demo.seed_certificates import seed_level_two, seed_person_certificates
from lms.demo.seed_events import seed_events
from lms.demo.seed_people import seed_editions, seed_institutions, seed_people
from lms.demo.seed_state import Scale, Seed, bulk_insert
from lms.demo.seed_works import seed_attempts, seed_reviews, seed_works
from lms.extensions import db
from lms.learning import completions
from lms.learning.models import ModuleCompletion
from lms.notifications.models import Notification

SCALES = {
    "small": Scale(5, 20, 4, 2, 1),
    "medium": Scale(70, 25, 14, 7, 4),
    "large": Scale(200, 25, 40, 20, 10),
}


def seed(programme: Programme, scale: Scale, password: str) -> dict[str, int]:
    """Generate the whole data set in one transaction; return the row counts."""
    s = Seed(random.Random(2026), scale, programme)
    seed_institutions(s)
    seed_people(s, hash_password(password))
    seed_editions(s)
    plans = seed_works(s)
    attempt_ids = seed_attempts(s, plans)
    seed_reviews(s, plans, attempt_ids)
    certified = seed_person_certificates(s, plans)
    seed_level_two(s, plans, certified)
    seed_events(s, bulk_insert)
    seed_deadlines(s, bulk_insert)
    bulk_insert(s, "notifications", Notification, s.notifications)
    # Planner statistics now (PostgreSQL), as autovacuum would gather them soon after a bulk load in
    # production: for the completions computed from the loaded rows, then for the completions.
    _analyze()
    completions.rebuild(db.session)
    _analyze(ModuleCompletion)
    s.counts["module completions"] = db.session.scalar(select(func.count()).select_from(ModuleCompletion))
    db.session.commit()
    return s.counts


def _analyze(model=None) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {model.__table__.name}" if model else "ANALYZE"))
