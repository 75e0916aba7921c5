"""Checks at the right moment, in the review window: issuing with things still to check asks
first and lists them (a due date on a Sunday among them); "Not yet covered" is there while
the meeting is recorded; "Prepare (n to check)" takes you to the field; completing with a
meeting still arranged says what becomes of it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.domain.review import ReviewStatus
from iro_desktop.ui import dialogs
from tests.services import letters_kit as kit

from .review_picks import open_series, planned_review
from .test_review_walk import (  # noqa: F401  (quick_typing: a fixture)
    ALT,
    alt,
    key,
    press,
    quick_typing,
    stored,
    type_text,
)


def click_nav(qtbot, page, row: int) -> None:  # type: ignore[no-untyped-def]
    item = page.nav.item(row)
    qtbot.mouseClick(
        page.nav.viewport(), Qt.MouseButton.LeftButton, pos=page.nav.visualItemRect(item).center()
    )


def test_issuing_with_a_sunday_due_date_asks_first_and_lists_what_to_check(unlocked, qtbot):
    window = unlocked
    session = window.session
    kit.ready(session)
    review_id = kit.completed_review(session, kit.make_child(session), recs_issued_on=None)
    window.show_page("review", review_id)
    page = window.page("review")
    recs = page.sections[5]
    assert page.editor.stored.status is ReviewStatus.COMPLETED

    key(qtbot, window, Qt.Key.Key_6, ALT)
    recs.table.selectRow(0)
    alt(qtbot, window, "b")  # By when:
    assert QApplication.focusWidget() is recs.due
    recs.due.selectAll()
    type_text(qtbot, window, "13/12/2026")  # a Sunday
    key(qtbot, window, Qt.Key.Key_Tab)
    assert "not a working day; the next working day is Monday 14 December 2026" in (
        recs.due_problem.text()
    )
    assert "to check" in page.nav.item(5).text()
    check = recs.model.index(0, len(recs.model.columns) - 1).data()
    assert check == "Not a working day"  # beside the row, as well as under the field

    dialogs.set_next_answer(False)  # "No": put it right first
    press(qtbot, window, "i")  # Issue recommendations
    asked = dialogs.last("confirm")
    assert asked is not None and asked.title == "Issue the recommendations?"
    assert "Check (recommendation 1): Due on Sunday 13 December 2026" in asked.text
    assert page.editor.stored.status is ReviewStatus.COMPLETED  # not issued
    assert QApplication.focusWidget() is recs.due  # taken to the field to put right
    window.grab().save("/tmp/shots/review-issue-check.png")

    dialogs.set_next_answer(True)  # issued as it is, knowingly
    press(qtbot, window, "i")
    assert stored(window, review_id).status is ReviewStatus.RECOMMENDATIONS_ISSUED


def test_not_yet_covered_shows_while_the_meeting_is_recorded(unlocked, qtbot):
    window = unlocked
    review_id = planned_review(window)
    window.show_page("review", review_id)
    page = window.page("review")
    topics = page.sections[3]
    assert not any("Not yet covered" in label.text() for label in topics.problem_labels)

    key(qtbot, window, Qt.Key.Key_2, ALT)
    press(qtbot, window, "t")  # the first meeting, held today
    assert page.editor.stored.status is not ReviewStatus.COMPLETED
    key(qtbot, window, Qt.Key.Key_4, ALT)
    assert "Not yet covered: " in topics.topics_problem.text()
    window.grab().save("/tmp/shots/review-topics-advice.png")


def test_a_section_with_things_to_check_opens_at_the_first_of_them(unlocked, qtbot):
    window = unlocked
    review_id = planned_review(window)
    window.show_page("review", review_id)
    page = window.page("review")
    prepare = page.sections[0]
    key(qtbot, window, Qt.Key.Key_6, ALT)  # elsewhere first
    assert "to check" in page.nav.item(0).text()

    click_nav(qtbot, page, 0)  # "1  Prepare (n to check)"
    focus = QApplication.focusWidget()
    assert page.pages.currentWidget() is prepare
    assert focus is not prepare.first_field()
    labels = [label for label in prepare.problem_labels if label.showing() and label.field]
    assert focus is labels[0].field  # e.g. the planned date after the due date: "New date"
    assert focus.accessibleDescription() == labels[0].text()  # and it is read out there


def test_completing_with_a_meeting_still_arranged_says_what_becomes_of_it(unlocked, qtbot):
    window = unlocked
    review_id = open_series(window)  # held, next meeting arranged
    window.show_page("review", review_id)
    page = window.page("review")
    arranged = [m for m in page.editor.stored.meetings if not m.held]
    assert arranged and page.editor.stored.status is ReviewStatus.HELD

    dialogs.set_next_answer(None)  # cancelled: nothing happens, and it says why
    press(qtbot, window, "c")  # Complete the review
    asked = dialogs.last("ask_text")
    assert asked is not None and asked.title == "Complete the review without the arranged meeting?"
    assert "has not been held" in asked.text and "removes it from the review" in asked.text
    assert stored(window, review_id).status is ReviewStatus.HELD
    assert page.steps.message.text().startswith("Not completed: the meeting arranged for")

    dialogs.set_next_answer("Mum has moved away; her views are in the social worker's report.")
    press(qtbot, window, "c")
    review = stored(window, review_id)
    assert review.status is ReviewStatus.COMPLETED
    assert all(m.held for m in review.meetings)
    assert len(review.meetings) == len(page.editor.draft.meetings)
    assert "arranged meeting was removed" in page.steps.message.text()
