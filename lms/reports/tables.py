"""A report's tables, as both the page and the CSV files show them."""

from dataclasses import dataclass, field

from lms.i18n import format_month
from lms.reports.filters import ReportFilters

TABLES = ("editions", "voivodeships", "regions", "modules", "monthly")


@dataclass(frozen=True)
class ReportColumn:
    key: str
    label: str
    numeric: bool = True


@dataclass
class ReportTable:
    """One table as both the page and the CSV file show it: a header, rows and an optional totals row."""

    name: str
    title: str
    columns: list[ReportColumn]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    by_month: bool = False  # rows keyed by YYYY-MM, shown with the month's name ("styczeń 2026")

    def label(self, row: list) -> str:
        """A row's first cell as the page and the CSV file show it."""
        return format_month(row[0]) if self.by_month and row is not self.total else row[0]

    @property
    def header(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    @property
    def body(self) -> list[list]:
        """Every row the page shows, the totals row last."""
        return self.rows + ([self.total] if self.total is not None else [])

    @property
    def shown(self) -> list[list]:
        """``body`` with each row's label as shown (a month's name rather than its key)."""
        return [[self.label(row), *row[1:]] for row in self.body]

    def cells(self, row: list) -> zip:
        """A row's cells after its first (which the page shows as the row's header), each paired with
        whether its column is numeric; the page renders cells from this rather than looking each up."""
        return zip(row[1:], [column.numeric for column in self.columns[1:]], strict=True)

    def column(self, key: str) -> list:
        """One column's values of the data rows (without the totals row)."""
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


@dataclass
class Report:
    filters: ReportFilters
    editions: ReportTable
    voivodeships: ReportTable  # by the institution's voivodeship
    regions: ReportTable  # by the edition's voivodeship
    modules: ReportTable
    monthly: ReportTable
    indicators: list[dict]  # [{key, label}] of the programmes in the report

    def table(self, name: str) -> ReportTable:
        return getattr(self, name)
