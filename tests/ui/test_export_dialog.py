"""File > Export the 903 return: the year, the folder, then what was written."""

from __future__ import annotations

import csv
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.services import children as children_service
from iro_desktop.ui import dialogs

CLICK = Qt.MouseButton.LeftButton


def one_child(window):
    session = window.session
    child = children_service.add_child(
        session,
        children_service.ChildDetails("Amira", "Testwood", date(2015, 3, 2), "F", "1234567"),
    )
    children_service.start_period(
        session,
        child.id,
        start=date(2026, 10, 1),
        legal_status="C2",
        category_of_need="N1",
        placement=children_service.Placement("U4", place_provider="PR1", postcode="M14 5RT"),
    )
    children_service.add_visit(session, child.id, visited_on=date(2027, 1, 5), seen_alone=True)


def open_export(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.entries.export_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_export_the_return_for_this_year_to_a_chosen_folder(empty, qtbot, tmp_path):
    one_child(empty)
    dialog = open_export(empty, qtbot)
    # 11 January 2027 is in the collection year April 2026 to March 2027.
    assert dialog.year.currentData() == 2027
    assert dialog.year.currentText().startswith("April 2026 to March 2027")
    assert dialog.folder.text().endswith("903 return 2026-27")
    out = tmp_path / "return"
    dialogs.set_next_answer(str(out))
    qtbot.mouseClick(dialog.choose_button, CLICK)
    assert dialog.folder.text() == str(out)
    qtbot.mouseClick(dialog.write_button, CLICK)
    assert dialog.result is not None
    assert "children: 1" in dialog.status.text()
    assert "episodes: 1" in dialog.status.text()
    assert dialog.close_button.text() == "Close"
    with (out / "header.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["CHILD"] for r in rows] == ["1234567"]
    assert (out / "episodes.csv").exists()


def test_an_earlier_year_can_be_chosen_and_the_suggested_folder_follows(empty, qtbot):
    dialog = open_export(empty, qtbot)
    dialog.year.setFocus()
    qtbot.keyClick(dialog.year, Qt.Key.Key_Down)
    assert dialog.year.currentData() == 2026
    assert dialog.folder.text().endswith("903 return 2025-26")


def test_files_already_there_are_replaced_only_after_a_yes(empty, qtbot, tmp_path):
    one_child(empty)
    out = tmp_path / "return"
    out.mkdir()
    (out / "header.csv").write_text("old", encoding="utf-8")
    dialog = open_export(empty, qtbot)
    dialog.folder.setText(str(out))
    qtbot.mouseClick(dialog.write_button, CLICK)  # the safe answer: no
    assert dialogs.last("confirm").title == "Replace the files?"
    assert (out / "header.csv").read_text(encoding="utf-8") == "old"
    assert dialog.result is None
    dialogs.set_next_answer(True)
    qtbot.mouseClick(dialog.write_button, CLICK)
    assert (out / "header.csv").read_text(encoding="utf-8").startswith("CHILD,")
