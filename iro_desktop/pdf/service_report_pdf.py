"""The service's annual report as a PDF for a Corporate Parenting Committee: charts where the
seed reports have charts (timeliness by month, participation by PN code, escalations by stage
and theme), drawn with ReportLab's graphics, then every table with the previous year beside.

Takes a ReportSheet, a plain data object read from the report's JSON (what the sync server
gives: `iro-sync-server report annual --format json`, or GET /v1/reports/annual): counts only,
no child is named anywhere in it. The server itself never loads ReportLab: its command line
runs this module (`python -m iro_desktop.pdf.service_report_pdf --out FILE < report.json`)
and the manager's window calls `render_service_report` directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from iro_desktop.pdf.fonts import BASE, BASE_BOLD
from iro_desktop.pdf.layout import (
    ACCENT,
    ACCENT_LIGHT,
    MARGIN,
    MUTED,
    Output,
    build_pdf,
    make_styles,
    para,
    table_style,
)

BODY_SIZE = 10.0
_WIDTH = 210 * mm - 2 * MARGIN
_GRID = colors.HexColor("#b7cdd5")
_SECOND = colors.HexColor("#9bb8c4")  # the previous year, lighter than ACCENT
_CHART_HEIGHT = 62 * mm


@dataclass(frozen=True)
class SheetRow:
    section: str
    label: str
    number: int | float | None
    percentage: float | None
    out_of: int | None
    previous_number: int | float | None
    previous_percentage: float | None


@dataclass(frozen=True)
class ReportSheet:
    year: int
    label: str
    previous_label: str
    scope: str
    as_of: str
    facts: int
    reviews_held: int
    in_timescale_percent: float | None
    pathway_held: int
    escalations_raised: int
    by_month: tuple[tuple[str, int, int], ...]
    pn_codes: tuple[tuple[str, int, int], ...]  # code, this year, previous year
    by_stage: tuple[tuple[str, int], ...]
    by_theme: tuple[tuple[str, int], ...]
    rows: tuple[SheetRow, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReportSheet:
        """The sheet from the report's JSON; KeyError or TypeError if it is not one."""
        before = data["previous"]
        pn_before = before["pn_codes"]
        return cls(
            year=int(data["year"]),
            label=str(data["label"]),
            previous_label=str(before["label"]),
            scope=f"Team: {data['team']}" if data.get("team") else "All teams",
            as_of=str(data["as_of"]),
            facts=int(data["review_facts"]),
            reviews_held=int(data["reviews_held"]),
            in_timescale_percent=data["reviews_in_timescale_percent"],
            pathway_held=int(data["pathway_reviews_held"]),
            escalations_raised=int(data["escalations_raised"]),
            by_month=tuple(
                (str(m["month"]), int(m["held"]), int(m["in_timescale"]))
                for m in data["timeliness_by_month"]
            ),
            pn_codes=tuple(
                (str(code), int(n), int(pn_before.get(code, 0)))
                for code, n in data["pn_codes"].items()
            ),
            by_stage=tuple((str(k), int(v)) for k, v in data["escalations_by_stage"].items()),
            by_theme=tuple((str(k), int(v)) for k, v in data["escalations_by_theme"].items()),
            rows=tuple(
                SheetRow(
                    section=str(r["section"]),
                    label=str(r["figure"]),
                    number=r["number"],
                    percentage=r["percentage"],
                    out_of=r["out_of"],
                    previous_number=r["previous_number"],
                    previous_percentage=r["previous_percentage"],
                )
                for r in data["rows"]
            ),
        )


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(0, drawing.height - 10, text, fontName=BASE_BOLD, fontSize=10))


def _style_axis_labels(chart: VerticalBarChart | HorizontalBarChart, size: float = 7) -> None:
    chart.categoryAxis.labels.fontName = BASE
    chart.categoryAxis.labels.fontSize = size
    chart.valueAxis.labels.fontName = BASE
    chart.valueAxis.labels.fontSize = size
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")


def _legend(drawing: Drawing, x: float, y: float, pairs: list[tuple[colors.Color, str]]) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = BASE
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.colorNamePairs = pairs
    drawing.add(legend)


def _counting_axis(chart: VerticalBarChart | HorizontalBarChart, largest: int) -> None:
    """Counts of reviews and children: whole-number ticks from 0, never "1.5 reviews"."""
    step = max(1, -(-largest // 5))
    axis = chart.valueAxis
    axis.valueMin = 0
    axis.valueStep = step
    axis.valueMax = step * max(1, -(-largest // step))
    axis.labelTextFormat = "%d"


def timeliness_chart(sheet: ReportSheet) -> Drawing:
    """Looked-after reviews held each month, and of them those held in timescale."""
    drawing = Drawing(_WIDTH, _CHART_HEIGHT)
    _title(drawing, f"Reviews held and held in timescale, by month ({sheet.label})")
    months = sheet.by_month
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = _WIDTH - 45, _CHART_HEIGHT - 50
    chart.data = [[held for _, held, _ in months], [on for _, _, on in months]]
    chart.categoryAxis.categoryNames = [m for m, _, _ in months]
    chart.bars[0].fillColor = _SECOND
    chart.bars[1].fillColor = ACCENT
    chart.barSpacing = 1
    chart.groupSpacing = 6
    _style_axis_labels(chart)
    _counting_axis(chart, max((held for _, held, _ in months), default=0))
    drawing.add(chart)
    _legend(drawing, 30, 8, [(_SECOND, "Held"), (ACCENT, "Held in timescale")])
    return drawing


def _horizontal(
    title: str,
    pairs: Sequence[tuple[str, int]],
    previous: list[int] | None,
    labels: tuple[str, str],
) -> Drawing:
    rows = max(len(pairs), 1)
    height = max(_CHART_HEIGHT * 0.6, 22 + rows * (18 if previous is not None else 11) + 28)
    drawing = Drawing(_WIDTH, height)
    _title(drawing, title)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 26
    chart.width, chart.height = _WIDTH - 175, height - 46
    this = [n for _, n in pairs] or [0]
    chart.data = [previous, this] if previous is not None else [this]
    chart.categoryAxis.categoryNames = [name[:38] for name, _ in pairs] or ["None"]
    chart.categoryAxis.reverseDirection = True
    if previous is not None:
        chart.bars[0].fillColor = _SECOND
        chart.bars[1].fillColor = ACCENT
    else:
        chart.bars[0].fillColor = ACCENT
    chart.barSpacing = 1
    _style_axis_labels(chart)
    _counting_axis(chart, max([*this, *(previous or [0])]))
    drawing.add(chart)
    if previous is not None:
        _legend(drawing, 150, 8, [(_SECOND, labels[1]), (ACCENT, labels[0])])
    return drawing


def participation_chart(sheet: ReportSheet) -> Drawing:
    return _horizontal(
        "Participation of children in their reviews, by PN code",
        [(code, n) for code, n, _ in sheet.pn_codes],
        [before for _, _, before in sheet.pn_codes],
        (sheet.label, sheet.previous_label),
    )


def escalation_charts(sheet: ReportSheet) -> list[Flowable]:
    """Escalations by stage reached and by theme; a sentence instead when there were none."""
    s = make_styles(BODY_SIZE)
    out: list[Flowable] = []
    for what, pairs in (("the stage they reached", sheet.by_stage), ("theme", sheet.by_theme)):
        title = f"Escalations by {what} ({sheet.label})"
        if not pairs:
            out.append(para(f"{title}: no escalations were raised in the year.", s.body))
            continue
        out.append(_horizontal(title, pairs, None, (sheet.label, "")))
    return out


def _cell(value: int | float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else f"{value:,}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


def _tables(sheet: ReportSheet) -> list[Flowable]:
    s = make_styles(BODY_SIZE)
    story: list[Flowable] = []
    sections: dict[str, list[SheetRow]] = {}
    for row in sheet.rows:
        sections.setdefault(row.section, []).append(row)
    head = ("Figure", sheet.label, "%", "Out of", sheet.previous_label, "%")
    widths = [0.42, 0.11, 0.11, 0.1, 0.14, 0.12]
    for section, rows in sections.items():
        cells: list[list[Flowable]] = [[para(h, s.cell_bold, bold=True) for h in head]]
        for row in rows:
            cells.append(
                [
                    para(row.label, s.cell),
                    para(_cell(row.number), s.cell),
                    para(_percent(row.percentage), s.cell),
                    para(_cell(row.out_of), s.cell),
                    para(_cell(row.previous_number), s.cell, textColor=MUTED),
                    para(_percent(row.previous_percentage), s.cell, textColor=MUTED),
                ]
            )
        table = Table(cells, colWidths=[w * _WIDTH for w in widths], repeatRows=1, hAlign="LEFT")
        table.setStyle(
            table_style(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        # Not kept with the whole table (a long one would leave half a page empty): a new
        # page only when too little room is left for the heading and a few rows.
        story.append(CondPageBreak(45 * mm))
        story.append(para(section, s.heading, bold=True, keepWithNext=0))
        story.append(table)
    return story


def render_service_report(sheet: ReportSheet, out: Output, *, service_name: str) -> int:
    """Write the report as a PDF; returns the number of pages."""
    s = make_styles(BODY_SIZE)
    timely = sheet.in_timescale_percent
    summary = (
        f"{sheet.reviews_held:,} looked-after reviews held, "
        f"{'' if timely is None else f'{timely:.1f}% '}in timescale; "
        f"{sheet.pathway_held:,} pathway plan reviews; "
        f"{sheet.escalations_raised:,} escalations raised. Figures as at {sheet.as_of}, "
        f"from {sheet.facts:,} name-free review records sent by the IROs' laptops."
    )
    title = f"IRO service annual report {sheet.label}"
    story: list[Flowable] = [
        para(service_name, s.small_bold, bold=True, textColor=ACCENT),
        para(title, s.title, bold=True, spaceAfter=2),
        para(f"1 April {sheet.year - 1} to 31 March {sheet.year}. {sheet.scope}.", s.body),
        para(summary, s.body),
        KeepTogether([timeliness_chart(sheet), Spacer(1, 6 * mm)]),
        KeepTogether([participation_chart(sheet), Spacer(1, 6 * mm)]),
        *[KeepTogether([chart, Spacer(1, 6 * mm)]) for chart in escalation_charts(sheet)],
        *_tables(sheet),
    ]
    return build_pdf(
        story,
        out,
        title=title,
        author=service_name,
        subject="Reviews, participation, recording and escalations, service-wide",
        language="en-GB",
        footer_left=f"{title} ({sheet.scope})",
        footer_right="Counts only: no child is named in this report.",
        footer_size=s.footer_size,
    )
