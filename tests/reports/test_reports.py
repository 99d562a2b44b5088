"""Programme reports: every number against a hand computation, the page against its CSV files,
access, bad filters, and a query count that does not grow with the data."""

import csv
import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from lms import pagecache
from lms.accounts.models import Role
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning.decisions import Decision
from lms.reports.charts import Series, bar_chart, column_chart
from lms.reports.csv import safe_cell
from lms.reports.filters import ReportFilters, filter_choices
from lms.reports.measures import counts_statement
from lms.reports.services import programme_report
from lms.reports.sql import Shape
from lms.support.models import ReportStatus
from tests.certificates.conftest import decide, submit
from tests.conftest import english, login
from tests.reports.conftest import FORMULA_EDITION, accepted_on, consultation, indicator_report, page_tables

TABLES = ("editions", "voivodeships", "regions", "modules", "monthly")


def report(viewer, **filters):
    return programme_report(viewer, ReportFilters(**filters))


def numbers(row):
    return [cell for cell in row if isinstance(cell, int)]


def csv_rows(response, separator=","):
    assert response.data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM first, so that Excel reads Polish letters"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=separator))


# --- the numbers -------------------------------------------------------------------------------

# institutions, animators, modules completed, assignments accepted, person certificates,
# institution certificates, consultations, wolontariusze (see the world in conftest.py)
E1 = [2, 3, 4, 3, 1, 1, 1, 7]
E2 = [1, 2, 1, 1, 1, 0, 1, 5]
TOTAL = [3, 5, 5, 4, 2, 1, 2, 12]


def test_every_number_matches_the_hand_computed_expectation(world):
    result = report(world["admin"])
    assert [c.key for c in result.editions.columns][3:] == [
        "institutions", "animators", "modules_completed", "assignments_accepted", "person_certificates",
        "institution_certificates", "consultations", "indicator:wolontariusze",
    ]  # fmt: skip
    assert [row[:3] for row in result.editions.rows] == [
        ["Edycja lubelska", "Program testowy", "lubelskie"],
        [FORMULA_EDITION, "Program testowy", "mazowieckie"],
    ]
    assert [numbers(row) for row in result.editions.rows] == [E1, E2]
    assert numbers(result.editions.total) == TOTAL
    assert result.voivodeships.rows == [["lubelskie", *E1], ["mazowieckie", *E2]]
    assert numbers(result.voivodeships.total) == TOTAL
    # a1 and c1 finished module 1, a1 and a2 module 2 (their institution's map), b1 module 3 (B's plan)
    assert result.modules.rows == [
        ["Program testowy", 1, "Pierwszy moduł", 5, 2, 40],
        ["Program testowy", 1, "Drugi moduł", 5, 2, 40],
        ["Program testowy", 2, "Konsultacje indywidualne", 5, 1, 20],
    ]
    assert result.monthly.rows == [
        ["2026-01", 1, 1, 0],
        ["2026-02", 1, 0, 0],
        ["2026-03", 2, 1, 0],
        ["2026-04", 0, 0, 1],
    ]
    assert numbers(result.monthly.total) == [4, 2, 1]


def test_voivodeship_rows_follow_the_institution_and_region_rows_the_edition(client, world):
    """Institution B (in the lubelskie edition) is registered in podlaskie: the registry and the report agree."""
    world["b"].voivodeship = Voivodeship.PODLASKIE
    db.session.commit()
    result = report(world["admin"])
    b_in_e1 = [1, 1, 1, 1, 0, 0, 0, 0]  # B, b1, b1's module, B's plan; B's indicator report was returned
    a_in_e1 = [total - b for total, b in zip(E1, b_in_e1, strict=True)]
    assert result.voivodeships.rows == [["lubelskie", *a_in_e1], ["mazowieckie", *E2], ["podlaskie", *b_in_e1]]
    assert result.regions.rows == [["lubelskie", *E1], ["mazowieckie", *E2]]
    assert numbers(result.voivodeships.total) == numbers(result.regions.total) == TOTAL

    login(client, world["admin"])
    tables = page_tables(client.get("/reports/").get_data(as_text=True))
    assert [row[0] for row in tables["voivodeships"][1:-1]] == ["lubelskie", "mazowieckie", "podlaskie"]
    assert [row[0] for row in tables["regions"][1:-1]] == ["lubelskie", "mazowieckie"]
    assert tables["editions"][0][2] == "Region edycji"
    assert [row[0] for row in tables["monthly"][1:3]] == ["styczeń 2026", "luty 2026"]  # months by name


def test_a_period_counts_what_happened_inside_it(world):
    result = report(world["admin"], date_from=date(2026, 2, 1), date_to=date(2026, 3, 31))
    # modules: a1+a2 "Drugi" (20 Feb), b1 "Konsultacje" (3 Mar) | c1 "Pierwszy" (10 Mar); accepted: mapa, plan | c1;
    # consultations: A's 10 Feb only; indicators: A's report ends 31 Mar, C's on 31 Dec 2025
    assert [numbers(row) for row in result.editions.rows] == [[2, 3, 3, 2, 0, 0, 1, 7], [1, 2, 1, 1, 1, 0, 0, 0]]
    assert numbers(result.editions.total) == [3, 5, 4, 3, 1, 0, 1, 7]
    assert result.monthly.rows == [["2026-02", 1, 0, 0], ["2026-03", 2, 1, 0]]
    assert [row[4] for row in result.modules.rows] == [1, 2, 1]
    # the bounds are whole days: the last day counts, the day after does not
    assert numbers(report(world["admin"], date_from=date(2026, 4, 2), date_to=date(2026, 4, 2)).editions.total) == [
        3, 5, 0, 0, 0, 1, 0, 0,
    ]  # fmt: skip
    assert numbers(report(world["admin"], date_to=date(2026, 1, 14)).editions.total) == [3, 5, 0, 0, 0, 0, 1, 5]


def test_programme_edition_and_voivodeship_filters_narrow_the_editions(world, mini_programme):
    admin = world["admin"]
    assert [numbers(r) for r in report(admin, voivodeship=Voivodeship.MAZOWIECKIE).editions.rows] == [E2]
    assert numbers(report(admin, edition_id=world["e1"].id).editions.total) == E1
    assert numbers(report(admin, programme_id=world["programme"].id).editions.total) == TOTAL
    other = report(admin, programme_id=world["programme"].id, voivodeship=Voivodeship.SLASKIE)
    assert other.editions.rows == [] and numbers(other.editions.total) == [0] * 8
    assert [row[3:] for row in other.modules.rows] == [[0, 0, 0]] * 3 and other.monthly.rows == []


def test_the_page_picks_the_same_editions_from_its_filter_choices_as_the_query(world):
    """The page passes the form's choices to save a query; the result is the report without them."""
    admin, trainer = world["admin"], world["t1"]
    cases = [
        (admin, {}),
        (admin, {"voivodeship": Voivodeship.LUBELSKIE}),
        (admin, {"edition_id": world["e2"].id}),
        (admin, {"programme_id": world["programme"].id, "date_from": date(2026, 2, 1)}),
        (trainer, {}),
        (trainer, {"voivodeship": Voivodeship.SLASKIE}),
    ]
    for viewer, filters in cases:
        chosen = ReportFilters(**filters)
        picked = programme_report(viewer, chosen, filter_choices(viewer))
        queried = report(viewer, **filters)
        for name in TABLES:
            assert picked.table(name).body == queried.table(name).body, (viewer.email, filters, name)


def test_the_certificate_kind_is_written_into_the_counts_statement(world):
    """A bound kind compared with uq_certificate_person's condition makes SQLite re-plan every run."""
    shape = Shape.of(world["admin"], ReportFilters())
    statement, _measures = counts_statement(shape)
    binds = statement.compile(dialect=db.engine.dialect).binds
    assert [name for name, bind in binds.items() if name.startswith("kind") and not bind.literal_execute] == []
    assert any(bind.literal_execute and bind.value == "person" for bind in binds.values())


def test_the_works_are_narrowed_to_the_editions_by_a_plain_condition(world):
    """An index answers ``work.edition_id IN (…)`` (``= ANY(ARRAY(…))`` on PostgreSQL), not ``(… IN …) = 1``."""
    shape = Shape.of(world["t1"], ReportFilters())
    dialect = db.engine.dialect
    sql = str(counts_statement(shape)[0].compile(dialect=dialect))
    condition = "= ANY(ARRAY(SELECT" if dialect.name == "postgresql" else "IN (SELECT"
    assert f"work.edition_id {condition} report_edition.edition_id" in sql
    assert "FROM report_edition) = 1" not in sql


def test_an_institution_in_two_editions_counts_once_in_the_totals(world):
    """Its consultation and report count in both editions' rows, once in the voivodeship and total."""
    second = Edition(
        name="Edycja lubelska II", programme=world["programme"], voivodeship=Voivodeship.LUBELSKIE,
        starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30), institutions=[world["a"]],
    )  # fmt: skip
    db.session.add(second)
    db.session.commit()
    result = report(world["admin"])
    assert numbers(result.editions.rows[-1]) == [1, 0, 0, 0, 0, 1, 1, 7]  # A's certificate, consultation, report
    assert result.voivodeships.rows[0] == ["lubelskie", *E1]
    assert numbers(result.editions.total) == TOTAL


def test_revoked_certificates_and_returned_reports_do_not_count(world):
    from lms.certificates import services as certificates
    from lms.certificates.models import Certificate, CertificateKind

    certificate = db.session.scalar(select(Certificate).where(Certificate.kind == CertificateKind.INSTITUTION))
    certificates.revoke(certificate, world["admin"], "Błąd w portfolio.")
    db.session.commit()
    indicator_report(
        world["a"], world["programme"], world["coordinator_a"], date(2026, 4, 1), date(2026, 6, 30), 50,
        ReportStatus.SUBMITTED,
    )  # fmt: skip
    result = report(world["admin"])
    assert numbers(result.editions.total) == [3, 5, 5, 4, 2, 0, 2, 12]


# --- modules completed = what lms.learning.progress shows ----------------------------------------


@pytest.fixture
def progress_world(snapshot):
    """The "raporty" programme: modules with two person assignments, mixed scopes, institution only,
    a required and an optional one, and none required; two editions sharing institution I1."""
    return snapshot(build_progress_world)


def build_progress_world(app, make_institution, make_user):
    from pathlib import Path

    from lms.content.importer import import_courses
    from lms.content.models import Programme

    assert not import_courses(Path(__file__).parent / "data").errors
    programme = db.session.scalar(select(Programme).where(Programme.slug == "raporty"))
    i1, i2 = make_institution("OPS Pierwszy"), make_institution("OPS Drugi")
    trainer, admin = make_user(Role.TRAINER), make_user(Role.ADMIN)
    people = {name: make_user(Role.ANIMATOR, institution=i1 if name < "p4" else i2, name=name) for name in
              ("p1", "p2", "p3", "p4", "p5")}  # fmt: skip
    people["k1"] = make_user(Role.COORDINATOR, institution=i1)
    people["k2"] = make_user(Role.COORDINATOR, institution=i2)
    first = Edition(
        name="Pierwsza", programme=programme, voivodeship=Voivodeship.MAZOWIECKIE, starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31), trainers=[trainer], institutions=[i1, i2],
    )  # fmt: skip
    second = Edition(
        name="Druga", programme=programme, voivodeship=Voivodeship.MAZOWIECKIE, starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31), trainers=[trainer], institutions=[i1],
    )  # fmt: skip
    db.session.add_all([first, second])
    db.session.flush()
    for name, edition in (("p1", first), ("p2", first), ("p3", first), ("p4", first), ("p5", first), ("p1", second)):
        db.session.add(Enrolment(edition_id=edition.id, user_id=people[name].id, enrolled_by_id=admin.id))
    db.session.commit()

    def done(who, edition, slug, when=None, decision=Decision.ACCEPTED):
        review = decide(submit(people[who], edition, slug), trainer, decision)
        if when:
            accepted_on(review, when)

    jan, feb, mar = datetime(2026, 1, 10), datetime(2026, 2, 7), datetime(2026, 3, 5)
    done("p1", first, "osobiste-1", jan)
    done("p1", first, "osobiste-2", feb)  # p1: "Dwa zadania osobiste" complete in February
    done("p2", first, "osobiste-1", jan)  # p2: only one of two
    done("p3", first, "osobiste-2", jan)
    submit(people["p3"], first, "osobiste-1")  # waiting
    done("p1", first, "mieszany-osoba", jan)
    done("p2", first, "mieszany-osoba", jan)
    done("k1", first, "mieszany-instytucja", mar)  # I1's share: p1 and p2 complete "Osobiste i instytucji" in March
    done("p4", first, "mieszany-osoba", jan)  # I2 has no share: p4 does not complete it
    done("k2", first, "instytucji-1", feb)  # "Tylko instytucja": p4 and p5 (I2's people in the first edition)
    done("p5", first, "wymagane", jan)  # "Wymagane i opcjonalne": the optional one does not count
    done("p4", first, "opcjonalne", jan)
    done("p3", first, "dowolne-1", jan)  # "Bez wymaganych": both count, the institution's is missing
    done("k2", first, "dowolne-2", jan)
    done("p4", first, "dowolne-1", feb)  # p4 with I2's "dowolne-2": complete
    done("p5", first, "dowolne-1", jan, Decision.REVISION_REQUESTED)
    done("p1", second, "osobiste-1", jan)  # the second edition: p1 again, and I1's deliverable there
    done("p1", second, "osobiste-2", jan)
    done("k1", second, "instytucji-1", jan)
    return {"admin": admin, "programme": programme, "editions": [first, second], **people}


def test_modules_completed_match_learning_progress_for_every_enrolled_person(progress_world):
    from lms.learning.models import WorkStatus
    from lms.learning.progress import people_progress

    result = report(progress_world["admin"], programme_id=progress_world["programme"].id)
    per_edition, per_module = {}, {}
    for edition in progress_world["editions"]:
        enrolled = db.session.scalars(
            select(Enrolment).where(Enrolment.edition_id == edition.id).order_by(Enrolment.id)
        ).all()
        progress = people_progress([e.user for e in enrolled], edition)
        for state in progress.values():
            for level in state.levels:
                for module in level.modules:
                    if module.status == WorkStatus.ACCEPTED.value:
                        per_edition[edition.name] = per_edition.get(edition.name, 0) + 1
                        title = module.module.title
                        per_module[title] = per_module.get(title, 0) + 1
    assert per_module == {  # the hand computation, which progress.py confirms
        "Dwa zadania osobiste": 2, "Osobiste i instytucji": 2, "Tylko instytucja": 3, "Wymagane i opcjonalne": 1,
        "Bez wymaganych": 1,
    }  # fmt: skip
    column = [c.key for c in result.editions.columns].index("modules_completed")
    assert {row[0]: row[column] for row in result.editions.rows} == per_edition == {"Pierwsza": 7, "Druga": 2}
    assert {row[2]: row[4] for row in result.modules.rows} == per_module
    assert {row[2]: row[3] for row in result.modules.rows} == dict.fromkeys(per_module, 6)  # six enrolments


def test_a_module_counts_in_the_month_of_its_last_acceptance(progress_world):
    admin, programme = progress_world["admin"], progress_world["programme"].id

    def completed(**period):
        return {row[2]: row[4] for row in report(admin, programme_id=programme, **period).modules.rows}

    march = completed(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert march["Osobiste i instytucji"] == 2 and march["Dwa zadania osobiste"] == 0
    february = completed(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    assert february == {
        "Dwa zadania osobiste": 1, "Osobiste i instytucji": 0, "Tylko instytucja": 2, "Wymagane i opcjonalne": 0,
        "Bez wymaganych": 1,
    }  # fmt: skip


# --- the page and its CSV files -----------------------------------------------------------------


def test_the_page_shows_every_table_with_charts_and_their_text_alternatives(client, world):
    login(client, world["admin"])
    response = client.get("/reports/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    result = report(world["admin"])
    tables = page_tables(html)
    for name in TABLES:
        table = result.table(name)
        assert tables[name] == [table.header] + [[str(cell) for cell in row] for row in table.shown], name
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="report-chart"') == 4
    assert html.count('role="img"') == 4 and html.count("<desc id=") == 4
    assert "<script" not in html and 'style="' not in html
    assert re.search(r"css/reports\.[0-9a-f]{12}\.css", html)  # its stylesheet, under its content-hashed name
    assert "&#34;http://zlo.example&#34;" in html or "&quot;http://zlo.example&quot;" in html  # escaped, as text


@pytest.mark.parametrize(
    "query", ["", "from=2026-02-01&to=2026-03-31", "voivodeship=lubelskie", "programme=mini&from=2026-03-01"]
)
@pytest.mark.parametrize("separator", [",", ";"])
def test_each_csv_file_holds_exactly_what_the_page_shows(client, world, query, separator):
    login(client, world["admin"])
    tables = page_tables(client.get(f"/reports/?{query}").get_data(as_text=True))
    for name in TABLES:
        response = client.get(f"/reports/export.csv?table={name}&sep={separator}&{query}")
        assert response.status_code == 200
        rows = csv_rows(response, separator)
        unguarded = [[cell[1:] if cell.startswith("'=") else cell for cell in row] for row in rows]
        assert unguarded == tables[name], (name, query)


def test_the_csv_links_carry_the_page_filters(client, world):
    from urllib.parse import parse_qs, urlsplit

    login(client, world["admin"])
    html = client.get("/reports/?voivodeship=lubelskie&from=2026-01-01").get_data(as_text=True)
    links = [urlsplit(href.replace("&amp;", "&")) for href in re.findall(r'href="(/reports/export\.csv[^"]*)"', html)]
    assert len(links) == 10  # two separators for each of the five tables
    for link in links:
        query = parse_qs(link.query)
        assert query["voivodeship"] == ["lubelskie"] and query["from"] == ["2026-01-01"]
        assert client.get(f"{link.path}?{link.query}").status_code == 200
    assert {parse_qs(link.query)["table"][0] for link in links} == set(TABLES)


def test_csv_is_utf8_with_bom_and_opens_with_polish_letters(client, world):
    login(client, world["admin"])
    response = client.get("/reports/export.csv?table=modules&sep=;")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="raport-modules-' in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "Pierwszy moduł" in text and "\r\n" in text
    rows = csv_rows(response, ";")
    assert rows[1] == ["Program testowy", "1", "Pierwszy moduł", "5", "2", "40"]
    assert len(rows) == 4  # header and three modules, no totals row
    comma = csv_rows(client.get("/reports/export.csv?table=modules"))
    assert comma == rows
    assert client.get("/reports/export.csv").status_code == 400  # which table? it must be named


def test_cells_that_look_like_formulas_are_defused_in_csv(client, world):
    login(client, world["admin"])
    rows = csv_rows(client.get("/reports/export.csv?table=editions"))
    assert rows[2][0] == "'" + FORMULA_EDITION
    assert rows[2][3:] == [str(n) for n in E2]  # numbers stay plain integers


@pytest.mark.parametrize(("written_with", "read_with"), [(",", ";"), (";", ",")])
def test_a_cell_holding_the_other_separator_cannot_become_a_formula_when_read_with_it(
    client, world, written_with, read_with
):
    edition = db.session.scalar(select(Edition).where(Edition.name == FORMULA_EDITION))
    edition.name = f"x{read_with}=1+1{read_with}y"
    db.session.commit()
    login(client, world["admin"])
    response = client.get("/reports/export.csv", query_string={"table": "editions", "sep": written_with})
    assert f'"x{read_with}=1+1{read_with}y"' in response.data.decode("utf-8-sig")
    assert csv_rows(response, written_with)[2][0] == edition.name  # one cell, as the page shows it
    cells = [cell for row in csv_rows(response, read_with) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+1", "'=1+1"), ("+48 123", "'+48 123"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
        ("\r=x", "'\r=x"), ("Łódź", "Łódź"), ("a=b", "a=b"), (12, "12"), (-3, "-3"), (0, "0"), (None, ""),
    ],
)  # fmt: skip
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def test_charts_escape_every_text_and_carry_title_and_description():
    svg = str(
        bar_chart(
            "chart-x", 'Tytuł <b>"x"</b>', "Opis & więcej", ["<script>alert(1)</script>", "Łódź"],
            [Series("Seria <i>", [3, 0])],
        )
    )  # fmt: skip
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<title id="chart-x-title">Tytuł &lt;b&gt;&#34;x&#34;&lt;/b&gt;</title>' in svg
    assert '<desc id="chart-x-desc">Opis &amp; więcej</desc>' in svg
    assert 'role="img" aria-labelledby="chart-x-title chart-x-desc"' in svg
    columns = str(column_chart("chart-y", "T", "D", ["2026-01", "2026-02"], [Series("A", [0, 0])]))
    assert columns.startswith("<svg") and columns.endswith("</svg>")  # all zeros draw an empty chart


def test_an_empty_report_says_so(client, make_user):
    login(client, make_user(Role.ADMIN))
    response = client.get("/reports/")
    assert response.status_code == 200
    tables = page_tables(response.get_data(as_text=True))
    assert len(tables["editions"]) == 3  # header, "nothing to show", totals
    assert tables["editions"][-1][3:] == ["0"] * 7
    assert len(csv_rows(client.get("/reports/export.csv?table=monthly"))) == 2  # header and totals


# --- who sees what ------------------------------------------------------------------------------


def test_trainers_see_only_the_editions_they_train(client, world):
    login(client, world["t1"])
    response = client.get("/reports/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tables = page_tables(html)
    assert [row[0] for row in tables["editions"][1:-1]] == ["Edycja lubelska"]
    assert tables["editions"][-1][3:] == [str(n) for n in E1]
    assert [row[0] for row in tables["voivodeships"][1:-1]] == ["lubelskie"]
    assert "zlo.example" not in html  # not even among the filter's options
    rows = csv_rows(client.get("/reports/export.csv?table=voivodeships"))
    assert rows[1:] == [["lubelskie", *map(str, E1)], [rows[-1][0], *map(str, E1)]]
    assert client.get(f"/reports/?edition={world['e2'].id}").status_code == 400  # as if it did not exist
    assert client.get(f"/reports/export.csv?table=editions&edition={world['e2'].id}").status_code == 400


@pytest.mark.parametrize("path", ["/reports/", "/reports/export.csv?table=editions"])
def test_only_admins_and_trainers_open_reports(app, world, path):
    assert app.test_client().get(path).status_code == 302  # anonymous: sign in first
    assert app.test_client().get(path).headers["Location"].startswith("/login")
    # A coordinator asking for the report page is led to the programme's figures with their own row instead.
    coordinator = 302 if path == "/reports/" else 403
    for name, expected in (("a1", 403), ("coordinator_a", coordinator), ("t1", 200), ("t2", 200), ("admin", 200)):
        client = app.test_client()
        login(client, world[name])
        assert client.get(path).status_code == expected, name


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-02-31", "from=31.01.2026", "to=yesterday", "from=2026-13-01", "from=0001-01-01",
        "from=2026-05-01&to=2026-04-30", "colour=red", "edition=abc", "edition=999999", "programme=nie-ma",
        "voivodeship=mazowsze", "edition=1&edition=2", "from=2026-01-01&from=2026-02-01", "page=2",
    ],
)  # fmt: skip
def test_bad_filters_answer_400_with_a_message_never_500(client, world, query):
    login(client, world["admin"])
    for path in ("/reports/?", "/reports/export.csv?table=editions&"):
        response = client.get(f"{path}{query}")
        assert response.status_code == 400, (path, query)
        html = response.get_data(as_text=True)
        assert 'class="alert alert-danger" role="alert"' in html and "<li>" in html


@pytest.mark.parametrize(
    "query", ["table=everything", "table=editions&sep=|", "table=editions&sep=%09", "table=editions&table=modules", ""]
)
def test_bad_export_parameters_answer_400(client, world, query):
    login(client, world["admin"])
    assert client.get(f"/reports/export.csv?{query}").status_code == 400
    if query:
        assert client.get(f"/reports/?{query}").status_code == 400  # the page has no such parameters


def test_the_400_page_says_what_is_wrong_and_keeps_the_filters(client, world):
    login(client, world["admin"])
    english(client)
    html = client.get("/reports/?from=2026-02-31&colour=red&to=2026-01-01&voivodeship=lubelskie").get_data(as_text=True)
    assert "From: Enter the date as YYYY-MM-DD, for example 2026-03-31." in html
    assert "Unknown filter: colour." in html
    assert 'value="2026-02-31"' in html  # what was typed stays in the field to be corrected
    assert '<option value="lubelskie" selected>' in html
    html = client.get("/reports/?from=2026-05-01&to=2026-04-30").get_data(as_text=True)
    assert "To: The end of the period cannot be before its start." in html
    assert "Unknown edition: 999999." in client.get("/reports/?edition=999999").get_data(as_text=True)


# --- the query count does not grow with the data -------------------------------------------------


def grow(world, make_institution, make_user):
    """Many more rows of every kind: a new edition with three institutions, people, work and Level II."""
    programme, trainer = world["programme"], world["t1"]
    institutions = [make_institution(f"OPS nr {n}", Voivodeship.PODKARPACKIE) for n in range(3)]
    edition = Edition(
        name="Edycja podkarpacka", programme=programme, voivodeship=Voivodeship.PODKARPACKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), trainers=[trainer], institutions=institutions,
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    for n, institution in enumerate(institutions):
        coordinator = make_user(Role.COORDINATOR, institution=institution)
        decide(submit(coordinator, edition, "mapa"), trainer)
        for k in range(4):
            person = make_user(Role.ANIMATOR, institution=institution)
            db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, enrolled_by_id=world["admin"].id))
            db.session.commit()
            attempt = submit(person, edition, "profil")
            if k % 2 == 0:
                accepted_on(decide(attempt, trainer), datetime(2026, 5 + k, 3 + n))
        consultation(institution, programme, trainer, date(2026, 6, 1 + n))
        indicator_report(
            institution, programme, coordinator, date(2026, 1, 1), date(2026, 6, 30), n + 3, ReportStatus.ACCEPTED
        )


def test_query_counts_do_not_grow_with_the_data(app, world, count_queries, make_institution, make_user):
    pages = [
        (world["admin"], "/reports/"),
        (world["admin"], "/reports/?from=2026-01-01&to=2026-12-31&programme=mini"),
        (world["admin"], "/reports/export.csv?table=modules&sep=;"),
        (world["t1"], "/reports/?voivodeship=lubelskie"),
        (world["t1"], "/reports/export.csv?table=monthly&from=2026-02-01"),
    ]
    clients = []
    for user, _url in pages:
        client = app.test_client()
        login(client, user)
        clients.append(client)

    def counts():
        result = []
        for client, (_user, url) in zip(clients, pages, strict=True):
            pagecache.clear_all()  # count the computed page, not its copy
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            result.append(counter.count)
        return result

    before = counts()
    grow(world, make_institution, make_user)
    assert report(world["admin"]).editions.rows[-1][0] == "Edycja podkarpacka"  # the new data is in the report
    assert counts() == before
    assert max(before) <= 12, before  # a handful: the user, the filter choices, the editions, four report statements
