"""CSV files of the report tables: UTF-8 with a BOM (so Excel reads Polish letters), a header row, and
cells that a spreadsheet would run as formulas defused."""

import re

from lms.reports.tables import ReportTable

BOM = "\ufeff"
# A spreadsheet treats a cell starting with these as a formula (tab and CR hide one after whitespace).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Numbers as plain integers; text starting like a formula gets a leading apostrophe."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Quoted whatever the chosen separator: a spreadsheet may open a comma file with ";" (Polish Excel does),
# and an unquoted "x;=1+1;y" would then become three cells, the middle one a formula.
_NEEDS_QUOTES = re.compile(r'[,;"\r\n]')


def _field(value) -> str:
    text = safe_cell(value)
    return '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text


def table_csv(table: ReportTable, separator: str = ",") -> bytes:
    """The table exactly as the page shows it: header, rows, totals row."""
    lines = [separator.join(_field(cell) for cell in row) + "\r\n" for row in [table.header, *table.shown]]
    return (BOM + "".join(lines)).encode("utf-8")
