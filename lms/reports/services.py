"""Programme reports: per edition, per voivodeship, per module and per month, aggregated in SQL.

``programme_report(viewer, filters)`` is the one query function behind the report page and every
CSV export: the page and the file show the same ``ReportTable`` objects, so they cannot disagree.
It runs the same few statements whatever the amount of data (the editions, every count in one
UNION ALL, the indicator sums, the module list); every number is counted by the database (GROUP
BY), never by looping over rows in Python. The statements are built once per combination of
filters in use and cached; the filter values are bound parameters.

Which editions: an admin sees every edition, a trainer only those they train (``edition_trainer``);
the programme, edition and voivodeship filters narrow that set (the voivodeship filter: the region the
edition runs in). Rows "per voivodeship" group by the institution's voivodeship, as the registry shows it;
rows "per region" by the edition's.

What each number means, and how it is counted: lms/reports/measures.py.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.content.models import Module, ModuleVersion, Programme
from lms.content.spec import ModuleKind
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.labels import VOIVODESHIP_LABELS
from lms.institutions.models import Voivodeship
from lms.reports.filters import FilterChoices, ReportFilters
from lms.reports.measures import MEASURES, indicator_sums, measure_counts
from lms.reports.sql import Shape, bound_parameters, narrowed
from lms.reports.tables import Report, ReportColumn, ReportTable


def _report_editions(shape: Shape, parameters: dict) -> list[Edition]:
    statement = narrowed(select(Edition), shape).options(joinedload(Edition.programme))
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
        .where(Module.programme_id.in_(programme_ids), Module.retired.is_(False), Module.kind == ModuleKind.MODULE)
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
    shape, parameters = Shape.of(viewer, filters), bound_parameters(viewer, filters)
    editions = _report_editions(shape, parameters) if choices is None else _chosen_editions(choices, filters)
    # The programmes shown: those of the editions, and the one filtered by even without editions.
    programmes = {e.programme for e in editions}
    if filters.programme_id is not None:
        programmes.add(db.session.get(Programme, filters.programme_id))
    programmes = sorted(programmes, key=lambda p: p.title)
    indicators = _indicators(programmes)
    keys = [i["key"] for i in indicators]
    measures = measure_counts(shape, parameters)
    sums = indicator_sums(shape, parameters, keys)
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
            ReportColumn("region", _l("Region of the edition"), False),
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
    found = {key for name, _label in MEASURES for key in measures[name]["voivodeship"]} | set(sums["voivodeship"])
    for voivodeship in sorted((v for v in Voivodeship if v.value in found), key=lambda v: VOIVODESHIP_LABELS[v]):
        voivodeship_table.rows.append([VOIVODESHIP_LABELS[voivodeship], *numbers("voivodeship", voivodeship.value)])
    voivodeship_table.total = [_("Total"), *numbers("total", None)]

    region_table = ReportTable(
        "regions",
        _("Regions of the editions"),
        [ReportColumn("region", _l("Region of the edition"), False), *measure_columns],
    )
    for voivodeship in sorted({e.voivodeship for e in editions}, key=lambda v: VOIVODESHIP_LABELS[v]):
        region_table.rows.append([VOIVODESHIP_LABELS[voivodeship], *numbers("region", voivodeship.value)])
    region_table.total = [_("Total"), *numbers("total", None)]

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
            ReportColumn("institution_certificates", _l("Certified centres")),
        ],
        by_month=True,
    )
    dated = ("assignments_accepted", "person_certificates", "institution_certificates")
    series = [measures[name]["month"] for name in dated]
    found = sorted({month for counts in series for month in counts})
    for month in _months_between(found[0], found[-1]) if found else []:
        monthly_table.rows.append([month, *(counts.get(month, 0) for counts in series)])
    monthly_table.total = [_("Total"), *(measures[name]["total"].get(None, 0) for name in dated)]
    return Report(filters, edition_table, voivodeship_table, region_table, module_table, monthly_table, indicators)
