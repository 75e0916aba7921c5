"""A new IRO's empty caseload says what to do next, and both ways in work from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from iro_desktop.ui import dialogs


def test_an_empty_caseload_says_what_to_do_next(empty):
    page = empty.page("caseload")
    assert empty.current_page() is page
    assert page.views.currentWidget() is page.empty
    assert page.empty.isVisible() and not page.table.isVisible()
    assert not page.search.isVisible()  # nothing to search yet
    assert page.empty.add_button.text().replace("&", "") == "Add a child..."
    assert "council's files" in page.empty.import_button.text()
    assert "SSDA903" in page.empty.explain.text()


def test_the_file_menu_offers_add_import_and_export_with_shortcuts(empty):
    shortcuts = {
        a.text().replace("&", ""): a.shortcut().toString() for a in empty.actions() if a.text()
    }
    assert shortcuts["Add a child..."] == "Ctrl+N"
    assert shortcuts["Import from your council's files..."] == "Ctrl+I"
    assert shortcuts["Export the 903 return..."] == "Ctrl+Shift+E"
    listed = dict((what, keys) for keys, what in empty.commands.shortcut_list())
    assert listed["Add a child"] == QKeySequence("Ctrl+N").toString(
        QKeySequence.SequenceFormat.NativeText
    )


def test_ctrl_n_opens_the_add_a_child_form(empty, qtbot):
    qtbot.keyClick(empty, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = empty.page("caseload").entry.form
    assert form is not None and form.isVisible()
    assert form.windowTitle() == "Add a child"
    assert form.focusWidget() is form.widget("legal_first_name")


def test_the_add_button_on_the_empty_page_opens_the_form(empty, qtbot):
    page = empty.page("caseload")
    qtbot.mouseClick(page.empty.add_button, Qt.MouseButton.LeftButton)
    assert page.entry.form is not None and page.entry.form.isVisible()


def test_the_import_button_on_the_empty_page_opens_the_import(empty, qtbot):
    page = empty.page("caseload")
    qtbot.mouseClick(page.empty.import_button, Qt.MouseButton.LeftButton)
    dialog = empty.entries.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.import_button.isEnabled()
    dialog.reject()


def test_ctrl_i_and_ctrl_shift_e_open_import_and_export(empty, qtbot):
    qtbot.keyClick(empty, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert empty.entries.import_dialog is not None and empty.entries.import_dialog.isVisible()
    empty.entries.import_dialog.reject()
    qtbot.keyClick(
        empty,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert empty.entries.export_dialog is not None and empty.entries.export_dialog.isVisible()


def test_the_window_gives_way_to_a_page_that_uses_the_same_keys(empty):
    empty.show_page("escalations")
    assert empty.add_child_action.shortcut().isEmpty()  # the page's own Ctrl+N: raise one
    empty.show_page("caseload")
    assert empty.add_child_action.shortcut().toString() == "Ctrl+N"


def test_the_menu_commands_are_off_while_locked(empty):
    empty.lock()
    assert not empty.add_child_action.isEnabled()
    assert not empty.import_action.isEnabled()
    assert not empty.export_action.isEnabled()
    assert dialogs.last("error") is None
