"""What letters and records share: A4 pages, styles, page numbers, metadata, safe writing."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, TableStyle

from iro_desktop.domain.letter import format_date
from iro_desktop.domain.record import SignOffStamp
from iro_desktop.pdf.fonts import (
    BASE,
    BASE_BOLD,
    BASE_ITALIC,
    markup,
    needs_shaping,
    register_fonts,
    script_runs,
    use_family,
    visual_order,
)

Output = str | os.PathLike[str] | BinaryIO

ACCENT = colors.HexColor("#1d5c73")  # a calm council teal, dark enough for 7:1 contrast
ACCENT_LIGHT = colors.HexColor("#e8f1f4")
TEXT = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")

MARGIN = 20 * mm
FOOTER_HEIGHT = 14 * mm


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_bold: ParagraphStyle
    bullet: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    small: ParagraphStyle
    small_bold: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    footer_size: float


def make_styles(body_size: float) -> Styles:
    """Styles scaled from the body size (13 pt normally, 18 pt for large print)."""
    register_fonts()
    leading = body_size * 1.4
    body = ParagraphStyle(
        "body",
        fontName=BASE,
        fontSize=body_size,
        leading=leading,
        textColor=TEXT,
        spaceAfter=body_size * 0.6,
        bulletFontName=BASE,
        bulletFontSize=body_size,
        allowWidows=0,
        allowOrphans=0,
    )
    small_size = max(9.0, body_size * 0.75)
    small = ParagraphStyle(
        "small",
        parent=body,
        fontSize=small_size,
        leading=small_size * 1.35,
        spaceAfter=small_size * 0.3,
        bulletFontSize=small_size,
    )
    cell_size = max(10.0, body_size * 0.8)
    cell = ParagraphStyle(
        "cell", parent=body, fontSize=cell_size, leading=cell_size * 1.3, spaceAfter=0
    )
    return Styles(
        body=body,
        body_bold=ParagraphStyle("body_bold", parent=body, fontName=BASE_BOLD),
        bullet=ParagraphStyle(
            "bullet",
            parent=body,
            leftIndent=body_size * 1.4,
            bulletIndent=body_size * 0.3,
            spaceAfter=body_size * 0.35,
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=BASE_BOLD,
            fontSize=body_size * 1.7,
            leading=body_size * 2.1,
            textColor=ACCENT,
            spaceAfter=body_size * 0.8,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BASE_BOLD,
            fontSize=body_size * 1.2,
            leading=body_size * 1.55,
            textColor=ACCENT,
            spaceBefore=body_size * 0.9,
            spaceAfter=body_size * 0.35,
            keepWithNext=1,
        ),
        small=small,
        small_bold=ParagraphStyle("small_bold", parent=small, fontName=BASE_BOLD),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=BASE_BOLD),
        footer_size=max(8.5, body_size * 0.7),
    )


class _Paragraph(Paragraph):  # type: ignore[misc]
    """A paragraph that lays out its lines once per width.

    ReportLab wraps a paragraph again each time a KeepTogether (a heading kept with the next
    paragraph, the signature kept with the last) measures it and again when the frame places
    it; the lines are the same for the same width, so the second time costs nothing.
    """

    _wrapped: tuple[float, float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        done = self._wrapped
        # split() drops blPara (the lines) when it pushes the paragraph on: lay out again then.
        if done is not None and done[0] == availWidth and "blPara" in self.__dict__:
            self.width, self.height = done[1], done[2]
            return done[1], done[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height


def para(
    text: str,
    style: ParagraphStyle,
    *,
    bold: bool = False,
    bulletText: str | None = None,  # noqa: N803 (ReportLab's name)
    **overrides: Any,
) -> Paragraph:
    """A paragraph of plain text (escaped, with script runs switched to the right font).

    Keyword overrides (textColor, spaceAfter...) apply to this paragraph only. Text in an Indic
    script turns on HarfBuzz shaping for this paragraph only (others stay as fast as before).
    """
    if needs_shaping(text):
        overrides.setdefault("shaping", 1)
    if overrides:
        style = ParagraphStyle(f"{style.name}*", parent=style, **overrides)
    return _Paragraph(markup(text, bold=bold), style, bulletText=bulletText)


def table_style(commands: list[tuple[object, ...]]) -> TableStyle:
    """A table style that never falls back to the standard Helvetica for a cell."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), BASE), *commands])


def stamp_text(signoff: SignOffStamp) -> str:
    at = signoff.approved_at
    return (
        f"Version {signoff.version} approved by {signoff.approved_by} on "
        f"{format_date(at.date(), weekday=False)} at {at:%H:%M} · ref {signoff.short_hash}"
    )


def draw_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw one line on the canvas, switching font for each script run (for names)."""
    for run in script_runs(visual_order(text)):
        if run.font is not None:
            use_family(run.font)
        face = run.font or font
        canvas.setFont(face, size)
        canvas.drawString(x, y, run.text)
        x += pdfmetrics.stringWidth(run.text, face, size)


def numbered_canvas(
    footer_left: str, footer_right: str, footer_size: float
) -> Callable[..., Canvas]:
    """A canvas class that prints 'Page n of N' and the footer lines on every page.

    The total is only known at the end, so each page's state is kept and the footers are
    drawn when the document is saved (the usual ReportLab two-step, without a second build).
    """

    class _NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width, _ = self._pagesize
            y = MARGIN * 0.75
            self.saveState()
            self.setStrokeColor(ACCENT)
            self.setLineWidth(0.6)
            self.line(MARGIN, y + footer_size * 1.2, width - MARGIN, y + footer_size * 1.2)
            self.setFillColor(MUTED)
            page = f"Page {self._pageNumber} of {total}"
            page_width = pdfmetrics.stringWidth(page, BASE, footer_size)
            room = width - 2 * MARGIN - page_width - footer_size * 2
            draw_text(self, MARGIN, y, _fit(footer_left, room, footer_size), BASE, footer_size)
            draw_text(self, width - MARGIN - page_width, y, page, BASE, footer_size)
            if footer_right:
                line = _fit(footer_right, width - 2 * MARGIN, footer_size)
                draw_text(self, MARGIN, y - footer_size * 1.35, line, BASE_ITALIC, footer_size)
            self.restoreState()

    return _NumberedCanvas


def build_pdf(
    story: Sequence[Flowable],
    out: Output,
    *,
    title: str,
    author: str,
    subject: str,
    language: str,
    footer_left: str,
    footer_right: str,
    footer_size: float,
    top_margin: float = MARGIN,
) -> int:
    """Lay out the story on A4 and write it to a path (atomically) or a binary file.

    Returns the number of pages.
    """
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top_margin,
        bottomMargin=MARGIN + FOOTER_HEIGHT * 0.5,
        title=title,
        author=author,
        subject=subject,
        creator="IRO Desktop",
        producer="IRO Desktop (ReportLab)",
        lang=language,
        initialFontName=BASE,  # never the standard Helvetica, even in the page preamble
        initialFontSize=12,
    )
    doc.build(
        list(story),
        canvasmaker=numbered_canvas(footer_left, footer_right, footer_size),
    )
    write_bytes(buffer.getvalue(), out)
    return int(doc.page)


def _fit(text: str, room: float, size: float) -> str:
    """The text, cut short with an ellipsis if it is wider than the room on the line."""
    if pdfmetrics.stringWidth(text, BASE, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", BASE, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def write_bytes(data: bytes, out: Output) -> None:
    """Write to a binary file, or to a path via a temporary file so no half PDF is ever left."""
    if isinstance(out, str | os.PathLike):
        path = Path(out)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    else:
        out.write(data)
