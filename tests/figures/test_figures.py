"""The public "Program CAL w liczbach": figures by voivodeship, "<5", the CSV, the map and a coordinator's own row."""

import csv
import html
import io
import os
import re

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role, User, UserRole
from lms.content.importer import import_courses
from lms.content.models import Assignment, Programme
from lms.demo.seed import SCALES, Scale, seed
from lms.editions.models import edition_institution, edition_trainer
from lms.extensions import db
from lms.figures.services import SMALL, outlines, programme_figures, shown
from lms.institutions.labels import VOIVODESHIP_LABELS
from lms.institutions.models import Institution, Voivodeship
from lms.learning.models import Work, WorkStatus
from lms.reports.filters import ReportFilters
from lms.reports.services import programme_report
from tests.conftest import PASSWORD, REAL_COURSES, english, login

# The large data set (DESIGN.md) with LMS_FIGURES_SCALE=large; by default a smaller one, to keep the suite fast.
SCALE = SCALES[os.environ["LMS_FIGURES_SCALE"]] if os.environ.get("LMS_FIGURES_SCALE") else Scale(24, 6, 6, 4, 2)


@pytest.fixture
def seeded(app):
    assert not import_courses(REAL_COURSES).errors
    programme = db.session.scalar(select(Programme).where(Programme.slug == "cal"))
    seed(programme, SCALE, PASSWORD)
    return programme


def test_small_numbers_are_shown_as_less_than_five():
    assert [shown(n) for n in (0, 1, 4, 5, 120)] == [0, SMALL, SMALL, 5, 120]


def test_the_public_totals_equal_the_admin_report_totals(seeded):
    admin = db.session.scalar(select(User).join(UserRole).where(UserRole.role == Role.ADMIN).limit(1))
    if admin is None:
        admin = User(email="admin@example.org", name="Admin", password_hash="x")
        admin.roles.append(UserRole(role=Role.ADMIN))
        db.session.add(admin)
        db.session.flush()
    report = programme_report(admin, ReportFilters(programme_id=seeded.id))
    figures = programme_figures(seeded)
    admin_totals = dict(zip([c.key for c in report.voivodeships.columns], report.voivodeships.total, strict=True))
    for public, reported in (
        ("institutions", "institutions"),
        ("trained", "person_certificates"),
        ("in_training", "animators"),
        ("certified", "institution_certificates"),
        ("indicator:wolontariusze", "indicator:wolontariusze"),
        ("indicator:organizacje-wspolpracujace", "indicator:organizacje-wspolpracujace"),
    ):
        assert figures.true_totals[public] == admin_totals[reported], public
    assert figures.true_totals["institutions"] == SCALE.institutions
    assert figures.true_totals["trained"] > 0 and figures.true_totals["indicator:wolontariusze"] > 0
    # Every voivodeship row of the report is a row of the public table.
    assert [row[0] for row in figures.table.rows] == [row[0] for row in report.voivodeships.rows]


def page_table(page: str) -> list[list[str]]:
    """The figures table as a reader sees it: header, rows and the totals row, as text."""
    table = page[
        page.index('<table class="table table-sm table-striped') : page.index("</table>", page.index("table-figures"))
    ]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_anyone_sees_the_page_and_the_csv_is_the_table_on_screen(app, seeded):
    client = app.test_client()
    response = client.get("/programmes/cal/figures/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Program Centrów Aktywności Lokalnej w liczbach" in html.unescape(page)
    assert f'viewBox="0 0 {outlines()["width"]} {outlines()["height"]}"' in page
    assert 'aria-describedby="map-alternative"' in page
    assert page.count("<path ") == 16  # one outline per voivodeship
    shown_table = page_table(page)
    exported = client.get("/programmes/cal/figures.csv")
    assert exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == shown_table
    assert rows[-1][0] == "Razem"
    figures = programme_figures(seeded)
    assert rows[-1][1] == str(shown(figures.true_totals["institutions"]))


def test_small_counts_are_hidden_on_the_page_but_totals_stay_exact(app, seeded):
    figures = programme_figures(seeded)
    keys = [c.key for c in figures.table.columns]
    trainers = keys.index("trainers")
    # Trainers spread over the voivodeships: some rows have 1–4, the total counts them exactly.
    assert any(row[trainers] == SMALL for row in figures.table.rows)
    assert all(not (isinstance(cell, int) and 1 <= cell <= 4) for row in figures.table.body for cell in row[1:])
    assert figures.true_totals["trainers"] == SCALE.trainers
    assert figures.table.total[trainers] == shown(SCALE.trainers)


def test_the_map_shows_the_tables_centres_in_each_voivodeship_and_shades_by_them(seeded):
    figures = programme_figures(seeded)
    keys = [c.key for c in figures.table.columns]
    centres, certified = keys.index("institutions"), keys.index("certified")
    table = {row[0]: (row[centres], row[certified]) for row in figures.table.rows}
    on_map = {area.label: (area.centres, area.certified) for area in figures.areas}
    assert len(on_map) == 16
    # Voivodeships where the programme does not run are on the map with nothing, and only those.
    assert on_map == {label: table.get(label, (0, 0)) for label in on_map}
    assert table and any(value != (0, 0) for value in on_map.values())
    expected_shade = {0: "none", SMALL: "few"}
    for area in figures.areas:
        shade = expected_shade.get(area.centres) or ("some" if area.centres < 15 else "many")
        assert area.shade == shade


def test_a_coordinator_sees_their_own_figures_beside_the_programme(app, seeded):
    coordinator = db.session.scalar(
        select(User).join(UserRole).where(UserRole.role == Role.COORDINATOR).order_by(User.id).limit(1)
    )
    client = app.test_client()
    login(client, coordinator)
    english(client)
    page = html.unescape(client.get("/programmes/cal/figures/").get_data(as_text=True))
    assert f"Your institution: {coordinator.institution.name}" in page
    anonymous = html.unescape(app.test_client().get("/programmes/cal/figures/").get_data(as_text=True))
    assert "Twoja instytucja" not in anonymous and coordinator.institution.name not in anonymous


def test_a_coordinator_asking_for_reports_is_led_to_their_figures_not_refused(app, seeded):
    coordinator = db.session.scalar(
        select(User).join(UserRole).where(UserRole.role == Role.COORDINATOR).order_by(User.id).limit(1)
    )
    client = app.test_client()
    login(client, coordinator)
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/programmes/cal/figures/#own-heading"
    page = html.unescape(client.get("/reports/", follow_redirects=True).get_data(as_text=True))
    assert f"Twoja instytucja: {coordinator.institution.name}" in page and f"{seeded.title} w liczbach" in page
    # The staff's report itself stays theirs: its CSV is still refused to a coordinator.
    assert client.get("/reports/export.csv?table=editions").status_code == 403


def test_an_unknown_programme_is_not_found(app, seeded):
    assert app.test_client().get("/programmes/no-such/figures/").status_code == 404
    assert app.test_client().get("/programmes/no-such/figures.csv").status_code == 404


def test_projects_carried_out_are_the_accepted_project_reports(seeded):
    report = db.session.scalar(select(Assignment).where(Assignment.slug == "raport-z-nowego-projektu"))
    accepted = db.session.scalars(
        select(Work).where(Work.assignment_id == report.id, Work.status == WorkStatus.ACCEPTED)
    ).all()
    figures = programme_figures(seeded)
    assert figures.true_totals["projects"] == len(accepted)


def test_a_centre_counts_where_it_is_not_where_its_edition_runs(seeded):
    report = db.session.scalar(select(Assignment).where(Assignment.slug == "raport-z-nowego-projektu"))
    work = db.session.scalars(
        select(Work).where(Work.assignment_id == report.id, Work.status == WorkStatus.ACCEPTED).order_by(Work.id)
    ).first()
    institution = db.session.get(Institution, work.institution_id)
    taken = set(db.session.scalars(select(Institution.voivodeship)))
    elsewhere = next(v for v in Voivodeship if v not in taken)
    institution.voivodeship = elsewhere
    db.session.commit()
    projects = db.session.scalar(
        select(func.count(Work.id)).where(
            Work.institution_id == institution.id, Work.assignment_id == report.id, Work.status == WorkStatus.ACCEPTED
        )
    )
    trainers = db.session.scalar(
        select(func.count(func.distinct(edition_trainer.c.user_id)))
        .join(edition_institution, edition_institution.c.edition_id == edition_trainer.c.edition_id)
        .where(edition_institution.c.institution_id == institution.id)
    )

    figures = programme_figures(seeded)
    keys = [c.key for c in figures.table.columns]
    row = dict(zip(keys, next(r for r in figures.table.rows if r[0] == VOIVODESHIP_LABELS[elsewhere]), strict=True))
    assert (row["institutions"], row["projects"], row["trainers"]) == (SMALL, shown(projects), shown(trainers))
    assert next(a for a in figures.areas if a.label == VOIVODESHIP_LABELS[elsewhere]).centres == SMALL


def test_the_public_part_is_computed_once_and_then_served_from_its_copy(app, seeded, count_queries):
    client = app.test_client()
    with count_queries() as first:
        page = client.get("/programmes/cal/figures/").get_data(as_text=True)
    with count_queries() as second:
        again = client.get("/programmes/cal/figures/").get_data(as_text=True)
    assert again == page
    assert second.count < first.count and second.count <= 2  # the programme (and its levels), no figures
