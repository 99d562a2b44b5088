"""The measures of a programme report, counted in SQL: one UNION ALL of grouped counts, and the indicator sums.

What each number means (dates and months are UTC):

- institutions taking part: institutions in the edition (``edition_institution``);
- animators enrolled: people enrolled in the edition (``Enrolment``);
- modules completed: pairs (enrolment, module) in which the module is *accepted* exactly as
  ``lms.learning.progress`` decides it for the enrolled person, read from ``module_completion``,
  which ``lms.learning.completions`` keeps in step with the works (the rule is spelled out there).
  A module counts in a period when the last acceptance that completed it falls inside the period;
- assignments accepted: works (person and institution scope) whose status is accepted; dated by
  ``Work.accepted_at``, the accepting review's ``decided_at``;
- person certificates: issued for the edition (``Certificate.edition_id``), not revoked, dated by
  ``issued_at``;
- institution certificates, consultations held, indicator sums: these belong to an institution
  and a programme, not to an edition, so they count for every edition of that programme the
  institution takes part in. Certificates are dated by ``issued_at`` (revoked ones are left out),
  consultations by ``held_on``; indicator sums add up the values of *accepted* indicator reports
  whose reporting period ends inside the chosen period.

The voivodeship of a row is the institution's (of the person, for enrolments and completed modules),
as the registry shows it; the region is the edition's. Voivodeship, region rows and totals are computed
in SQL too. What may belong to several editions
(institutions, people, institution certificates, consultations, indicator reports) is counted
DISTINCT, so it counts once in its voivodeship and once in the total even when it appears in two
edition rows; what belongs to exactly one edition (acceptances, person certificates, completed
modules) is counted per edition and added up, so those columns add up exactly.

Indicator sums are computed in SQL with SQLAlchemy's portable JSON accessor
(``IndicatorReport.values[key].as_integer()``: ``JSON_EXTRACT`` on SQLite, ``->>`` cast to
integer on PostgreSQL), one SUM per indicator key of the programmes in the report, over the
DISTINCT accepted reports of each group — no rows are fetched to be added up in Python.
"""

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, and_, cast, func, literal_column, null, select, text, union_all

from lms.accounts.models import User
from lms.certificates.models import Certificate, CertificateKind, kind_is
from lms.editions.models import Enrolment, edition_institution
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.models import ModuleCompletion, Work, WorkStatus
from lms.reports.sql import Shape, editions_cte, in_editions, in_period, report_edition_ids, year_month
from lms.support.models import Consultation, IndicatorReport, ReportStatus

MEASURES = (
    ("institutions", _l("Institutions taking part")),
    ("animators", _l("Animators enrolled")),
    ("modules_completed", _l("Modules completed")),
    ("assignments_accepted", _l("Assignments accepted")),
    ("person_certificates", _l("Person certificates")),
    ("institution_certificates", _l("Certified centres")),
    ("consultations", _l("Consultations held")),
)


# Groupings and the fact column each groups by: the voivodeship is the institution's (as the registry
# shows it), the region the edition's (where it runs); an institution may take part in another region.
BY_EDITION = (
    ("edition", "edition_id"),
    ("voivodeship", "institution_voivodeship"),
    ("region", "voivodeship"),
    ("total", None),
)


@dataclass
class _Measure:
    """Facts (a CTE) to be counted per group, for several groupings.

    ``ids`` None: each fact row is one counted thing (or ``weight`` things) that belongs to one
    edition — an acceptance, a completed module, a person certificate. The rows are counted per
    edition (and the other keys) first; the edition's region is joined to those few counts, which are
    then added up per grouping. ``ids`` given: a thing may appear in several rows (an institution
    in two editions), so the DISTINCT (ids, key) pairs are counted per grouping.
    """

    name: str
    facts: object
    groupings: tuple[tuple[str, str | None], ...] = BY_EDITION
    ids: dict[str, list[str] | None] | list[str] | None = None
    editions: object = None  # the editions CTE (needed when ``ids`` is None)

    def _per_edition(self):
        # Facts carry their institution's id; its voivodeship, like the edition's region, is joined to the
        # few counted rows rather than to every fact (tens of thousands of acceptances).
        joined = ("edition_id", "voivodeship", "institution_voivodeship")
        keys = ["edition_id", "institution_id"] + [k for _g, k in self.groupings if k and k not in joined]
        weight = self.facts.c.weight if "weight" in self.facts.c else literal_column("1", Integer)
        counted = (
            select(*(self.facts.c[k] for k in keys), func.sum(weight).label("n"))
            .group_by(*(self.facts.c[k] for k in keys))
            .subquery()
        )
        return (
            select(counted, self.editions.c.voivodeship, HOME)
            .join(self.editions, self.editions.c.edition_id == counted.c.edition_id)
            .outerjoin(Institution, Institution.id == counted.c.institution_id)
            .cte(f"{self.name}_counted")
        )

    def parts(self, number: int) -> list:
        counted = self._per_edition() if self.ids is None else None
        parts = []
        for index, (grouping, key) in enumerate(self.groupings):
            if counted is not None:
                rows, value = counted, func.coalesce(func.sum(counted.c.n), 0)
            else:
                ids = self.ids[grouping] if isinstance(self.ids, dict) else self.ids
                rows = self.facts  # ids None: the rows are already one per thing and group
                if ids is not None:
                    rows = select(*(self.facts.c[c] for c in ids), *([self.facts.c[key]] if key else []))
                    rows = rows.distinct().subquery()
                value = func.count()
            part = select(
                literal_column(str(number), Integer).label("measure"),
                literal_column(str(index), Integer).label("grouping"),
                (cast(rows.c[key], String) if key else cast(null(), String)).label("key"),
                value.label("value"),
            ).select_from(rows)
            parts.append(part.group_by(rows.c[key]) if key else part)
        return parts


@lru_cache(maxsize=64)
def counts_statement(shape: Shape):
    """Every measure in ONE statement (a UNION ALL of grouped counts), built once per shape."""
    editions = editions_cte(shape)
    measures = [
        _institutions(editions),
        _enrolments(editions),
        _completed_modules(editions, shape),
        _accepted_assignments(editions, shape),
        _certificates(editions, shape, CertificateKind.PERSON),
        _certificates(editions, shape, CertificateKind.INSTITUTION),
        _consultations(editions, shape),
    ]
    parts = [part for number, measure in enumerate(measures) for part in measure.parts(number)]
    return union_all(*parts), [(m.name, [grouping for grouping, _key in m.groupings]) for m in measures]


def measure_counts(shape: Shape, parameters: dict) -> dict[str, dict[str, dict]]:
    """``{measure: {grouping: {key: count}}}``; the total's key is None."""
    statement, measures = counts_statement(shape)
    result = {name: {grouping: {} for grouping in groupings} for name, groupings in measures}
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        # PostgreSQL keeps no statistics for CTEs: it guesses a filtered CTE scan returns one row and
        # then joins two of them with a nested loop that goes quadratic (seconds on the large data
        # set). Every join here is best hashed, so nested loops are off for this one statement.
        db.session.execute(text("SET LOCAL enable_nestloop = off"))
    rows = db.session.execute(statement, parameters).all()
    if postgresql:
        db.session.execute(text("SET LOCAL enable_nestloop TO DEFAULT"))
    for row in rows:
        name, groupings = measures[row.measure]
        result[name][groupings[row.grouping]][row.key] = int(row.value or 0)
    return result


HOME = Institution.voivodeship.label("institution_voivodeship")


def _institutions(editions) -> _Measure:
    facts = (
        select(edition_institution.c.institution_id, editions.c.edition_id, editions.c.voivodeship, HOME)
        .join(editions, editions.c.edition_id == edition_institution.c.edition_id)
        .join(Institution, Institution.id == edition_institution.c.institution_id)
        .cte("institution_facts")
    )
    return _Measure("institutions", facts, ids=["institution_id"])


def _enrolments(editions) -> _Measure:
    facts = (
        select(
            Enrolment.id.label("enrolment_id"),
            Enrolment.user_id,
            editions.c.edition_id,
            editions.c.voivodeship,
            editions.c.programme_id,
            HOME,
        )
        .join(editions, editions.c.edition_id == Enrolment.edition_id)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .cte("enrolment_facts")
    )
    # People count once per voivodeship, region and in the total; a module is completed once per enrolment.
    people = ["user_id"]  # an enrolment is unique per edition, so only the wider groupings need DISTINCT
    ids = {"edition": None, "voivodeship": people, "region": people, "total": people, "programme": None}
    return _Measure("animators", facts, (*BY_EDITION, ("programme", "programme_id")), ids)


def _completed_modules(editions, shape: Shape) -> _Measure:
    """Completed (enrolment, module) pairs, kept in ``module_completion`` by ``lms.learning.completions``."""
    facts = (
        select(ModuleCompletion.edition_id, ModuleCompletion.module_id, User.institution_id)
        .join(User, User.id == ModuleCompletion.user_id)
        .where(
            in_editions(ModuleCompletion.edition_id, report_edition_ids(editions)),
            in_period(ModuleCompletion.completed_at, shape),
        )
        .subquery("module_facts")
    )
    return _Measure("modules_completed", facts, (*BY_EDITION, ("module", "module_id")), editions=editions)


def _accepted_assignments(editions, shape: Shape) -> _Measure:
    """Accepted works, dated by ``Work.accepted_at`` (the accepting review's ``decided_at``, kept on the
    work so that no attempt or review is read here; accepted is final)."""
    facts = (
        select(Work.edition_id, year_month(Work.accepted_at).label("month"), Work.institution_id)
        .where(
            in_editions(Work.edition_id, report_edition_ids(editions)),
            Work.status == WorkStatus.ACCEPTED,
            in_period(Work.accepted_at, shape),
        )
        .subquery("acceptance_facts")
    )
    return _Measure("assignments_accepted", facts, (*BY_EDITION, ("month", "month")), editions=editions)


def _certificates(editions, shape: Shape, kind: CertificateKind) -> _Measure:
    statement = select(
        Certificate.id.label("certificate_id"),
        editions.c.edition_id,
        editions.c.voivodeship,
        year_month(Certificate.issued_at).label("month"),
        Certificate.institution_id,
        HOME,
    ).join(Institution, Institution.id == Certificate.institution_id)
    if kind is CertificateKind.PERSON:
        statement = statement.join(editions, editions.c.edition_id == Certificate.edition_id)
    else:
        statement = statement.join(
            edition_institution, edition_institution.c.institution_id == Certificate.institution_id
        ).join(
            editions,
            and_(
                editions.c.edition_id == edition_institution.c.edition_id,
                editions.c.programme_id == Certificate.programme_id,
            ),
        )
    facts = statement.where(
        kind_is(kind), Certificate.revoked_at.is_(None), in_period(Certificate.issued_at, shape)
    ).cte(f"{kind.value}_certificate_facts")
    groupings = (*BY_EDITION, ("month", "month"))
    # A person certificate belongs to one edition. Institution certificates count centres: an institution's
    # may count in several editions, and a renewed centre holds two certificates but is one certified centre.
    ids = None if kind is CertificateKind.PERSON else ["institution_id"]
    return _Measure(f"{kind.value}_certificates", facts, groupings, ids, editions)


def _institution_facts(model, editions):
    """Rows of ``model`` (an institution's, for a programme) attributed to the editions it takes part in."""
    return (
        select(model.id.label("object_id"), editions.c.edition_id, editions.c.voivodeship, HOME)
        .join(Institution, Institution.id == model.institution_id)
        .join(edition_institution, edition_institution.c.institution_id == model.institution_id)
        .join(
            editions,
            and_(
                editions.c.edition_id == edition_institution.c.edition_id,
                editions.c.programme_id == model.programme_id,
            ),
        )
    )


def _consultations(editions, shape: Shape) -> _Measure:
    facts = (
        _institution_facts(Consultation, editions)
        .where(in_period(Consultation.held_on, shape, dated=True))
        .cte("consultation_facts")
    )
    return _Measure("consultations", facts, ids=["object_id"])


@lru_cache(maxsize=64)
def _indicator_statement(shape: Shape, keys: tuple[str, ...]):
    """Per grouping, the sums of each indicator over the DISTINCT accepted reports (one statement)."""
    values = [IndicatorReport.values[key].as_integer().label(f"indicator_{i}") for i, key in enumerate(keys)]
    facts = (
        _institution_facts(IndicatorReport, editions_cte(shape))
        .add_columns(*values)
        .where(
            IndicatorReport.status == ReportStatus.ACCEPTED,
            in_period(IndicatorReport.period_end, shape, dated=True),
        )
        .cte("indicator_facts")
    )
    sums = [f"indicator_{i}" for i in range(len(keys))]
    parts = []
    for index, (_grouping, key) in enumerate(BY_EDITION):
        rows = select(facts.c.object_id, *([facts.c[key]] if key else []), *(facts.c[s] for s in sums))
        rows = rows.distinct().subquery()
        part = select(
            literal_column(str(index), Integer).label("grouping"),
            (cast(rows.c[key], String) if key else cast(null(), String)).label("key"),
            *(func.coalesce(func.sum(rows.c[s]), 0).label(s) for s in sums),
        ).select_from(rows)
        parts.append(part.group_by(rows.c[key]) if key else part)
    return union_all(*parts)


def indicator_sums(shape: Shape, parameters: dict, keys: list[str]) -> dict:
    """``{grouping: {key: [sum per indicator]}}``."""
    result = {grouping: {} for grouping, _key in BY_EDITION}
    if keys:
        for row in db.session.execute(_indicator_statement(shape, tuple(keys)), parameters):
            result[BY_EDITION[row.grouping][0]][row.key] = [int(v or 0) for v in row[2:]]
    return result
