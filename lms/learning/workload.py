"""Trainers' load and waiting times: per edition and trainer, the works waiting assigned to them, how long the
oldest has waited, and what they decided in the last DECIDED_WINDOW_DAYS.

Every figure is an SQL aggregate (COUNT, MIN), so a page asks a fixed number of statements however many works
and decisions there are.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from lms.accounts.models import Role, User, UserRole
from lms.base import utcnow
from lms.editions.models import Edition, edition_trainer
from lms.extensions import db
from lms.learning.allocation import TrainerAbsence, TrainerShare, WorkAssignment
from lms.learning.decisions import Review
from lms.learning.models import Attempt, Work, WorkStatus

DECIDED_WINDOW_DAYS = 30


@dataclass
class Load:
    """One trainer's load, in one edition (the admins' page) or over all of theirs (the trainer dashboard)."""

    waiting: int = 0
    oldest_submitted_at: datetime | None = None
    decided: int = 0

    def oldest_days(self, now: datetime) -> int | None:
        """Whole days the oldest waiting work has waited (None when nothing waits)."""
        return None if self.oldest_submitted_at is None else (now - self.oldest_submitted_at).days


@dataclass
class TrainerRow:
    """A trainer of an edition with their declared share, whether they are away today, and their load there."""

    trainer_id: int
    name: str
    share: int
    absent_today: bool
    load: Load


@dataclass
class EditionLoads:
    edition: Edition
    trainers: list[TrainerRow]
    unassigned: int  # waiting works nobody could be given (every trainer absent or of the work's institution)


def _loads(edition_ids: list[int], now: datetime | None = None) -> dict:
    """{(edition id, trainer id): Load} in two aggregate statements (the trainer dashboard counts its own)."""
    since = (now or utcnow()) - timedelta(days=DECIDED_WINDOW_DAYS)
    waiting = (
        select(WorkAssignment.edition_id, WorkAssignment.trainer_id, func.count(), func.min(Work.last_submitted_at))
        .join(Work, Work.id == WorkAssignment.work_id)
        .where(Work.status == WorkStatus.SUBMITTED)
        .group_by(WorkAssignment.edition_id, WorkAssignment.trainer_id)
    )
    decided = (
        select(Work.edition_id, Review.trainer_id, func.count())
        .join(Attempt, Attempt.id == Review.attempt_id)
        .join(Work, Work.id == Attempt.work_id)
        .where(Review.decided_at >= since)
        .group_by(Work.edition_id, Review.trainer_id)
    )
    waiting = waiting.where(WorkAssignment.edition_id.in_(edition_ids))
    decided = decided.where(Work.edition_id.in_(edition_ids))
    loads: dict[tuple[int, int], Load] = {}
    for edition_id, trainer, count, oldest in db.session.execute(waiting):
        loads[(edition_id, trainer)] = Load(waiting=count, oldest_submitted_at=oldest)
    for edition_id, trainer, count in db.session.execute(decided):
        loads.setdefault((edition_id, trainer), Load()).decided = count
    return loads


def edition_loads(today: date | None = None) -> list[EditionLoads]:
    """Every edition with its trainers side by side (the admins' page), in five statements."""
    today = today or utcnow().date()
    editions = db.session.scalars(select(Edition).order_by(Edition.starts_on.desc(), Edition.name)).all()
    if not editions:
        return []
    edition_ids = [edition.id for edition in editions]
    absent = select(TrainerAbsence.user_id).where(TrainerAbsence.starts_on <= today, TrainerAbsence.ends_on >= today)
    rows = db.session.execute(
        select(
            edition_trainer.c.edition_id,
            User.id,
            User.name,
            func.coalesce(TrainerShare.share, 1),
            User.id.in_(absent),
        )
        .join(User, User.id == edition_trainer.c.user_id)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.TRAINER))
        .outerjoin(
            TrainerShare,
            (TrainerShare.edition_id == edition_trainer.c.edition_id) & (TrainerShare.user_id == User.id),
        )
        .where(edition_trainer.c.edition_id.in_(edition_ids))
        .order_by(User.name, User.id)
    ).all()
    loads = _loads(edition_ids)
    unassigned = dict(
        db.session.execute(
            select(Work.edition_id, func.count())
            .outerjoin(WorkAssignment, WorkAssignment.work_id == Work.id)
            .where(Work.status == WorkStatus.SUBMITTED, WorkAssignment.work_id.is_(None))
            .where(Work.edition_id.in_(edition_ids))
            .group_by(Work.edition_id)
        ).all()
    )
    trainers: dict[int, list[TrainerRow]] = {edition_id: [] for edition_id in edition_ids}
    for edition_id, user_id, name, share, absent_today in rows:
        load = loads.get((edition_id, user_id)) or Load()
        trainers[edition_id].append(TrainerRow(user_id, name, share, bool(absent_today), load))
    return [EditionLoads(edition, trainers[edition.id], unassigned.get(edition.id, 0)) for edition in editions]
