"""Measured: the IRO's actions from the last meeting recorded to the letter submitted for
sign-off, with realistic typing (drafting, fixing the sentences flagged as third person).

Each service call stands for what the IRO does in the window: a button (and its confirm), or
an edit of one sentence with the characters typed. The time is an estimate from those counts:
3 seconds a click, 0.25 seconds a keystroke (about 45 words a minute), 20 seconds' thought
for each sentence to rewrite and reading the whole draft once at 200 words a minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from iro_desktop.domain.review import (
    ChildView,
    Recommendation,
    Topic,
    TopicNote,
    ViewSource,
)
from iro_desktop.services import letters
from iro_desktop.services import reviews as review_service
from iro_desktop.services.letters import LetterStatus
from tests.services import letters_kit as kit
from tests.services.test_letters_content import MEETING_ON, add_child, held_review

SECONDS_A_CLICK = 3.0
SECONDS_A_KEY = 0.25
SECONDS_TO_THINK = 20.0
WORDS_A_MINUTE = 200


@dataclass
class Effort:
    clicks: int = 0
    edits: int = 0
    keys: int = 0
    read_words: int = 0
    log: list[str] = field(default_factory=list)

    def click(self, what: str, n: int = 1) -> None:
        self.clicks += n
        self.log.append(f"{n} click(s): {what}")

    def type(self, what: str, typed: str) -> None:
        self.edits += 1
        self.keys += len(typed)
        self.log.append(f"edit: {what} ({len(typed)} keys)")

    @property
    def actions(self) -> int:
        return self.clicks + self.edits

    @property
    def minutes(self) -> float:
        seconds = (
            self.clicks * SECONDS_A_CLICK
            + self.keys * SECONDS_A_KEY
            + self.edits * SECONDS_TO_THINK
            + self.read_words * 60 / WORDS_A_MINUTE
        )
        return seconds / 60


def test_from_the_last_meeting_to_the_letter_submitted(session, capsys):
    kit.ready(session)
    iro = session
    child_id = add_child(iro)  # Tom, 14
    # The meeting as an IRO records it: professional shorthand, about the child.
    review_id = held_review(
        iro,
        child_id,
        topics=(
            TopicNote(
                topic=Topic.PLACEMENT_STABILITY,
                covered=True,
                working_well="Good relationship with their carer",
                worried_about="Social worker reports that he is staying out late",
                needs_to_happen="Carer and Tom to agree times to be home",
            ),
            TopicNote(
                topic=Topic.HEALTH,
                covered=True,
                working_well="Health assessment done on time",
                worried_about="He has missed two eye test appointments",
                needs_to_happen="Carer to book the dentist",
            ),
            TopicNote(
                topic=Topic.EDUCATION,
                covered=True,
                working_well="Going to school every day",
                needs_to_happen="Book the dentist",
            ),
        ),
        recs=(
            Recommendation(
                id="R1",
                action="Carer to book the dentist and an eye test",
                owner="Jo Fernhallow",
                due_on=MEETING_ON + timedelta(days=24),
            ),
            Recommendation(
                id="R2",
                action="Social worker to refer Tom to the advocacy service",
                owner="Sam Puddleby",
                due_on=MEETING_ON + timedelta(days=31),
                child_wording="Sam will ask an advocate to come and meet you.",
            ),
        ),
        views=(
            ChildView(
                words="I want to stay out till 10 at weekends.", source=ViewSource.IN_MEETING
            ),
        ),
        plan_view="The plan does not yet say where the child will grow up.",
    )
    effort = Effort()
    # held_review completed the review and issued its recommendations: two buttons, each
    # with a confirm, counted here as the IRO would do them.
    effort.click("complete the review (and confirm)", 2)
    effort.click("issue the recommendations (and confirm)", 2)

    effort.click("open the letter: it is drafted from the record")
    opened = letters.start_letter(iro, review_id)
    text = opened.letter.text
    effort.read_words += len(text.split())

    # Fix each sentence still about Tom, as the IRO would retype it.
    rewrites = {
        "Social worker reports that he is staying out late.": (
            "Your social worker is worried that you are staying out late."
        ),
    }
    assert [f.sentence.removeprefix("- ") for f in opened.third_person] == list(rewrites)
    for flag in opened.third_person:
        new = rewrites[flag.sentence.removeprefix("- ")]
        text = text.replace(flag.sentence.removeprefix("- "), new)
        effort.type("rewrite a flagged sentence", new)
    saved = letters.save_text(iro, opened.letter.id, text)  # autosave: no action
    assert not saved.problem
    again = letters.open_letter(iro, review_id)
    assert again is not None and again.third_person == ()

    effort.click("submit for sign-off (and confirm)", 2)
    submitted = letters.submit(iro, opened.letter.id)
    assert submitted.status is LetterStatus.SUBMITTED

    print(
        f"\nIRO actions from the last meeting to submitted: {effort.actions} "
        f"({effort.clicks} clicks, {effort.edits} sentence edits, {effort.keys} keys typed); "
        f"letter {effort.read_words} words; estimated {effort.minutes:.1f} minutes"
    )
    print("\n".join(effort.log))
    assert effort.actions <= 10
    assert effort.minutes < 15
    # The letter that went is a good one: written to Tom, each decision once.
    final = submitted.text
    assert "their carer" not in final and "the child" not in final and " he " not in final
    assert final.count("dentist") == 1
    assert "“I want to stay out till 10 at weekends.” You said this at the meeting." in final
    assert review_service.get_review(iro, review_id).review.status.value == "submitted"
