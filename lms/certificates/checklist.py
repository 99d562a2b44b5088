"""The live checklists: what a person and an institution still need, computed in one place.

Every page that shows progress toward a certificate (the person's page, the institution's page,
the coordinator's dashboard, reports, the API) asks these functions, so they never disagree.
"""

from dataclasses import dataclass, field
from typing import Protocol

from flask_babel import LazyString, gettext, lazy_ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import aliased, joinedload

from lms.accounts.models import User
from lms.base import utcnow
from lms.certificates.models import Certificate, CertificateKind, kind_is
from lms.content.models import Assignment, AssignmentVersion, Module, ModuleVersion, Programme
from lms.content.spec import Scope
from lms.database import column_rows
from lms.events.attendance import AttendanceStanding, attendance_standing
from lms.events.cadence import CadenceStanding, cadence_standings
from lms.events.labels import counted_events
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.models import Work, WorkStatus
from lms.learning.progress import WorkSummary
from lms.support.labels import REPORT_STATUS_LABELS
from lms.support.models import Consultation, IndicatorReport, ReportStatus

# The institution checklist's fixed item labels, made once (a dashboard builds the checklists of ten institutions).
CERTIFIED_STAFF = _l("Staff with the person certificate")
CONSULTATIONS = _l("Level II consultations")
INDICATOR_REPORT = _l("An accepted indicator report")


# The checklists' statements are built once, with bound parameters: every dashboard runs them, and
# building a statement and its cache key costs more than running it.
_REQUIRED_ASSIGNMENTS = (
    select(AssignmentVersion)
    .join(ModuleVersion, ModuleVersion.id == AssignmentVersion.module_version_id)
    .join(Module, Module.current_version_id == ModuleVersion.id)
    .where(
        Module.programme_id == bindparam("programme_id"),
        Module.retired.is_(False),
        Module.level_number.in_(bindparam("levels", expanding=True)),
        AssignmentVersion.scope == bindparam("scope"),
        AssignmentVersion.required.is_(True),
    )
    .order_by(Module.level_number, Module.position, AssignmentVersion.position)
    .options(joinedload(AssignmentVersion.assignment))  # its slug keys the checklist item
)


def required_assignments(programme: Programme, scope: Scope, levels: list[int]) -> list[AssignmentVersion]:
    """Required assignments of ``scope`` at ``levels`` as the current module versions state them, in order."""
    parameters = {"programme_id": programme.id, "levels": levels, "scope": scope}
    return db.session.scalars(_REQUIRED_ASSIGNMENTS, parameters).all()


@dataclass
class PersonStatus:
    """A person's standing toward a programme's person certificate in one edition."""

    rule: dict
    certificate: Certificate | None
    required: list[AssignmentVersion]
    works: dict[int, Work]  # assignment id -> the person's work in the edition
    attendance: AttendanceStanding | None = None  # when programme.yaml requires attending training hours

    @property
    def missing(self) -> list[AssignmentVersion]:
        return [v for v in self.required if self.status_of(v) != WorkStatus.ACCEPTED.value]

    def status_of(self, version: AssignmentVersion) -> str:
        work = self.works.get(version.assignment_id)
        return work.status.value if work else "not_started"

    @property
    def complete(self) -> bool:
        attended = self.attendance is None or self.attendance.met
        return bool(self.required) and not self.missing and attended


def person_status(user: User, programme: Programme, edition_id: int) -> PersonStatus | None:
    """Where ``user`` stands toward the programme's person certificate (None: the programme has none)."""
    rule = programme.certificates.get("person")
    if not rule:
        return None
    certificate = db.session.scalar(
        select(Certificate).where(
            kind_is(CertificateKind.PERSON),
            Certificate.programme_id == programme.id,
            Certificate.holder_id == user.id,
        )
    )
    required = required_assignments(programme, Scope.PERSON, [rule["level"]])
    works = db.session.scalars(
        select(Work).where(
            Work.learner_id == user.id,
            Work.edition_id == edition_id,
            Work.assignment_id.in_([v.assignment_id for v in required]),
        )
    ).all()
    attendance = attendance_standing(user.id, programme, edition_id)
    return PersonStatus(rule, certificate, required, {w.assignment_id: w for w in works}, attendance)


@dataclass
class ChecklistItem:
    # Stable across languages and course imports, for programs that read the API: "certified_staff",
    # "deliverable:<assignment slug>", "consultations", "indicator_report".
    key: str
    label: str
    met: bool
    detail: str = ""
    work: WorkSummary | None = None


class NamedInstitution(Protocol):
    """What a checklist needs of its institution: an Institution, or a lighter row of its id and name."""

    id: int
    name: str


@dataclass
class InstitutionChecklist:
    institution: NamedInstitution
    programme: Programme
    rule: dict
    items: list[ChecklistItem] = field(default_factory=list)
    certificate: Certificate | None = None  # a valid institution certificate, if held
    cadences: list[CadenceStanding] = field(default_factory=list)  # declared cadences, e.g. consultations per quarter

    @property
    def cadences_at_risk(self) -> list[CadenceStanding]:
        """Cadences whose current quarter is still short with less than 30 days left (the dashboard warns)."""
        return [c for c in self.cadences if c.current_quarter_at_risk]

    @property
    def met_count(self) -> int:
        return [item.met for item in self.items].count(True)

    @property
    def complete(self) -> bool:
        return all(item.met for item in self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.met_count / len(self.items)) if self.items else 0

    @property
    def missing(self) -> list[ChecklistItem]:
        return [item for item in self.items if not item.met]

    def snapshot(self) -> dict:
        """The checklist as plain data, stored with an application."""
        return {
            "items": [{"key": i.key, "label": str(i.label), "met": i.met, "detail": str(i.detail)} for i in self.items]
        }


# What each institution has toward a programme's institution certificate, one row per institution:
# correlated subqueries in one statement cost less than a statement each. Certified staff are counted
# from the institution's staff (a few dozen people) rather than from the programme's certificates
# (thousands); a person holds at most one person certificate of a programme. The institution
# certificate held is aliased apart from the subqueries' certificates.
_held = aliased(Certificate, name="held_certificate")
_reports = select(IndicatorReport.id).where(
    IndicatorReport.institution_id == Institution.id, IndicatorReport.programme_id == bindparam("programme_id")
)
_latest_report = _reports.order_by(IndicatorReport.submitted_at.desc(), IndicatorReport.id.desc()).limit(1)
_STANDINGS = (
    select(
        Institution.id.label("institution_id"),
        select(func.count(User.id))
        .where(
            User.institution_id == Institution.id,
            select(Certificate.id)
            .where(
                Certificate.holder_id == User.id,
                kind_is(CertificateKind.PERSON),
                Certificate.programme_id == bindparam("programme_id"),
                Certificate.revoked_at.is_(None),
            )
            .exists(),
        )
        .scalar_subquery()
        .label("certified_staff"),
        select(func.count(Consultation.id))
        .where(Consultation.institution_id == Institution.id, Consultation.programme_id == bindparam("programme_id"))
        .scalar_subquery()
        .label("consultations"),
        _latest_report.scalar_subquery().label("latest_report_id"),
        _latest_report.with_only_columns(IndicatorReport.status).scalar_subquery().label("latest_report_status"),
        _reports.where(IndicatorReport.status == ReportStatus.ACCEPTED).exists().label("report_accepted"),
        _held,
    )
    .select_from(Institution)
    .outerjoin(
        _held,
        _held.id
        == select(Certificate.id)
        .where(
            kind_is(CertificateKind.INSTITUTION),
            Certificate.institution_id == Institution.id,
            Certificate.programme_id == bindparam("programme_id"),
            Certificate.revoked_at.is_(None),
            (Certificate.valid_until.is_(None)) | (Certificate.valid_until >= bindparam("today")),
        )
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())  # the newest valid one
        .limit(1)
        .scalar_subquery(),
    )
    .where(Institution.id.in_(bindparam("institution_ids", expanding=True)))
)


def institution_standings(institution_ids: list[int], programme_id: int) -> dict[int, Row]:
    """Per institution, toward the programme's institution certificate: ``certified_staff`` (unrevoked
    person certificates among its staff), ``consultations`` (Level II, logged), ``latest_report_id`` and
    ``latest_report_status`` (its latest indicator report), ``report_accepted`` (any report accepted) and
    ``held_certificate``, the valid institution certificate it holds (or None)."""
    parameters = {"institution_ids": institution_ids, "programme_id": programme_id, "today": utcnow().date()}
    return {row.institution_id: row for row in db.session.execute(_STANDINGS, parameters).all()}


# The required deliverables as the current module versions state them, each with the institutions'
# shared works on it (in work order: an institution in two editions may have two).
_DELIVERABLES = (
    select(
        AssignmentVersion.assignment_id,
        AssignmentVersion.title,
        Assignment.slug,
        Work.id.label("work_id"),
        Work.status,
        Work.institution_id,
    )
    .join(ModuleVersion, ModuleVersion.id == AssignmentVersion.module_version_id)
    .join(Module, Module.current_version_id == ModuleVersion.id)
    .join(Assignment, Assignment.id == AssignmentVersion.assignment_id)
    .outerjoin(
        Work,
        (Work.assignment_id == AssignmentVersion.assignment_id)
        & Work.learner_id.is_(None)
        & Work.institution_id.in_(bindparam("institution_ids", expanding=True)),
    )
    .where(
        Module.programme_id == bindparam("programme_id"),
        Module.retired.is_(False),
        Module.level_number.in_(bindparam("levels", expanding=True)),
        AssignmentVersion.scope == Scope.INSTITUTION,
        AssignmentVersion.required.is_(True),
    )
    .order_by(Module.level_number, Module.position, AssignmentVersion.position, Work.id)
)


def _deliverables(institution_ids: list[int], programme_id: int, levels: list[int]):
    """The required deliverables (assignment id -> slug, title) in order, and per (institution,
    assignment) the work that counts: an accepted one if any, else the first."""
    parameters = {"institution_ids": institution_ids, "programme_id": programme_id, "levels": levels}
    deliverables: dict[int, tuple[str, str]] = {}
    best: dict[tuple[int, int], WorkSummary] = {}
    for row in column_rows(_DELIVERABLES, parameters):
        deliverables.setdefault(row.assignment_id, (row.slug, row.title))
        if row.work_id is not None:
            key = (row.institution_id, row.assignment_id)
            if key not in best or row.status is WorkStatus.ACCEPTED:
                best[key] = WorkSummary(row.work_id, row.status)
    return deliverables, best


def institution_checklists(
    institutions: list[NamedInstitution], programme: Programme
) -> dict[int, InstitutionChecklist]:
    """Live checklists of many institutions for one programme, in a fixed number of queries."""
    rule = programme.certificates.get("institution")
    if not rule or not institutions:
        return {}
    ids = [institution.id for institution in institutions]
    standings = institution_standings(ids, programme.id)
    deliverables, works = _deliverables(ids, programme.id, rule["deliverable_levels"])
    cadences = cadence_standings(ids, programme)
    quarter_label = gettext("Q%(number)s %(year)s")  # translated once, filled per quarter of every institution
    result = {}
    for institution in institutions:
        standing = standings[institution.id]
        checklist = InstitutionChecklist(institution, programme, rule, certificate=standing.held_certificate)
        items = checklist.items
        held, needed = standing.certified_staff, rule["min_certified_staff"]
        items.append(ChecklistItem("certified_staff", CERTIFIED_STAFF, held >= needed, f"{held} / {needed}"))
        for assignment_id, (slug, title) in deliverables.items():
            work = works.get((institution.id, assignment_id))
            met = bool(work and work.status is WorkStatus.ACCEPTED)
            items.append(ChecklistItem(f"deliverable:{slug}", title, met, work=work))
        held, needed = standing.consultations, rule["min_consultations"]
        if needed:  # a programme that asks for no consultations (CALa naprzód) shows no such item
            items.append(ChecklistItem("consultations", CONSULTATIONS, held >= needed, f"{held} / {needed}"))
        checklist.cadences = cadences.get(institution.id, [])
        for cadence in checklist.cadences:
            items.append(_cadence_item(cadence, quarter_label))
        if rule.get("indicator_report_required"):
            status = standing.latest_report_status
            # The latest report's status only says something when it is not the accepted one the item names.
            shown = status and status != ReportStatus.ACCEPTED
            latest = _l("latest: %(status)s", status=REPORT_STATUS_LABELS[status]) if shown else ""
            accepted = bool(standing.report_accepted)
            items.append(ChecklistItem("indicator_report", INDICATOR_REPORT, accepted, latest))
        result[institution.id] = checklist
    return result


def _cadence_item(cadence: CadenceStanding, quarter_label: str) -> ChecklistItem:
    """ "At least 1 consultation in every quarter, 4 quarters in a row", and what is met and what is missing: how
    many quarters in a row so far, how many more are needed, whether this quarter is covered yet, which are."""
    label = _l(
        "At least %(events)s in every quarter, %(quarters)s in a row",
        events=counted_events(cadence.kind, cadence.per_quarter),
        quarters=lazy_ngettext("%(num)s quarter", "%(num)s quarters", cadence.quarters),
    )
    run = min(cadence.longest_run if cadence.met else cadence.current_run, cadence.quarters)
    parts = [
        lazy_ngettext(
            "%(run)s of %(num)s quarter in a row", "%(run)s of %(num)s quarters in a row", cadence.quarters, run=run
        )
    ]
    if not cadence.met:
        missing = cadence.quarters - run
        parts.append(lazy_ngettext("%(num)s more quarter needed", "%(num)s more quarters needed", missing))
        if not cadence.current_quarter_covered:
            parts.append(_l("this quarter not covered yet"))
    covered = [quarter_label % {"number": n, "year": year} for (year, n), met in cadence.timeline if met]
    if covered:
        parts.append(_l("quarters covered: %(quarters)s", quarters=", ".join(covered)))
    detail = LazyString(lambda: "; ".join(str(part) for part in parts))  # in the language of the page showing it
    return ChecklistItem(f"cadence:{cadence.kind.value}", label, cadence.met, detail)


def institution_checklist(institution: Institution, programme: Programme) -> InstitutionChecklist | None:
    """The live checklist for the programme's institution certificate (None: the programme has none)."""
    return institution_checklists([institution], programme).get(institution.id)
