"""The letter's ending: the signature is never alone at the top of the last page."""

from __future__ import annotations

import io
from dataclasses import replace

from iro_desktop.domain.letter import LetterSection
from iro_desktop.pdf import render_letter
from tests.pdf.conftest import STAMP, make_draft, make_facts, pdf_reader


def test_the_signature_always_shares_its_page_with_the_paragraph_before_it() -> None:
    facts = make_facts()
    base = make_draft(facts)
    last_words = base.sections[-1].paragraphs[-1]
    assert base.sign_off and base.sign_off[0] == "Best wishes,"
    # Letters of every length from one page to well over two, so at some length the page
    # break falls just before the signature.
    for n in range(0, 44, 2):
        filler = LetterSection(
            "Some more news", tuple(f"Line {i}: you said the trip was fun." for i in range(n))
        )
        draft = replace(base, sections=(*base.sections[:-1], filler, base.sections[-1]))
        for stamp in (None, STAMP):
            out = io.BytesIO()
            render_letter(draft, facts, out, signoff=stamp)
            pages = [
                " ".join((p.extract_text() or "").split()) for p in pdf_reader(out.getvalue()).pages
            ]
            signed = [p for p in pages if "Best wishes," in p]
            assert len(signed) == 1
            before = signed[0].split("Best wishes,")[0]
            assert " ".join(last_words.split()) in before, (n, stamp is not None)
            if stamp is not None:
                assert "approved by Morgan Manager" in signed[0]
