"""Faster line breaking for fpdf2 2.8, with the same result: it made the CAL Level I workbook take seconds.

fpdf2 breaks lines one character at a time and, for every character, asks the width of the whole line so far:
it re-adds the widths of the line's finished fragments (runs of one style) and re-measures the growing last one
character by character ("W", "Wa", "War", ...). Both are remembered here:

- a line's finished fragments are summed once, in fpdf2's order, so the float sum is the same;
- a face's text widths are kept, and a text one character longer than a kept one costs one addition of the same
  integer glyph widths fpdf2 adds.

Nothing else of fpdf2 changes, so the PDF comes out byte for byte as before (tests/content/test_workbook.py).
"""

from typing import ClassVar

from fpdf import FPDF, line_break
from fpdf.fonts import TTFFont


class _CurrentLine(line_break.CurrentLine):
    # fpdf2 only appends to the last fragment; it trims the line (shorter list, or a new list) just before it
    # hands the line over, so the sum of all but the last fragment is valid while list and length are the same.
    _finished_for: tuple[object, int] | None = None
    _finished_width: float = 0

    @property
    def width(self) -> float:
        fragments = self.fragments
        if not fragments:
            return 0
        if (
            self._finished_for is None
            or self._finished_for[0] is not fragments
            or self._finished_for[1] != len(fragments)
        ):
            width: float = 0
            for index, fragment in enumerate(fragments[:-1]):
                width += fragment.get_width(initial_cs=index > 0)
            self._finished_for, self._finished_width = (fragments, len(fragments)), width
        return self._finished_width + fragments[-1].get_width(initial_cs=len(fragments) > 1)


class _KnownWidthsFont(TTFFont):
    # TTFFont has __slots__ and no room for an attribute of its own: the widths are kept per font file and face,
    # which is what fixes the glyph widths.
    __slots__ = ()
    MEMORY = 50_000  # texts kept per face, forgotten all at once beyond this: a few MB of short strings
    _widths: ClassVar[dict[tuple[str, str], dict[str, int]]] = {}

    def get_text_width(self, text, font_size_pt, text_shaping_params):
        if text_shaping_params or self.is_symbol or not text:
            return super().get_text_width(text, font_size_pt, text_shaping_params)
        self.biggest_size_pt = max(self.biggest_size_pt, font_size_pt)
        widths = self._widths.setdefault((str(self.ttffile), self.fontkey), {})
        units = widths.get(text)
        if units is None:
            shorter = widths.get(text[:-1])
            if shorter is None:
                units = sum(self.cw[ord(character)] for character in text)
            else:
                units = shorter + self.cw[ord(text[-1])]
            if len(widths) >= self.MEMORY:
                widths.clear()
            widths[text] = units
        return len(text), units * font_size_pt * 0.001


def remember_widths(pdf: FPDF) -> None:
    """Measure this document's TrueType fonts (added so far) with remembered widths."""
    for font in pdf.fonts.values():
        if type(font) is TTFFont:
            font.__class__ = _KnownWidthsFont


line_break.CurrentLine = _CurrentLine  # fpdf2 makes its lines through this module-level name
