"""What the absence, share and reassignment pages read (the rules themselves are in lms.learning.allocation)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select

from lms.accounts.models import Role, User, UserRole
from lms.content.models import AssignmentVersion
from lms.editions.models import Edition, edition_trainer
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.allocation import TrainerAbsence, TrainerShare, WorkAssignment
from lms.learning.models import Attempt, Work, WorkStatus

WAITING_SHOWN = 100  # the oldest waiting works an edition's page lists; the rest are counted


def absences_of(trainer_id: int) -> list[TrainerAbsence]:
    """A trainer's absences, the latest first."""
    return db.session.scalars(
        select(TrainerAbsence)
        .where(TrainerAbsence.user_id == trainer_id)
        .order_by(TrainerAbsence.starts_on.desc(), TrainerAbsence.id.desc())
    ).all()


def is_trainer(person: User) -> bool:
    return person.has_role(Role.TRAINER)


def edition_trainers(edition: Edition) -> list[User]:
    """The edition's trainers who hold the trainer role, by name."""
    return db.session.scalars(
        select(User)
        .join(edition_trainer, edition_trainer.c.user_id == User.id)
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.TRAINER))
        .where(edition_trainer.c.edition_id == edition.id)
        .order_by(User.name, User.id)
    ).all()


def shares_of(edition: Edition) -> dict[int, int]:
    """{trainer id: declared share} of the edition (trainers without a row weigh 1)."""
    return dict(
        db.session.execute(
            select(TrainerShare.user_id, TrainerShare.share).where(TrainerShare.edition_id == edition.id)
        ).all()
    )


@dataclass
class WaitingWork:
    work_id: int
    attempt_id: int
    title: str
    who: str
    institution_id: int
    submitted_at: datetime
    trainer_id: int | None
    trainer_name: str | None


def waiting_works(edition: Edition) -> tuple[list[WaitingWork], int]:
    """The edition's oldest waiting works (up to WAITING_SHOWN) with whose turn each is, and how many wait in all."""
    learner = User.__table__.alias("learner")
    trainer = User.__table__.alias("trainer")
    rows = db.session.execute(
        select(
            Work.id,
            Attempt.id,
            AssignmentVersion.title,
            func.coalesce(learner.c.name, Institution.name),
            Work.institution_id,
            Work.last_submitted_at,
            WorkAssignment.trainer_id,
            trainer.c.name,
        )
        .join(Attempt, and_(Attempt.work_id == Work.id, Attempt.number == Work.attempt_count))
        .join(AssignmentVersion, AssignmentVersion.id == Attempt.assignment_version_id)
        .join(Institution, Institution.id == Work.institution_id)
        .outerjoin(learner, learner.c.id == Work.learner_id)
        .outerjoin(WorkAssignment, WorkAssignment.work_id == Work.id)
        .outerjoin(trainer, trainer.c.id == WorkAssignment.trainer_id)
        .where(Work.edition_id == edition.id, Work.status == WorkStatus.SUBMITTED)
        .order_by(Work.last_submitted_at, Work.id)
        .limit(WAITING_SHOWN)
    ).all()
    total = db.session.scalar(
        select(func.count()).where(Work.edition_id == edition.id, Work.status == WorkStatus.SUBMITTED)
    )
    return [WaitingWork(*row) for row in rows], total


def candidates_for(work: WaitingWork | Work, trainers: list[User]) -> list[User]:
    """Whom a work may be handed to: the edition's trainers, except its own institution's and whose turn it is."""
    current = getattr(work, "trainer_id", None)
    if current is None and isinstance(work, Work):
        current = db.session.scalar(select(WorkAssignment.trainer_id).where(WorkAssignment.work_id == work.id))
    return [t for t in trainers if t.active and t.institution_id != work.institution_id and t.id != current]


def upcoming(absences: list[TrainerAbsence], today: date) -> list[TrainerAbsence]:
    """The absences not yet over (those a person may still withdraw)."""
    return [absence for absence in absences if absence.ends_on >= today]
