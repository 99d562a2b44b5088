"""programme.yaml declares the events each level expects; the importer names file and line of a wrong one."""

import shutil

import pytest

from lms.content.reader import read_courses
from tests.conftest import MINI_COURSES, REAL_COURSES


@pytest.fixture
def courses(tmp_path):
    target = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, target)
    return target


def _write_events(courses, block: str, person_extra: str = ""):
    path = courses / "programme.yaml"
    text = path.read_text(encoding="utf-8").replace("\ncertificates:", "\n" + block + "certificates:", 1)
    text = text.replace("    level: 1\n  institution:", f"    level: 1\n{person_extra}  institution:", 1)
    path.write_text(text, encoding="utf-8")
    return text


def test_the_real_programmes_declare_their_events():
    programmes, errors = read_courses(REAL_COURSES)
    assert not errors
    cal = next(p for p in programmes if p.slug == "cal")
    assert {(r["kind"], r["level"]) for r in cal.events} == {("training", 1), ("consultation", 2)}


def test_a_valid_declaration_and_attendance_rule_are_read(courses):
    _write_events(courses, "events:\n  - kind: training\n    level: 1\n    per_module: true\n    hours: 16\n",
                  "    min_attendance_percent: 80\n")  # fmt: skip
    (programme,), errors = read_courses(courses)
    assert not errors
    assert programme.certificates["person"]["min_attendance_percent"] == 80
    assert programme.events[0]["hours"] == 16


def test_an_unknown_kind_is_reported_with_file_and_line(courses):
    text = _write_events(courses, "events:\n  - kind: picnic\n    level: 1\n    hours: 4\n")
    line = text.splitlines().index("  - kind: picnic") + 1
    _, errors = read_courses(courses)
    assert [(e.path.endswith("programme.yaml"), e.line) for e in errors] == [(True, line)]
    assert "picnic" in errors[0].message


def test_an_attendance_rule_without_training_hours_is_refused(courses):
    text = _write_events(courses, "", "    min_attendance_percent: 80\n")
    line = text.splitlines().index("    min_attendance_percent: 80") + 1
    _, errors = read_courses(courses)
    assert [e.line for e in errors] == [line]
