"""The fonts of every PDF the platform prints (workbooks, certificates): Noto Sans, and a fallback for the
characters Noto Sans lacks.

Noto Sans (Latin, Greek, Cyrillic) has no arrows, mathematical comparisons or check marks, which the courses use
("→"); fpdf2 would print them as empty boxes. fpdf2 takes such a character from a fallback font instead: Inter,
a sans-serif of Noto's weight that has them (→ ← ↑ ↓ ↔ ⇒ ⇔ ≥ ≤ ≠ ≈ ∞ ✓ ✗ ★ ● ■ ▶). Its default instance is the
regular weight (Source Sans 3's, also a candidate, is extra light: thin arrows beside regular text).
Both come from PyPI, pinned in requirements.txt, so no system fonts are needed. tests/content/test_fonts.py
fails when course content uses a character neither font has.
"""

import fontpkg_inter
import fontpkg_noto_sans
from fpdf import FPDF

NOTO_FILES = fontpkg_noto_sans.ROOT / "files"
NOTO_REGULAR = NOTO_FILES / "NotoSans[wdth,wght].ttf"
NOTO_ITALIC = NOTO_FILES / "NotoSans-Italic[wdth,wght].ttf"
FALLBACK_REGULAR = fontpkg_inter.ROOT / "files" / "Inter[opsz,wght].ttf"
FAMILY = "Noto"
FALLBACK_FAMILY = "Inter"


def add_fonts(pdf: FPDF, *, emphasis: bool = False) -> None:
    """Register Noto Sans as ``FAMILY`` and the fallback for the glyphs it lacks; with ``emphasis`` also the
    styles HTML asks for: "I" and "BI" in italics, "B" over the regular file (a bold instance of the variable
    font takes fpdf2 seconds to make, so bold text looks regular)."""
    pdf.add_font(FAMILY, "", str(NOTO_REGULAR))
    if emphasis:
        pdf.add_font(FAMILY, "B", str(NOTO_REGULAR))
        for style in ("I", "BI"):
            pdf.add_font(FAMILY, style, str(NOTO_ITALIC))
    pdf.add_font(FALLBACK_FAMILY, "", str(FALLBACK_REGULAR))
    for font in pdf.fonts.values():
        _drop_variations(font.ttfont)
    # One regular fallback face serves every style: a few symbols in an italic line stay upright.
    pdf.set_fallback_fonts([FALLBACK_FAMILY], exact_match=False)


# A PDF cannot vary a font: it shows the default instance (regular weight and width) of each, which the glyph
# outlines hold. The tables describing the variations would only be copied into every embedded subset, and
# rewriting them took more time than all the rest of the fonts' output.
_VARIATION_TABLES = ("gvar", "fvar", "avar", "cvar", "HVAR", "VVAR", "MVAR", "STAT")


def _drop_variations(ttfont) -> None:
    for tag in _VARIATION_TABLES:
        if tag in ttfont:
            del ttfont[tag]


def font_files() -> list:
    """Every font file ``add_fonts`` uses, first the main ones (for checks of which characters can be printed)."""
    return [NOTO_REGULAR, NOTO_ITALIC, FALLBACK_REGULAR]
