"""Demo progress: one institution a single step from the Certyfikat, so the whole path can be shown."""

from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.base import utcnow
from lms.certificates.checklist import required_assignments
from lms.content.models import Programme
from lms.content.spec import Scope
from lms.editions.models import Edition
from lms.extensions import db
from lms.learning import services as learning
from lms.learning.decisions import Decision
from lms.learning.models import Work
from lms.reviews import services as reviews
from lms.support.models import Consultation, ConsultationForm, IndicatorReport, ReportStatus

LAST_STEP = "plan-promocji"  # left waiting for the trainer: accepting it completes the checklist


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
    for month in range(1, rule["min_consultations"] + 1):
        db.session.add(
            Consultation(
                institution_id=institution.id, programme_id=programme.id, logged_by_id=trainer.id,
                held_on=today - timedelta(days=40 * month), duration_minutes=120, form=ConsultationForm.ON_SITE,
                consultant=trainer.name, topic=f"Konsultacja {month}: wdrażanie projektów", notes="Z zespołem.",
            )
        )  # fmt: skip
    db.session.add(
        IndicatorReport(
            institution_id=institution.id, programme_id=programme.id, period_start=today - timedelta(days=200),
            period_end=today - timedelta(days=20), submitted_by_id=coordinator.id, status=ReportStatus.ACCEPTED,
            decided_by_id=trainer.id, description="Pierwsze półrocze.",
            values={indicator["key"]: 5 for indicator in programme.indicators},
        )
    )  # fmt: skip
    db.session.commit()
    return True
