"""A report's tables, as both the page and the CSV files show them."""

from dataclasses import dataclass, field

from lms.reports.filters import ReportFilters

TABLES = ("editions", "voivodeships", "modules", "monthly")


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

    @property
    def header(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    @property
    def body(self) -> list[list]:
        """Every row the page shows, the totals row last."""
        return self.rows + ([self.total] if self.total is not None else [])

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
    voivodeships: ReportTable
    modules: ReportTable
    monthly: ReportTable
    indicators: list[dict]  # [{key, label}] of the programmes in the report

    def table(self, name: str) -> ReportTable:
        return getattr(self, name)
