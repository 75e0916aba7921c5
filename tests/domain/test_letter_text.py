"""The letter's editable text: what is stored and versioned must read back to the same letter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from iro_desktop.domain.letter import (
    IroContact,
    LetterDraft,
    LetterFacts,
    LetterPerson,
    LetterRecommendation,
    LetterSection,
    ServiceContact,
    draft_letter,
    letter_from_text,
    letter_to_text,
    load_phrase_bank,
)

PHRASES = Path(__file__).resolve().parents[2] / "resources" / "phrases"

SAMPLE = """# A letter for Amira

Dear Amira,

Your review was on Tuesday 4 March 2025.

## Who came

These people came:

- Your social worker Sam
- Your carer Jo

## What happens next

---
Best wishes,
Pat Example
"""


def test_text_reads_into_sections_paragraphs_list_items_and_sign_off() -> None:
    draft = letter_from_text(SAMPLE)
    assert draft.title == "A letter for Amira"
    assert draft.salutation == "Dear Amira,"
    assert draft.sections == (
        LetterSection("", ("Your review was on Tuesday 4 March 2025.",)),
        LetterSection(
            "Who came",
            ("These people came:", "- Your social worker Sam", "- Your carer Jo"),
        ),
        LetterSection("What happens next", ()),
    )
    assert draft.sign_off == ("Best wishes,", "Pat Example")
    assert letter_to_text(draft) == SAMPLE


def test_lines_the_iro_wrapped_by_hand_join_into_one_paragraph() -> None:
    edited = SAMPLE.replace(
        "Your review was on Tuesday 4 March 2025.",
        "Your review was on\nTuesday 4 March 2025.",
    )
    assert letter_from_text(edited) == letter_from_text(SAMPLE)


def test_windows_line_endings_and_trailing_spaces_do_not_change_the_letter() -> None:
    messy = SAMPLE.replace("\n", "  \r\n")
    assert letter_from_text(messy) == letter_from_text(SAMPLE)


def test_a_drafted_letter_round_trips_through_its_text() -> None:
    facts = LetterFacts(
        legal_name="ሰላም Tesfay",
        preferred_name="ሰላም",
        date_of_birth=date(2012, 1, 1),
        meeting_dates=(date(2025, 3, 4), date(2025, 3, 11)),
        written_on=date(2025, 3, 12),
        came=(LetterPerson("يوسف", "parent", "dad"),),
        going_well=("Everything",),
        recommendations=(LetterRecommendation("Book a placement visit", "Sam", date(2025, 4, 1)),),
        iro=IroContact("Pat Example", "0161 496 0123", ""),
        advocacy=ServiceContact("Example Advocacy", website="advocacy.example"),
        complaints=ServiceContact("Complaints", phone="0161 496 0999"),
    )
    bank = load_phrase_bank((PHRASES / "13_to_17.toml").read_text("utf-8"))
    draft = draft_letter(facts, bank)
    assert draft.notes  # the missing child wording is flagged ...
    back = letter_from_text(letter_to_text(draft))
    assert back == draft.without_notes()  # ... but notes are advice, not part of the letter


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Dear Amira,\n", "must start with its title on a line beginning '# ', not 'Dear Amira,'"),
        ("", "must start with its title"),
        ("# Title\n\n## Who came\n", "needs a greeting"),
        ("# Title\nDear A,\n## \n", "has no words after '##'"),
    ],
)
def test_text_that_cannot_be_a_letter_is_refused_with_a_plain_message(
    text: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        letter_from_text(text)


def test_a_paragraph_that_would_read_as_a_heading_is_refused() -> None:
    with pytest.raises(ValueError, match="would read as a heading"):
        LetterSection("Who came", ("## Sam",))
    with pytest.raises(ValueError, match="single line"):
        LetterSection("Who came", ("Sam\nJo",))


# Property: any valid letter survives text and back unchanged.

_CHARS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789,.!?'-:#()Łłśሰላምيوسف"))
_line = st.lists(_CHARS, min_size=1, max_size=40).map(lambda cs: " ".join("".join(cs).split()))
_paragraph = st.one_of(_line, _line.map(lambda s: "- " + s))


@st.composite
def _drafts(draw: st.DrawFn) -> LetterDraft:
    try:
        sections = []
        if draw(st.booleans()):
            sections.append(
                LetterSection("", tuple(draw(st.lists(_paragraph, min_size=1, max_size=3))))
            )
        for _ in range(draw(st.integers(0, 4))):
            sections.append(
                LetterSection(draw(_line), tuple(draw(st.lists(_paragraph, max_size=4))))
            )
        return LetterDraft(
            title=draw(_line),
            salutation=draw(_line),
            sections=tuple(sections),
            sign_off=tuple(draw(st.lists(_line, max_size=3))),
        )
    except ValueError:
        assume(False)
        raise


@settings(max_examples=150, deadline=None)
@given(_drafts())
def test_any_letter_round_trips_through_its_text(draft: LetterDraft) -> None:
    assert letter_from_text(letter_to_text(draft)) == draft
