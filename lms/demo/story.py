"""Demo progress: one institution a single step from the Certyfikat, so the whole path can be shown."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.base import utcnow
from lms.certificates.checklist import required_assignments
from lms.content.models import Programme
from lms.content.spec import Scope
from lms.editions.models import Edition
from lms.events.cadence import quarter_of
from lms.extensions import db
from lms.learning import services as learning
from lms.learning.decisions import Decision
from lms.learning.models import Work
from lms.reviews import services as reviews
from lms.support import consulting, indicator_reporting
from lms.support.models import ConsultationForm

LAST_STEP = "plan-promocji"  # left waiting for the trainer: accepting it completes the checklist


def consultation_days(today: date) -> list[date]:
    """A Level II consultation day in each of the last four quarters (today's included), oldest first: the 21st
    day of the quarter, or today when that is still ahead, so the Certyfikat's "each of 4 quarters" is met."""
    quarter = quarter_of(today)
    quarters = [quarter]
    for _ in range(3):
        year, number = quarters[0]
        quarters.insert(0, (year - 1, 4) if number == 1 else (year, number - 1))
    return [min(date(year, 3 * number - 2, 21), today) for year, number in quarters]


def _accept(user: User, edition: Edition, version, trainer: User, text: str) -> None:
    work = learning.work_for(user, edition, version.assignment, version.scope)
    attempt = learning.submit(work, text, user)
    judgements = [reviews.CriterionJudgement(c.id, True) for c in version.criteria]
    reviews.decide(attempt, trainer, judgements, "Dobra praca, gratulacje!", Decision.ACCEPTED)


def load_story(edition: Edition, people: dict[str, User]) -> bool:
    """Give GOPS w Wierzbicy Górnej everything but one deliverable (idempotent); True if created now."""
    coordinator, trainer = people["koordynator1@demo.cal.local"], people["trener1@demo.cal.local"]
    institution = coordinator.institution
    if db.session.scalar(select(Work.id).where(Work.institution_id == institution.id).limit(1)):
        return False
    programme: Programme = edition.programme
    for email in ("animator1@demo.cal.local", "animator2@demo.cal.local"):
        for version in required_assignments(programme, Scope.PERSON, [programme.certificates["person"]["level"]]):
            _accept(
                people[email],
                edition,
                version,
                trainer,
                f"## {version.title}\n\nOpis wykonanego zadania w Wierzbicy Górnej.",
            )
    rule = programme.certificates["institution"]
    for version in required_assignments(programme, Scope.INSTITUTION, rule["deliverable_levels"]):
        if version.assignment.slug == LAST_STEP:
            work = learning.work_for(coordinator, edition, version.assignment, version.scope)
            learning.submit(work, "## Plan promocji\n\nStrona, lokalna gazeta, tablica w sołectwie.", coordinator)
        else:
            _accept(coordinator, edition, version, trainer, f"## {version.title}\n\nRezultat pracy zespołu GOPS.")
    today = utcnow().date()
    # Logged through the services, so the demo keeps the rules a trainer and a coordinator meet: dated after the
    # edition began, never in the future, numbered in the order they took place.
    for number, day in enumerate(consultation_days(today), start=1):
        consulting.log_consultation(
            institution, programme, trainer,
            consulting.ConsultationInput(
                held_on=day, duration_minutes=120, form=ConsultationForm.ON_SITE, consultant=trainer.name,
                topic=f"Konsultacja {number}: wdrażanie projektów", notes="Z zespołem.",
            ),
        )  # fmt: skip
    report = indicator_reporting.submit_indicator_report(
        institution, programme, coordinator,
        indicator_reporting.ReportInput(
            period_start=today - timedelta(days=200), period_end=today - timedelta(days=20),
            values={indicator["key"]: 5 for indicator in programme.indicators}, description="Pierwsze półrocze.",
        ),
    )  # fmt: skip
    indicator_reporting.decide_report(report, trainer, accept=True, feedback="")
    db.session.commit()
    return True
