"""An escalation as a PDF: what was raised, where it stands, and its whole history with what
each side said (the replies and the difference the resolution made for the child)."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from iro_desktop.pdf.layout import (
    ACCENT,
    ACCENT_LIGHT,
    MARGIN,
    Output,
    build_pdf,
    make_styles,
    para,
    table_style,
)

BODY_SIZE = 11.0
_CONTENT_WIDTH = 210 * mm - 2 * MARGIN
_GRID = colors.HexColor("#b7cdd5")


@dataclass(frozen=True)
class SheetEvent:
    on: str
    what: str
    said: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class EscalationSheet:
    title: str
    facts: tuple[tuple[str, str], ...]
    events: tuple[SheetEvent, ...]


def render_escalation(sheet: EscalationSheet, out: Output, *, service_name: str) -> int:
    """Write the escalation as a PDF; returns the number of pages."""
    s = make_styles(BODY_SIZE)
    story: list[Flowable] = [
        para(service_name, s.small_bold, bold=True, textColor=ACCENT),
        para("Escalation", s.title, bold=True, spaceAfter=2),
        para(sheet.title, s.heading, bold=True, spaceBefore=0),
    ]
    facts = [[para(k, s.cell_bold, bold=True), para(v, s.cell)] for k, v in sheet.facts]
    story.append(_table(facts, [0.25, 0.75], header=False, shade_first_column=True))
    story.append(para("History (oldest first)", s.heading, bold=True))
    rows: list[list[Flowable]] = [
        [para(h, s.cell_bold, bold=True) for h in ("Date", "What happened", "By")]
    ]
    for event in sheet.events:
        what = [para(event.what, s.cell)]
        if event.said:
            what.append(para(event.said, s.cell, spaceBefore=3))
        if event.note:
            what.append(
                para(event.note, s.cell, spaceBefore=3, textColor=colors.HexColor("#a4262c"))
            )
        rows.append([para(event.on, s.cell), what, para(event.by, s.cell)])
    story.append(_table(rows, [0.18, 0.60, 0.22], header=True))
    return build_pdf(
        story,
        out,
        title=f"Escalation: {sheet.title}",
        author=service_name,
        subject="Escalation and its history",
        language="en-GB",
        footer_left=f"Escalation: {sheet.title}",
        footer_right="Confidential: contains personal information about a child.",
        footer_size=s.footer_size,
    )


def _table(
    rows: list[list[Flowable]],
    fractions: list[float],
    *,
    header: bool,
    shade_first_column: bool = False,
) -> Table:
    table = Table(
        rows,
        colWidths=[f * _CONTENT_WIDTH for f in fractions],
        repeatRows=1 if header else 0,
        splitInRow=1,  # a long reply flows onto the next page
        hAlign="LEFT",
    )
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT))
    if shade_first_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), ACCENT_LIGHT))
    table.setStyle(table_style(commands))
    return table
