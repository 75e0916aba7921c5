"""Errors go as soon as they are put right, and a form does not jump when one goes (the next
click lands on the field it was aimed at)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from iro_desktop.ui.forms import ChangePassphraseDialog

from .review_picks import planned_review
from .test_escalations import ALT, _form, _press
from .test_review_walk import (  # noqa: F401  (quick_typing: a fixture)
    press,
    quick_typing,
)


def y_of(widget, root) -> int:  # type: ignore[no-untyped-def]
    return widget.mapTo(root, QPoint(0, 0)).y()


def test_choose_the_child_goes_once_a_child_is_chosen_and_nothing_moves(unlocked, qtbot):
    window = unlocked
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.page("escalations")
    _press(qtbot, window, Qt.Key.Key_R)
    form = _form(page, qtbot)
    form.resize(form.width(), form.height())
    qtbot.wait(20)
    _press(qtbot, form, Qt.Key.Key_R)  # Raise, with nothing filled in
    assert form.problem.text() == "Choose the child it is about."
    qtbot.wait(20)
    raise_y = y_of(form.ok_button, form)
    outcome_y = y_of(form.outcome, form)

    form.child.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), form.child.itemText(3))
    assert form.child_id() == form.child.itemData(3)
    assert form.problem.text() == ""  # put right: the error has gone
    qtbot.wait(20)
    assert y_of(form.ok_button, form) == raise_y  # ... and nothing moved
    assert y_of(form.outcome, form) == outcome_y

    _press(qtbot, form, Qt.Key.Key_R)  # the next problem shows on the next try
    assert form.problem.text() == "Tick at least one issue."
    qtbot.keyClick(form, Qt.Key.Key_I, ALT)
    qtbot.keyClick(form.issues, Qt.Key.Key_Down)
    qtbot.keyClick(form.issues, Qt.Key.Key_Space)
    assert form.problem.text() == ""


def test_very_weak_goes_once_the_passphrase_is_fair(qtbot):
    dialog = ChangePassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.current, "kettle orchard lantern")
    qtbot.keyClicks(dialog.new.first, "aaaaaaaaaaaa")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert "very weak" in dialog.problem.text()
    qtbot.wait(20)
    room = dialog.problem.height()

    dialog.new.first.clear()
    qtbot.keyClicks(dialog.new.first, "copper violin harbour")
    assert "Fair" in dialog.new.meter.words.text() or dialog.new.meter.strength.acceptable
    assert dialog.problem.text() == ""  # no "very weak" beside a fair passphrase
    qtbot.wait(20)
    assert dialog.problem.height() == room  # its room stays: what is below does not move up


def test_a_problem_put_right_in_the_review_leaves_the_next_field_where_it_was(unlocked, qtbot):
    window = unlocked
    review_id = planned_review(window, under_four=True)  # PN0
    window.show_page("review", review_id)
    page = window.page("review")
    participation = page.sections[2]
    qtbot.keyClick(window, Qt.Key.Key_3, ALT)
    participation.code.set_value("PN1")
    assert participation.code_problem.isVisible()
    qtbot.wait(20)
    chair_y = y_of(participation.chair, participation.widget())

    press(qtbot, window, "u")  # Use PN0: the error is put right
    assert not participation.code_problem.showing()
    qtbot.wait(20)
    assert y_of(participation.chair, participation.widget()) == chair_y
