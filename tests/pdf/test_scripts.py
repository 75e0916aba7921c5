"""Names in every script a city caseload has: printed shaped, and read back out as typed.

The text is taken out of the PDF as a screen reader or a copy-and-paste would (pypdf), without
normalising it, so a vowel sign read in the wrong order or a conjunct read as a private code
fails the test.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

import pytest

from iro_desktop.domain.letter import IroContact, LetterFacts, LetterSection
from iro_desktop.pdf import printing_problem, render_letter, render_record
from tests.pdf.conftest import font_dicts, make_draft, make_facts, make_record, pdf_reader

NAMES = {
    "Bengali": ("রহিম আক্তার", "NotoSansBengali"),  # a pre-base vowel sign and a conjunct
    "Chinese": ("陳美玲", "NotoSansCJKsc"),
    "Tigrinya": ("ሰላም ተስፋይ", "NotoSansEthiopic"),
    "Hindi": ("प्रिया क्षत्रिय", "NotoSansDevanagari"),
    "Nepali": ("सुनिता गुरुङ", "NotoSansDevanagari"),
    "Punjabi": ("ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "NotoSansGurmukhi"),
    "Tamil": ("தமிழ்செல்வி கார்த்திக்", "NotoSansTamil"),
    "Amharic": ("ሄኖክ ገብረመድህን", "NotoSansEthiopic"),
    "Polish": ("Łucja Wiśniewska", "NotoSans"),
}


def raw_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pdf_reader(data).pages)


def letter_pdf(facts: LetterFacts) -> bytes:
    out = io.BytesIO()
    render_letter(make_draft(facts), facts, out)
    return out.getvalue()


@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_name_in_the_letter_comes_out_of_the_pdf_as_typed(script: str) -> None:
    name, font = NAMES[script]
    first = name.split()[0]
    data = letter_pdf(make_facts(legal_name=name, preferred_name=first))
    assert f"Dear {first}," in raw_text(data)
    assert any(font in str(f["/BaseFont"]) for f in font_dicts(data))


@pytest.mark.parametrize("script", ["Bengali", "Chinese", "Tigrinya", "Punjabi", "Tamil"])
def test_a_name_in_the_record_comes_out_of_the_pdf_as_typed(script: str) -> None:
    name, _font = NAMES[script]
    out = io.BytesIO()
    render_record(make_record(child_name=name), out)
    assert name in raw_text(out.getvalue())


def test_bengali_is_shaped_not_printed_letter_by_letter() -> None:
    """ক্ষ is drawn as one conjunct glyph (three characters unshaped), and the vowel sign ি is
    drawn before the consonant it follows in the text, yet both read back as typed."""
    data = letter_pdf(make_facts(legal_name="রহিম ক্ষমা", preferred_name="রহিম ক্ষমা"))
    assert "Dear রহিম ক্ষমা," in raw_text(data)
    maps = [
        f["/ToUnicode"].get_object().get_data().decode("ascii")
        for f in font_dicts(data)
        if "NotoSansBengali" in str(f["/BaseFont"])
    ]
    conjunct = "ক্ষ".encode("utf-16-be").hex().upper()
    assert any(f"<{conjunct}>" in m for m in maps)


def test_a_bengali_sentence_that_wraps_reads_back_word_for_word() -> None:
    sentence = " ".join(["আমি স্কুলে যেতে ভালোবাসি।"] * 8)
    facts = make_facts()
    draft = make_draft(facts)
    draft = replace(draft, sections=(*draft.sections, LetterSection("তুমি যা বলেছ", (sentence,))))
    out = io.BytesIO()
    render_letter(draft, facts, out)
    text = " ".join(raw_text(out.getvalue()).split())
    assert "তুমি যা বলেছ" in text and sentence in text


def test_a_script_no_font_can_print_is_named_before_submitting() -> None:
    assert printing_problem("Dear রহিম, 陳美玲 and ሰላም") is None
    problem = printing_problem("Dear 민준")
    assert problem is not None
    assert "민" in problem and "U+BBFC" in problem and "\n" not in problem


def test_an_urdu_name_is_joined_right_to_left_in_the_arabic_font() -> None:
    # ٹ, ک, ی and ے are Urdu letters beyond the Arabic alphabet.
    data = letter_pdf(make_facts(legal_name="ٹیپو خان", preferred_name="ٹیپو کے"))
    raw = raw_text(data)
    # Joined forms (initial tteh, final yeh barree), not isolated letters: the name was shaped.
    assert "\ufb68" in raw and "\ufbaf" in raw
    text = unicodedata.normalize("NFKC", raw)
    for word in ("ٹیپو", "کے"):
        assert word in text or word[::-1] in text
    assert any("NotoSansArabic" in str(f["/BaseFont"]) for f in font_dicts(data))


def test_an_iro_name_in_bengali_prints_shaped_in_the_contact_box() -> None:
    iro = IroContact("রহিম আক্তার", "0161 496 0123", "r.akhtar@council.example")
    text = raw_text(letter_pdf(make_facts(iro=iro)))
    assert "Your Independent Reviewing Officer\nরহিম আক্তার\nPhone: 0161 496 0123" in text
