"""Case notes written to the child, and the sentences still about them found."""

from __future__ import annotations

import pytest

from iro_desktop.domain.second_person import (
    ChildNames,
    as_decision,
    is_no_action,
    third_person_flags,
    to_second_person,
)

TOM = ChildNames.of("Tom Pebblewick", "Tom", sex="M")
AMIRA = ChildNames.of("Amira Quillfeather", "Amira", sex="F")


@pytest.mark.parametrize(
    ("note", "letter"),
    [
        ("Good relationship with their carer", "You have a good relationship with your carer."),
        ("He has missed two eye test appointments", "You have missed two eye test appointments."),
        ("Tom has missed two eye test appointments", "You have missed two eye test appointments."),
        ("Sees their brother every fortnight", "You see your brother every fortnight."),
        ("Going to school every day", "You are going to school every day."),
        ("Missed two dental appointments", "You missed two dental appointments."),
        ("Settled at nursery and plays well with others",
         "You are settled at nursery and play well with others."),
        ("Dental check-up done this year", "Your dental check-up was done this year."),
        ("Mum missed two sessions", "Your mum missed two sessions."),
        ("Upset after phone calls with dad", "You are upset after phone calls with your dad."),
        ("Everyone agrees where the child will grow up", "Everyone agrees where you will grow up."),
        ("Tom's school called about his reading", "Your school called about your reading."),
        ("Proud of their family's culture; the carer cooks food from home",
         "You are proud of your family's culture; your carer cooks food from home."),
        ("Would like an independent visitor", "You would like an independent visitor."),
    ],
)  # fmt: skip
def test_notes_become_second_person(note, letter):
    assert to_second_person(note, TOM) == letter


def test_he_is_not_the_child_when_the_child_is_a_girl():
    assert to_second_person("He has missed two appointments", AMIRA).startswith("He ")
    assert to_second_person("She enjoys her school", AMIRA) == "You enjoy your school."


@pytest.mark.parametrize(
    ("note", "decided"),
    [
        ("Carer to book the dentist", "Your carer will book the dentist."),
        ("Nurse to talk with them about healthy choices",
         "Your nurse will talk with you about healthy choices."),
        ("IRO to leave the 'Who can help me' card", "I will leave the 'Who can help me' card."),
        ("Tom to choose a club", "You will choose a club."),
        ("Apply for a reception place for September",
         "We will apply for a reception place for September."),
    ],
)  # fmt: skip
def test_what_needs_to_happen_becomes_who_will_do_it(note, decided):
    assert as_decision(note, TOM) == decided


def test_no_action_notes_are_left_out():
    assert is_no_action("No action needed")
    assert is_no_action("Keep things as they are.")
    assert not is_no_action("Keep going to football")


LETTER = """# A letter for Tom

Dear Tom,

Tom has missed two eye test appointments. You are doing well at school.

- Good relationship with their carer.
- The plan does not yet say where the child will grow up.
- He has missed two eye test appointments.
- Sees his brother every fortnight.
- Your mum said she is proud of you.
- “I hate it when he shouts.” You said this at the meeting.
- These people could not come, but they told me what they think.

If you are not happy, tell a grown-up you trust. They can help you.

Thank you for reading this letter, Tom.
"""


def test_every_sentence_still_about_the_child_is_flagged_with_its_place():
    flags = third_person_flags(LETTER, TOM)
    assert [f.sentence for f in flags] == [
        "Tom has missed two eye test appointments.",
        "- Good relationship with their carer.",
        "- The plan does not yet say where the child will grow up.",
        "- He has missed two eye test appointments.",
        "- Sees his brother every fortnight.",
    ]
    for f in flags:
        assert LETTER[f.start : f.end] == f.sentence
    assert "Names Tom" in flags[0].reason
    assert "the child" in flags[2].reason


def test_a_letter_written_to_the_child_has_no_flags():
    clean = "# A letter for Tom\n\nDear Tom,\n\nYou are doing well. Take care, Tom.\n"
    assert third_person_flags(clean, TOM) == ()
