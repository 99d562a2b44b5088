"""The personal data check: the synthetic corpus is flagged, the course's own module texts are not."""

from pathlib import Path

import pytest

from lms.privacy.detect import DataKind, id_card_is_valid, passport_is_valid, scan
from lms.privacy.services import check_submission
from tests.privacy.corpus import corpus, id_card, passport, pesel

COURSES = Path(__file__).parents[2] / "courses"


def kinds_found(case) -> set[DataKind]:
    files = [case.file] if case.file else []
    return {finding.kind for finding in check_submission(case.text, files)}


def test_at_least_95_percent_of_the_synthetic_corpus_is_flagged_as_what_it_carries():
    cases = corpus()
    missed = [case for case in cases if case.kind not in kinds_found(case)]
    flagged = 1 - len(missed) / len(cases)
    print(f"personal data corpus: {len(cases) - len(missed)}/{len(cases)} flagged ({flagged:.1%})")
    assert len(cases) >= 60
    assert flagged >= 0.95, missed


@pytest.mark.parametrize("path", sorted(COURSES.rglob("*.md")), ids=lambda path: str(path.relative_to(COURSES)))
def test_no_course_text_raises_a_flag(path):
    assert scan(path.read_text(encoding="utf-8")) == []


def test_the_module_texts_are_really_there():
    assert len(list(COURSES.rglob("*.md"))) >= 30


@pytest.mark.parametrize(
    "text",
    [
        "Budżet projektu: 120 000 000 zł, w tym 15 000 zł na materiały.",
        "REGON ośrodka: 123456785, NIP 5261040828.",
        "Spotkanie 12.03.2026 o 17:00, sala nr 12, 45 osób.",
        "Numer 44051401358 ma złą sumę kontrolną.",
        "Pani Beata z klubu i Pan Zbigniew z rady sołeckiej.",
        "Anna Kowalska opisała nasz plan.",  # one person (often the author) is not a list
        "Kod pocztowy 00-950 Warszawa, ul. Długa 5.",
    ],
)
def test_ordinary_figures_and_single_names_are_not_flagged(text):
    assert scan(text) == []


def test_the_learner_is_told_where_each_finding_is_and_sees_numbers_masked():
    number = pesel(1944, 5, 14, 135)
    findings = scan(f"Wstęp\n\nPESEL: {number}\n")
    assert [(f.kind, f.source, f.location) for f in findings] == [(DataKind.PESEL, "", 3)]
    assert number not in findings[0].shown and findings[0].shown.startswith(number[:3])


def test_the_generated_document_numbers_pass_their_own_checksums():
    assert id_card_is_valid(id_card("ABA", "00000")) and id_card("ABA", "00000") == "ABA300000"
    assert passport_is_valid(passport("EA", "123456"))
    assert not id_card_is_valid("ABA400000")
