"""The letter to the child as a PDF: warm, tidy, A4, every font embedded."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table

from iro_desktop.domain.letter import AgeBand, LetterDraft, LetterFacts, format_date
from iro_desktop.domain.record import SignOffStamp
from iro_desktop.pdf.fonts import BASE, BASE_BOLD, markup, needs_shaping
from iro_desktop.pdf.layout import (
    ACCENT,
    ACCENT_LIGHT,
    MARGIN,
    Output,
    Styles,
    build_pdf,
    make_styles,
    para,
    stamp_text,
    table_style,
)

BODY_SIZE = 13.0
YOUNG_CHILD_SIZE = 14.0
LARGE_PRINT_SIZE = 18.0
EMPTY_SECTION = "There is nothing new to tell you about this."
_CONTENT_WIDTH = 210 * mm - 2 * MARGIN


def render_letter(
    draft: LetterDraft,
    facts: LetterFacts,
    out: Output,
    *,
    large_print: bool = False,
    photo: bytes | None = None,
    signoff: SignOffStamp | None = None,
    language: str = "en-GB",
) -> int:
    """Write the letter as a PDF to a path or a binary file; returns the number of pages.

    `photo` is an optional picture of the IRO (PNG or JPEG bytes), so a child knows who wrote.
    """
    if large_print:
        size = LARGE_PRINT_SIZE
    elif facts.age_band is AgeBand.UNDER_8:
        size = YOUNG_CHILD_SIZE  # read with a carer, often by a child just learning to read
    else:
        size = BODY_SIZE
    styles = make_styles(size)
    story: list[Flowable] = [
        _header(facts, styles, photo, stacked=large_print),
        Spacer(1, styles.body.fontSize),
    ]
    story.append(para(draft.title, styles.title, bold=True))
    story.append(para(draft.salutation, styles.body))
    for section in draft.sections:
        if section.heading:
            story.append(para(section.heading, styles.heading, bold=True))
        paragraphs = section.paragraphs or (EMPTY_SECTION,)
        for text in paragraphs:
            if text.startswith("- "):
                story.append(para(text[2:].strip(), styles.bullet, bulletText="•"))
            elif text.endswith(":"):
                # A lead-in ("These people came:") stays with the list it introduces.
                story.append(
                    para(text, styles.body, keepWithNext=1, spaceBefore=styles.body.fontSize * 0.3)
                )
            else:
                story.append(para(text, styles.body))
    # The signature (and the manager's stamp) is never alone at the top of the last page: it
    # keeps the paragraph before it, so the child sees that the letter ends with those words.
    ending: list[Flowable] = [story.pop()] if draft.sign_off and len(story) > 2 else []
    if draft.sign_off:
        ending.append(Spacer(1, styles.body.fontSize * 0.5))
        for i, line in enumerate(draft.sign_off):
            bold = i == 1  # the IRO's name, under "Best wishes,"
            style = styles.body_bold if bold else styles.body
            ending.append(para(line, style, bold=bold, spaceAfter=0) if i else para(line, style))
    if signoff is not None:
        ending.append(Spacer(1, styles.body.fontSize))
        ending.append(_stamp_box(signoff, styles))
    if ending:
        story.append(KeepTogether(ending))
    return build_pdf(
        story,
        out,
        title=draft.title,
        author=facts.iro.name,
        subject=(
            f"Letter to {facts.name_to_use} after the review of "
            f"{format_date(facts.held_on, weekday=False)}"
        ),
        language=language,
        footer_left=facts.service_name,
        footer_right=stamp_text(signoff) if signoff else "",
        footer_size=styles.footer_size,
    )


def _header(facts: LetterFacts, styles: Styles, photo: bytes | None, *, stacked: bool) -> Flowable:
    """Service name and date on the left, the IRO's contact block on the right.

    In large print the contact block goes below, full width, so an email address fits.
    """
    left = _lines(
        [(facts.service_name, True, ACCENT.hexval()), (format_date(facts.written_on), False, "")],
        styles,
    )
    contact_lines = [
        ("Your Independent Reviewing Officer", True, ""),
        (facts.iro.name, False, ""),
    ]
    if facts.iro.phone.strip():
        contact_lines.append((f"Phone: {facts.iro.phone.strip()}", False, ""))
    if facts.iro.email.strip():
        contact_lines.append((f"Email: {facts.iro.email.strip()}", False, ""))
    contact = _lines(contact_lines, styles)
    picture = _photo(photo, 26 * mm) if photo is not None else None
    return _Header(left, contact, picture, stacked=stacked)


class _Header(Flowable):  # type: ignore[misc]
    """The letter's top: [photo] service and date, and the contact box (beside, or below in
    large print). Drawn directly rather than as a ReportLab Table, which took a tenth of the
    letter's time for these few lines."""

    PHOTO_COLUMN = 30 * mm
    CONTACT_WIDTH = 72 * mm
    GAP = 6.0  # the space a table cell kept on its right
    PAD_X, PAD_Y, TOP = 8.0, 6.0, 3.0
    BAR = 3.0

    def __init__(
        self, left: Flowable, contact: Flowable, photo: Image | None, *, stacked: bool
    ) -> None:
        super().__init__()
        self.left, self.contact, self.photo, self.stacked = left, contact, photo, stacked

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        x0, photo_h = 0.0, 0.0
        if self.photo is not None:
            x0 = self.PHOTO_COLUMN
            photo_h = self.photo.wrap(self.PHOTO_COLUMN, availHeight)[1] + 2 * self.TOP
        if self.stacked:
            self._lh = self.left.wrap(availWidth - x0 - self.GAP, availHeight)[1] + 2 * self.TOP
            box_w = availWidth - x0
            self._ch = self.contact.wrap(box_w - self.PAD_X - self.GAP, availHeight)[1]
            self._box = (x0, box_w, self._ch + 2 * self.PAD_Y)
            self._row0 = max(photo_h, self._lh)
            self.height = self._row0 + self._box[2]
        else:
            box_w = self.CONTACT_WIDTH
            self._lh = self.left.wrap(availWidth - x0 - box_w - self.GAP, availHeight)[1]
            self._ch = self.contact.wrap(box_w - self.PAD_X - self.GAP, availHeight)[1]
            self._box = (availWidth - box_w, box_w, 0.0)
            self._row0 = max(photo_h, self._lh + 2 * self.TOP, self._ch + 2 * self.PAD_Y)
            self.height = self._row0
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        top = self.height
        x0 = self.PHOTO_COLUMN if self.photo is not None else 0.0
        if self.photo is not None:
            _, ph = self.photo.wrap(self.PHOTO_COLUMN, top)
            self.photo.drawOn(canv, 0, top - self.TOP - ph)
        self.left.drawOn(canv, x0, top - self.TOP - self.left.height)
        box_x, box_w, box_h = self._box
        box_top = top - self._row0 if self.stacked else top
        box_h = box_h or self._row0
        canv.saveState()
        canv.setFillColor(ACCENT_LIGHT)
        canv.rect(box_x, box_top - box_h, box_w, box_h, stroke=0, fill=1)
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(self.BAR)
        canv.line(box_x, box_top - box_h, box_x, box_top)
        canv.restoreState()
        self.contact.drawOn(canv, box_x + self.PAD_X, box_top - self.PAD_Y - self.contact.height)


def _lines(lines: list[tuple[str, bool, str]], styles: Styles) -> Flowable:
    """Short lines (text, bold, colour) as one block: drawn directly when they are in the
    Latin, Greek or Cyrillic alphabets (ReportLab's paragraph machinery took a tenth of the
    letter's time for these few lines), else as one paragraph, for shaping and other fonts."""
    size = styles.small.fontSize
    leading = styles.small.leading + size * 0.3  # the gap separate paragraphs had
    if all(not text or max(text) < "\u0590" for text, _b, _c in lines):
        return _Lines(lines, size, leading, styles.small.textColor)
    parts = []
    for text, bold, colour in lines:
        part = markup(text, bold=bold)
        if bold:
            part = f"<b>{part}</b>"
        if colour:
            part = f'<font color="{colour.replace("0x", "#")}">{part}</font>'
        parts.append(part)
    style = ParagraphStyle(
        "lines",
        parent=styles.small,
        leading=leading,
        spaceAfter=0,
        shaping=int(any(needs_shaping(text) for text, _b, _c in lines)),
    )
    return Paragraph("<br/>".join(parts), style)


class _Lines(Flowable):  # type: ignore[misc]
    """Lines of plain text, each wrapped at spaces to the width, drawn as a paragraph would."""

    def __init__(
        self, lines: list[tuple[str, bool, str]], size: float, leading: float, colour: Any
    ) -> None:
        super().__init__()
        self.lines, self.size, self.leading, self.colour = lines, size, leading, colour
        self.rows: list[tuple[str, str, Any]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.rows = []
        for text, bold, colour in self.lines:
            font = BASE_BOLD if bold else BASE
            shown = HexColor(colour) if colour else self.colour
            for row in simpleSplit(text, font, self.size, availWidth) or [""]:
                self.rows.append((row, font, shown))
        self.width, self.height = availWidth, len(self.rows) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        y = self.height - self.size
        for row, font, colour in self.rows:
            canv.setFillColor(colour)
            canv.setFont(font, self.size)
            canv.drawString(0, y, row)
            y -= self.leading


def _photo(photo: bytes, size: float) -> Image:
    try:
        reader = ImageReader(io.BytesIO(photo))
        w, h = reader.getSize()
    except Exception as e:  # ReportLab/Pillow raise many kinds for a bad image
        raise ValueError(f"The photo could not be read as a picture ({e}).") from e
    if w <= 0 or h <= 0:
        raise ValueError("The photo has no size.")
    scale = size / max(w, h)
    return Image(io.BytesIO(photo), width=w * scale, height=h * scale)


def _stamp_box(signoff: SignOffStamp, styles: Styles) -> Flowable:
    table = Table(
        [[para(stamp_text(signoff), styles.small)]],
        colWidths=[_CONTENT_WIDTH],
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


# ---------------------------------------------------------------------------------------------
# Batches


@dataclass(frozen=True)
class LetterJob:
    draft: LetterDraft
    facts: LetterFacts
    filename: str | None = None  # default: letter-001-<review date>.pdf (no names on disk)
    large_print: bool = False
    photo: bytes | None = None
    signoff: SignOffStamp | None = None
    language: str = "en-GB"


@dataclass(frozen=True)
class BatchOutcome:
    job: LetterJob
    path: Path | None  # None when this letter could not be made
    error: str | None = None


def render_letters_batch(
    items: Sequence[LetterJob],
    out_dir: str | os.PathLike[str],
    progress: Callable[[int, int], None],
) -> list[BatchOutcome]:
    """Render each letter into out_dir, calling progress(done, total) as each one finishes.

    One letter that cannot be made (a bad photo, say) is reported in its outcome and the
    rest go on: one bad record must not hold up a whole batch.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    total = len(items)
    progress(0, total)
    outcomes: list[BatchOutcome] = []
    used: set[str] = set()
    for i, job in enumerate(items, start=1):
        name = job.filename or f"letter-{i:03d}-{job.facts.held_on.isoformat()}.pdf"
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        name = _unique(name, used)
        path = folder / name
        try:
            render_letter(
                job.draft,
                job.facts,
                path,
                large_print=job.large_print,
                photo=job.photo,
                signoff=job.signoff,
                language=job.language,
            )
            outcomes.append(BatchOutcome(job, path))
        except (ValueError, OSError) as e:
            outcomes.append(BatchOutcome(job, None, str(e)))
        progress(i, total)
    return outcomes


def _unique(name: str, used: set[str]) -> str:
    stem, suffix = name[:-4], name[-4:]
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate = f"{stem}-{n}{suffix}"
        n += 1
    used.add(candidate.lower())
    return candidate
