"""``flask demo seed``: the generated data set has the promised size and obeys the app's rules."""

import re

import pytest
from sqlalchemy import func, select, text

from lms.accounts.models import Role, User, UserRole
from lms.base import utcnow
from lms.certificates.checklist import required_assignments
from lms.content.models import Programme
from lms.content.spec import Scope
from lms.editions.models import Edition, edition_institution
from lms.events.models import Event
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning import completions
from lms.learning.decisions import Review
from lms.learning.models import Attempt, Work, WorkStatus
from lms.support.models import Consultation, IndicatorReport
from tests.learning.conftest import shown_by_progress

LATEST = (  # each work with its latest attempt and that attempt's review, if any
    "SELECT w.id, w.status, w.institution_id, w.edition_id, r.decision FROM work w "
    "JOIN attempt a ON a.work_id = w.id AND a.number = w.attempt_count LEFT JOIN review r ON r.attempt_id = a.id"
)
DECIDED = (  # each review with the work it decides on
    "SELECT r.id, r.trainer_id, w.edition_id, w.institution_id FROM review r "
    "JOIN attempt a ON a.id = r.attempt_id JOIN work w ON w.id = a.work_id"
)


@pytest.fixture
def seeded(snapshot):
    """The small scale generated through the CLI; returns the command's output."""
    return snapshot(seed_small)


def seed_small(runner):
    result = runner.invoke(args=["demo", "seed", "--scale", "small"])
    assert result.exit_code == 0, result.output
    return result.output


def printed(output: str, label: str) -> int:
    """A count as the command printed it."""
    return int(re.search(rf"^\s+{label}\s+([\d,]+)$", output, re.M).group(1).replace(",", ""))


def count(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def sql_rows(query: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(query))]


def sql_count(query: str) -> int:
    return db.session.execute(text(f"SELECT count(*) FROM ({query}) AS q")).scalar()


def test_small_scale_has_the_promised_size(seeded):
    animators = select(User.id).join(UserRole).where(UserRole.role == Role.ANIMATOR)
    assert count(select(Institution.id)) == printed(seeded, "institutions") == 5
    assert count(animators) == printed(seeded, "animators") == 100
    assert count(select(Edition.id)) == printed(seeded, "editions") == 2
    attempts, reviews = count(select(Attempt.id)), count(select(Review.id))
    assert attempts == printed(seeded, "attempts")
    assert reviews == printed(seeded, "reviews")
    assert 800 <= attempts <= 2_000
    waiting = count(select(Work.id).where(Work.status == WorkStatus.SUBMITTED))
    assert waiting == printed(seeded, "works waiting for review") > 0
    assert reviews == attempts - waiting  # every attempt is decided except the latest of a waiting work
    assert "Done in" in seeded


def test_every_work_status_agrees_with_its_attempts_and_reviews(seeded):
    assert sql_count(LATEST) == count(select(Work.id))  # every work has its latest attempt
    assert set(sql_rows(f"SELECT DISTINCT status, decision FROM ({LATEST}) AS q")) == {
        ("submitted", None),
        ("revision_requested", "revision_requested"),
        ("accepted", "accepted"),
    }
    numbering = (
        "SELECT w.id FROM work w JOIN attempt a ON a.work_id = w.id GROUP BY w.id, w.attempt_count "
        "HAVING max(a.number) != w.attempt_count OR count(a.id) != w.attempt_count OR min(a.number) != 1"
    )
    assert sql_count(numbering) == 0
    earlier = (
        "SELECT a.id FROM attempt a JOIN work w ON w.id = a.work_id LEFT JOIN review r ON r.attempt_id = a.id "
        "WHERE a.number < w.attempt_count AND (r.id IS NULL OR r.decision != 'revision_requested')"
    )
    assert sql_count(earlier) == 0
    unmet = (
        "SELECT r.id FROM review r JOIN criterion_result c ON c.review_id = r.id GROUP BY r.id, r.decision "
        "HAVING sum(CASE WHEN c.met THEN 0 ELSE 1 END) != (CASE r.decision WHEN 'accepted' THEN 0 ELSE 1 END)"
    )
    assert sql_count(unmet) == 0


def test_reviews_are_by_trainers_of_the_edition_outside_the_works_institution(seeded):
    own = (
        f'SELECT d.id FROM ({DECIDED}) d JOIN "user" u ON u.id = d.trainer_id WHERE u.institution_id = d.institution_id'
    )
    assert sql_count(own) == 0
    outsider = (
        f"SELECT d.id FROM ({DECIDED}) d LEFT JOIN edition_trainer et "
        "ON et.edition_id = d.edition_id AND et.user_id = d.trainer_id WHERE et.user_id IS NULL"
    )
    assert sql_count(outsider) == 0
    # The conflict-of-interest case exists: a trainer on the staff of an institution of their edition.
    conflicted = (
        'SELECT u.id FROM "user" u JOIN edition_trainer et ON et.user_id = u.id '
        "JOIN edition_institution ei ON ei.edition_id = et.edition_id AND ei.institution_id = u.institution_id"
    )
    assert sql_count(conflicted) == 1


def test_certificates_go_exactly_to_animators_with_every_required_work_accepted(seeded):
    programme = db.session.scalar(select(Programme).where(Programme.slug == "cal"))
    required = len(required_assignments(programme, Scope.PERSON, [programme.certificates["person"]["level"]]))
    complete = (
        "SELECT learner_id FROM work WHERE scope = 'person' AND status = 'accepted' "
        f"GROUP BY learner_id HAVING count(*) = {required}"
    )
    holders = "SELECT holder_id FROM certificate WHERE kind = 'person'"
    assert sql_count(f"{complete} EXCEPT {holders}") == 0
    assert sql_count(f"{holders} EXCEPT {complete}") == 0
    assert sql_count(holders) == printed(seeded, "person certificates")


def test_module_completions_are_what_progress_shows(seeded):
    """The reports count ``module_completion``, which the seed fills in bulk."""
    rows = completions.stored(db.session.connection())
    assert rows == completions.computed(db.session.connection())
    assert {row[:3] for row in rows} == shown_by_progress()
    assert len(rows) == printed(seeded, "module completions") > 0


def test_second_run_refuses_and_changes_nothing(seeded, runner):
    attempts = count(select(Attempt.id))
    result = runner.invoke(args=["demo", "seed", "--scale", "small"])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert count(select(Attempt.id)) == attempts


def test_institution_deliverables_are_confirmed_by_their_coordinator_and_reviewable(seeded):
    deliverables = select(Attempt, Work).join(Work, Work.id == Attempt.work_id).where(Work.scope == Scope.INSTITUTION)
    rows = db.session.execute(deliverables).all()
    assert rows
    coordinators = {
        user.id: user.institution_id
        for user in db.session.scalars(select(User).join(UserRole).where(UserRole.role == Role.COORDINATOR))
    }
    for attempt, work in rows:
        assert coordinators.get(attempt.confirmed_by_id) == work.institution_id, attempt.id
        assert attempt.confirmed_at == attempt.submitted_at
    statuses = {work.status for _attempt, work in rows}
    assert WorkStatus.AWAITING_CONFIRMATION not in statuses and WorkStatus.SUBMITTED in statuses  # in trainers' queues


def test_generated_level_two_records_and_events_keep_the_date_rules(seeded):
    today = utcnow().date()
    joined = (
        select(edition_institution.c.institution_id, func.min(Edition.starts_on).label("starts_on"))
        .join(Edition, Edition.id == edition_institution.c.edition_id)
        .group_by(edition_institution.c.institution_id)
        .subquery()
    )
    consultations = select(Consultation.held_on, joined.c.starts_on).join(
        joined, joined.c.institution_id == Consultation.institution_id
    )
    held = db.session.execute(consultations).all()
    assert held and all(began <= day <= today for day, began in held)
    reports = select(IndicatorReport.period_start, IndicatorReport.period_end, joined.c.starts_on).join(
        joined, joined.c.institution_id == IndicatorReport.institution_id
    )
    periods = db.session.execute(reports).all()
    assert periods and all(began <= start <= end <= today for start, end, began in periods)
    events = db.session.execute(
        select(Event.starts_at, Event.ends_at, Edition.starts_on, Edition.ends_on).join(Edition)
    ).all()
    assert events and all(first <= s.date() and e.date() <= last for s, e, first, last in events)
