"""The letter to the child: facts, age bands, phrase banks and the drafted wording."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from iro_desktop.domain.letter import (
    AgeBand,
    Chairing,
    IroContact,
    LetterFacts,
    LetterPerson,
    LetterRecommendation,
    PhraseBank,
    ServiceContact,
    age_band_for,
    draft_letter,
    format_date,
    letter_to_text,
    load_phrase_bank,
)
from iro_desktop.domain.plain_language import check_text, reading_ease

PHRASES = Path(__file__).resolve().parents[2] / "resources" / "phrases"
REVIEW = date(2025, 3, 4)
DOB = {
    AgeBand.UNDER_8: date(2019, 5, 1),
    AgeBand.AGE_8_TO_12: date(2014, 6, 2),
    AgeBand.AGE_13_TO_17: date(2010, 1, 9),
    AgeBand.CARE_LEAVER: date(2006, 2, 3),
}


def bank(band: AgeBand) -> PhraseBank:
    return load_phrase_bank((PHRASES / f"{band.value}.toml").read_text("utf-8"))


def make_facts(**changes: Any) -> LetterFacts:
    values: dict[str, Any] = dict(
        legal_name="Amira Testchild",
        preferred_name="Amira",
        date_of_birth=DOB[AgeBand.AGE_8_TO_12],
        meeting_dates=(REVIEW,),
        written_on=date(2025, 3, 6),
        came=(
            LetterPerson("Sam", "social_worker"),
            LetterPerson("Jo", "carer"),
            LetterPerson("Sara", "parent", relationship="mum"),
        ),
        shared_views=(LetterPerson("Mr Lime", "education"),),
        going_well=("You have made two good friends at school", "You enjoy swimming"),
        worries=("Your mum worries that you are not sleeping well",),
        decisions=("You will keep living with Jo",),
        recommendations=(
            LetterRecommendation(
                "Social worker to arrange PEP meeting with the designated teacher",
                "Sam",
                date(2025, 4, 1),
            ),
            LetterRecommendation(
                "Carer to book dental check-up",
                "Jo",
                date(2025, 4, 15),
                child_wording="Jo will book a visit to the dentist for you.",
            ),
        ),
        next_review=date(2025, 9, 3),
        iro=IroContact("Pat Example", "0161 496 0123", "pat.example@council.example"),
        advocacy=ServiceContact("Example Advocacy", phone="0800 000 0000"),
        complaints=ServiceContact("the Complaints Team", email="complaints@council.example"),
    )
    values.update(changes)
    return LetterFacts(**values)


# ---------------------------------------------------------------------------------------------
# Facts


@pytest.mark.parametrize(
    ("dob", "care_leaver", "band"),
    [
        (date(2017, 3, 5), False, AgeBand.UNDER_8),  # 7 the day before the 8th birthday
        (date(2017, 3, 4), False, AgeBand.AGE_8_TO_12),  # 8 on the review day
        (date(2012, 3, 5), False, AgeBand.AGE_8_TO_12),  # 12
        (date(2012, 3, 4), False, AgeBand.AGE_13_TO_17),  # 13 on the review day
        (date(2007, 3, 5), False, AgeBand.AGE_13_TO_17),  # 17
        (date(2007, 3, 4), False, AgeBand.CARE_LEAVER),  # 18 and not flagged
        (date(2008, 6, 1), True, AgeBand.CARE_LEAVER),  # 16 and flagged
    ],
)
def test_age_band_comes_from_the_age_on_the_review_date(
    dob: date, care_leaver: bool, band: AgeBand
) -> None:
    assert age_band_for(dob, REVIEW, care_leaver=care_leaver) is band


def test_a_care_leaver_under_16_is_refused_with_the_age() -> None:
    with pytest.raises(ValueError, match="care leaver is 16 to 25.*is 14"):
        make_facts(date_of_birth=date(2010, 6, 1), care_leaver=True)


def test_a_review_with_no_meetings_is_refused() -> None:
    with pytest.raises(ValueError, match="Amira Testchild has no meetings"):
        make_facts(meeting_dates=())


def test_a_birth_after_the_review_is_refused() -> None:
    with pytest.raises(ValueError, match="2026-01-01 is after the review on 2025-03-04"):
        make_facts(date_of_birth=date(2026, 1, 1))


def test_next_review_must_come_after_the_last_meeting() -> None:
    with pytest.raises(ValueError, match="2025-03-11 is not after .* 2025-03-11"):
        make_facts(
            meeting_dates=(REVIEW, date(2025, 3, 11)),
            written_on=date(2025, 3, 12),
            next_review=date(2025, 3, 11),
        )


def test_letter_cannot_be_dated_before_the_review_ends() -> None:
    with pytest.raises(ValueError, match="dated 2025-03-05, before .* 2025-03-11"):
        make_facts(meeting_dates=(REVIEW, date(2025, 3, 11)), written_on=date(2025, 3, 5))


def test_unknown_role_is_refused_with_the_allowed_roles() -> None:
    with pytest.raises(ValueError, match="'teacher' is not a known role for Ms Plum.*education"):
        LetterPerson("Ms Plum", "teacher")


def test_iro_without_any_way_to_reach_them_is_refused() -> None:
    with pytest.raises(ValueError, match="phone number or an email address for Pat"):
        IroContact("Pat", "", " ")


def test_meeting_dates_are_sorted_and_the_review_is_held_on_the_first() -> None:
    facts = make_facts(meeting_dates=(date(2025, 3, 11), REVIEW), written_on=date(2025, 3, 12))
    assert facts.meeting_dates == (REVIEW, date(2025, 3, 11))
    assert facts.held_on == REVIEW
    assert facts.completed_on == date(2025, 3, 11)


def test_preferred_name_is_used_and_needs_no_note() -> None:
    facts = make_facts(legal_name="Amira Zara Testchild", preferred_name="Zee")
    assert facts.name_to_use == "Zee"
    draft = draft_letter(facts, bank(facts.age_band))
    assert draft.salutation == "Dear Zee,"
    assert not [n for n in draft.notes if n.kind == "preferred_name_missing"]


def test_without_preferred_name_the_first_legal_name_is_used_with_a_note() -> None:
    facts = make_facts(legal_name="Łucja Wiśniewska", preferred_name="  ")
    draft = draft_letter(facts, bank(facts.age_band))
    assert draft.salutation == "Dear Łucja,"
    (note,) = [n for n in draft.notes if n.kind == "preferred_name_missing"]
    assert "'Łucja'" in note.message and "'Łucja Wiśniewska'" in note.message


def test_format_date_writes_dates_the_british_way() -> None:
    assert format_date(date(2025, 3, 4)) == "Tuesday 4 March 2025"
    assert format_date(date(2025, 12, 25), weekday=False) == "25 December 2025"


# ---------------------------------------------------------------------------------------------
# Drafting


def _text(facts: LetterFacts, band: AgeBand | None = None) -> str:
    return letter_to_text(draft_letter(facts, bank(band or facts.age_band)))


def test_draft_says_who_came_in_the_childs_words() -> None:
    text = _text(make_facts())
    assert "- Your social worker Sam" in text
    assert "- Your mum Sara" in text  # the IRO's own word beats the role
    assert "- Your teacher Mr Lime" in text  # shared views without coming


def test_draft_covers_every_part_the_domain_requires() -> None:
    text = _text(make_facts())
    for expected in (
        "You have made two good friends at school.",
        "Your mum worries that you are not sleeping well.",
        "You will keep living with Jo.",
        "Jo will book a visit to the dentist for you.",
        "Wednesday 3 September 2025",
        "0161 496 0123",
        "pat.example@council.example",
        "Example Advocacy",
        "complaints@council.example",
    ):
        assert expected in text


def test_recommendation_owner_is_described_and_given_a_date() -> None:
    text = _text(make_facts())
    # The child's words already say who: only when is added.
    assert (
        "Jo will book a visit to the dentist for you. This will happen by Tuesday 15 April "
        "2025." in text
    )
    rec = LetterRecommendation(
        "Carer to book dental check-up", "Jo", date(2025, 4, 15), "You will see the dentist."
    )
    assert (
        "You will see the dentist. Your carer Jo will make sure this happens by Tuesday 15 "
        "April 2025." in _text(make_facts(recommendations=(rec,)))
    )


def test_recommendation_owned_by_the_child_says_you() -> None:
    rec = LetterRecommendation(
        "Amira to choose a club", "Amira", date(2025, 4, 1), "Choose a club."
    )
    text = _text(make_facts(recommendations=(rec,)))
    assert "Choose a club. You will make sure this happens by Tuesday 1 April 2025." in text


def test_missing_child_wording_falls_back_to_a_simplified_action_and_is_flagged() -> None:
    draft = draft_letter(make_facts(), bank(AgeBand.AGE_8_TO_12))
    text = letter_to_text(draft)
    assert (
        "Your social worker Sam will arrange school plan meeting with your designated teacher "
        "by Tuesday 1 April 2025." in text
    )
    assert "PEP" not in text
    (note,) = [n for n in draft.notes if n.kind == "child_wording_missing"]
    assert "Social worker to arrange PEP meeting" in note.message


def test_empty_facts_get_a_sensible_sentence_not_a_blank() -> None:
    facts = make_facts(
        came=(), shared_views=(), going_well=(), worries=(" ",), decisions=(), recommendations=()
    )
    draft = draft_letter(facts, bank(AgeBand.AGE_8_TO_12))
    assert all(section.paragraphs for section in draft.sections)
    text = letter_to_text(draft)
    assert "Nobody said they were worried about anything this time." in text
    assert "Nobody needs to do anything new before your next review." in text


def test_series_of_meetings_lists_every_date() -> None:
    facts = make_facts(meeting_dates=(REVIEW, date(2025, 3, 11)), written_on=date(2025, 3, 12))
    assert (
        "We had your review in two parts, on Tuesday 4 March 2025 and Tuesday 11 March 2025."
        in _text(facts)
    )


def test_child_who_chaired_is_thanked_and_one_who_did_not_come_is_told_it_is_ok() -> None:
    assert "You chaired the meeting" in _text(make_facts(child_chaired=Chairing.CHAIRED))
    text = _text(make_facts(child_came=False))
    assert "did not come" in text and "Thank you for coming" not in text


def test_unknown_next_review_date_says_so() -> None:
    assert "I will let you know when your next review will be." in _text(
        make_facts(next_review=None)
    )


def test_every_shipped_draft_meets_its_readability_target() -> None:
    for band, dob in DOB.items():
        facts = make_facts(date_of_birth=dob, care_leaver=band is AgeBand.CARE_LEAVER)
        assert facts.age_band is band
        report = check_text(_text(facts), band)
        assert report.meets_target, (band, report.reading_ease)


def test_tone_differs_by_age_band() -> None:
    texts = {}
    for band, dob in DOB.items():
        facts = make_facts(date_of_birth=dob, care_leaver=band is AgeBand.CARE_LEAVER)
        texts[band] = _text(facts)
    young, middle, older, leaver = (texts[b] for b in DOB)
    # Under 8s get the simplest text with the shortest sentences.
    ease = {b: reading_ease(t) or 0.0 for b, t in texts.items()}
    assert ease[AgeBand.UNDER_8] > ease[AgeBand.AGE_8_TO_12]
    assert ease[AgeBand.UNDER_8] > ease[AgeBand.CARE_LEAVER]
    assert len(young) < len(middle)
    assert "grown-up" in young and "grown-up" not in older
    # Care leavers are written to as adults, about their pathway plan.
    assert "pathway plan" in leaver and "pathway plan" not in middle
    assert "Kind regards," in leaver and "Well done" not in leaver
    assert "so we can correct it" in leaver


def test_a_service_may_use_a_simpler_bank_than_the_childs_age_band() -> None:
    facts = make_facts(date_of_birth=DOB[AgeBand.AGE_13_TO_17])
    text = _text(facts, AgeBand.UNDER_8)
    assert "tell a grown-up you trust" in text


# ---------------------------------------------------------------------------------------------
# Phrase banks


def _bank_text(band: AgeBand = AgeBand.AGE_8_TO_12) -> str:
    return (PHRASES / f"{band.value}.toml").read_text("utf-8")


def test_every_shipped_phrase_bank_loads_for_its_band() -> None:
    for band in AgeBand:
        assert bank(band).band is band


def test_an_edited_phrase_is_used_in_the_draft() -> None:
    edited = _bank_text().replace('sign_off = "Best wishes,"', 'sign_off = "With warm wishes,"')
    draft = draft_letter(make_facts(), load_phrase_bank(edited))
    assert draft.sign_off[0] == "With warm wishes,"


def test_phrase_bank_refuses_a_placeholder_it_cannot_fill() -> None:
    bad = _bank_text().replace("Your review was on {date}.", "Your review was on {when}.")
    with pytest.raises(ValueError, match=r"'review_single' uses \{when\}.*Allowed here: \{date\}"):
        load_phrase_bank(bad)


def test_phrase_bank_refuses_missing_phrases_and_names_them() -> None:
    bad = "\n".join(ln for ln in _bank_text().splitlines() if not ln.startswith("closing ="))
    with pytest.raises(ValueError, match="missing these phrases: closing"):
        load_phrase_bank(bad)


def test_phrase_bank_refuses_an_empty_heading() -> None:
    bad = _bank_text().replace(
        'heading_worries = "What people are worried about"', 'heading_worries = ""'
    )
    with pytest.raises(ValueError, match="cannot be left empty: heading_worries"):
        load_phrase_bank(bad)


def test_phrase_bank_refuses_unknown_band_and_bad_toml() -> None:
    with pytest.raises(ValueError, match="band is 'toddlers'"):
        load_phrase_bank(_bank_text().replace('band = "8_to_12"', 'band = "toddlers"'))
    with pytest.raises(ValueError, match="not valid TOML"):
        load_phrase_bank("band = ")


def test_phrase_bank_refuses_missing_role_words() -> None:
    bad = "\n".join(ln for ln in _bank_text().splitlines() if not ln.startswith("carer ="))
    with pytest.raises(ValueError, match="no words for these roles: carer"):
        load_phrase_bank(bad)


def test_facts_are_frozen() -> None:
    facts = make_facts()
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.legal_name = "Someone Else"  # type: ignore[misc]


def test_a_baby_is_never_thanked_for_views_they_could_not_give() -> None:
    baby = date(REVIEW.year - 1, 1, 15)  # PN0: under 4 on the day of the review
    came = _text(make_facts(date_of_birth=baby, child_came=True))
    assert "told us what you think" not in came
    assert "You came to your review. You are too little to tell us in words yet" in came
    away = draft_letter(make_facts(date_of_birth=baby, child_came=False), bank(AgeBand.UNDER_8))
    assert "the people who look after you told me" in letter_to_text(away)
    assert not [n for n in away.notes if n.kind == "child_words_missing"]


def test_a_child_who_did_not_come_is_not_thanked_for_chairing() -> None:
    text = _text(make_facts(child_came=False, child_chaired=Chairing.CO_CHAIRED))
    assert "helped me chair" not in text
    assert "helped me chair" in _text(make_facts(child_chaired=Chairing.CO_CHAIRED))
