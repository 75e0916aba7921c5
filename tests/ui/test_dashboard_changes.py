"""The 'Due' page asks whether a review is needed before a move; the IRO answers from it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from iro_desktop.domain.due import DueKind
from iro_desktop.services import due as due_service
from iro_desktop.ui import dialogs

from ..services.test_significant_change_service import _moved_child
from .test_review_walk import CTRL, key


def _question_rows(page):  # type: ignore[no-untyped-def]
    return [
        i
        for i, r in enumerate(page.model.rows)
        if r.item is not None and r.item.kind is DueKind.SIGNIFICANT_CHANGE
    ]


def test_answer_not_needed_with_a_reason_from_the_due_page(empty, qtbot):
    child = _moved_child(empty.session, "D1", date(2027, 1, 4))  # a week before today
    empty.broadcast("caseload")
    key(qtbot, empty, Qt.Key.Key_2, CTRL)
    page = empty.page("due")
    page.set_view("all")
    qtbot.waitUntil(lambda: bool(_question_rows(page)))
    [row] = _question_rows(page)
    assert page.model.rows[row].item.status.startswith("Placement move on 4 January 2027")
    # A question to answer, not a deadline counted down ("Due today", "-5 working days").
    assert page.model.rows[row].urgency == "To answer"
    left = [c.title for c in page.model.columns].index("Working days left")
    assert page.model.index(row, left).data() == ""
    page._select(row)
    dialogs.set_next_answer(False)  # not booked
    dialogs.set_next_answer("an emergency move; review next month")
    qtbot.mouseClick(page.answer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _question_rows(page))
    [answer] = due_service.change_answers(empty.session, child.id)
    assert answer.reason == "an emergency move; review next month"
    assert answer.change.on == date(2027, 1, 4)
