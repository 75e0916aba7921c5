"""A whole review chaired with the keyboard only, and a review held as a series of meetings.

Everything here is typed: Tab, Alt+letter mnemonics, Alt+digit for the parts of the review,
Enter and shortcuts. The record is then read back through the services, as stored.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from iro_desktop.domain import review as rv
from iro_desktop.domain.due import DueKind
from iro_desktop.domain.review import Attendance, InviteeRole, ReviewStatus
from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import reviews as svc
from iro_desktop.ui import dialogs
from iro_desktop.ui.main_window import MainWindow
from iro_desktop.ui.widgets import uk_date

from .support import TODAY

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


# --- helpers the other review tests use too ----------------------------------------------------


@pytest.fixture(autouse=True)
def quick_typing():  # type: ignore[no-untyped-def]
    """Typing into a drop-down list starts a new search after this pause (400 ms by default),
    so the tests pause less."""
    before = QApplication.keyboardInputInterval()
    QApplication.setKeyboardInputInterval(120)
    yield
    QApplication.setKeyboardInputInterval(before)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def focused(window: MainWindow) -> QWidget:
    widget = QApplication.focusWidget()
    return widget if widget is not None else window


def key(qtbot, window: MainWindow, k: Qt.Key, mod=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focused(window), k, mod)


def alt(qtbot, window: MainWindow, letter: str) -> None:  # type: ignore[no-untyped-def]
    key(qtbot, window, getattr(Qt.Key, f"Key_{letter.upper()}"), ALT)


def press(qtbot, window: MainWindow, letter: str) -> None:  # type: ignore[no-untyped-def]
    """A button's Alt+letter: Qt clicks it after a short visible press (animateClick), so wait
    until no button is held down any more (on a busy machine the timer fires late)."""
    alt(qtbot, window, letter)
    qtbot.wait(110)
    qtbot.waitUntil(
        lambda: not any(b.isDown() for b in window.findChildren(QAbstractButton)), timeout=5000
    )
    qtbot.wait(10)  # and what the click started (a focus move, a new row) has happened


def type_text(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(focused(window), text)


def choose(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type the start of a choice into a drop-down list (a new search, not a continued one:
    Qt joins what is typed within the keyboard input interval)."""
    qtbot.wait(QApplication.keyboardInputInterval() + 20)
    type_text(qtbot, window, text)


def tab(qtbot, window: MainWindow, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        key(qtbot, window, Qt.Key.Key_Tab)


def child_id(window: MainWindow, name: str) -> str:
    assert window.session is not None
    return next(r.id for r in caseload_service.caseload(window.session) if r.name == name)


def latest_review_id(window: MainWindow, name: str) -> str:
    assert window.session is not None
    return svc.list_reviews(window.session, child_id(window, name))[-1].id


def stored(window: MainWindow, review_id: str) -> rv.Review:
    assert window.session is not None
    return svc.get_review(window.session, review_id).review


def open_from_due(qtbot, window: MainWindow, name: str) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+2, All (Alt+A), Down to the child's 'Review due' row, Enter."""
    wanted = child_id(window, name)
    key(qtbot, window, Qt.Key.Key_2, CTRL)
    due = window.page("due")
    assert window.current_page() is due
    press(qtbot, window, "a")
    alt(qtbot, window, "d")  # the list, by its caption's mnemonic
    assert QApplication.focusWidget() is due.table
    for _ in range(due.model.rowCount()):
        row = due.selected()
        if row and row.item and row.item.child_id == wanted and row.item.kind is DueKind.REVIEW_DUE:
            break
        key(qtbot, window, Qt.Key.Key_Down)
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.current_page() is window.page("review")


# --- the walk ----------------------------------------------------------------------------------


def test_a_whole_review_with_the_keyboard_only(unlocked, qtbot):
    window = unlocked
    open_from_due(qtbot, window, "Filip Larkspurr")
    page = window.page("review")
    review_id = page.review_id
    assert page.editor.stored.status is ReviewStatus.PLANNED
    assert "Filip" in page.heading.text()

    # Start preparing (the status bar's button, by its mnemonic).
    press(qtbot, window, "p")
    assert stored(window, review_id).status is ReviewStatus.PREPARING
    assert page.steps.status.text() == "Status: Preparing"

    # Prepare: two people, the consultation forms, the visit, the reports.
    key(qtbot, window, Qt.Key.Key_1, ALT)
    press(qtbot, window, "a")  # Add a person: the role is asked for first
    choose(qtbot, window, "Child")
    alt(qtbot, window, "m")
    type_text(qtbot, window, "Filip")
    alt(qtbot, window, "t")
    type_text(qtbot, window, dmy(ago(21)))
    alt(qtbot, window, "b")
    type_text(qtbot, window, dmy(ago(7)))
    tab(qtbot, window)  # on to the date of contact with the child
    type_text(qtbot, window, dmy(ago(5)))
    press(qtbot, window, "a")
    choose(qtbot, window, "Soc")
    alt(qtbot, window, "m")
    type_text(qtbot, window, "Sam Kettlewick")
    alt(qtbot, window, "u")
    type_text(qtbot, window, "Foster home")
    tab(qtbot, window, 3)  # who comes, agenda, chairing, then the social worker's report
    tab(qtbot, window)
    type_text(qtbot, window, dmy(ago(6)))
    tab(qtbot, window)
    type_text(qtbot, window, dmy(ago(6)))

    # Meetings: one meeting, held today, with who came and notes.
    key(qtbot, window, Qt.Key.Key_2, ALT)
    meetings = page.sections[1]
    assert QApplication.focusWidget() is meetings.new_on
    assert meetings.new_on.text() == uk_date(TODAY)
    press(qtbot, window, "t")  # Add the meeting
    assert len(page.editor.draft.meetings) == 1
    assert f"Held on {uk_date(TODAY)} for timeliness" in meetings.rule.text()
    tab(qtbot, window, 4)  # date, venue, took place, then the first person's attendance
    choose(qtbot, window, "A")
    tab(qtbot, window)
    choose(qtbot, window, "A")
    alt(qtbot, window, "n")
    type_text(qtbot, window, "Dawit talked about football and his new school.")

    # Participation: PN1.
    key(qtbot, window, Qt.Key.Key_3, ALT)
    choose(qtbot, window, "PN1")
    assert page.sections[2].code.value() == "PN1"

    # Topics: health covered, with what is working well; the permanence plan agreed.
    key(qtbot, window, Qt.Key.Key_4, ALT)
    key(qtbot, window, Qt.Key.Key_Space)
    alt(qtbot, window, "w")
    type_text(qtbot, window, "Dawit has seen the dentist and is well.")
    alt(qtbot, window, "a")
    choose(qtbot, window, "Y")

    # Plan view: endorsed (today, unless another date is typed).
    key(qtbot, window, Qt.Key.Key_5, ALT)
    type_text(qtbot, window, "The plan for Dawit to stay with his carers long term is right.")
    alt(qtbot, window, "e")
    choose(qtbot, window, "Y")

    # Recommendations: one, with its owner, date and the child's words.
    key(qtbot, window, Qt.Key.Key_6, ALT)
    press(qtbot, window, "n")
    type_text(qtbot, window, "Book a dental check-up for Dawit")
    alt(qtbot, window, "o")
    type_text(qtbot, window, "Pat Carer")
    alt(qtbot, window, "b")
    type_text(qtbot, window, dmy(TODAY + timedelta(days=30)))
    alt(qtbot, window, "w")
    type_text(qtbot, window, "Pat will book you a dentist visit.")
    key(qtbot, window, Qt.Key.Key_S, CTRL)  # save now
    assert page.saved.text().startswith("Saved ")

    # Complete (confirmed through the dialog seam) and issue the recommendations.
    dialogs.set_next_answer(True)
    press(qtbot, window, "c")
    assert page.steps.status.text() == "Status: Completed", page.steps.message.text()
    press(qtbot, window, "i")
    assert page.steps.status.text() == "Status: Recommendations issued"

    review = stored(window, review_id)
    assert review.status is ReviewStatus.RECOMMENDATIONS_ISSUED
    people = {p.role: p for p in review.preparation.invitees}
    assert people[InviteeRole.CHILD].name == "Filip"
    assert people[InviteeRole.CHILD].consultation_sent_on == ago(21)
    assert people[InviteeRole.CHILD].consultation_received_on == ago(7)
    assert people[InviteeRole.SOCIAL_WORKER].name == "Sam Kettlewick"
    assert review.preparation.child_contacts[-1].on == ago(5)
    assert review.preparation.child_choices.venue == "Foster home"
    assert review.preparation.social_worker_report_received_on == ago(6)
    assert review.preparation.care_plan_received_on == ago(6)
    (meeting,) = review.meetings
    assert meeting.on == TODAY and meeting.held and meeting.final
    assert meeting.venue == "Foster home"
    assert {e.attendance for e in meeting.attendance} == {Attendance.ATTENDED}
    assert "football" in meeting.notes
    assert review.participation_code == "PN1"
    health = next(t for t in review.topics if t.topic is rv.Topic.HEALTH)
    assert health.covered and "dentist" in health.working_well
    assert review.permanence_plan_agreed is True
    assert review.plan_view.endorsed is True
    assert review.plan_view.endorsed_on == TODAY
    (rec,) = review.recommendations
    assert (rec.action, rec.owner, rec.due_on) == (
        "Book a dental check-up for Dawit",
        "Pat Carer",
        TODAY + timedelta(days=30),
    )
    assert rec.child_wording == "Pat will book you a dentist visit."
    assert not [p for p in page.editor.problems if p.severity is rv.Severity.ERROR]


def test_a_series_of_three_meetings_counts_from_the_first_and_completes_on_the_last(
    unlocked, qtbot
):
    window = unlocked
    open_from_due(qtbot, window, "Mia Thistlewood")
    page = window.page("review")
    review_id = page.review_id
    meetings = page.sections[1]

    key(qtbot, window, Qt.Key.Key_2, ALT)
    type_text(qtbot, window, dmy(ago(14)))
    press(qtbot, window, "t")
    assert meetings.rule.text().startswith(f"Held on {uk_date(ago(14))} for timeliness; complete")
    assert "open for 14 days (1 meeting held)" in meetings.rule.text()

    # A second meeting without a reason is not added; the reason is asked for at the field.
    alt(qtbot, window, "e")
    type_text(qtbot, window, dmy(ago(7)))
    press(qtbot, window, "t")
    assert len(page.editor.draft.meetings) == 1
    assert "separate meeting" in meetings.add_problem.text()
    alt(qtbot, window, "a")
    choose(qtbot, window, "Unav")
    press(qtbot, window, "t")
    alt(qtbot, window, "e")
    type_text(qtbot, window, dmy(TODAY))
    alt(qtbot, window, "a")
    choose(qtbot, window, "The")
    press(qtbot, window, "t")
    key(qtbot, window, Qt.Key.Key_S, CTRL)

    assert len(page.editor.draft.meetings) == 3, meetings.add_problem.text()
    assert meetings.list.count() == 3
    assert f"Held on {uk_date(ago(14))} for timeliness" in meetings.rule.text()
    assert "open for 14 days (3 meetings held)" in meetings.rule.text()
    review = stored(window, review_id)
    assert rv.series_open(review)
    assert rv.timeliness_date(review) == ago(14)
    assert [m.separate_reason for m in review.meetings] == [
        None,
        rv.SeparateReason.UNAVOIDABLE_DELAY,
        rv.SeparateReason.YOUNG_PERSONS_WISH,
    ]

    # The dashboard shows the unfinished series and how long it has been open.
    key(qtbot, window, Qt.Key.Key_2, CTRL)
    due = window.page("due")
    series = [
        r.item
        for r in due.model.rows
        if r.item and r.item.kind is DueKind.SERIES_OPEN and r.item.child_id == review.child_id
    ]
    assert series and series[0].status.startswith("Series open for 14 days (3 meetings so far)")
    key(qtbot, window, Qt.Key.Key_Left, ALT)  # back to the review
    assert window.current_page() is page

    dialogs.set_next_answer(True)
    press(qtbot, window, "c")
    review = stored(window, review_id)
    assert review.status is ReviewStatus.COMPLETED
    assert rv.timeliness_date(review) == ago(14)
    assert rv.completion_date(review) == TODAY
    assert meetings.rule.text().startswith(
        f"Held on {uk_date(ago(14))} for timeliness; completed on {uk_date(TODAY)} "
        "(the last of 3 meetings)."
    )
    assert "recommendations out by" in meetings.deadlines.text()


def test_stand_down_then_rearrange_keeps_the_date_it_was_due(unlocked, qtbot):
    window = unlocked
    review_id = latest_review_id(window, "George Buttonsby")
    window.show_page("review", review_id)
    page = window.page("review")
    due = page.editor.stored.due_on

    key(qtbot, window, Qt.Key.Key_1, ALT)
    alt(qtbot, window, "d")
    type_text(qtbot, window, "The care plan has not been formulated")
    dialogs.set_next_answer(True)  # "Stand this review down?"
    press(qtbot, window, "o")
    review = stored(window, review_id)
    assert review.status is ReviewStatus.STOOD_DOWN
    assert review.stand_downs[-1].reason == "The care plan has not been formulated"
    assert page.steps.status.text() == "Status: Stood down"

    alt(qtbot, window, "w")
    new_date = due - timedelta(days=3)
    type_text(qtbot, window, dmy(new_date))
    alt(qtbot, window, "r")
    type_text(qtbot, window, "The social worker will have the plan ready by then")
    press(qtbot, window, "n")
    review = stored(window, review_id)
    assert review.status is ReviewStatus.PLANNED
    assert review.planned_on == new_date
    assert review.due_on == due  # never moves
    assert page.sections[0].dates.text().startswith(f"Due by {uk_date(due)}.")
    assert "Rearranged once." in page.sections[0].dates.text()
