"""The course importer: validation with file and line, all-or-nothing, idempotent, versioned."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.content.importer import check_courses, import_courses
from lms.content.models import Assignment, AssignmentVersion, Criterion, Module, ModuleVersion, Programme
from lms.extensions import db
from tests.conftest import MINI_COURSES

MODULE_ONE = Path("poziom-1/01-pierwszy.md")


@pytest.fixture
def courses(tmp_path) -> Path:
    """A writable copy of the mini programme."""
    target = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, target)
    return target


def snapshot() -> dict:
    """Row counts and current versions: what 'the database is unchanged' compares."""
    counts = {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Programme, Module, ModuleVersion, Assignment, AssignmentVersion, Criterion)
    }
    counts["current"] = sorted(db.session.execute(select(Module.slug, Module.current_version_id, Module.retired)).all())
    counts["titles"] = sorted(db.session.scalars(select(Programme.title)))
    return counts


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_import_creates_programme_levels_modules_and_criteria(courses):
    report = import_courses(courses)
    assert not report.errors
    assert report.programmes_created == ["mini"]
    assert sorted(report.modules_created) == ["mini/drugi", "mini/konsultacje", "mini/pierwszy"]
    programme = db.session.scalar(select(Programme))
    assert [level.number for level in programme.levels] == [1, 2]
    assert programme.certificates["institution"]["valid_years"] == 3
    assert programme.indicators == [{"key": "wolontariusze", "label": "Wolontariusze"}]
    module = db.session.scalar(select(Module).where(Module.slug == "pierwszy"))
    version = module.current_version
    assert version.title == "Pierwszy moduł"
    assert version.goals == ["Rozumiesz rolę animatora.", "Znasz pięć standardów CAL."]
    assert '<h2 id="czym-jest-cal">Czym jest CAL</h2>' in version.body_html
    assert "<table>" in version.body_html
    [assignment] = version.assignments
    assert assignment.scope == "person" and assignment.required
    assert "<strong>swoje</strong>" in assignment.instructions_html
    assert [c.text for c in assignment.criteria] == ["Profil wymienia trzy zasoby.", "Plan ma termin."]


def test_second_import_of_unchanged_files_changes_nothing(courses):
    import_courses(courses)
    before = snapshot()
    report = import_courses(courses)
    assert not report.changed
    assert report.modules_unchanged == 3
    assert snapshot() == before


def test_changed_module_gets_new_version_and_old_version_is_kept(courses):
    import_courses(courses)
    old = db.session.scalar(select(Module).where(Module.slug == "pierwszy")).current_version
    old_assignment_version_id = old.assignments[0].id
    edit(courses / MODULE_ONE, "- Plan ma termin.", "- Plan ma termin i osobę odpowiedzialną.")

    report = import_courses(courses)

    assert report.modules_versioned == ["mini/pierwszy"]
    assert report.modules_unchanged == 2
    module = db.session.scalar(select(Module).where(Module.slug == "pierwszy"))
    assert module.current_version.number == 2
    # The old version, and what an earlier attempt answered, are untouched.
    kept = db.session.get(AssignmentVersion, old_assignment_version_id)
    assert [c.text for c in kept.criteria] == ["Profil wymienia trzy zasoby.", "Plan ma termin."]
    assert kept.module_version.number == 1
    new = module.current_version.assignments[0]
    assert new.assignment_id == kept.assignment_id  # the same assignment, matched by slug
    assert new.criteria[1].text == "Plan ma termin i osobę odpowiedzialną."


def test_removed_module_is_retired_not_deleted_and_can_return(courses):
    import_courses(courses)
    moved = courses.parent / "removed.md"
    shutil.move(courses / "poziom-1/02-drugi.md", moved)
    report = import_courses(courses)
    assert report.modules_retired == ["mini/drugi"]
    module = db.session.scalar(select(Module).where(Module.slug == "drugi"))
    assert module.retired and module.current_version is not None

    shutil.move(moved, courses / "poziom-1/02-drugi.md")
    report = import_courses(courses)
    assert report.modules_restored == ["mini/drugi"]
    assert not db.session.scalar(select(Module).where(Module.slug == "drugi")).retired


MODULE_TWO = Path("poziom-1/02-drugi.md")
PROGRAMME = Path("programme.yaml")
ISSUER = "    name: Stowarzyszenie Organizatorów Testowych"
BROKEN = [
    # (file to break, old text, new text, file and line the error must name, a word of the message)
    (PROGRAMME, "levels:\n", "levels: [\n", PROGRAMME, 5, "YAML"),  # where the parser trips
    (PROGRAMME, "title: Program testowy\n", "", PROGRAMME, 1, "title"),
    (PROGRAMME, "    level: 1\n", "    level: 7\n", PROGRAMME, 12, "7"),
    # The issuer named on certificates: one line, at most 200 characters.
    (PROGRAMME, f"{ISSUER}\n", "    name: ''\n", PROGRAMME, 21, "name"),
    (PROGRAMME, f"{ISSUER}\n", "    name: " + "S" * 201 + "\n", PROGRAMME, 21, "name"),
    (PROGRAMME, f"{ISSUER}\n", "    name: |\n      Stowarzyszenie\n      Oddział\n", PROGRAMME, 21, "name"),
    # The renewal window: whole days, shorter than the certificate's validity.
    (PROGRAMME, "    valid_years: 3\n", "    valid_years: 3\n    renewal_window_days: 0\n", PROGRAMME, 20, "renewal"),
    (PROGRAMME, "    valid_years: 3\n", "    valid_years: 3\n    renewal_window_days: 1095\n", PROGRAMME, 20, "1095"),
    (MODULE_ONE, "level: 1\n", "level: 3\n", MODULE_ONE, 4, "3"),
    (MODULE_ONE, "title: Pierwszy moduł\n", "", MODULE_ONE, 1, "title"),
    (
        MODULE_ONE,
        "    criteria:\n      - Profil wymienia trzy zasoby.\n      - Plan ma termin.\n",
        "",
        MODULE_ONE,
        12,
        "criteria",
    ),
    (MODULE_ONE, "    scope: person\n", "    scope: everyone\n", MODULE_ONE, 14, "scope"),
    (MODULE_ONE, "duration_hours: 8\n", "duration_hours: zero\n", MODULE_ONE, 6, "duration_hours"),
    (MODULE_ONE, "  - Znasz pięć standardów CAL.\n", "  - [Znasz pięć\n", MODULE_ONE, 11, "YAML"),
    (MODULE_ONE, "goals:\n", "goals: 5\n", MODULE_ONE, 8, "goals"),
    (MODULE_ONE, "summary: Zażółć gęślą jaźń.\n", "summary: x\nauthor: nobody\n", MODULE_ONE, 8, "author"),
    (MODULE_ONE, "---\nslug: pierwszy", "slug: pierwszy", MODULE_ONE, 1, "---"),
    # Duplicates are reported in the later file, naming the earlier one.
    (MODULE_TWO, "slug: drugi\n", "slug: pierwszy\n", MODULE_TWO, 2, "01-pierwszy.md"),
    (MODULE_TWO, "order: 2\n", "order: 1\n", MODULE_TWO, 5, "01-pierwszy.md"),
    (MODULE_TWO, "  - slug: mapa\n", "  - slug: profil\n", MODULE_TWO, 10, "profil"),
]


@pytest.mark.parametrize(("broken", "old", "new", "error_file", "line", "word"), BROKEN)
def test_broken_file_names_file_and_line_and_changes_nothing(courses, broken, old, new, error_file, line, word):
    import_courses(courses)
    before = snapshot()
    edit(courses / broken, old, new)

    errors = check_courses(courses)
    report = import_courses(courses)

    assert errors and report.errors == errors
    located = [e for e in errors if e.path.endswith(str(error_file)) and e.line == line]
    assert located, f"expected an error at {error_file}:{line}, got {[str(e) for e in errors]}"
    assert any(word in e.message for e in located), [str(e) for e in located]
    assert snapshot() == before


def test_module_without_body_is_refused(courses):
    path = courses / MODULE_ONE
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("## Czym jest CAL")], encoding="utf-8")
    [error] = check_courses(courses)
    assert error.path.endswith("01-pierwszy.md")
    assert error.line == 22  # where the teaching text should start


def test_file_that_is_not_utf8_is_refused(courses):
    (courses / MODULE_ONE).write_bytes("---\ntitle: Zażółć\n---\n".encode("cp1250"))
    errors = check_courses(courses)
    assert any(e.path.endswith("01-pierwszy.md") and e.line == 1 for e in errors)


def test_folder_without_programme_is_an_error(tmp_path):
    [error] = check_courses(tmp_path)
    assert "programme.yaml" in error.message


def test_all_errors_are_reported_at_once(courses):
    edit(courses / MODULE_ONE, "level: 1\n", "level: 9\n")
    edit(courses / "poziom-1/02-drugi.md", "title: Drugi moduł\n", "")
    paths = {Path(e.path).name for e in check_courses(courses)}
    assert paths == {"01-pierwszy.md", "02-drugi.md"}


def test_cli_import_twice_reports_no_changes_the_second_time(runner, courses):
    first = runner.invoke(args=["courses", "import", str(courses)])
    assert first.exit_code == 0, first.output
    assert "mini/pierwszy" in first.output
    second = runner.invoke(args=["courses", "import", str(courses)])
    assert second.exit_code == 0
    assert "Brak zmian" in second.output


def test_cli_reports_file_and_line_and_exits_non_zero(runner, courses):
    edit(courses / MODULE_ONE, "level: 1\n", "level: 3\n")
    for command in ("check", "import"):
        result = runner.invoke(args=["courses", command, str(courses)])
        assert result.exit_code == 1
        assert "01-pierwszy.md:4: nieznany poziom 3" in result.output
        assert "Niczego nie zmieniono" in result.output
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 0


def test_cli_check_accepts_valid_content(runner, courses):
    result = runner.invoke(args=["courses", "check", str(courses)])
    assert result.exit_code == 0
    assert "Nie znaleziono błędów" in result.output
