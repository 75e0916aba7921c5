"""The letter to the child as a PDF, read back as a person (and a PDF reader) would."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image as PILImage

from iro_desktop.domain.letter import LetterFacts, LetterSection, letter_from_text, letter_to_text
from iro_desktop.pdf import render_letter, unsupported_characters
from tests.pdf.conftest import (
    STAMP,
    STANDARD_14,
    flat,
    font_dicts,
    make_draft,
    make_facts,
    pdf_reader,
    pdf_text,
)


def render(facts: LetterFacts, **options: object) -> bytes:
    out = io.BytesIO()
    render_letter(make_draft(facts), facts, out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def test_letter_shows_name_recommendations_and_next_review(facts: LetterFacts) -> None:
    text = flat(pdf_text(render(facts)))
    assert "Dear Amira," in text
    for rec in facts.recommendations:
        assert rec.child_wording is not None and rec.child_wording.rstrip(".") in text
    assert "Wednesday 3 September 2025" in text
    assert "Pat Example" in text and "0161 496 0123" in text  # the IRO's contact block


def test_pages_are_numbered_n_of_total(facts: LetterFacts) -> None:
    reader_pages = pdf_reader(render(facts)).pages
    total = len(reader_pages)
    for n, page in enumerate(reader_pages, start=1):
        assert f"Page {n} of {total}" in (page.extract_text() or "")


def test_polish_name_prints_in_full() -> None:
    facts = make_facts(legal_name="Łucja Wiśniewska", preferred_name="Łucja")
    text = pdf_text(render(facts))
    assert "Dear Łucja," in text


def test_ethiopic_name_prints_and_uses_the_ethiopic_font() -> None:
    facts = make_facts(legal_name="ሰላም Tesfay", preferred_name="ሰላም")
    data = render(facts)
    assert "Dear ሰላም," in pdf_text(data)
    assert any("NotoSansEthiopic" in str(f["/BaseFont"]) for f in font_dicts(data))


def test_arabic_name_is_shaped_right_to_left_in_the_arabic_font() -> None:
    facts = make_facts(legal_name="يوسف أحمد", preferred_name="يوسف أحمد")
    data = render(facts)
    raw = pdf_reader(data).pages[0].extract_text() or ""
    # Joined letter forms (initial yeh, medial seen, final feh...), not isolated letters: the
    # name was shaped. These are the Arabic presentation forms the font maps them to.
    assert {"\ufef3", "\ufeb3", "\ufed2", "\ufea3", "\ufeaa"} <= set(raw)
    # The PDF holds the name in visual order; readers give the letters back in either order.
    text = pdf_text(data)
    for word in ("يوسف", "أحمد"):
        assert word in text or word[::-1] in text
    assert any("NotoSansArabic" in str(f["/BaseFont"]) for f in font_dicts(data))


def test_every_font_is_embedded_and_none_is_a_standard_14_font(facts: LetterFacts) -> None:
    facts = replace(facts, preferred_name="Łucja يوسف ሰላም")
    fonts = font_dicts(render(facts, signoff=STAMP))
    assert fonts
    for font in fonts:
        name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
        assert name not in STANDARD_14
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, name


def test_metadata_title_author_subject_and_language(facts: LetterFacts) -> None:
    reader = pdf_reader(render(facts))
    assert reader.metadata is not None
    assert reader.metadata.title == "A letter for Amira about your review"
    assert reader.metadata.author == "Pat Example"
    assert "Amira" in (reader.metadata.subject or "")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    welsh = pdf_reader(render(facts, language="cy-GB"))
    assert welsh.trailer["/Root"]["/Lang"] == "cy-GB"


def test_large_print_takes_more_pages_than_normal_print() -> None:
    facts = make_facts(
        going_well=tuple(f"Good thing number {i} happened this term" for i in range(25))
    )
    normal = len(pdf_reader(render(facts)).pages)
    large = len(pdf_reader(render(facts, large_print=True)).pages)
    assert large > normal


def test_very_long_text_flows_over_many_pages_without_losing_words(facts: LetterFacts) -> None:
    long_paragraph = " ".join(f"word{i}" for i in range(3000))
    draft = make_draft(facts)
    draft = replace(
        draft, sections=(*draft.sections, LetterSection("A long part", (long_paragraph,)))
    )
    out = io.BytesIO()
    pages = render_letter(draft, facts, out)
    assert pages >= 4
    text = pdf_text(out.getvalue())
    assert "word0" in text and "word2999" in text and f"Page {pages} of {pages}" in text


def test_a_section_left_empty_by_the_iro_gets_a_sentence_not_a_blank(facts: LetterFacts) -> None:
    edited = letter_to_text(make_draft(facts)).replace(
        "- You have made two good friends at school.\n", ""
    )
    draft = letter_from_text(edited)
    assert any(s.heading == "What is going well" and not s.paragraphs for s in draft.sections)
    out = io.BytesIO()
    render_letter(draft, facts, out)
    text = flat(pdf_text(out.getvalue()))
    assert "What is going well There is nothing new to tell you about this." in text


def test_signoff_stamp_is_printed_when_given(facts: LetterFacts) -> None:
    text = flat(pdf_text(render(facts, signoff=STAMP)))
    assert "Version 2 approved by Morgan Manager on 7 March 2025 at 14:05" in text
    assert "ref 3f7a00000000" in text
    assert "approved by" not in flat(pdf_text(render(facts)))


def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 120, 150)).save(buf, format="PNG")
    return buf.getvalue()


def test_photo_is_placed_on_the_first_page(facts: LetterFacts) -> None:
    reader = pdf_reader(render(facts, photo=_png(120, 160)))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    images = [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1


def test_a_photo_that_is_not_a_picture_is_refused_and_no_file_is_left(
    facts: LetterFacts, tmp_path: Path
) -> None:
    target = tmp_path / "letter.pdf"
    with pytest.raises(ValueError, match="photo could not be read"):
        render_letter(make_draft(facts), facts, target, photo=b"not an image")
    assert list(tmp_path.iterdir()) == []


def test_writes_to_a_path(facts: LetterFacts, tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    pages = render_letter(make_draft(facts), facts, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert len(pdf_reader(target.read_bytes()).pages) == pages
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]


def test_a_letter_for_a_child_under_8_uses_bigger_type() -> None:
    young = make_facts(date_of_birth=make_facts().held_on.replace(year=2019))
    older = make_facts()

    def body_font_size(data: bytes) -> float:
        content = pdf_reader(data).pages[0].get_contents()
        assert content is not None
        sizes = [float(op[0][1]) for op in content.operations if op[1] == b"Tf"]
        return max(set(sizes), key=sizes.count)

    assert body_font_size(render(young)) > body_font_size(render(older)) >= 12


def test_characters_no_shipped_font_can_print_are_reported() -> None:
    assert unsupported_characters("Łucja يوسف ሰላም Zoë 李华 রহিম प्रिया ਗੁਰਪ੍ਰੀਤ தமிழ்") == set()
    assert unsupported_characters("민준 Kim") == {"민", "준"}


def test_a_very_long_service_name_is_cut_short_in_the_footer_not_over_the_page_number() -> None:
    name = "The Very Long Named Metropolitan Borough Council " * 4
    data = render(make_facts(service_name=name.strip()))
    footer = flat(pdf_reader(data).pages[0].extract_text() or "")
    assert "…" in footer and "Page 1 of" in footer
