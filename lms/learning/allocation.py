"""Trainer allocation: every submitted work is assigned to one trainer of its edition.

- Deterministic and weighted: the eligible trainer whose share of the edition's assignments is furthest below their
  declared share gets the work ((assigned + 1) / share smallest; ties by id), so over many works each trainer's
  part follows the weights, and the same history always gives the same answer.
- Never a trainer of the work's own institution (conflict of interest), nor one absent today.
- A resubmission after a revision goes back to the trainer who asked for it, while they are eligible.
- Marking an absence hands that trainer's waiting work to the others; an admin may reassign by hand (audited).
- Reminders (``flask jobs run``): each programme sets its review time target (programme.yaml
  ``review_target_days``, 7 by default); the trainer is reminded TRAINER_REMINDER_LEAD days before it, admins when
  it is reached, at most once per submitted attempt and threshold.

Every trainer of the edition can still decide any work (the queue shows their own first); the assignment says
whose turn it is, it does not lock anyone out.
"""

from datetime import date, datetime, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, UniqueConstraint, and_, func, select
from sqlalchemy.orm import Mapped, mapped_column

from lms.accounts.models import Role, User, UserRole
from lms.audit.services import record
from lms.base import utcnow
from lms.content.models import AssignmentVersion, Programme
from lms.editions.models import Edition, edition_trainer
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.decisions import Decision, Review
from lms.learning.models import Attempt, Work, WorkStatus
from lms.notifications.services import notify
from lms.urls import path_for

TRAINER_REMINDER_LEAD = 2  # days before the programme's review target that the assigned trainer is reminded
ABSENCE_REASON_MAX_LENGTH = 200


class TrainerShare(db.Model):
    """A trainer's declared share of an edition's work (a weight; trainers without a row weigh 1)."""

    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    share: Mapped[int] = mapped_column(default=1)


class TrainerAbsence(db.Model):
    """Days a trainer is away: new work skips them, and their waiting work was handed on when it was marked."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(ABSENCE_REASON_MAX_LENGTH), default="")  # optional, for the admins
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkAssignment(db.Model):
    """Whose turn a work is: one row per work, moved on reassignment (the audit log keeps the history)."""

    work_id: Mapped[int] = mapped_column(ForeignKey("work.id"), primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(20))  # allocated | revision | absence | manual


class ReviewReminder(db.Model):
    """A reminder sent for one attempt at one threshold, so none is sent twice."""

    __table_args__ = (UniqueConstraint("attempt_id", "threshold_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    threshold_days: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class AllocationError(ValueError):
    """A reassignment the rules refuse; the message is for the admin."""


def eligible_trainers(edition_id: int, institution_id: int, on: date, excluded: tuple[int, ...] = ()) -> list[int]:
    """Active trainers of the edition, not of the institution, not absent on ``on``, by id."""
    absent = select(TrainerAbsence.user_id).where(TrainerAbsence.starts_on <= on, TrainerAbsence.ends_on >= on)
    return db.session.scalars(
        select(User.id)
        .join(edition_trainer, edition_trainer.c.user_id == User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            edition_trainer.c.edition_id == edition_id,
            UserRole.role == Role.TRAINER,
            User.active.is_(True),
            User.institution_id.is_(None) | (User.institution_id != institution_id),
            User.id.not_in(absent),
            User.id.not_in(excluded or (-1,)),
        )
        .order_by(User.id)
    ).all()


def _weighted_choice(edition_id: int, candidates: list[int]) -> int | None:
    if not candidates:
        return None
    shares = dict(
        db.session.execute(
            select(TrainerShare.user_id, TrainerShare.share).where(
                TrainerShare.edition_id == edition_id, TrainerShare.user_id.in_(candidates)
            )
        ).all()
    )
    counts = dict(
        db.session.execute(
            select(WorkAssignment.trainer_id, func.count())
            .where(WorkAssignment.edition_id == edition_id, WorkAssignment.trainer_id.in_(candidates))
            .group_by(WorkAssignment.trainer_id)
        ).all()
    )
    weighted = [t for t in candidates if shares.get(t, 1) > 0] or candidates
    return min(weighted, key=lambda t: ((counts.get(t, 0) + 1) / max(shares.get(t, 1), 1), t))


def _set(work: Work, trainer_id: int | None, reason: str) -> WorkAssignment | None:
    if trainer_id is None:
        return None  # nobody eligible: the work waits in every trainer's queue, as before allocation
    row = db.session.get(WorkAssignment, work.id)
    if row is None:
        row = WorkAssignment(work_id=work.id, edition_id=work.edition_id, trainer_id=trainer_id, reason=reason)
        db.session.add(row)
    else:
        row.trainer_id, row.reason, row.assigned_at = trainer_id, reason, utcnow()
    db.session.flush()
    return row


def _revision_trainer(work: Work) -> int | None:
    """Who asked for the revision this attempt answers."""
    return db.session.scalar(
        select(Review.trainer_id)
        .join(Attempt, Attempt.id == Review.attempt_id)
        .where(Attempt.work_id == work.id, Review.decision == Decision.REVISION_REQUESTED)
        .order_by(Attempt.number.desc())
        .limit(1)
    )


def work_submitted(work: Work) -> WorkAssignment | None:
    """Called by ``submit`` in the submission's transaction: assign the work (back to the reviser on a revision)."""
    today = utcnow().date()
    candidates = eligible_trainers(work.edition_id, work.institution_id, today)
    if work.attempt_count > 1:
        reviser = _revision_trainer(work)
        if reviser in candidates:
            return _set(work, reviser, "revision")
    return _set(work, _weighted_choice(work.edition_id, candidates), "allocated")


def mark_absence(trainer: User, starts_on: date, ends_on: date, reason: str = "", by: User | None = None) -> int:
    """Record an absence (by the trainer, or by an admin ``by``); the trainer's waiting work goes to the others now.
    Returns how many works moved."""
    if ends_on < starts_on:
        raise AllocationError(_("The absence must end on or after its first day."))
    reason = (reason or "").strip()[:ABSENCE_REASON_MAX_LENGTH]
    db.session.add(TrainerAbsence(user_id=trainer.id, starts_on=starts_on, ends_on=ends_on, reason=reason))
    db.session.flush()
    record(by or trainer, "trainer.absent", trainer, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    if not starts_on <= utcnow().date() <= ends_on:
        return 0  # a future absence: new work skips them once it starts, and ``hand_on_from_absent`` moves the rest
    return _hand_on(WorkAssignment.trainer_id == trainer.id)


def hand_on_from_absent(today: date | None = None) -> int:
    """Hand on the waiting work of trainers whose absence has begun (marked ahead of time); ``flask jobs run``
    calls it daily. Returns how many works moved."""
    today = today or utcnow().date()
    absent = select(TrainerAbsence.user_id).where(TrainerAbsence.starts_on <= today, TrainerAbsence.ends_on >= today)
    moved = _hand_on(WorkAssignment.trainer_id.in_(absent), today)
    db.session.commit()
    return moved


def _hand_on(whose, today: date | None = None) -> int:
    """Reassign the waiting works matching ``whose`` to the eligible trainers (absent ones never are)."""
    today = today or utcnow().date()
    waiting = db.session.execute(
        select(Work, WorkAssignment.trainer_id)
        .join(WorkAssignment, WorkAssignment.work_id == Work.id)
        .where(whose, Work.status == WorkStatus.SUBMITTED)
        .order_by(Work.last_submitted_at, Work.id)
    ).all()
    moved = 0
    for work, trainer_id in waiting:
        candidates = eligible_trainers(work.edition_id, work.institution_id, today, excluded=(trainer_id,))
        moved += _set(work, _weighted_choice(work.edition_id, candidates), "absence") is not None
    return moved


def cancel_absence(absence: TrainerAbsence, by: User) -> None:
    """Withdraw an absence: new work reaches the trainer again (work already handed on stays where it went)."""
    trainer = db.session.get(User, absence.user_id)
    record(by, "trainer.absence_cancelled", trainer, starts_on=absence.starts_on.isoformat(),
           ends_on=absence.ends_on.isoformat())  # fmt: skip
    db.session.delete(absence)
    db.session.flush()


def set_shares(edition: Edition, shares: dict[int, int], admin: User) -> None:
    """An admin declares each trainer's share of the edition's work (0: none while others can take it); audited."""
    rows = {row.user_id: row for row in db.session.scalars(select(TrainerShare).where(
        TrainerShare.edition_id == edition.id))}  # fmt: skip
    changed = {}
    for trainer_id, share in shares.items():
        if share < 0:
            raise AllocationError(_("A share cannot be negative."))
        row = rows.get(trainer_id)
        if row is None:
            row = TrainerShare(edition_id=edition.id, user_id=trainer_id, share=1)
            db.session.add(row)
        if row.share != share:
            changed[str(trainer_id)] = f"{row.share}->{share}"
        row.share = share
    db.session.flush()
    if changed:
        record(admin, "edition.trainer_shares", edition, **changed)


def reassign(work: Work, trainer: User, admin: User) -> None:
    """An admin hands a work to another trainer of its edition (never one of its own institution); audited."""
    if trainer.id not in eligible_trainers(work.edition_id, work.institution_id, date.max):
        raise AllocationError(_("This trainer cannot review this work (another edition, or its own institution)."))
    previous = db.session.scalar(select(WorkAssignment.trainer_id).where(WorkAssignment.work_id == work.id))
    _set(work, trainer.id, "manual")
    record(admin, "work.reassigned", work, from_trainer_id=previous, to_trainer_id=trainer.id)


def assigned_trainer_id(work_id: int) -> int | None:
    return db.session.scalar(select(WorkAssignment.trainer_id).where(WorkAssignment.work_id == work_id))


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind the assigned trainer TRAINER_REMINDER_LEAD days before their programme's review target and admins
    when a work reaches it, once each per attempt and threshold."""
    now = now or utcnow()
    admins = db.session.scalars(
        select(User.id).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == Role.ADMIN, User.active)
    ).all()
    targets = db.session.scalars(select(Programme.review_target_days).distinct()).all()
    sent = 0
    for target in sorted(targets):
        trainer_threshold = max(target - TRAINER_REMINDER_LEAD, 1)
        for threshold in (trainer_threshold, target):
            for attempt_id, trainer_id in _due(now, target, threshold):
                link = path_for("reviews.review", attempt_id=attempt_id)
                with force_locale("pl"):
                    if threshold == trainer_threshold:
                        message = ngettext("A work has waited %(num)s day for your review.",
                                           "A work has waited %(num)s days for your review.", threshold)  # fmt: skip
                        notify(trainer_id, message, link)
                    else:
                        message = ngettext("A work has waited %(num)s day for a review.",
                                           "A work has waited %(num)s days for a review.", threshold)  # fmt: skip
                        for admin_id in admins:
                            notify(admin_id, message, link)
                db.session.add(ReviewReminder(attempt_id=attempt_id, threshold_days=threshold))
                sent += 1
    db.session.commit()
    return sent


def _due(now: datetime, target: int, threshold: int) -> list:
    """(attempt, assigned trainer) of the works of programmes with this target waiting ``threshold`` days or more,
    not yet reminded at that threshold."""
    already = select(ReviewReminder.attempt_id).where(ReviewReminder.threshold_days == threshold)
    return db.session.execute(
        select(Attempt.id, WorkAssignment.trainer_id)
        .join(Work, Work.id == Attempt.work_id)
        .join(WorkAssignment, WorkAssignment.work_id == Work.id)
        .join(Edition, Edition.id == Work.edition_id)
        .join(Programme, Programme.id == Edition.programme_id)
        .where(
            Programme.review_target_days == target,
            Work.status == WorkStatus.SUBMITTED,
            Attempt.number == Work.attempt_count,
            Work.last_submitted_at <= now - timedelta(days=threshold),
            Attempt.id.not_in(already),
        )
        .order_by(Attempt.id)
    ).all()


def mine_waiting(trainer_id: int, limit: int = 10) -> list:
    """The trainer's own assigned waiting works, oldest first (the queue shows them above everyone's)."""
    learner = User.__table__.alias("learner")
    return db.session.execute(
        select(
            Attempt.id,
            AssignmentVersion.title,
            Work.last_submitted_at,
            func.coalesce(learner.c.name, Institution.name).label("who"),
        )
        .join(Work, and_(Work.id == Attempt.work_id, Attempt.number == Work.attempt_count))
        .join(WorkAssignment, WorkAssignment.work_id == Work.id)
        .join(AssignmentVersion, AssignmentVersion.id == Attempt.assignment_version_id)
        .join(Institution, Institution.id == Work.institution_id)
        .outerjoin(learner, learner.c.id == Work.learner_id)
        .where(WorkAssignment.trainer_id == trainer_id, Work.status == WorkStatus.SUBMITTED)
        .order_by(Work.last_submitted_at, Work.id)
        .limit(limit)
    ).all()
