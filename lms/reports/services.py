"""Programme reports: per edition, per voivodeship, per module and per month, aggregated in SQL.

``programme_report(viewer, filters)`` is the one query function behind the report page and every
CSV export: the page and the file show the same ``ReportTable`` objects, so they cannot disagree.
It runs the same few statements whatever the amount of data (the editions, every count in one
UNION ALL, the indicator sums, the module list); every number is counted by the database (GROUP
BY), never by looping over rows in Python. The statements are built once per combination of
filters in use and cached; the filter values are bound parameters.

Which editions: an admin sees every edition, a trainer only those they train (``edition_trainer``);
the programme, edition and voivodeship filters narrow that set. "Voivodeship" is always the
edition's voivodeship (the region the edition runs in).

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

Voivodeship rows and totals are computed in SQL too. What may belong to several editions
(institutions, people, institution certificates, consultations, indicator reports) is counted
DISTINCT, so it counts once in its voivodeship and once in the total even when it appears in two
edition rows; what belongs to exactly one edition (acceptances, person certificates, completed
modules) is counted per edition and added up, so those columns add up exactly.

Indicator sums are computed in SQL with SQLAlchemy's portable JSON accessor
(``IndicatorReport.values[key].as_integer()``: ``JSON_EXTRACT`` on SQLite, ``->>`` cast to
integer on PostgreSQL), one SUM per indicator key of the programmes in the report, over the
DISTINCT accepted reports of each group — no rows are fetched to be added up in Python.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.expression import FunctionElement

from lms.accounts.models import Role, User
from lms.certificates.models import Certificate, CertificateKind, kind_is
from lms.content.models import Module, ModuleVersion, Programme
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.extensions import db
from lms.institutions.labels import VOIVODESHIP_LABELS
from lms.institutions.models import Voivodeship
from lms.learning.models import ModuleCompletion, Work, WorkStatus
from lms.support.models import Consultation, IndicatorReport, ReportStatus

TABLES = ("editions", "voivodeships", "modules", "monthly")


@dataclass(frozen=True)
class ReportFilters:
    """What the report is narrowed to; ``None`` means no restriction."""

    programme_id: int | None = None
    edition_id: int | None = None
    voivodeship: Voivodeship | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class ReportColumn:
    key: str
    label: str
    numeric: bool = True


@dataclass
class ReportTable:
    """One table as both the page and the CSV file show it: a header, rows and an optional totals row."""

    name: str
    title: str
    columns: list[ReportColumn]
    rows: list[list] = field(default_factory=list)
    total: list | None = None

    @property
    def header(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    @property
    def body(self) -> list[list]:
        """Every row the page shows, the totals row last."""
        return self.rows + ([self.total] if self.total is not None else [])

    def cells(self, row: list) -> zip:
        """A row's cells after its first (which the page shows as the row's header), each paired with
        whether its column is numeric; the page renders cells from this rather than looking each up."""
        return zip(row[1:], [column.numeric for column in self.columns[1:]], strict=True)

    def column(self, key: str) -> list:
        """One column's values of the data rows (without the totals row)."""
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


@dataclass
class Report:
    filters: ReportFilters
    editions: ReportTable
    voivodeships: ReportTable
    modules: ReportTable
    monthly: ReportTable
    indicators: list[dict]  # [{key, label}] of the programmes in the report

    def table(self, name: str) -> ReportTable:
        return getattr(self, name)


@dataclass
class FilterChoices:
    """What the viewer may filter by: the programmes and editions they see, every voivodeship."""

    programmes: list[Programme]
    editions: list[Edition]
    voivodeships: dict[Voivodeship, str] = field(default_factory=lambda: dict(VOIVODESHIP_LABELS))


# --- who sees what ---------------------------------------------------------------------------


def _restricted(statement, viewer: User):
    """Editions the viewer may report on: all for admins, their own for trainers."""
    if viewer.has_role(Role.ADMIN):
        return statement
    trained = select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == viewer.id)
    return statement.where(Edition.id.in_(trained))


def filter_choices(viewer: User) -> FilterChoices:
    """The filter form's options in two queries (editions with their programmes, then programmes)."""
    editions = db.session.scalars(
        _restricted(select(Edition), viewer)
        .options(joinedload(Edition.programme))
        .order_by(Edition.starts_on.desc(), Edition.name, Edition.id)
    ).all()
    if viewer.has_role(Role.ADMIN):
        programmes = db.session.scalars(select(Programme).order_by(Programme.title)).all()
    else:
        programmes = sorted({e.programme for e in editions}, key=lambda p: p.title)
    return FilterChoices(programmes, editions)


# --- SQL building blocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """Which restrictions a report has. The big statement is built once per shape and cached; the
    values (who, which programme, which dates) are bound parameters — see ``_parameters``."""

    trainer_only: bool
    programme: bool
    edition: bool
    voivodeship: bool
    start: bool
    end: bool

    @classmethod
    def of(cls, viewer: User, filters: ReportFilters) -> "_Shape":
        return cls(
            not viewer.has_role(Role.ADMIN),
            filters.programme_id is not None,
            filters.edition_id is not None,
            filters.voivodeship is not None,
            filters.date_from is not None,
            filters.date_to is not None,
        )


def _parameters(viewer: User, filters: ReportFilters) -> dict:
    """The values of the bound parameters the statements use (periods: whole days)."""
    parameters = {
        "viewer_id": viewer.id,
        "programme_id": filters.programme_id,
        "edition_id": filters.edition_id,
        "voivodeship": filters.voivodeship,
        "start_day": filters.date_from,
        "end_day": filters.date_to,
        "start_at": datetime.combine(filters.date_from, time()) if filters.date_from else None,
        "end_before": datetime.combine(filters.date_to + timedelta(days=1), time()) if filters.date_to else None,
    }
    return {key: value for key, value in parameters.items() if value is not None}


def _narrowed(statement, shape: _Shape):
    """Only the editions the viewer may see and the filters select."""
    if shape.trainer_only:
        trained = select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == bindparam("viewer_id"))
        statement = statement.where(Edition.id.in_(trained))
    if shape.programme:
        statement = statement.where(Edition.programme_id == bindparam("programme_id"))
    if shape.edition:
        statement = statement.where(Edition.id == bindparam("edition_id"))
    if shape.voivodeship:
        statement = statement.where(Edition.voivodeship == bindparam("voivodeship"))
    return statement


def _editions_cte(shape: _Shape):
    statement = select(
        Edition.id.label("edition_id"),
        Edition.voivodeship.label("voivodeship"),
        Edition.programme_id.label("programme_id"),
    )
    return _narrowed(statement, shape).cte("report_edition")


def _in_period(column, shape: _Shape, dated: bool = False):
    """``column`` (a datetime, or a date with ``dated``) inside the period."""
    conditions = [true()]
    if shape.start:
        conditions.append(column >= bindparam("start_day" if dated else "start_at"))
    if shape.end:
        conditions.append(column <= bindparam("end_day") if dated else column < bindparam("end_before"))
    return and_(*conditions)


class year_month(FunctionElement):
    """A timestamp's month as text, ``2026-03``."""

    type = String()
    name = "year_month"
    inherit_cache = True


@compiles(year_month)
def _year_month(element, compiler, **kw):  # PostgreSQL
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw):  # SQLAlchemy stores SQLite timestamps as 'YYYY-MM-DD HH:MM:SS…'
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


class in_editions(FunctionElement):
    """``column IN (the report's edition ids)``, for the big tables (works, enrolments).

    PostgreSQL runs the counts with nested loops off (see ``_count``), so an ``IN (SELECT …)`` there
    becomes a hash join over a scan of the whole table; ``= ANY(ARRAY(SELECT …))`` is a plain
    condition that an index answers instead (a trainer's report reads only their editions' rows).
    """

    # No Boolean type: SQLite (no native booleans) would get ``(… IN …) = 1``, which no index answers.
    name = "in_editions"
    inherit_cache = True


@compiles(in_editions)
def _in_editions(element, compiler, **kw):  # PostgreSQL
    column, edition_ids = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} = ANY(ARRAY{edition_ids})"


@compiles(in_editions, "sqlite")
def _in_editions_sqlite(element, compiler, **kw):
    column, edition_ids = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} IN {edition_ids}"


def _edition_ids(editions):
    return select(editions.c.edition_id).scalar_subquery()


BY_EDITION = (("edition", "edition_id"), ("voivodeship", "voivodeship"), ("total", None))


@dataclass
class _Measure:
    """Facts (a CTE) to be counted per group, for several groupings.

    ``ids`` None: each fact row is one counted thing (or ``weight`` things) that belongs to one
    edition — an acceptance, a completed module, a person certificate. The rows are counted per
    edition (and the other keys) first; the voivodeship is joined to those few counts, which are
    then added up per grouping. ``ids`` given: a thing may appear in several rows (an institution
    in two editions), so the DISTINCT (ids, key) pairs are counted per grouping.
    """

    name: str
    facts: object
    groupings: tuple[tuple[str, str | None], ...] = BY_EDITION
    ids: dict[str, list[str] | None] | list[str] | None = None
    editions: object = None  # the editions CTE (needed when ``ids`` is None)

    def _per_edition(self):
        keys = ["edition_id"] + [k for _g, k in self.groupings if k and k not in ("edition_id", "voivodeship")]
        weight = self.facts.c.weight if "weight" in self.facts.c else literal_column("1", Integer)
        counted = (
            select(*(self.facts.c[k] for k in keys), func.sum(weight).label("n"))
            .group_by(*(self.facts.c[k] for k in keys))
            .subquery()
        )
        return (
            select(counted, self.editions.c.voivodeship)
            .join(self.editions, self.editions.c.edition_id == counted.c.edition_id)
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
def _counts_statement(shape: _Shape):
    """Every measure in ONE statement (a UNION ALL of grouped counts), built once per shape."""
    editions = _editions_cte(shape)
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


def _count(shape: _Shape, parameters: dict) -> dict[str, dict[str, dict]]:
    """``{measure: {grouping: {key: count}}}``; the total's key is None."""
    statement, measures = _counts_statement(shape)
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


# --- the facts of each measure -----------------------------------------------------------------


def _institutions(editions) -> _Measure:
    facts = (
        select(edition_institution.c.institution_id, editions.c.edition_id, editions.c.voivodeship)
        .join(editions, editions.c.edition_id == edition_institution.c.edition_id)
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
        )
        .join(editions, editions.c.edition_id == Enrolment.edition_id)
        .cte("enrolment_facts")
    )
    # People count once per voivodeship and in the total; a module is completed once per enrolment.
    people = ["user_id"]  # an enrolment is unique per edition, so only the wider groupings need DISTINCT
    ids = {"edition": None, "voivodeship": people, "total": people, "programme": None}
    return _Measure("animators", facts, (*BY_EDITION, ("programme", "programme_id")), ids)


def _completed_modules(editions, shape: _Shape) -> _Measure:
    """Completed (enrolment, module) pairs, kept in ``module_completion`` by ``lms.learning.completions``."""
    facts = (
        select(ModuleCompletion.edition_id, ModuleCompletion.module_id)
        .where(
            in_editions(ModuleCompletion.edition_id, _edition_ids(editions)),
            _in_period(ModuleCompletion.completed_at, shape),
        )
        .subquery("module_facts")
    )
    return _Measure("modules_completed", facts, (*BY_EDITION, ("module", "module_id")), editions=editions)


def _accepted_assignments(editions, shape: _Shape) -> _Measure:
    """Accepted works, dated by ``Work.accepted_at`` (the accepting review's ``decided_at``, kept on the
    work so that no attempt or review is read here; accepted is final)."""
    facts = (
        select(Work.edition_id, year_month(Work.accepted_at).label("month"))
        .where(
            in_editions(Work.edition_id, _edition_ids(editions)),
            Work.status == WorkStatus.ACCEPTED,
            _in_period(Work.accepted_at, shape),
        )
        .subquery("acceptance_facts")
    )
    return _Measure("assignments_accepted", facts, (*BY_EDITION, ("month", "month")), editions=editions)


def _certificates(editions, shape: _Shape, kind: CertificateKind) -> _Measure:
    statement = select(
        Certificate.id.label("certificate_id"),
        editions.c.edition_id,
        editions.c.voivodeship,
        year_month(Certificate.issued_at).label("month"),
    )
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
        kind_is(kind), Certificate.revoked_at.is_(None), _in_period(Certificate.issued_at, shape)
    ).cte(f"{kind.value}_certificate_facts")
    groupings = (*BY_EDITION, ("month", "month"))
    # A person certificate belongs to one edition; an institution's may count in several.
    ids = None if kind is CertificateKind.PERSON else ["certificate_id"]
    return _Measure(f"{kind.value}_certificates", facts, groupings, ids, editions)


def _institution_facts(model, editions):
    """Rows of ``model`` (an institution's, for a programme) attributed to the editions it takes part in."""
    return (
        select(model.id.label("object_id"), editions.c.edition_id, editions.c.voivodeship)
        .join(edition_institution, edition_institution.c.institution_id == model.institution_id)
        .join(
            editions,
            and_(
                editions.c.edition_id == edition_institution.c.edition_id,
                editions.c.programme_id == model.programme_id,
            ),
        )
    )


def _consultations(editions, shape: _Shape) -> _Measure:
    facts = (
        _institution_facts(Consultation, editions)
        .where(_in_period(Consultation.held_on, shape, dated=True))
        .cte("consultation_facts")
    )
    return _Measure("consultations", facts, ids=["object_id"])


@lru_cache(maxsize=64)
def _indicator_statement(shape: _Shape, keys: tuple[str, ...]):
    """Per grouping, the sums of each indicator over the DISTINCT accepted reports (one statement)."""
    values = [IndicatorReport.values[key].as_integer().label(f"indicator_{i}") for i, key in enumerate(keys)]
    facts = (
        _institution_facts(IndicatorReport, _editions_cte(shape))
        .add_columns(*values)
        .where(
            IndicatorReport.status == ReportStatus.ACCEPTED,
            _in_period(IndicatorReport.period_end, shape, dated=True),
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


def _indicator_sums(shape: _Shape, parameters: dict, keys: list[str]) -> dict:
    """``{grouping: {key: [sum per indicator]}}``."""
    result = {grouping: {} for grouping, _key in BY_EDITION}
    if keys:
        for row in db.session.execute(_indicator_statement(shape, tuple(keys)), parameters):
            result[BY_EDITION[row.grouping][0]][row.key] = [int(v or 0) for v in row[2:]]
    return result


# --- the report --------------------------------------------------------------------------------

MEASURES = (
    ("institutions", _l("Institutions taking part")),
    ("animators", _l("Animators enrolled")),
    ("modules_completed", _l("Modules completed")),
    ("assignments_accepted", _l("Assignments accepted")),
    ("person_certificates", _l("Person certificates")),
    ("institution_certificates", _l("Institution certificates")),
    ("consultations", _l("Consultations held")),
)


def _report_editions(shape: _Shape, parameters: dict) -> list[Edition]:
    statement = _narrowed(select(Edition), shape).options(joinedload(Edition.programme))
    return db.session.scalars(statement.order_by(Edition.starts_on, Edition.name, Edition.id), parameters).all()


def _chosen_editions(choices: FilterChoices, filters: ReportFilters) -> list[Edition]:
    """What ``_report_editions`` selects, in its order, picked from the viewer's editions in
    ``filter_choices`` order (start descending, then name and id as the database sorts them)."""
    chosen = [
        edition
        for edition in choices.editions
        if filters.programme_id in (None, edition.programme_id)
        and filters.edition_id in (None, edition.id)
        and filters.voivodeship in (None, edition.voivodeship)
    ]
    # A stable sort by start keeps the database's name order (its collation) within a day.
    return sorted(chosen, key=lambda edition: edition.starts_on)


def _indicators(programmes: list[Programme]) -> list[dict]:
    """The indicators of the editions' programmes, each key once, in programme.yaml order."""
    seen, result = set(), []
    for programme in programmes:
        for indicator in programme.indicators or []:
            if isinstance(indicator, dict) and indicator.get("key") and indicator["key"] not in seen:
                seen.add(indicator["key"])
                result.append({"key": str(indicator["key"]), "label": str(indicator.get("label") or indicator["key"])})
    return result


def _modules(programme_ids: list[int]) -> list:
    """Rows (id, programme_id, level_number, title, programme_title) of the programmes' modules, in
    programme and module order; plain columns, as the table needs no Module objects."""
    if not programme_ids:
        return []
    return db.session.execute(
        select(
            Module.id,
            Module.programme_id,
            Module.level_number,
            ModuleVersion.title,
            Programme.title.label("programme_title"),
        )
        .join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .join(Programme, Programme.id == Module.programme_id)
        .where(Module.programme_id.in_(programme_ids), Module.retired.is_(False))
        .order_by(Programme.title, Module.level_number, Module.position)
    ).all()


def _months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), so that quiet months show as zero."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def programme_report(viewer: User, filters: ReportFilters, choices: FilterChoices | None = None) -> Report:
    """Every table of the report for the viewer and filters, in four SQL statements (three when
    ``choices``, the viewer's ``filter_choices``, are given: the editions are picked from them)."""
    shape, parameters = _Shape.of(viewer, filters), _parameters(viewer, filters)
    editions = _report_editions(shape, parameters) if choices is None else _chosen_editions(choices, filters)
    # The programmes shown: those of the editions, and the one filtered by even without editions.
    programmes = {e.programme for e in editions}
    if filters.programme_id is not None:
        programmes.add(db.session.get(Programme, filters.programme_id))
    programmes = sorted(programmes, key=lambda p: p.title)
    indicators = _indicators(programmes)
    keys = [i["key"] for i in indicators]
    measures = _count(shape, parameters)
    sums = _indicator_sums(shape, parameters, keys)
    modules = _modules([p.id for p in programmes])

    def numbers(grouping: str, key) -> list[int]:
        counted = [measures[name][grouping].get(key, 0) for name, _label in MEASURES]
        return counted + (sums[grouping].get(key) or [0] * len(keys))

    measure_columns = [ReportColumn(name, label) for name, label in MEASURES]
    measure_columns += [ReportColumn(f"indicator:{i['key']}", i["label"]) for i in indicators]

    edition_table = ReportTable(
        "editions",
        _("Editions"),
        [
            ReportColumn("edition", _l("Edition"), False),
            ReportColumn("programme", _l("Programme"), False),
            ReportColumn("voivodeship", _l("Voivodeship"), False),
            *measure_columns,
        ],
    )
    for edition in editions:
        labels = [edition.name, edition.programme.title, VOIVODESHIP_LABELS[edition.voivodeship]]
        edition_table.rows.append([*labels, *numbers("edition", str(edition.id))])
    edition_table.total = [_("Total"), "", "", *numbers("total", None)]

    voivodeship_table = ReportTable(
        "voivodeships", _("Voivodeships"), [ReportColumn("voivodeship", _l("Voivodeship"), False), *measure_columns]
    )
    for voivodeship in sorted({e.voivodeship for e in editions}, key=lambda v: VOIVODESHIP_LABELS[v]):
        voivodeship_table.rows.append([VOIVODESHIP_LABELS[voivodeship], *numbers("voivodeship", voivodeship.value)])
    voivodeship_table.total = [_("Total"), *numbers("total", None)]

    module_table = ReportTable(
        "modules",
        _("Modules"),
        [
            ReportColumn("programme", _l("Programme"), False),
            ReportColumn("level", _l("Level")),
            ReportColumn("module", _l("Module"), False),
            ReportColumn("enrolled", _l("Animators enrolled")),
            ReportColumn("completed", _l("Completed")),
            ReportColumn("percent", _l("Completed (%)")),
        ],
    )
    enrolled = measures["animators"]["programme"]
    completed = measures["modules_completed"]["module"]
    for module in modules:
        people, done = enrolled.get(str(module.programme_id), 0), completed.get(str(module.id), 0)
        percent = round(100 * done / people) if people else 0
        module_table.rows.append([module.programme_title, module.level_number, module.title, people, done, percent])

    monthly_table = ReportTable(
        "monthly",
        _("Months"),
        [
            ReportColumn("month", _l("Month"), False),
            ReportColumn("assignments_accepted", _l("Assignments accepted")),
            ReportColumn("person_certificates", _l("Person certificates")),
            ReportColumn("institution_certificates", _l("Institution certificates")),
        ],
    )
    dated = ("assignments_accepted", "person_certificates", "institution_certificates")
    series = [measures[name]["month"] for name in dated]
    found = sorted({month for counts in series for month in counts})
    for month in _months_between(found[0], found[-1]) if found else []:
        monthly_table.rows.append([month, *(counts.get(month, 0) for counts in series)])
    monthly_table.total = [_("Total"), *(measures[name]["total"].get(None, 0) for name in dated)]
    return Report(filters, edition_table, voivodeship_table, module_table, monthly_table, indicators)
