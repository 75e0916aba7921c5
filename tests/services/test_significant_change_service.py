"""When the caseload records a move or the end of care, the dashboard asks whether a review
is needed first; the IRO answers "review booked" or "not needed, because ...", and the
answer is kept. Today is Monday 23 November 2026 (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest

from iro_desktop.domain.due import DueKind
from iro_desktop.domain.significant_change import Answer
from iro_desktop.services import children as svc
from iro_desktop.services import due, reviews
from iro_desktop.services.children import Placement
from tests.services.child_kit import placed_child


def _moved_child(session, la_id: str, moved_on: date = date(2026, 11, 16)):  # type: ignore[no-untyped-def]
    child = placed_child(
        session,
        la_id,
        first="Rae",
        last="Movewood",
        born=date(2015, 6, 1),
        sex="F",
        start=date(2026, 1, 5),
    )
    svc.record_move(
        session,
        child.id,
        on=moved_on,
        placement=Placement("K2", "PR1", "M6 6BB", home_postcode="M9 9ZZ"),
        reason_place_change="CARPL",
    )
    return child


def _questions(session, child_id: str):  # type: ignore[no-untyped-def]
    return [
        i
        for i in due.dashboard(session).items
        if i.child_id == child_id and i.kind is DueKind.SIGNIFICANT_CHANGE
    ]


def test_a_move_asks_and_a_reasoned_dismissal_is_recorded(session):
    child = _moved_child(session, "S1")
    [question] = _questions(session, child.id)
    assert "Placement move on 16 November 2026" in question.status
    with pytest.raises(ValueError, match="Say why"):
        due.answer_change(session, child.id, question.ref, Answer.NOT_NEEDED, reason="")
    answer = due.answer_change(
        session,
        child.id,
        question.ref,
        Answer.NOT_NEEDED,
        reason="an emergency move; the review is due next month anyway",
    )
    assert _questions(session, child.id) == []
    [kept] = due.change_answers(session, child.id)
    assert kept.answer is Answer.NOT_NEEDED and kept.reason == answer.reason
    # A question is not a date for the calendar.
    assert not any("significant" in e.summary.lower() for e in due.calendar_events(session))


def test_review_booked_needs_a_booked_review(session):
    child = _moved_child(session, "S2")
    [question] = _questions(session, child.id)
    with pytest.raises(ValueError, match="Plan the review first"):
        due.answer_change(session, child.id, question.ref, Answer.REVIEW_BOOKED)
    reviews.plan_next_review(session, child.id, extra_reason="Placement move")
    due.answer_change(session, child.id, question.ref, Answer.REVIEW_BOOKED)
    assert _questions(session, child.id) == []
    assert due.change_answers(session, child.id)[0].answer is Answer.REVIEW_BOOKED


def test_ending_care_asks_too(session):
    child = _moved_child(session, "S3")
    svc.end_period(session, child.id, on=date(2026, 11, 20), reason_ended="E13")
    words = [q.status for q in _questions(session, child.id)]
    assert any(w.startswith("Ceasing to be looked after on 20 November 2026") for w in words)
