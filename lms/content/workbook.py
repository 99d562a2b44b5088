"""A level's workbook as PDF, to take to a training room without internet: each module's text and goals, every
assignment with its instructions and criteria, and ruled space for notes.

Built with fpdf2 from the same rendered Markdown the module pages show, in the fonts the certificates use
(lms/content/fonts.py: Noto Sans, with a fallback for the symbols it lacks).
It names the content version it was built from (the programme's content hash) and is kept per content version
and language, so a re-import of changed courses builds a new one and an unchanged one is built once.

Noto comes as a variable font; making a bold instance of it takes fpdf2 seconds, so headings are told apart by
size only, and <b>/<strong> use the regular face (a plain "B" style name over the same file).
"""

import os
import re
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF
from sqlalchemy import select

from lms.content.fonts import FAMILY, add_fonts
from lms.content.models import Module, ModuleKind, Programme
from lms.extensions import db

NOTE_LINES = 8
# Raised whenever the way a workbook is printed changes (not its content), so that copies kept by ``cached`` that
# were built the old way are not served. 2: symbols Noto Sans lacks (→) print from the fallback font; 3: the
# introduction is labelled as such, not "Module 0".
PRINTING = 3
_SCROLL_BOX = re.compile(r'<div class="scroll-box"[^>]*>|</div>')
_HEADING_SIZES = {"h1": 20, "h2": 15, "h3": 13, "h4": 12, "h5": 11, "h6": 11}


class _Workbook(FPDF):
    def footer(self):
        self.set_y(-14)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90)
        self.cell(0, 6, f"{self.title}  ·  {self.page_no()}", align="C")
        self.set_text_color(0)


def _new_pdf(title: str) -> _Workbook:
    pdf = _Workbook(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author("Akademia CAL")
    add_fonts(pdf, emphasis=True)
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def _html(pdf: FPDF, html: str) -> None:
    # The scrolling boxes around tables are for screens; fpdf2 lays tables out itself.
    pdf.write_html(_SCROLL_BOX.sub("", html), tag_styles=None, font_family=FAMILY)


def _heading(pdf: FPDF, text: str, size: int) -> None:
    pdf.set_font(FAMILY, size=size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FAMILY, size=10.5)


def _notes(pdf: FPDF) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, size=10)
    pdf.cell(0, 6, _("Notes"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(170)
    for _line in range(NOTE_LINES):
        pdf.ln(8)
        if pdf.get_y() > pdf.h - 25:
            pdf.add_page()
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(6)
    pdf.set_font(FAMILY, size=10.5)


def level_modules(programme: Programme, level_number: int) -> list[Module]:
    return db.session.scalars(
        select(Module)
        .where(Module.programme_id == programme.id, Module.level_number == level_number, Module.retired.is_(False))
        .where(Module.current_version_id.is_not(None))
        .order_by(Module.position, Module.id)
    ).all()


def content_version(programme: Programme) -> str:
    return programme.content_hash[:12]


def build(programme: Programme, level_number: int) -> bytes:
    """The workbook of one level (the current versions of its modules), in the current interface language."""
    level = next(level for level in programme.levels if level.number == level_number)
    pdf = _new_pdf(f"{programme.title} — {level.title}")
    pdf.add_page()
    pdf.set_y(70)
    _heading(pdf, _("Workbook"), 24)
    _heading(pdf, programme.title, 16)
    _heading(pdf, level.title, 14)
    pdf.multi_cell(0, 6, _("Content version %(version)s", version=content_version(programme)))
    for module in level_modules(programme, level_number):
        version = module.current_version
        pdf.add_page()
        pdf.set_text_color(90)
        pdf.set_font(FAMILY, size=9)
        label = (
            _("Introduction (optional, not counted)")
            if module.kind is ModuleKind.INTRODUCTION
            else _("Module %(position)s", position=module.position)
        )
        pdf.cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
        _heading(pdf, version.title, 18)
        if version.summary:
            pdf.multi_cell(0, 6, version.summary, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        _heading(pdf, _("Learning goals"), 13)
        for goal in version.goals:
            pdf.multi_cell(0, 6, f"•  {goal}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        _html(pdf, version.body_html)
        for assignment in version.assignments:
            pdf.ln(4)
            _heading(pdf, f"{_('Assignment')}: {assignment.title}", 14)
            _html(pdf, assignment.instructions_html)
            _heading(pdf, _("Review criteria"), 12)
            for number, criterion in enumerate(assignment.criteria, 1):
                pdf.multi_cell(0, 6, f"{number}. {criterion.text}", new_x="LMARGIN", new_y="NEXT")
            _notes(pdf)
    return bytes(pdf.output())


def cached(programme_id: int, level_number: int, version: str, locale: str) -> bytes:
    """The workbook, built once per content version and language on this machine: building one takes fpdf2 many
    seconds (its line breaking), so the PDF is kept in instance/workbooks/ under a name holding the version."""
    folder = Path(current_app.instance_path) / "workbooks"
    path = folder / f"{programme_id}-{level_number}-{version}-{locale}-p{PRINTING}.pdf"
    if path.exists():
        return path.read_bytes()
    content = build(db.session.get(Programme, programme_id), level_number)
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.replace(temporary, path)  # atomic: two workers building at once leave one whole file
    return content
