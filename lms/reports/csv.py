"""CSV files of the report tables: UTF-8 with a BOM (so Excel reads Polish letters), a header row, and
cells that a spreadsheet would run as formulas defused."""

import csv
import io

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


def table_csv(table: ReportTable, separator: str = ",") -> bytes:
    """The table exactly as the page shows it: header, rows, totals row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([safe_cell(label) for label in table.header])
    for row in table.body:
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")
