"""File > Import from your council's files, on an empty caseload: preview, problems, import,
and Cancel at any point changing nothing.

The council's files are made here by exporting a second invented caseload (the same
SSDA903 tables the council's system writes), so the round trip is real.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.clock import FixedClock
from iro_desktop.paths import data_paths
from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import children as children_service
from iro_desktop.services import create_caseload
from iro_desktop.services import ssda903_import as import_service
from iro_desktop.services.ssda903_export import export_return
from iro_desktop.ui import dialogs

from .support import PASSPHRASE

CLICK = Qt.MouseButton.LeftButton


def council_files(folder: Path, how_many: int) -> Path:
    """The council's 903 files for `how_many` invented children, and a names file."""
    clock = FixedClock(datetime(2027, 1, 11, 10, 0))
    session, _ = create_caseload(data_paths(folder / "council"), "council", PASSPHRASE, clock=clock)
    names = ["CHILD,NAME,PREFERRED_NAME"]
    for i in range(how_many):
        la_id = f"90{i:05d}"
        child = children_service.add_child(
            session,
            children_service.ChildDetails(
                f"Child{i}", "Testbrook", date(2012, 1, 1 + i % 28), "MF"[i % 2], la_id
            ),
        )
        children_service.start_period(
            session,
            child.id,
            start=date(2026, 6, 1),
            legal_status="C2",
            category_of_need="N1",
            placement=children_service.Placement("U4", place_provider="PR1", postcode="M14 5RT"),
        )
        names.append(f"{la_id},Child{i} Testbrook,{'Kit' if i == 0 else ''}")
    out = folder / "files"
    export_return(session, 2027, out)
    session.lock()
    (folder / "names.csv").write_text("\r\n".join(names) + "\r\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def two_children(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return council_files(tmp_path_factory.mktemp("two"), 2)


@pytest.fixture(scope="module")
def sixty_children(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return council_files(tmp_path_factory.mktemp("sixty"), 60)


@pytest.fixture
def files(tmp_path: Path, two_children: Path) -> Path:
    copy = tmp_path / "council files"
    shutil.copytree(two_children, copy)
    shutil.copy(two_children.parent / "names.csv", tmp_path / "names.csv")
    return copy


def open_import(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.entries.import_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def choose_folder(qtbot, dialog, folder: Path, names: Path | None = None):
    dialogs.set_next_answer(str(folder))
    qtbot.mouseClick(dialog.choose_button, CLICK)
    assert dialog.folder.text() == str(folder)
    if names is not None:
        dialogs.set_next_answer(str(names))
        qtbot.mouseClick(dialog.choose_names_button, CLICK)
        assert dialog.names.text() == str(names)


def test_preview_then_import_two_children_into_an_empty_caseload(empty, qtbot, files):
    dialog = open_import(empty, qtbot)
    assert not dialog.check_button.isEnabled()  # no folder yet
    choose_folder(qtbot, dialog, files, files.parent / "names.csv")
    qtbot.mouseClick(dialog.check_button, CLICK)
    assert dialog.state == "previewed"
    assert "2 children to add" in dialog.summary.text()
    assert "2 episodes to add" in dialog.summary.text()
    assert dialog.import_button.isEnabled()
    assert caseload_service.children(empty.session) == []  # the preview wrote nothing

    qtbot.mouseClick(dialog.import_button, CLICK)
    assert dialog.state == "done"
    assert "Imported: 2 children added" in dialog.status.text()
    assert dialog.cancel_button.text() == "Close"
    caseload = empty.page("caseload")
    assert caseload.model.rowCount() == 2
    assert caseload.views.currentWidget() is caseload.table
    names = sorted(e.row.name for e in caseload.model.rows)
    assert names == ["Child0 Testbrook", "Child1 Testbrook"]
    assert any(e.row.preferred_name == "Kit" for e in caseload.model.rows)
    qtbot.mouseClick(dialog.cancel_button, CLICK)
    assert not dialog.isVisible()


def test_problems_are_listed_to_scroll_and_copy_and_import_stays_off(empty, qtbot, files):
    episodes = files / "episodes.csv"
    text = episodes.read_text(encoding="utf-8").replace(",C2,", ",Q9,", 1)
    episodes.write_text(text, encoding="utf-8")
    dialog = open_import(empty, qtbot)
    choose_folder(qtbot, dialog, files)
    qtbot.mouseClick(dialog.check_button, CLICK)
    assert not dialog.import_button.isEnabled()
    listed = dialog.problems.toPlainText()
    assert "episodes.csv line 2" in listed and "LS" in listed
    assert dialog.problems_label.text().endswith("to put right")
    assert "nothing will be imported" in dialog.summary.text()
    qtbot.mouseClick(dialog.copy_button, CLICK)
    assert "episodes.csv line 2" in QApplication.clipboard().text()


def test_cancel_after_the_preview_imports_nothing(empty, qtbot, files):
    dialog = open_import(empty, qtbot)
    choose_folder(qtbot, dialog, files)
    qtbot.mouseClick(dialog.check_button, CLICK)
    assert dialog.import_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert caseload_service.children(empty.session) == []
    caseload = empty.page("caseload")
    assert caseload.views.currentWidget() is caseload.empty


def test_changing_the_folder_after_a_preview_needs_a_new_check(empty, qtbot, files):
    dialog = open_import(empty, qtbot)
    choose_folder(qtbot, dialog, files)
    qtbot.mouseClick(dialog.check_button, CLICK)
    assert dialog.import_button.isEnabled()
    qtbot.keyClicks(dialog.folder, "x")
    assert not dialog.import_button.isEnabled()
    assert dialog.summary.text() == ""


def test_cancel_while_importing_rolls_everything_back(
    empty, qtbot, tmp_path, sixty_children, monkeypatch
):
    folder = tmp_path / "sixty"
    shutil.copytree(sixty_children, folder)
    dialog = open_import(empty, qtbot)
    choose_folder(qtbot, dialog, folder)
    qtbot.mouseClick(dialog.check_button, CLICK)
    assert "60 children to add" in dialog.summary.text()
    real_apply = import_service.apply_import

    def pressed_cancel_as_it_began(session, plan, progress=None):
        # The worker is writing; the IRO presses Cancel in the window meanwhile.
        qtbot.mouseClick(dialog.cancel_button, CLICK)
        return real_apply(session, plan, progress=progress)

    monkeypatch.setattr(import_service, "apply_import", pressed_cancel_as_it_began)
    qtbot.mouseClick(dialog.import_button, CLICK)
    assert dialog.status.text() == "The import was cancelled. Nothing was changed."
    assert not dialog.isVisible()
    assert caseload_service.children(empty.session) == []


def test_an_import_refused_because_the_caseload_changed_says_so(empty, qtbot, files):
    dialog = open_import(empty, qtbot)
    choose_folder(qtbot, dialog, files)
    qtbot.mouseClick(dialog.check_button, CLICK)
    children_service.add_child(
        empty.session,
        children_service.ChildDetails("Typed", "Meanwhile", date(2014, 5, 5), "F", "555"),
    )
    qtbot.mouseClick(dialog.import_button, CLICK)
    assert dialog.status.text().startswith("Nothing was imported.")
    assert "Preview the files again" in dialog.status.text()
    assert dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()
    assert [c.la_child_id for c in caseload_service.children(empty.session)] == ["555"]
