"""Scrolling a review with the mouse wheel never changes an answer; every autosaved change
can be undone; the Participation summary follows the meetings as they are recorded."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from iro_desktop.domain.review import Attendance, InviteeRole

from .review_picks import planned_review
from .test_review_walk import (  # noqa: F401  (quick_typing: a fixture)
    ALT,
    CTRL,
    alt,
    choose,
    key,
    press,
    quick_typing,
    stored,
    type_text,
)

SHOTS = Path("/tmp/shots")


def wheel(widget: QWidget, notches: int = -1) -> None:
    """The mouse wheel turned over the middle of `widget` (down is negative)."""
    centre = widget.rect().center()
    event = QWheelEvent(
        QPointF(centre),
        QPointF(widget.mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_drop_down_scrolls_the_form_and_changes_nothing(unlocked, qtbot):
    window = unlocked
    review_id = planned_review(window)
    window.show_page("review", review_id)
    page = window.page("review")
    prepare = page.sections[0]

    key(qtbot, window, Qt.Key.Key_1, ALT)
    press(qtbot, window, "a")  # add a person: the role first
    choose(qtbot, window, "Child")
    alt(qtbot, window, "m")
    type_text(qtbot, window, "George")
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert stored(window, review_id).preparation.invitees[-1].role is InviteeRole.CHILD

    # The pointer passes over the role and the contact method while the IRO scrolls down.
    prepare.ensureWidgetVisible(prepare.role)
    bar = prepare.verticalScrollBar()
    before = bar.value()
    for _ in range(3):
        wheel(prepare.role)
        wheel(prepare.contact_method)
    assert prepare.role.currentText() == "Child"
    assert page.editor.draft.preparation.invitees[-1].role is InviteeRole.CHILD
    assert bar.value() > before  # the form scrolled instead
    assert page.saved.text().startswith("Saved")  # nothing new to save

    # Participation: the code and chairing keep their answers under the wheel too.
    key(qtbot, window, Qt.Key.Key_3, ALT)
    participation = page.sections[2]
    assert QApplication.focusWidget() is participation.code
    key(qtbot, window, Qt.Key.Key_Tab)  # on to "Use PN0" or chairing: the code loses focus
    code_before = participation.code.currentText()
    wheel(participation.code)
    wheel(participation.code)
    assert participation.code.currentText() == code_before

    # Clicked, the drop-down takes the wheel, and the change is a step of Undo.
    participation.code.setFocus(Qt.FocusReason.MouseFocusReason)
    wheel(participation.code)
    assert participation.code.currentText() != code_before
    changed = page.editor.draft.participation_code
    assert page.undo_button.isEnabled()
    assert "Participation code" in page.undo_button.accessibleName()
    window.grab().save(str(SHOTS / "review-participation.png"))
    page.undo_button.click()
    assert participation.code.currentText() == code_before
    assert page.editor.draft.participation_code != changed
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert stored(window, review_id).participation_code != changed


def test_every_autosaved_change_can_be_undone(unlocked, qtbot):
    window = unlocked
    review_id = planned_review(window)
    window.show_page("review", review_id)
    page = window.page("review")
    prepare = page.sections[0]

    key(qtbot, window, Qt.Key.Key_1, ALT)
    press(qtbot, window, "a")
    choose(qtbot, window, "Child")
    choose(qtbot, window, "Health")  # a second choice: two steps, not one
    assert prepare.role.currentText().startswith("Health")
    alt(qtbot, window, "u")
    type_text(qtbot, window, "The library")  # typing into one field is one step
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    assert stored(window, review_id).preparation.child_choices.venue == "The library"

    page.undo_button.click()
    assert prepare.venue.text() == ""
    page.undo_button.click()
    assert prepare.role.currentText() == "Child"
    assert page.editor.draft.preparation.invitees[-1].role is InviteeRole.CHILD
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    saved = stored(window, review_id)
    assert saved.preparation.child_choices.venue == ""
    assert saved.preparation.invitees[-1].role is InviteeRole.CHILD
    page.redo_button.click()
    assert prepare.role.currentText().startswith("Health")


def test_participation_follows_the_attendance_as_it_is_recorded(unlocked, qtbot):
    window = unlocked
    review_id = planned_review(window)
    window.show_page("review", review_id)
    page = window.page("review")
    meetings = page.sections[1]
    participation = page.sections[2]
    planned = page.editor.stored.planned_on

    key(qtbot, window, Qt.Key.Key_1, ALT)
    for role, name in (("Child", "George"), ("Social", "Jo Tarn")):
        press(qtbot, window, "a")
        choose(qtbot, window, role)
        alt(qtbot, window, "m")
        type_text(qtbot, window, name)
    key(qtbot, window, Qt.Key.Key_3, ALT)
    assert "George): not recorded yet" in participation.summary.text()

    key(qtbot, window, Qt.Key.Key_2, ALT)
    press(qtbot, window, "t")  # the first meeting, held today
    meeting = page.editor.draft.meetings[0]
    for _key, box in meetings.attendance:
        box.setFocus(Qt.FocusReason.TabFocusReason)
        choose(qtbot, window, "Attended")
    assert all(
        e.attendance is Attendance.ATTENDED for e in page.editor.draft.meetings[0].attendance
    )
    assert meeting.on != planned

    key(qtbot, window, Qt.Key.Key_3, ALT)  # no save, no completing: at once
    summary = participation.summary.text()
    assert "The child (George): attended." in summary
    assert "Social worker (Jo Tarn): attended." in summary
    assert "not recorded yet" not in summary
    from iro_desktop.ui.widgets import uk_date

    assert f"review date ({uk_date(meeting.on)})" in participation.suggestion.text()
    window.grab().save(str(SHOTS / "review-participation-attendance.png"))
