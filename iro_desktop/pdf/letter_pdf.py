"""The letter to the child as a PDF: warm, tidy, A4, every font embedded."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table

from iro_desktop.domain.letter import AgeBand, LetterDraft, LetterFacts, format_date
from iro_desktop.domain.record import SignOffStamp
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
    if draft.sign_off:
        lines: list[Flowable] = [Spacer(1, styles.body.fontSize * 0.5)]
        for i, line in enumerate(draft.sign_off):
            bold = i == 1  # the IRO's name, under "Best wishes,"
            style = styles.body_bold if bold else styles.body
            lines.append(para(line, style, bold=bold, spaceAfter=0) if i else para(line, style))
        story.append(KeepTogether(lines))
    if signoff is not None:
        story.append(Spacer(1, styles.body.fontSize))
        story.append(_stamp_box(signoff, styles))
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
    left: list[Flowable] = [
        para(facts.service_name, styles.small_bold, bold=True, textColor=ACCENT),
        para(format_date(facts.written_on), styles.small),
    ]
    contact: list[Flowable] = [
        para("Your Independent Reviewing Officer", styles.small_bold, bold=True),
        para(facts.iro.name, styles.small),
    ]
    if facts.iro.phone.strip():
        contact.append(para(f"Phone: {facts.iro.phone.strip()}", styles.small))
    if facts.iro.email.strip():
        contact.append(para(f"Email: {facts.iro.email.strip()}", styles.small))
    cells: list[object] = []
    widths: list[float] = []
    if photo is not None:
        cells.append(_photo(photo, 26 * mm))
        widths.append(30 * mm)
    if stacked:
        rows = [[*cells, left], ["" for _ in cells] + [contact]]
        widths.append(_CONTENT_WIDTH - sum(widths))
        box = (len(widths) - 1, 1)
    else:
        contact_width = 72 * mm
        rows = [[*cells, left, contact]]
        widths.extend([_CONTENT_WIDTH - sum(widths) - contact_width, contact_width])
        box = (len(widths) - 1, 0)
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BACKGROUND", box, box, ACCENT_LIGHT),
                ("LINEBEFORE", box, box, 3, ACCENT),
                ("LEFTPADDING", box, box, 8),
                ("TOPPADDING", box, box, 6),
                ("BOTTOMPADDING", box, box, 6),
            ]
        )
    )
    return table


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
