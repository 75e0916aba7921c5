"""Rendering a letter to the child against a bare ReportLab document of the same length.

Both are built in the same run after a warm-up: the letter through render_letter (header with
contact block, script-run markup, page numbers "n of N", metadata, atomic write) and the bare
document as plain Paragraphs of the same text with the same embedded TTF font, in a plain
SimpleDocTemplate. Reports medians and the ratio (aim: no more than 2x). A bare document in
the standard Helvetica (no font embedding at all) is shown for scale.

    .venv/bin/python benchmarks/bench_pdf.py [--runs 30]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
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
from iro_desktop.pdf.fonts import BASE, BASE_BOLD, register_fonts
from iro_desktop.pdf.resources import read_phrase_bank


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


def bare_story(draft: LetterDraft, font: str, bold: str) -> list[Flowable]:
    body = ParagraphStyle("b", fontName=font, fontSize=13, leading=18, spaceAfter=8)
    head = ParagraphStyle("h", fontName=bold, fontSize=15.6, leading=20, spaceBefore=10)
    story: list[Flowable] = [Paragraph(draft.title, head), Paragraph(draft.salutation, body)]
    for section in draft.sections:
        if section.heading:
            story.append(Paragraph(section.heading, head))
        story.extend(Paragraph(p, body) for p in section.paragraphs)
    story.extend(Paragraph(line, body) for line in draft.sign_off)
    return story


def bare(draft: LetterDraft, font: str, bold: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, initialFontName=font)
    doc.build(bare_story(draft, font, bold))
    return out.getvalue()


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: font loading, imports, caches
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    register_fonts()
    draft, facts = typical_letter()

    def ours() -> None:
        render_letter(draft, facts, io.BytesIO())

    def ours_large() -> None:
        render_letter(draft, facts, io.BytesIO(), large_print=True)

    letter = median_seconds(ours, args.runs)
    large = median_seconds(ours_large, args.runs)
    bare_ttf = median_seconds(lambda: bare(draft, BASE, BASE_BOLD), args.runs)
    bare_std = median_seconds(lambda: bare(draft, "Helvetica", "Helvetica-Bold"), args.runs)
    print(f"letter (render_letter)          {letter * 1000:7.1f} ms")
    print(f"letter, large print             {large * 1000:7.1f} ms")
    print(f"bare ReportLab, same TTF font   {bare_ttf * 1000:7.1f} ms")
    print(f"bare ReportLab, Helvetica       {bare_std * 1000:7.1f} ms  (for scale only)")
    print(f"ratio letter / bare (same font) {letter / bare_ttf:7.2f}x  (aim <= 2x)")


if __name__ == "__main__":
    main()
