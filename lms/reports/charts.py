"""Charts as inline SVG, drawn on the server: no JavaScript, no external files, every text escaped.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; the page puts the same
numbers in a table next to it, which is what screen readers and keyboard users read.
"""

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from lms.i18n import format_month

WIDTH = 720
PALETTE = ("#1f5f4a", "#c7761a", "#4a6fa5")  # green, amber, blue: distinguishable, dark enough for white text
LABEL_CHARS = 30


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]


def _text(value) -> str:
    return str(escape(str(value)))


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _axis(value: int) -> tuple[int, int]:
    """A round step (1, 2 or 5 times a power of ten, at least 1) and the axis top: at most 5 steps."""
    if value <= 0:
        return 1, 1
    power = 10 ** max(math.floor(math.log10(value / 5)), 0)
    step = next(s * power for s in (1, 2, 5, 10) if value <= 5 * s * power)
    return step, step * math.ceil(value / step)


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    chart_id = _text(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="system-ui, sans-serif" '
        'font-size="12">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>',
    ]


def _legend(series: list[Series], y: int) -> list[str]:
    parts, x = [], 8
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect class="chart-series-{index}" x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(f'<text class="chart-label" x="{x + 18}" y="{y}">{_text(item.label)}</text>')
        x += 30 + 8 * len(item.label)
    return parts


def bar_chart(
    chart_id: str, title: str, description: str, labels: list[str], series: list[Series], suffix=""
) -> Markup:
    """Horizontal bars, one group per label (long labels read better sideways), the value at each bar's end."""
    label_width, value_width, bar, gap = 240, 70, 14, 10
    legend = 24 if len(series) > 1 else 0
    group = bar * len(series) + gap
    height = legend + group * len(labels) + 8
    top = max((max(s.values, default=0) for s in series), default=0)
    scale = (WIDTH - label_width - value_width) / max(top, 1)
    parts = _open(chart_id, title, description, height)
    if legend:
        parts += _legend(series, 16)
    for row, label in enumerate(labels):
        y = legend + row * group + 4
        parts.append(
            f'<text class="chart-label" x="{label_width - 8}" y="{y + group / 2 + 2:.1f}" text-anchor="end">'
            f"<title>{_text(label)}</title>{_text(_short(label))}</text>"
        )
        for index, item in enumerate(series):
            value = item.values[row]
            length = max(value * scale, 1 if value else 0)
            colour = PALETTE[index % len(PALETTE)]
            by = y + index * bar
            parts.append(
                f'<rect class="chart-series-{index}" x="{label_width}" y="{by}" width="{length:.1f}" '
                f'height="{bar - 2}" fill="{colour}"/>'
            )
            parts.append(
                f'<text class="chart-value" x="{label_width + length + 4:.1f}" y="{by + bar - 4}">'
                f"{_text(value)}{_text(suffix)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(chart_id: str, title: str, description: str, labels: list[str], series: list[Series]) -> Markup:
    """Vertical columns over time (months), a value axis with round gridlines, every n-th label shown."""
    left, right, top_margin, bottom, height = 48, 8, 34 if len(series) > 1 else 12, 28, 240
    plot_width, plot_height = WIDTH - left - right, height - top_margin - bottom
    step, top = _axis(max((max(s.values, default=0) for s in series), default=0))
    group = plot_width / max(len(labels), 1)
    bar = max(min((group - 4) / len(series), 28), 1)
    every = max(1, math.ceil(len(labels) / 12))
    parts = _open(chart_id, title, description, height)
    if len(series) > 1:
        parts += _legend(series, 16)
    for value in range(0, top + 1, step):
        y = top_margin + plot_height - plot_height * value / top
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
        )
        parts.append(f'<text class="chart-axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_text(value)}</text>')
    for column, label in enumerate(labels):
        x = left + column * group + (group - bar * len(series)) / 2
        for index, item in enumerate(series):
            value = item.values[column]
            length = plot_height * value / top
            colour = PALETTE[index % len(PALETTE)]
            y = top_margin + plot_height - length
            parts.append(
                f'<rect class="chart-series-{index}" x="{x + index * bar:.1f}" y="{y:.1f}" '
                f'width="{max(bar - 1, 1):.1f}" height="{length:.1f}" fill="{colour}">'
                f"<title>{_text(label)}: {_text(item.label)} {_text(value)}</title></rect>"
            )
        if column % every == 0:
            parts.append(
                f'<text class="chart-axis" x="{left + column * group + group / 2:.1f}" y="{height - 8}" '
                f'text-anchor="middle">{_text(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup


def _chart(draw, chart_id: str, title: str, *args, **kwargs) -> Chart:
    return Chart(title, draw(chart_id, title, *args, **kwargs))


def report_charts(report) -> dict[str, Chart]:
    """The page's charts, drawn from the very tables the page shows (their text alternative)."""
    charts = {}
    voivodeships = report.voivodeships
    if voivodeships.rows:
        charts["voivodeships"] = _chart(
            bar_chart,
            "chart-voivodeships",
            _("Institutions taking part and institution certificates by voivodeship"),
            _("Bar chart; the numbers are in the table of voivodeships."),
            [str(row[0]) for row in voivodeships.rows],
            [
                Series(_("Institutions taking part"), voivodeships.column("institutions")),
                Series(_("Certified centres"), voivodeships.column("institution_certificates")),
            ],
        )
    modules = report.modules
    if modules.rows:
        several = len(set(modules.column("programme"))) > 1
        labels = [f"{row[0]}: {row[2]}" if several else str(row[2]) for row in modules.rows]
        charts["modules"] = _chart(
            bar_chart,
            "chart-modules",
            _("Module completion: the share of enrolled animators who completed each module"),
            _("Bar chart in per cent; the numbers are in the table of modules."),
            labels,
            [Series(_("Completed (%)"), modules.column("percent"))],
            suffix="%",
        )
    monthly = report.monthly
    if monthly.rows:
        months = [format_month(month, "LLL") for month in monthly.column("month")]
        charts["assignments"] = _chart(
            column_chart,
            "chart-assignments",
            _("Assignments accepted per month"),
            _("Column chart; the numbers are in the table of months."),
            months,
            [Series(_("Assignments accepted"), monthly.column("assignments_accepted"))],
        )
        charts["certificates"] = _chart(
            column_chart,
            "chart-certificates",
            _("Certificates issued per month"),
            _("Column chart; the numbers are in the table of months."),
            months,
            [
                Series(_("Person certificates"), monthly.column("person_certificates")),
                Series(_("Certified centres"), monthly.column("institution_certificates")),
            ],
        )
    return charts
