"""The SQL building blocks of a programme report: its shape (which restrictions), its bound parameters, the
editions it covers, periods, and two portable SQL functions."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import String, and_, bindparam, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from lms.accounts.models import Role, User
from lms.editions.models import Edition, edition_trainer
from lms.reports.filters import ReportFilters


@dataclass(frozen=True)
class Shape:
    """Which restrictions a report has. The big statement is built once per shape and cached; the
    values (who, which programme, which dates) are bound parameters — see ``bound_parameters``."""

    trainer_only: bool
    programme: bool
    edition: bool
    voivodeship: bool
    start: bool
    end: bool

    @classmethod
    def of(cls, viewer: User, filters: ReportFilters) -> "Shape":
        return cls(
            not viewer.has_role(Role.ADMIN),
            filters.programme_id is not None,
            filters.edition_id is not None,
            filters.voivodeship is not None,
            filters.date_from is not None,
            filters.date_to is not None,
        )


def bound_parameters(viewer: User, filters: ReportFilters) -> dict:
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


def narrowed(statement, shape: Shape):
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


def editions_cte(shape: Shape):
    statement = select(
        Edition.id.label("edition_id"),
        Edition.voivodeship.label("voivodeship"),
        Edition.programme_id.label("programme_id"),
    )
    return narrowed(statement, shape).cte("report_edition")


def in_period(column, shape: Shape, dated: bool = False):
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

    PostgreSQL runs the counts with nested loops off (see ``measure_counts``), so an ``IN (SELECT …)`` there
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


def report_edition_ids(editions):
    return select(editions.c.edition_id).scalar_subquery()
