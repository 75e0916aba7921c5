"""Rendering a letter to the child against a bare ReportLab document of the same length.

Both are built in the same run after a warm-up: the letter through render_letter (header with
contact block, script-run markup, page numbers "n of N", metadata, atomic write) and the bare
document as plain Paragraphs of the same text with the same embedded TTF fonts, in a plain
SimpleDocTemplate. The two are timed turn about (letter, bare, letter, bare...) so that a busy
machine slows both alike. Reports medians and the ratio (aim: no more than 1.5x).

Twice: an English letter (Noto Sans), and the same letter to a child whose family names are
in Bengali, Chinese and Tigrinya (the bare document then uses the same Noto script fonts, with
ReportLab's own HarfBuzz shaping for the Bengali). A bare document in the standard Helvetica
(no font embedding at all) is shown for scale.

    .venv/bin/python benchmarks/bench_pdf.py [--runs 30]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from xml.sax.saxutils import escape

from figures import figure  # benchmarks/figures.py
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate
from reportlab.platypus.flowables import Flowable

from iro_desktop.domain.letter import (
    IroContact,
    LetterDraft,
    LetterFacts,
    LetterPerson,
    LetterRecommendation,
    ServiceContact,
    draft_letter,
)
from iro_desktop.pdf import render_letter
from iro_desktop.pdf.fonts import (
    BASE,
    BASE_BOLD,
    BENGALI,
    CHINESE,
    ETHIOPIC,
    needs_shaping,
    register_fonts,
    script_runs,
)
from iro_desktop.pdf.layout import FOOTER_HEIGHT, MARGIN
from iro_desktop.pdf.resources import read_phrase_bank, resources_dir


def typical_letter() -> tuple[LetterDraft, LetterFacts]:
    facts = LetterFacts(
        legal_name="Amira Testchild",
        preferred_name="Amira",
        date_of_birth=date(2014, 6, 2),
        meeting_dates=(date(2025, 3, 4),),
        written_on=date(2025, 3, 6),
        came=(
            LetterPerson("Sam", "social_worker"),
            LetterPerson("Jo", "carer"),
            LetterPerson("Sara", "parent", "mum"),
            LetterPerson("Mr Lime", "education"),
        ),
        shared_views=(LetterPerson("Dr Plum", "health"),),
        going_well=tuple(
            f"Good thing {i}: you are doing well at school and at home" for i in range(5)
        ),
        worries=tuple(
            f"Worry {i}: your mum worries that you are not sleeping well" for i in range(3)
        ),
        decisions=("You will keep living with Jo", "You will see your mum every Saturday"),
        recommendations=tuple(
            LetterRecommendation(
                f"Action {i}", "Sam", date(2025, 4, 1), f"Sam will sort out thing {i} for you."
            )
            for i in range(6)
        ),
        next_review=date(2025, 9, 3),
        iro=IroContact("Pat Example", "0161 496 0123", "pat.example@council.example"),
        advocacy=ServiceContact("Example Advocacy", phone="0800 000 0000"),
        complaints=ServiceContact("the Complaints Team", email="complaints@council.example"),
    )
    return draft_letter(facts, read_phrase_bank(facts.age_band)), facts


def many_scripts(draft: LetterDraft, facts: LetterFacts) -> tuple[LetterDraft, LetterFacts]:
    """The same letter, with names in Bengali, Chinese and Tigrinya through it."""
    names = "রহিম আক্তার, 陳美玲 and ሰላም ተስፋይ"
    sections = tuple(
        replace(s, paragraphs=tuple(f"{p} ({names})" for p in s.paragraphs)) for s in draft.sections
    )
    return replace(draft, sections=sections), replace(facts, preferred_name="রহিম")


# The bare document's own names for the script fonts, so that nothing of ours touches them.
BARE_FONTS = {
    BENGALI: "BareBengali",
    CHINESE: "BareChinese",
    ETHIOPIC: "BareEthiopic",
}


def register_bare_fonts() -> None:
    folder = resources_dir() / "fonts"
    files = {
        "BareBengali": "NotoSansBengali-Regular.ttf",
        "BareChinese": "NotoSansSC-Subset.ttf",
        "BareEthiopic": "NotoSansEthiopic-Regular.ttf",
    }
    for name, filename in files.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))


def bare_markup(text: str) -> str:
    """Plain ReportLab markup: a <font> tag for each script run, nothing else."""
    out = []
    for run in script_runs(text):
        t = escape(run.text)
        out.append(t if run.font is None else f'<font face="{BARE_FONTS[run.font]}">{t}</font>')
    return "".join(out)


def bare_story(draft: LetterDraft, font: str, bold: str) -> list[Flowable]:
    # The letter's sizes: 13 pt body on 1.4 leading, headings 1.2 times larger.
    body = ParagraphStyle("b", fontName=font, fontSize=13, leading=18.2, spaceAfter=7.8)
    head = ParagraphStyle(
        "h", fontName=bold, fontSize=15.6, leading=20.15, spaceBefore=11.7, spaceAfter=4.55
    )
    shaped = ParagraphStyle("s", parent=body, shaping=1)

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        if style is body and needs_shaping(text):
            style = shaped
        return Paragraph(bare_markup(text), style)

    story: list[Flowable] = [p(draft.title, head), p(draft.salutation, body)]
    for section in draft.sections:
        if section.heading:
            story.append(p(section.heading, head))
        story.extend(p(text.removeprefix("- "), body) for text in section.paragraphs)
    story.extend(p(line, body) for line in draft.sign_off)
    return story


def bare(draft: LetterDraft, font: str, bold: str) -> bytes:
    """The same text on the same A4 frame (the letter's margins), so the same number of pages."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        initialFontName=font,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_HEIGHT * 0.5,
    )
    doc.build(bare_story(draft, font, bold))
    return out.getvalue()


def pages(data: bytes) -> int:
    return data.count(b"/Type /Page\n") or data.count(b"/Type /Page ")


def pdf_pages(render: Callable[[io.BytesIO], int]) -> int:
    return render(io.BytesIO())


def medians_turn_about(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """Median seconds of each function, timed in turn so load on the machine hits all alike."""
    for fn in fns:  # warm-up: font loading, imports, caches
        fn()
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    register_fonts()
    register_bare_fonts()
    draft, facts = typical_letter()
    world_draft, world_facts = many_scripts(draft, facts)

    letter, bare_ttf, large, world, world_bare, bare_std = medians_turn_about(
        [
            lambda: render_letter(draft, facts, io.BytesIO()),
            lambda: bare(draft, BASE, BASE_BOLD),
            lambda: render_letter(draft, facts, io.BytesIO(), large_print=True),
            lambda: render_letter(world_draft, world_facts, io.BytesIO()),
            lambda: bare(world_draft, BASE, BASE_BOLD),
            lambda: bare(draft, "Helvetica", "Helvetica-Bold"),
        ],
        args.runs,
    )
    counts = [
        pdf_pages(lambda out: render_letter(draft, facts, out)),
        pages(bare(draft, BASE, BASE_BOLD)),
        pdf_pages(lambda out: render_letter(world_draft, world_facts, out)),
        pages(bare(world_draft, BASE, BASE_BOLD)),
    ]
    print("pages: letter {}, bare {}; many-script letter {}, bare {}".format(*counts))
    print(f"letter (render_letter)               {letter * 1000:7.1f} ms")
    print(f"bare ReportLab, same TTF font        {bare_ttf * 1000:7.1f} ms")
    print(f"ratio letter / bare                  {letter / bare_ttf:7.2f}x  (aim <= 1.5x)")
    print(f"letter, large print                  {large * 1000:7.1f} ms")
    print(f"letter, Bengali/Chinese/Tigrinya     {world * 1000:7.1f} ms")
    print(f"bare ReportLab, same script fonts    {world_bare * 1000:7.1f} ms")
    print(f"ratio many-script letter / bare      {world / world_bare:7.2f}x  (aim <= 1.5x)")
    print(f"bare ReportLab, Helvetica            {bare_std * 1000:7.1f} ms  (for scale only)")
    figure("pdf: letter to the child (render_letter)", letter * 1000, "ms",
           floor=bare_ttf * 1000, floor_name="bare ReportLab document, same TTF font",
           aim=1.5, aim_is="ratio")  # fmt: skip
    figure("pdf: letter, large print", large * 1000, "ms", floor=bare_ttf * 1000,
           floor_name="bare ReportLab document, same TTF font")  # fmt: skip
    figure("pdf: letter, Bengali/Chinese/Tigrinya names", world * 1000, "ms",
           floor=world_bare * 1000, floor_name="bare ReportLab document, same script fonts",
           aim=1.5, aim_is="ratio")  # fmt: skip


if __name__ == "__main__":
    main()
