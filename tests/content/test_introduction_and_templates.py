"""Introductions (``kind: introduction``) and draft templates (``template:``), from the file to the pages."""

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.drafts import empty_headings, template_headings
from lms.content.importer import check_courses, import_courses
from lms.content.models import Assignment, Module, Programme
from lms.content.spec import ModuleKind
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import completions
from lms.learning import services as learning
from lms.learning.decisions import Decision
from lms.learning.progress import edition_progress
from lms.reviews.services import CriterionJudgement, decide
from tests.conftest import MINI_COURSES, REAL_COURSES, english, login

INTRODUCTION = """---
slug: wprowadzenie
kind: introduction
title: Wprowadzenie do programu
level: 1
order: 0
duration_hours: 2
goals:
  - Wiesz, od czego zaczyna się program.
assignments:
  - slug: refleksja
    title: Krótka refleksja
    scope: person
    required: false
    instructions: Napisz, gdzie stoi Twoja instytucja.
    criteria:
      - Podano dowody.
---
## Wprowadzenie

Tekst wprowadzenia.
"""

TEMPLATE = """    template: |
      ## Zasoby

      _Kto i co pomoże?_

      ## Plan

      _Co, kiedy i kto?_
"""


@pytest.fixture
def courses(tmp_path) -> Path:
    return mini_with_introduction_and_template(tmp_path / "mini")


def mini_with_introduction_and_template(target: Path) -> Path:
    """A copy of the mini programme with an introduction and a template on its first assignment."""
    shutil.copytree(MINI_COURSES, target)
    (target / "poziom-1" / "00-wprowadzenie.md").write_text(INTRODUCTION, encoding="utf-8")
    module_one = target / "poziom-1" / "01-pierwszy.md"
    text = module_one.read_text(encoding="utf-8")
    last_criterion = "      - Plan ma termin.\n"
    module_one.write_text(text.replace(last_criterion, last_criterion + TEMPLATE), encoding="utf-8")
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only_error(courses: Path):
    errors = check_courses(courses)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


# --- the format ---------------------------------------------------------------------------------


def test_an_introduction_and_a_template_are_valid_content(courses):
    assert check_courses(courses) == []


def test_an_introduction_may_not_count_toward_a_certificate(courses):
    edit(courses / "poziom-1" / "00-wprowadzenie.md", "required: false", "required: true")
    error = only_error(courses)
    assert error.path.endswith("00-wprowadzenie.md") and error.line == 14  # the "required" line
    assert "required: false" in error.message


def test_an_unknown_kind_is_refused_with_its_line(courses):
    edit(courses / "poziom-1" / "00-wprowadzenie.md", "kind: introduction", "kind: prologue")
    error = only_error(courses)
    assert error.path.endswith("00-wprowadzenie.md") and error.line == 3
    assert "introduction" in error.message


def test_order_zero_is_only_for_introductions(courses):
    edit(courses / "poziom-1" / "00-wprowadzenie.md", "kind: introduction\n", "")
    messages = [str(e) for e in check_courses(courses)]
    assert any("00-wprowadzenie.md:5:" in m and "order" in m for m in messages), messages


def test_a_template_without_headings_is_refused_with_its_line(courses):
    edit(courses / "poziom-1" / "01-pierwszy.md", "      ## Zasoby\n", "      Zasoby\n")
    edit(courses / "poziom-1" / "01-pierwszy.md", "      ## Plan\n", "      Plan\n")
    error = only_error(courses)
    assert error.path.endswith("01-pierwszy.md") and error.line == 21
    assert "## …" in error.message


def test_adding_the_new_keys_to_the_format_gave_no_unchanged_module_a_new_version(tmp_path):
    # Modules without "kind" or "template" hash as they did before those keys existed.
    import_courses(MINI_COURSES)
    report = import_courses(MINI_COURSES)
    assert not report.changed and report.modules_unchanged == 3
    hashes = dict(db.session.execute(select(Module.slug, Module.current_version_id)).all())
    assert len(hashes) == 3


# --- an introduction counts toward nothing -------------------------------------------------------------


def enrolled_animator(make_institution, make_user, programme_slug: str):
    institution = make_institution()
    trainer = make_user(Role.TRAINER)
    programme = db.session.scalar(select(Programme).where(Programme.slug == programme_slug))
    edition = Edition(
        name="Edycja", programme=programme, voivodeship=Voivodeship.MAZOWIECKIE, starts_on=date(2026, 1, 1),
        ends_on=date(2027, 1, 1), trainers=[trainer], institutions=[institution],
    )  # fmt: skip
    db.session.add(edition)
    db.session.commit()
    animator = make_user(Role.ANIMATOR, institution=institution)
    db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=trainer.id))
    db.session.commit()
    return edition, animator, trainer


def submit(edition, user, slug: str, text: str):
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == slug))
    version = learning.current_assignment_version(assignment)
    work = learning.work_for(user, edition, assignment, version.scope)
    attempt = learning.submit(work, text, user)
    db.session.commit()
    return attempt


def accept(attempt, trainer):
    judgements = [CriterionJudgement(c.id, True, "") for c in attempt.assignment_version.criteria]
    decide(attempt, trainer, judgements, "Dobrze.", Decision.ACCEPTED)
    db.session.commit()


def test_an_accepted_introduction_is_listed_but_not_counted(courses, make_institution, make_user):
    assert not import_courses(courses).errors
    intro = db.session.scalar(select(Module).where(Module.slug == "wprowadzenie"))
    assert intro.kind is ModuleKind.INTRODUCTION
    edition, animator, trainer = enrolled_animator(make_institution, make_user, "mini")
    accept(submit(edition, animator, "refleksja", "Stoimy pośrodku."), trainer)

    level_one = edition_progress(animator, edition).levels[0]
    assert [m.module.slug for m in level_one.modules] == ["wprowadzenie", "pierwszy", "drugi"]
    assert level_one.modules[0].status == "accepted"
    assert (level_one.accepted, level_one.total, level_one.percent) == (0, 2, 0)
    # No completion row for the reports, and the derived table agrees with a recomputation.
    stored = completions.stored(db.session.connection())
    assert stored == completions.computed(db.session.connection())
    assert intro.id not in {row[2] for row in stored}


def test_level_one_of_the_real_cal_programme_still_counts_nine(app, make_institution, make_user):
    assert not import_courses(REAL_COURSES).errors
    edition, animator, _trainer = enrolled_animator(make_institution, make_user, "cal")
    level_one = edition_progress(animator, edition).levels[0]
    assert len(level_one.modules) == 10 and level_one.total == 9
    assert level_one.modules[0].module.slug == "od-pomocy-do-samopomocy"
    client = app.test_client()
    page = html.unescape(client.get("/programmes/cal/").get_data(as_text=True))
    assert "Od pomocy do samopomocy" in page and "Wprowadzenie" in page

    # One numbering and one count everywhere: modules by their own number, the introduction by name.
    assert "12 modułów i nieobowiązkowe wprowadzenie" in html.unescape(client.get("/").get_data(as_text=True))
    login(client, animator)
    home = html.unescape(client.get("/").get_data(as_text=True))
    assert "zaakceptowano 0 z 9 modułów" in home
    assert "Wprowadzenie: " in home and "(nieobowiązkowe, poza liczbą modułów)" in home
    assert re.search(r"1\. <a [^>]*>Ja jako animator</a>", home)
    edition_page = html.unescape(client.get(f"/editions/{edition.id}/").get_data(as_text=True))
    assert re.search(r"1\. <a [^>]*>Ja jako animator</a>", edition_page)
    assert re.search(r"Wprowadzenie: <a [^>]*>Od pomocy do samopomocy", edition_page)
    module_page = html.unescape(client.get("/programmes/cal/modules/ja-jako-animator/").get_data(as_text=True))
    assert "moduł 1 ·" in module_page
    introduction = html.unescape(client.get("/programmes/cal/modules/od-pomocy-do-samopomocy/").get_data(as_text=True))
    assert "Poziom I · wprowadzenie, niewliczane do zaświadczenia" in introduction and "moduł 0" not in introduction

    # "Next step" leads to the first required module's assignment, not to the optional introduction's.
    progress = edition_progress(animator, edition)
    assert progress.next_step.module.slug == "ja-jako-animator"
    next_box = home[home.index("Następny krok") : home.index("</div>", home.index("Następny krok"))]
    assert "Ja jako animator" in next_box and "Od pomocy do samopomocy" not in next_box


# --- templates --------------------------------------------------------------------------------------


def test_empty_headings_are_the_missing_ones_and_those_left_with_only_prompts():
    template = "## 1. Cele\n\n_Jaki cel?_\n\n## Zasoby\n\n_Kto pomoże?_\n\n## Plan\n\n_Co i kiedy?_\n"
    assert template_headings(template) == ["1. Cele", "Zasoby", "Plan"]
    answer = "## 1. Cele\n\nSąsiedzi się znają.\n\n## zasoby\n\n_Kto pomoże?_\n"
    assert empty_headings(template, answer) == ["Zasoby", "Plan"]
    assert empty_headings(template, "## Cele\nx\n## **Zasoby**\ny\n### Plan\nz") == []
    assert empty_headings("", "anything") == []


def test_the_draft_opens_with_the_template_and_the_trainer_sees_what_was_left_empty(
    app, courses, make_institution, make_user
):
    assert not import_courses(courses).errors
    edition, animator, trainer = enrolled_animator(make_institution, make_user, "mini")
    profil = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
    client = app.test_client()
    login(client, animator)
    english(client)
    page = client.get(f"/editions/{edition.id}/assignments/{profil.id}/").get_data(as_text=True)
    assert "## Zasoby\n\n_Kto i co pomoże?_" in html.unescape(page)

    attempt = submit(edition, animator, "profil", "## Zasoby\n\nSala w szkole.\n\n## Plan\n\n_Co, kiedy i kto?_\n")
    reviewer = app.test_client()
    login(reviewer, trainer)
    english(reviewer)
    review = html.unescape(reviewer.get(f"/reviews/attempts/{attempt.id}/").get_data(as_text=True))
    assert "This attempt leaves 1 part of the template empty" in review
    gaps = review[review.index("Parts of the template") :]
    assert "<li>Plan</li>" in gaps and "<li>Zasoby</li>" not in gaps

    # After a revision request the draft holds the attempt's text, not the template again.
    judgements = [CriterionJudgement(c.id, False, "") for c in attempt.assignment_version.criteria]
    decide(attempt, trainer, judgements, "Uzupełnij plan.", Decision.REVISION_REQUESTED)
    db.session.commit()
    page = html.unescape(client.get(f"/editions/{edition.id}/assignments/{profil.id}/").get_data(as_text=True))
    assert "Sala w szkole." in page


# --- corrections are new versions; earlier work keeps its own ------------------------------------------


def test_a_corrected_module_is_a_new_version_and_earlier_work_keeps_the_old_one(tmp_path, make_institution, make_user):
    # The courses as they were before the correction: the PAL passage still got its facts wrong.
    before = tmp_path / "courses"
    shutil.copytree(REAL_COURSES, before)
    module = before / "cal" / "poziom-1" / "06-planowanie-i-projekty.md"
    edit(module, "program dla młodzieży w wieku 15–25 lat", "program obejmujący „Środy u Seniora”")
    assert not import_courses(before).errors
    edition, animator, _trainer = enrolled_animator(make_institution, make_user, "cal")
    attempt = submit(edition, animator, "koncepcja-projektu-socjalnego", "## Obszar i grupa docelowa\n\nZatorze.")
    old_version = attempt.assignment_version.module_version

    report = import_courses(REAL_COURSES)

    assert not report.errors
    assert "cal/planowanie-i-projekty" in report.modules_versioned
    current = db.session.scalar(select(Module).where(Module.slug == "planowanie-i-projekty")).current_version
    assert current.number == old_version.number + 1
    assert "15–25 lat" in current.body_html and "obejmujący „Środy u Seniora”" not in current.body_html
    db.session.refresh(attempt)
    assert attempt.assignment_version.module_version_id == old_version.id
    assert "obejmujący „Środy u Seniora”" in attempt.assignment_version.module_version.body_html


def test_project_must_be_true_or_false(courses):
    edit(courses / "poziom-1" / "01-pierwszy.md", "    required: true\n", "    required: true\n    project: maybe\n")
    error = only_error(courses)
    assert error.path.endswith("01-pierwszy.md") and error.line == 16
    assert "project" in error.message
