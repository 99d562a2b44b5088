"""The live checklists: what a person and an institution still need, computed in one place.

Every page that shows progress toward a certificate (the person's page, the institution's page,
the coordinator's dashboard, reports, the API) asks these functions, so they never disagree.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.base import utcnow
from lms.certificates.models import Certificate, CertificateKind, kind_is
from lms.content.models import AssignmentVersion, Module, ModuleVersion, Programme
from lms.content.spec import Scope
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.models import Work, WorkStatus
from lms.learning.progress import WorkSummary
from lms.support.models import Consultation, IndicatorReport, ReportStatus

REPORT_LABELS = {
    ReportStatus.SUBMITTED: _l("waiting for a trainer"),
    ReportStatus.RETURNED: _l("returned for correction"),
    ReportStatus.ACCEPTED: _l("accepted"),
}


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

    @property
    def missing(self) -> list[AssignmentVersion]:
        return [v for v in self.required if self.status_of(v) != WorkStatus.ACCEPTED.value]

    def status_of(self, version: AssignmentVersion) -> str:
        work = self.works.get(version.assignment_id)
        return work.status.value if work else "not_started"

    @property
    def complete(self) -> bool:
        return bool(self.required) and not self.missing


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
    return PersonStatus(rule, certificate, required, {w.assignment_id: w for w in works})


@dataclass
class ChecklistItem:
    # Stable across languages and course imports, for programs that read the API: "certified_staff",
    # "deliverable:<assignment slug>", "consultations", "indicator_report".
    key: str
    label: str
    met: bool
    detail: str = ""
    work: WorkSummary | None = None


@dataclass
class InstitutionChecklist:
    institution: Institution
    programme: Programme
    rule: dict
    items: list[ChecklistItem] = field(default_factory=list)
    certificate: Certificate | None = None  # a valid institution certificate, if held

    @property
    def met_count(self) -> int:
        return sum(item.met for item in self.items)

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


# Driven from the institutions' staff (a few dozen people each) rather than from the programme's
# certificates (thousands); a person holds at most one person certificate of a programme.
_CERTIFIED_STAFF_COUNTS = (
    select(User.institution_id, func.count(User.id))
    .where(
        User.institution_id.in_(bindparam("institution_ids", expanding=True)),
        select(Certificate.id)
        .where(
            Certificate.holder_id == User.id,
            kind_is(CertificateKind.PERSON),
            Certificate.programme_id == bindparam("programme_id"),
            Certificate.revoked_at.is_(None),
        )
        .exists(),
    )
    .group_by(User.institution_id)
)


def _certified_staff_counts(institution_ids: list[int], programme_id: int) -> dict[int, int]:
    parameters = {"institution_ids": institution_ids, "programme_id": programme_id}
    return dict(db.session.execute(_CERTIFIED_STAFF_COUNTS, parameters).all())


def certified_staff_count(institution_id: int, programme_id: int) -> int:
    """Staff of the institution holding the programme's (unrevoked) person certificate."""
    return _certified_staff_counts([institution_id], programme_id).get(institution_id, 0)


_CONSULTATION_COUNTS = (
    select(Consultation.institution_id, func.count(Consultation.id))
    .where(
        Consultation.institution_id.in_(bindparam("institution_ids", expanding=True)),
        Consultation.programme_id == bindparam("programme_id"),
    )
    .group_by(Consultation.institution_id)
)


def consultation_counts(institution_ids: list[int], programme_id: int) -> dict[int, int]:
    """Level II consultations logged per institution for the programme."""
    parameters = {"institution_ids": institution_ids, "programme_id": programme_id}
    return dict(db.session.execute(_CONSULTATION_COUNTS, parameters).all())


@dataclass
class ReportState:
    latest: IndicatorReport | None = None
    accepted: bool = False


_INDICATOR_REPORTS = (
    select(IndicatorReport)
    .where(
        IndicatorReport.institution_id.in_(bindparam("institution_ids", expanding=True)),
        IndicatorReport.programme_id == bindparam("programme_id"),
    )
    .order_by(IndicatorReport.submitted_at, IndicatorReport.id)
)


def indicator_reports(institution_ids: list[int], programme_id: int) -> dict[int, ReportState]:
    """Per institution: its latest indicator report for the programme and whether any was accepted."""
    states: dict[int, ReportState] = {}
    parameters = {"institution_ids": institution_ids, "programme_id": programme_id}
    reports = db.session.scalars(_INDICATOR_REPORTS, parameters)
    for report in reports:  # a few reports per institution
        state = states.setdefault(report.institution_id, ReportState())
        state.latest = report
        state.accepted = state.accepted or report.status is ReportStatus.ACCEPTED
    return states


_VALID_INSTITUTION_CERTIFICATES = (
    select(Certificate)
    .where(
        kind_is(CertificateKind.INSTITUTION),
        Certificate.institution_id.in_(bindparam("institution_ids", expanding=True)),
        Certificate.programme_id == bindparam("programme_id"),
        Certificate.revoked_at.is_(None),
        (Certificate.valid_until.is_(None)) | (Certificate.valid_until >= bindparam("today")),
    )
    .order_by(Certificate.issued_at)
)


def _valid_institution_certificates(institution_ids: list[int], programme_id: int) -> dict[int, Certificate]:
    parameters = {"institution_ids": institution_ids, "programme_id": programme_id, "today": utcnow().date()}
    certificates = db.session.scalars(_VALID_INSTITUTION_CERTIFICATES, parameters)
    return {certificate.institution_id: certificate for certificate in certificates}  # the newest wins


def valid_institution_certificate(institution_id: int, programme_id: int) -> Certificate | None:
    """The institution's current, unrevoked, unexpired certificate for the programme."""
    return _valid_institution_certificates([institution_id], programme_id).get(institution_id)


_DELIVERABLE_WORKS = (
    select(Work.id, Work.status, Work.institution_id, Work.assignment_id)
    .where(
        Work.institution_id.in_(bindparam("institution_ids", expanding=True)),
        Work.learner_id.is_(None),
        Work.assignment_id.in_(bindparam("assignment_ids", expanding=True)),
    )
    .order_by(Work.id)
)


def _deliverable_works(institution_ids: list[int], assignment_ids: list[int]) -> dict[tuple[int, int], WorkSummary]:
    parameters = {"institution_ids": institution_ids, "assignment_ids": assignment_ids}
    rows = db.session.execute(_DELIVERABLE_WORKS, parameters)
    best: dict[tuple[int, int], WorkSummary] = {}
    for row in rows:  # an institution in two editions: an accepted work counts
        key = (row.institution_id, row.assignment_id)
        if key not in best or row.status is WorkStatus.ACCEPTED:
            best[key] = WorkSummary(row.id, row.status)
    return best


def institution_checklists(institutions: list[Institution], programme: Programme) -> dict[int, InstitutionChecklist]:
    """Live checklists of many institutions for one programme, in a fixed number of queries."""
    rule = programme.certificates.get("institution")
    if not rule or not institutions:
        return {}
    ids = [institution.id for institution in institutions]
    staff = _certified_staff_counts(ids, programme.id)
    deliverables = required_assignments(programme, Scope.INSTITUTION, rule["deliverable_levels"])
    works = _deliverable_works(ids, [v.assignment_id for v in deliverables])
    consultations = consultation_counts(ids, programme.id)
    reports = indicator_reports(ids, programme.id) if rule.get("indicator_report_required") else {}
    certificates = _valid_institution_certificates(ids, programme.id)
    result = {}
    for institution in institutions:
        checklist = InstitutionChecklist(institution, programme, rule, certificate=certificates.get(institution.id))
        items = checklist.items
        held, needed = staff.get(institution.id, 0), rule["min_certified_staff"]
        staffed = _l("Staff with the person certificate")
        items.append(ChecklistItem("certified_staff", staffed, held >= needed, f"{held} / {needed}"))
        for version in deliverables:
            work = works.get((institution.id, version.assignment_id))
            met = bool(work and work.status is WorkStatus.ACCEPTED)
            items.append(ChecklistItem(f"deliverable:{version.assignment.slug}", version.title, met, work=work))
        held, needed = consultations.get(institution.id, 0), rule["min_consultations"]
        items.append(ChecklistItem("consultations", _l("Level II consultations"), held >= needed, f"{held} / {needed}"))
        if rule.get("indicator_report_required"):
            state = reports.get(institution.id, ReportState())
            latest = _l("latest: %(status)s", status=REPORT_LABELS[state.latest.status]) if state.latest else ""
            items.append(ChecklistItem("indicator_report", _l("An accepted indicator report"), state.accepted, latest))
        result[institution.id] = checklist
    return result


def institution_checklist(institution: Institution, programme: Programme) -> InstitutionChecklist | None:
    """The live checklist for the programme's institution certificate (None: the programme has none)."""
    return institution_checklists([institution], programme).get(institution.id)
