"""Concurrent writers leave ``module_completion`` equal to a full recomputation (PostgreSQL).

Each test holds one transaction open after its refresh, starts a second writer, waits until that
writer is either blocked on a row lock or finished, and only then lets the first one commit. Without
the institution row locks the second writer would read the works before the first commits and store
a completion that a recomputation disagrees with. SQLite has one writer at a time, so there is
nothing to order there.
"""

import threading

import pytest
from sqlalchemy import select, text

from lms.accounts.models import User
from lms.content.importer import import_courses
from lms.content.models import Assignment
from lms.extensions import db
from lms.learning import completions
from lms.learning.decisions import Decision
from lms.learning.models import Attempt
from lms.reviews import services as reviews
from tests.certificates.conftest import submit
from tests.learning.test_completions import SECOND_TASK, completed, courses, world  # noqa: F401

pytestmark = pytest.mark.usefixtures("postgresql_only")


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks matter on PostgreSQL")


def _accept(attempt_id: int, trainer_id: int) -> None:
    attempt = db.session.get(Attempt, attempt_id)
    trainer = db.session.get(User, trainer_id)
    judgements = [reviews.CriterionJudgement(c.id, True) for c in attempt.assignment_version.criteria]
    reviews.decide(attempt, trainer, judgements, "", Decision.ACCEPTED)


def _waiting_on_a_lock() -> bool:
    with db.engine.connect() as connection:
        query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        return connection.scalar(text(query)) > 0


def _race(app, first, second) -> None:
    """Run ``first`` in a transaction left open, then ``second`` beside it; commit ``first`` once
    ``second`` waits on a lock or is done; both commit."""
    decided, may_commit, second_done, failures = threading.Event(), threading.Event(), threading.Event(), []

    def in_context(work, before_commit=None, after=None):
        def run():
            with app.app_context():
                try:
                    work()
                    if before_commit:
                        before_commit()
                    db.session.commit()
                except Exception as error:  # reported by the test thread below
                    failures.append(error)
                    decided.set()
                finally:
                    db.session.remove()
                    if after:
                        after()

        return threading.Thread(target=run)

    one = in_context(first, before_commit=lambda: (decided.set(), may_commit.wait(30)))
    two = in_context(second, after=second_done.set)
    one.start()
    assert decided.wait(30)
    two.start()
    while not (second_done.is_set() or _waiting_on_a_lock()):
        second_done.wait(0.01)
    may_commit.set()
    one.join(30)
    two.join(30)
    assert not failures, failures


def test_two_decisions_for_one_learner_at_once_complete_the_module(app, world, courses):  # noqa: F811
    module_one = courses / "poziom-1/01-pierwszy.md"
    module_one.write_text(module_one.read_text(encoding="utf-8").replace("assignments:\n", SECOND_TASK, 1))
    assert not import_courses(courses, recompute_derived=completions.rebuild).errors
    profile = submit(world["animator"], world["edition"], "profil").id
    reflection = submit(world["animator"], world["edition"], "refleksja").id
    trainer = world["trainer"].id
    db.session.commit()

    _race(app, lambda: _accept(profile, trainer), lambda: _accept(reflection, trainer))

    db.session.expire_all()
    assert ("animator", "pierwszy") in completed(world)


def test_a_decision_during_a_course_import_leaves_the_table_in_step(app, world, courses):  # noqa: F811
    profile = submit(world["animator"], world["edition"], "profil").id
    trainer = world["trainer"].id
    module_one = courses / "poziom-1/01-pierwszy.md"
    module_one.write_text(module_one.read_text(encoding="utf-8").replace("assignments:\n", SECOND_TASK, 1))
    db.session.commit()

    def reimport():
        report = import_courses(courses, recompute_derived=completions.rebuild)
        assert not report.errors

    _race(app, lambda: _accept(profile, trainer), reimport)

    db.session.expire_all()
    assert db.session.scalar(select(Assignment.id).where(Assignment.slug == "refleksja"))
    assert ("animator", "pierwszy") not in completed(world)  # it now needs the reflection too
