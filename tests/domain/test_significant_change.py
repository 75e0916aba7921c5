"""A review before a significant change: the dashboard asks when a move or the end of care is
recorded, until the IRO answers or a review covers it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from iro_desktop.domain.due import ChildDueState, DueKind, due_items
from iro_desktop.domain.profile import load_profile
from iro_desktop.domain.significant_change import (
    Answer,
    ChangeKind,
    PlacementRun,
    SignificantChange,
    answer_change,
    changes_in_period,
    open_questions,
    reviewed,
)

PROFILES = Path(__file__).resolve().parents[2] / "resources" / "profiles"
TODAY = date(2026, 11, 23)
HOME = PlacementRun(date(2025, 1, 6), "U4", "Carers A", "M1 1AA")
ORDER = PlacementRun(date(2025, 4, 1), "U4", "Carers A", "M1 1AA")  # legal status only
MOVE = PlacementRun(date(2026, 11, 16), "K2", "Oak House", "M2 2BB")


def test_a_move_and_the_end_of_care_are_significant_changes_a_new_legal_status_is_not() -> None:
    changes = changes_in_period([HOME, ORDER, MOVE], period_end=date(2026, 11, 20))
    assert changes == (
        SignificantChange(ChangeKind.PLACEMENT_MOVE, date(2026, 11, 16)),
        SignificantChange(ChangeKind.ENDING_CARE, date(2026, 11, 20)),
    )
    assert changes[0].words == "Placement move on 16 November 2026: is a review needed first?"


def test_asked_until_answered_or_covered_by_a_review_and_not_for_old_history() -> None:
    move = SignificantChange(ChangeKind.PLACEMENT_MOVE, date(2026, 11, 16))
    old = SignificantChange(ChangeKind.PLACEMENT_MOVE, date(2026, 9, 1))
    assert open_questions([old, move], today=TODAY) == (move,)
    assert open_questions([move], today=TODAY, answered=[move.key]) == ()
    # A review held three weeks before the move covered it; one held in the spring did not.
    assert reviewed(move, [date(2026, 10, 26)])
    assert not reviewed(move, [date(2026, 4, 20)])


def test_not_needed_must_say_why() -> None:
    move = SignificantChange(ChangeKind.PLACEMENT_MOVE, date(2026, 11, 16))
    with pytest.raises(ValueError, match="Say why a review is not needed"):
        answer_change(move, Answer.NOT_NEEDED, on=TODAY, reason="  ")
    answered = answer_change(
        move, Answer.NOT_NEEDED, on=TODAY, reason="an emergency move after the carer fell ill"
    )
    assert answered.to_dict()["key"] == "placement_move:2026-11-16"
    assert answered.words.endswith("because an emergency move after the carer fell ill")


def test_the_dashboard_asks_with_one_row_per_change() -> None:
    profile = load_profile((PROFILES / "manchester.toml").read_text(encoding="utf-8"))
    move = SignificantChange(ChangeKind.PLACEMENT_MOVE, date(2026, 11, 16))
    state = ChildDueState(
        child_id="c1",
        child_name="Kit Testwood",
        period_start=date(2025, 1, 6),
        held_reviews=(date(2025, 1, 30), date(2025, 4, 28), date(2025, 10, 27)),
        significant_changes=(move,),
    )
    rows = [i for i in due_items([state], TODAY, profile) if i.kind is DueKind.SIGNIFICANT_CHANGE]
    assert len(rows) == 1
    assert rows[0].ref == move.key and rows[0].due_date == date(2026, 11, 16)
    assert not rows[0].overdue
    answered = ChildDueState(
        child_id="c1",
        child_name="Kit Testwood",
        period_start=date(2025, 1, 6),
        significant_changes=(move,),
        answered_changes=frozenset({move.key}),
    )
    assert not [
        i for i in due_items([answered], TODAY, profile) if i.kind is DueKind.SIGNIFICANT_CHANGE
    ]
