"""What the coordinator's and the trainer's dashboards show, each in a fixed number of queries."""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Row, bindparam, case, func, select
from sqlalchemy.orm import aliased, joinedload

from lms.accounts.models import User
from lms.base import utcnow
from lms.certificates.checklist import InstitutionChecklist, institution_checklists
from lms.content.models import AssignmentVersion, Module, ModuleVersion, Programme
from lms.database import column_rows
from lms.editions.models import Edition, edition_institution, edition_trainer
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.allocation import WorkAssignment
from lms.learning.decisions import Review
from lms.learning.models import Attempt, Work, WorkStatus
from lms.learning.staff import StaffTable, institution_staff_tables
from lms.learning.workload import DECIDED_WINDOW_DAYS, Load
from lms.support.models import AgreedAction, Consultation

RECENT = 10
WAITING_SHOWN = 20

# The dashboards' statements are built once, with bound parameters: building a statement and its cache
# key per request costs more than running it. The lists are plain rows of the columns shown.
_learner = aliased(User)
_INSTITUTION_EDITIONS = (
    select(Edition)
    .join(edition_institution, edition_institution.c.edition_id == Edition.id)
    .where(edition_institution.c.institution_id == bindparam("institution_id"))
    .options(joinedload(Edition.programme))
    .order_by(Edition.starts_on.desc())
)
_WAITING = (
    select(Work.id, Work.status, ModuleVersion.title.label("module_title"), _learner.name.label("learner_name"))
    .join(Module, Module.id == Work.module_id)
    .outerjoin(ModuleVersion, ModuleVersion.id == Module.current_version_id)
    .outerjoin(_learner, _learner.id == Work.learner_id)
    .where(
        Work.institution_id == bindparam("institution_id"),
        Work.status.in_([WorkStatus.AWAITING_CONFIRMATION, WorkStatus.REVISION_REQUESTED, WorkStatus.DRAFT]),
    )
    # What only the coordinator can move first (a confirmation), then revisions, then drafts.
    .order_by(
        case(
            (Work.status == WorkStatus.AWAITING_CONFIRMATION, 0),
            (Work.status == WorkStatus.REVISION_REQUESTED, 1),
            else_=2,
        ),
        Work.last_submitted_at,
    )
    .limit(WAITING_SHOWN)
)
_FEEDBACK = (
    select(
        Work.id.label("work_id"),
        Review.decision,
        Review.decided_at,
        AssignmentVersion.title.label("assignment_title"),
        _learner.name.label("learner_name"),
    )
    .join(Attempt, Attempt.id == Review.attempt_id)
    .join(Work, Work.id == Attempt.work_id)
    .join(AssignmentVersion, AssignmentVersion.id == Attempt.assignment_version_id)
    .outerjoin(_learner, _learner.id == Work.learner_id)
    .where(Work.institution_id == bindparam("institution_id"))
    .order_by(Review.decided_at.desc())
    .limit(RECENT)
)


@dataclass
class CoordinatorDashboard:
    institution: Institution
    tables: list[tuple[Edition, StaffTable]]  # staff × modules, per edition
    checklists: list[InstitutionChecklist]
    waiting: list[Row]  # work the institution has to act on: id, status, module_title, learner_name
    feedback: list[Row]  # recent decisions: work_id, decision, decided_at, assignment_title, learner_name


def coordinator_dashboard(institution: Institution) -> CoordinatorDashboard:
    """Staff progress per edition, the certificate checklists, what waits on the institution, recent feedback."""
    editions = db.session.scalars(_INSTITUTION_EDITIONS, {"institution_id": institution.id}).all()
    staff_tables = institution_staff_tables(institution.id, editions)
    tables = [(edition, staff_tables[edition.id]) for edition in editions]  # an institution takes part in one or two
    programmes = {edition.programme_id: edition.programme for edition in editions}
    checklists = [
        checklist
        for programme in programmes.values()
        if (checklist := institution_checklists([institution], programme).get(institution.id))
    ]
    waiting = column_rows(_WAITING, {"institution_id": institution.id})
    feedback = column_rows(_FEEDBACK, {"institution_id": institution.id})
    return CoordinatorDashboard(institution, tables, checklists, waiting, feedback)


class InstitutionName(NamedTuple):
    """What the trainer dashboard shows of an institution: its checklist row names and links it (a whole ORM
    object per institution costs more than the rest of its row)."""

    id: int
    name: str


@dataclass
class EditionQueue:
    edition: Edition
    waiting: int = 0
    oldest: datetime | None = None


@dataclass
class TrainerDashboard:
    queues: list[EditionQueue]
    decided_this_week: int
    median_hours: float | None
    checklists: list[InstitutionChecklist] = field(default_factory=list)
    # Open agreed actions: due_on, description, owner, institution_name.
    actions: list[Row] = field(default_factory=list)
    # The trainer's own load: works assigned to them still waiting, the oldest's age, decisions in 30 days.
    load: Load = field(default_factory=Load)
    oldest_waiting_days: int | None = None


# Submitted works waiting in the trainer's editions; with an institution of their own, a trainer's queue leaves out
# its works (they go to other trainers): a NULL own institution compares to NULL, which counts as kept.
_QUEUES = (
    select(
        Work.edition_id,
        func.count(Work.id).label("waiting"),
        func.min(Work.last_submitted_at).label("oldest"),
    )
    .where(
        Work.edition_id.in_(
            select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == bindparam("trainer_id"))
        ),
        Work.status == WorkStatus.SUBMITTED,
        func.coalesce(Work.institution_id != bindparam("own_institution_id"), True),
    )
    .group_by(Work.edition_id)
    .subquery()
)
# The trainer's editions with their programmes, queues and institutions: a row per edition and
# institution (an edition without institutions: one row with None).
_TRAINER_EDITIONS = (
    select(Edition, Institution.id, Institution.name, _QUEUES.c.waiting, _QUEUES.c.oldest)
    .join(edition_trainer, edition_trainer.c.edition_id == Edition.id)
    .outerjoin(_QUEUES, _QUEUES.c.edition_id == Edition.id)
    .outerjoin(edition_institution, edition_institution.c.edition_id == Edition.id)
    .outerjoin(Institution, Institution.id == edition_institution.c.institution_id)
    .where(edition_trainer.c.user_id == bindparam("trainer_id"))
    .options(joinedload(Edition.programme))
    .order_by(Edition.starts_on.desc())
)
# The trainer's decisions over the last 90 days: their count this week and the time each took.
_DECISION_TIMES = (
    select(Review.decided_at, Attempt.submitted_at)
    .join(Attempt, Attempt.id == Review.attempt_id)
    .where(Review.trainer_id == bindparam("trainer_id"), Review.decided_at >= bindparam("since"))
)
_ASSIGNED_WAITING = (
    select(func.count(Work.id), func.min(Work.last_submitted_at))
    .select_from(WorkAssignment)
    .join(Work, Work.id == WorkAssignment.work_id)
    .where(WorkAssignment.trainer_id == bindparam("trainer_id"), Work.status == WorkStatus.SUBMITTED)
)
_OPEN_ACTIONS = (
    select(
        AgreedAction.due_on,
        AgreedAction.description,
        AgreedAction.owner,
        Institution.name.label("institution_name"),
    )
    .join(Consultation, Consultation.id == AgreedAction.consultation_id)
    .join(Institution, Institution.id == Consultation.institution_id)
    .where(
        Consultation.institution_id.in_(bindparam("institution_ids", expanding=True)),
        AgreedAction.done_at.is_(None),
    )
    .order_by(AgreedAction.due_on.is_(None), AgreedAction.due_on)
    .limit(RECENT)
)


def trainer_dashboard(trainer: User) -> TrainerDashboard:
    """Queues per edition, this week's decisions, time to decision, institutions' checklists, upcoming actions."""
    now = utcnow()
    parameters = {"trainer_id": trainer.id, "own_institution_id": trainer.institution_id}
    queues: dict[int, EditionQueue] = {}
    by_programme: dict[int, tuple[Programme, dict[int, Institution]]] = {}
    for edition, institution_id, name, waiting, oldest in db.session.execute(_TRAINER_EDITIONS, parameters).all():
        queues.setdefault(edition.id, EditionQueue(edition, waiting or 0, oldest))
        programme, institutions = by_programme.setdefault(edition.programme_id, (edition.programme, {}))
        if institution_id is not None:
            institutions[institution_id] = InstitutionName(institution_id, name)
    since = now - timedelta(days=90)
    times = column_rows(_DECISION_TIMES, {"trainer_id": trainer.id, "since": since})
    week_start = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    decided = sum(decided_at >= week_start for decided_at, _ in times)
    median = None
    if times:
        hours = ((decided_at - submitted).total_seconds() / 3600 for decided_at, submitted in times)
        median = round(statistics.median(hours), 1)
    # The trainer's own load: the works assigned to them that wait, and their decisions in the window, counted
    # from the 90 days of decisions already read.
    ((waiting, oldest),) = column_rows(_ASSIGNED_WAITING, {"trainer_id": trainer.id})
    recent = now - timedelta(days=DECIDED_WINDOW_DAYS)
    load = Load(waiting, oldest, sum(decided_at >= recent for decided_at, _ in times))
    dashboard = TrainerDashboard(list(queues.values()), decided, median, load=load)
    dashboard.oldest_waiting_days = dashboard.load.oldest_days(now)
    for programme, institutions in by_programme.values():
        found = institution_checklists(sorted(institutions.values(), key=lambda i: i.name), programme)
        dashboard.checklists.extend(found.values())
    institution_ids = {i.id for _, institutions in by_programme.values() for i in institutions.values()}
    dashboard.actions = column_rows(_OPEN_ACTIONS, {"institution_ids": list(institution_ids)})
    return dashboard
