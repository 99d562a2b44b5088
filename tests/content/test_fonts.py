"""Every character the courses use prints in the PDFs (workbooks, certificates): Noto Sans, or the fallback font
for the symbols it lacks, such as "→" (lms/content/fonts.py)."""

import re
import shutil
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF
from sqlalchemy import select

from lms.content import workbook
from lms.content.fonts import FAMILY, add_fonts, font_files
from lms.content.importer import import_courses
from lms.content.models import Programme
from lms.extensions import db
from tests.conftest import REAL_COURSES
from tests.content.test_workbook import pdf_text

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")


def test_every_character_of_the_courses_has_a_glyph_in_the_printed_fonts():
    covered = set()
    for path in font_files():
        covered |= set(TTFont(path, lazy=True).getBestCmap())
    missing = {}
    for path in REAL_COURSES.rglob("*"):
        if path.suffix in {".md", ".yaml"}:
            for character in set(path.read_text(encoding="utf-8")) - set("\n\r\t"):
                if ord(character) not in covered:
                    missing.setdefault(f"U+{ord(character):04X} {unicodedata.name(character, '?')}", path.name)
    assert not missing, f"characters no PDF font has (add a fallback font in lms/content/fonts.py): {missing}"


@needs_pdftotext
def test_the_cal_level_one_workbook_prints_the_arrows_of_its_text(app, tmp_path):
    assert not import_courses(REAL_COURSES).errors
    programme = db.session.scalar(select(Programme).where(Programme.slug == "cal"))
    with app.test_request_context():
        text = re.sub(r"\s+", " ", pdf_text(tmp_path, workbook.build(programme, 1)))
    assert "diagnoza → cele → działania → rezultaty" in text  # courses/cal/poziom-1/06-planowanie-i-projekty.md


@needs_pdftotext
@pytest.mark.parametrize("emphasis", [False, True])
def test_text_with_and_without_symbols_prints_whole_in_every_style(tmp_path, emphasis):
    pdf = FPDF()
    add_fonts(pdf, emphasis=emphasis)
    pdf.add_page()
    pdf.set_font(FAMILY, size=12)
    pdf.multi_cell(0, 6, "Zażółć gęślą jaźń — „cytat” · 15–25 lat", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "problem → cel ≥ 3 ✓", new_x="LMARGIN", new_y="NEXT")
    if emphasis:
        pdf.write_html("<p><em>kursywa → dalej</em> i <strong>mocno ⇒ tak</strong></p>", font_family=FAMILY)
    text = pdf_text(tmp_path, bytes(pdf.output()))
    assert "Zażółć gęślą jaźń — „cytat” · 15–25 lat" in text
    assert "problem → cel ≥ 3 ✓" in text
    if emphasis:
        assert "kursywa → dalej i mocno ⇒ tak" in re.sub(r"\s+", " ", text)
