"""Plain-language help: readability against hand-checked texts, jargon, long sentences, passives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iro_desktop.domain.plain_language import (
    AdviceKind,
    AgeBand,
    check_text,
    count_syllables,
    reading_ease,
    simplify,
)

# Syllables counted by hand (dictionary hyphenation), mostly words from letters to children.
HAND_SYLLABLES = {
    "the": 1, "cat": 1, "review": 2, "reviewing": 3, "worker": 2, "independent": 4,
    "officer": 3, "carer": 2, "school": 1, "swimming": 2, "decided": 3, "wanted": 2,
    "asked": 1, "planned": 1, "going": 2, "saying": 2, "table": 2, "little": 2, "whole": 1,
    "there": 1, "safely": 2, "careful": 2, "serious": 3, "anxious": 2, "worried": 2,
    "agreed": 2, "needed": 2, "your": 1, "together": 3, "happy": 2, "places": 2,
    "changes": 2, "likes": 1, "time": 1, "home": 1, "complaint": 2, "evaluate": 4,
    "implementation": 5, "statutory": 4, "responsibilities": 6, "placement": 2,
    "stability": 4, "significant": 4, "concern": 2, "network": 2, "remains": 2, "visit": 2,
    "about": 2, "talked": 1, "dentist": 2, "appointment": 3, "doctor": 2, "teacher": 2,
    "education": 4, "health": 1, "worries": 2, "sleeping": 2, "living": 2, "dinosaur": 3,
    "birthday": 2, "holiday": 3, "because": 2, "beautiful": 3, "unhappy": 3, "music": 2,
    "football": 2, "questionnaire": 4, "nervous": 2, "previous": 3, "usual": 3,
}  # fmt: skip


def test_syllable_counter_agrees_with_hand_counts() -> None:
    wrong = {w: count_syllables(w) for w, n in HAND_SYLLABLES.items() if count_syllables(w) != n}
    # English spelling defeats any rule set somewhere ("questionnaire"); allow 1 in 20 off.
    assert len(wrong) <= len(HAND_SYLLABLES) // 20, wrong
    assert all(abs(count_syllables(w) - HAND_SYLLABLES[w]) <= 1 for w in wrong)


def test_syllables_ignore_case_punctuation_and_possessives() -> None:
    assert count_syllables("Family's") == count_syllables("family") == 3
    assert count_syllables("SCHOOL,") == 1
    assert count_syllables("يوسف") == 1  # a name in another script counts as one


# Reading ease, checked by hand. Each text's words, sentences and syllables were counted by
# hand, and the score worked out with 206.835 - 1.015 * words/sentences - 84.6 *
# syllables/words. The tolerance of 5 points allows the syllable rules to miss about one
# syllable in twenty words (84.6 / 20 = 4.2 points); the first two texts are exact.
HAND_CHECKED = [
    # 11 words, 2 sentences, 12 syllables
    ("The cat sat on the mat. It was a sunny day.", 108.96),
    # 22 words, 3 sentences, 30 syllables
    (
        "Thank you for coming to your review. We talked about school and family time. "
        "Your social worker will visit you next week.",
        84.03,
    ),
    # 23 words, 2 sentences, 54 syllables ("multi-agency" is 5; the rules hear 4)
    (
        "The independent reviewing officer will evaluate the implementation of the statutory "
        "care plan. Placement stability remains a significant concern for the multi-agency "
        "network.",
        -3.46,
    ),
]


@pytest.mark.parametrize(("text", "expected"), HAND_CHECKED)
def test_reading_ease_agrees_with_hand_checked_texts(text: str, expected: float) -> None:
    score = reading_ease(text)
    assert score is not None
    assert score == pytest.approx(expected, abs=5.0)


def test_counts_leave_out_numbers_emails_and_web_addresses() -> None:
    report = check_text(
        "Ring me on 0161 496 0123. Email pat.example@council.example or see www.example.org/help.",
        AgeBand.AGE_8_TO_12,
    )
    assert report.words == 6  # Ring me on / Email or see
    assert report.sentences == 2


def test_each_line_is_its_own_sentence_and_titles_do_not_end_sentences() -> None:
    report = check_text(
        "## Who came\n- Your social worker Sam\nMr. Lime came too.", AgeBand.UNDER_8
    )
    assert report.sentences == 3


def test_empty_text_has_no_score_and_no_advice() -> None:
    report = check_text("  \n ", AgeBand.UNDER_8)
    assert report.reading_ease is None and report.meets_target and report.advice == ()


@pytest.mark.parametrize(
    ("band", "target"),
    [
        (AgeBand.UNDER_8, 80),
        (AgeBand.AGE_8_TO_12, 70),
        (AgeBand.AGE_13_TO_17, 60),
        (AgeBand.CARE_LEAVER, 55),
    ],
)
def test_targets_per_age_band(band: AgeBand, target: float) -> None:
    assert check_text("Hello.", band).target == target


def test_hard_text_gets_readability_advice_and_easy_text_does_not() -> None:
    hard = HAND_CHECKED[2][0]
    report = check_text(hard, AgeBand.AGE_13_TO_17)
    assert not report.meets_target
    (advice,) = report.of_kind(AdviceKind.READABILITY)
    assert "aim for 60 or more" in advice.message
    assert not check_text(HAND_CHECKED[1][0], AgeBand.UNDER_8).of_kind(AdviceKind.READABILITY)


def test_long_sentences_are_flagged_with_their_span_and_the_threshold_depends_on_age() -> None:
    sentence = "We talked about your school and your friends and your swimming and your plans for the summer holidays."
    text = "Hello. " + sentence
    young = check_text(text, AgeBand.UNDER_8).of_kind(AdviceKind.LONG_SENTENCE)
    assert len(young) == 1
    assert text[young[0].start : young[0].end] == sentence
    assert "18 words" in young[0].message and "12 words or fewer" in young[0].message
    assert not check_text(text, AgeBand.CARE_LEAVER).of_kind(AdviceKind.LONG_SENTENCE)


@pytest.mark.parametrize(
    ("text", "term", "suggestion"),
    [
        ("Your placement is going well.", "placement", "where you live"),
        ("You will have family contact on Fridays.", "family contact", "family time"),
        ("Contact with mum is on Saturdays.", "Contact", "family time"),
        ("The LAC review was in March.", "LAC review", "children in care"),
        ("Your care plan says you will stay.", "care plan", "your plan"),
        ("This is a statutory review.", "statutory", "law"),
        ("Your PEP meeting is next week.", "PEP", "school plan"),
        ("You had respite with Jo.", "respite", "short breaks"),
        ("The LADO was told.", "LADO", "adult who works with children"),
        (
            "Staff described presenting behaviours.",
            "presenting behaviours",
            "what actually happened",
        ),
        ("I will escalate this.", "escalate", "manager"),
        ("Your nan applied for an SGO.", "SGO", "special guardianship order"),
        ("Your EHCP will be updated.", "EHCP", "extra help at school"),
        ("As a looked after child you can ...", "looked after", "in care"),
    ],
)
def test_jargon_is_found_with_a_suggestion(text: str, term: str, suggestion: str) -> None:
    advice = check_text(text, AgeBand.AGE_8_TO_12).of_kind(AdviceKind.JARGON)
    assert [text[a.start : a.end] for a in advice] == [term]
    assert advice[0].suggestion is not None and suggestion in advice[0].suggestion


def test_ordinary_words_are_not_jargon() -> None:
    text = "You can contact me at any time. Pep talk. Your carers looked after you well."
    assert not check_text(text, AgeBand.AGE_8_TO_12).of_kind(AdviceKind.JARGON)


def test_iro_is_flagged_only_when_never_explained() -> None:
    unexplained = check_text("Your IRO will visit.", AgeBand.AGE_8_TO_12).of_kind(AdviceKind.JARGON)
    assert [a.message for a in unexplained] == ["'IRO' is not explained anywhere in the letter."]
    explained = "I am your Independent Reviewing Officer (IRO). Your IRO will visit."
    assert not check_text(explained, AgeBand.AGE_8_TO_12).of_kind(AdviceKind.JARGON)


def test_passive_voice_is_hinted_but_feelings_are_not() -> None:
    text = "The meeting was arranged by Sam. The letter was written. People are worried. You were told."
    hints = check_text(text, AgeBand.AGE_13_TO_17).of_kind(AdviceKind.PASSIVE)
    assert [text[a.start : a.end] for a in hints] == ["was arranged", "was written", "were told"]


def test_simplify_swaps_jargon_for_plain_words() -> None:
    assert (
        simplify(
            "Arrange a PEP meeting and supervised contact with mum prior to the statutory review."
        )
        == "Arrange a school plan meeting and family time with mum before the review."
    )
    assert simplify("Placement visit") == "Home visit"


@given(st.text(max_size=300))
def test_any_text_gets_a_report_with_spans_inside_it(text: str) -> None:
    report = check_text(text, AgeBand.AGE_8_TO_12)
    for a in report.advice:
        assert 0 <= a.start <= a.end <= len(text)
    assert report.words >= 0 and (report.words == 0) == (report.reading_ease is None)
