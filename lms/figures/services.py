"""A programme's public figures, by voivodeship and in total, counted as the admin report counts them.

The numbers come from the report's own measures (``lms.reports.measures``) with the report's shape for
"every edition of this programme": the public totals are the admin report's totals on the same data by
construction, and a test on the large data set holds them to it. Voivodeship means the institution's own
voivodeship, as in the report (and the registry): the map shows where the centres are. A trainer counts in
each voivodeship whose centres their editions include.

Small numbers are not published: a value from 1 to 4 is shown as "<5" (one small centre's figures could
otherwise be read off the page). Only the displayed cell changes; totals are computed from the true
values (a total of 1–4 is shown as "<5" too). The CSV file is built from the very cells the page shows.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.content.models import AssignmentVersion, Module, Programme
from lms.editions.models import Edition, edition_institution, edition_trainer
from lms.extensions import db
from lms.institutions.labels import VOIVODESHIP_LABELS
from lms.institutions.models import Institution, Voivodeship
from lms.learning.models import Work, WorkStatus
from lms.reports.measures import indicator_sums, measure_counts
from lms.reports.sql import Shape
from lms.reports.tables import ReportColumn, ReportTable

SMALL = "<5"
# The programme's whole public picture: every edition of one programme, no period, as an admin sees it.
SHAPE = Shape(trainer_only=False, programme=True, edition=False, voivodeship=False, start=False, end=False)

# (column key, measure of lms.reports.measures, label)
MEASURED = (
    ("institutions", "institutions", _l("Institutions taking part")),
    ("trained", "person_certificates", _l("People trained (person certificates)")),
    ("in_training", "animators", _l("People in training (enrolled)")),
    ("certified", "institution_certificates", _l("Certified centres")),
)
# Indicators published when a programme has them: volunteers, cooperating NGOs, NGOs founded. Each is the
# first of its keys the programme has (programmes name their volunteers differently).
PUBLIC_INDICATORS = (
    ("wolontariusze", "wolontariusze-klubu", "wolontariusze-zaangazowani"),
    ("organizacje-wspolpracujace",),
    ("organizacje-zalozone",),
)


def shown(value: int):
    """What the public page shows for a count: "<5" for 1 to 4, the number otherwise."""
    return SMALL if 1 <= value <= 4 else value


# The shades of the map, by centres taking part: MapArea.shade picks one, the legend names each.
MAP_LEGEND = (
    ("none", _l("no centres")),
    ("few", _l("fewer than 5")),
    ("some", _l("5 to 14")),
    ("many", _l("15 or more")),
)


@dataclass(frozen=True)
class MapArea:
    """One voivodeship on the map: its outline, where its figures go, and the figures as shown."""

    label: str
    path: str
    x: int
    y: int
    centres: object
    certified: object

    @property
    def shade(self) -> str:
        if self.centres == 0:
            return "none"
        if self.centres == SMALL:
            return "few"
        return "some" if self.centres < 15 else "many"


@cache
def outlines() -> dict:
    """The voivodeships' outlines, built by scripts/build_voivodeship_map.py from Natural Earth's boundaries."""
    return json.loads((Path(__file__).parent / "voivodeships.json").read_text(encoding="utf-8"))


@dataclass
class ProgrammeFigures:
    programme: Programme
    table: ReportTable  # every cell as shown: the page and the CSV
    areas: list[MapArea]
    true_totals: dict[str, int]  # the totals before "<5", per column key


def _trainers(programme_id: int) -> dict:
    """Trainers of the programme's editions: in each voivodeship where an institution of their editions is
    (a trainer working with centres of two voivodeships counts in both) and, once each, in the total."""
    pairs = (
        select(edition_trainer.c.user_id, Institution.voivodeship)
        .join(Edition, Edition.id == edition_trainer.c.edition_id)
        .join(edition_institution, edition_institution.c.edition_id == Edition.id)
        .join(Institution, Institution.id == edition_institution.c.institution_id)
        .where(Edition.programme_id == programme_id)
        .distinct()
        .subquery()
    )
    rows = db.session.execute(select(pairs.c.voivodeship, func.count()).group_by(pairs.c.voivodeship)).all()
    total = db.session.scalar(
        select(func.count(func.distinct(edition_trainer.c.user_id)))
        .join(Edition, Edition.id == edition_trainer.c.edition_id)
        .where(Edition.programme_id == programme_id)
    )
    return {"voivodeship": {_key(v): n for v, n in rows}, "total": {None: total}}


def project_assignments(programme_id: int):
    """The programme's assignments whose current version is a project (``project: true``): a subquery of ids."""
    return (
        select(AssignmentVersion.assignment_id)
        .join(Module, Module.current_version_id == AssignmentVersion.module_version_id)
        .where(Module.programme_id == programme_id, AssignmentVersion.project.is_(True))
    )


def _projects(programme_id: int) -> dict:
    """Projects carried out: accepted works of project assignments, in their institution's voivodeship and in
    total (a work belongs to one institution, so the voivodeships add up to the total)."""
    rows = db.session.execute(
        select(Institution.voivodeship, func.count(Work.id))
        .join(Work, Work.institution_id == Institution.id)
        .join(Edition, Edition.id == Work.edition_id)
        .where(
            Edition.programme_id == programme_id,
            Work.status == WorkStatus.ACCEPTED,
            Work.assignment_id.in_(project_assignments(programme_id)),
        )
        .group_by(Institution.voivodeship)
    ).all()
    by_voivodeship = {_key(v): n for v, n in rows}
    return {"voivodeship": by_voivodeship, "total": {None: sum(by_voivodeship.values())}}


def _key(voivodeship) -> str:
    """A voivodeship as the report's measures key it (the enum's value)."""
    return str(getattr(voivodeship, "value", voivodeship))


def public_indicators(programme: Programme) -> list[dict]:
    """The programme's indicators that the public page shows, in PUBLIC_INDICATORS order."""
    by_key = {i["key"]: i for i in programme.indicators or [] if isinstance(i, dict)}
    found = (next((by_key[key] for key in keys if key in by_key), None) for keys in PUBLIC_INDICATORS)
    return [indicator for indicator in found if indicator]


def figure_columns(programme: Programme) -> list[ReportColumn]:
    """The figures table's columns: the voivodeship, then the counted figures (no query needed)."""
    columns = [ReportColumn("voivodeship", _l("Voivodeship"), False)]
    columns += [ReportColumn(column, label) for column, _measure, label in MEASURED]
    columns.append(ReportColumn("trainers", _l("Trainers")))
    columns.append(ReportColumn("projects", _l("Projects carried out")))
    columns += [ReportColumn(f"indicator:{i['key']}", i["label"]) for i in public_indicators(programme)]
    return columns


def programme_figures(programme: Programme) -> ProgrammeFigures:
    """The programme's figures per voivodeship (those where it runs) and in total, in six statements."""
    parameters = {"programme_id": programme.id}
    measures = measure_counts(SHAPE, parameters)
    indicators = public_indicators(programme)
    sums = indicator_sums(SHAPE, parameters, [i["key"] for i in indicators])
    trainers = _trainers(programme.id)
    projects = _projects(programme.id)

    def values(grouping: str, key) -> dict[str, int]:
        found = {column: measures[measure][grouping].get(key, 0) for column, measure, _label in MEASURED}
        found["trainers"] = trainers[grouping].get(key, 0)
        found["projects"] = projects[grouping].get(key, 0)
        sums_found = sums[grouping].get(key) or [0] * len(indicators)
        found.update({f"indicator:{i['key']}": v for i, v in zip(indicators, sums_found, strict=True)})
        return found

    columns = figure_columns(programme)
    keys = [column.key for column in columns[1:]]
    table = ReportTable("figures", _("Figures by voivodeship"), columns)
    running = set(measures["institutions"]["voivodeship"]) | set(trainers["voivodeship"])
    for voivodeship in sorted((Voivodeship(v) for v in running), key=lambda v: VOIVODESHIP_LABELS[v]):
        counted = values("voivodeship", voivodeship.value)
        table.rows.append([VOIVODESHIP_LABELS[voivodeship], *(shown(counted[k]) for k in keys)])
    totals = values("total", None)
    table.total = [_("Total"), *(shown(totals[k]) for k in keys)]
    areas = []
    for key, outline in outlines()["voivodeships"].items():
        counted = values("voivodeship", key)
        x, y = outline["label"]
        label = VOIVODESHIP_LABELS[Voivodeship(key)]
        areas.append(MapArea(label, outline["path"], x, y, shown(counted["institutions"]), shown(counted["certified"])))
    return ProgrammeFigures(programme, table, areas, totals)
