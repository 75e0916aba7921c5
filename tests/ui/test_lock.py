"""The idle lock closes the database for real, and unlocking returns the IRO to where they were
with nothing typed lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from iro_desktop.services import caseload as caseload_service
from iro_desktop.services.window import StoreError
from iro_desktop.ui import dialogs

from .support import PASSPHRASE, make_window, unlock


def go_to_a_child(window, search: str = "bramble"):
    caseload = window.page("caseload")
    caseload.search.setText(search)
    caseload._select_proxy_row(0)
    child_id = caseload.selected_id()
    caseload.open_current()
    return child_id


def idle_out(window) -> None:
    window.idle.timer.timeout.emit()  # the injected timer runs out: no waiting minutes


def test_idle_lock_really_closes_the_store(unlocked):
    session = unlocked.session
    assert unlocked.idle.active
    idle_out(unlocked)
    assert unlocked.session is None
    assert session.is_open is False
    assert session.store.data_key is None
    with pytest.raises(StoreError):
        caseload_service.caseload(session)
    assert unlocked.root.currentWidget() is unlocked.unlock_panel
    assert "without use" in unlocked.unlock_panel.message.text()
    # Nothing of the caseload is left in the screens behind the lock.
    assert unlocked.page("caseload").model.rowCount() == 0
    assert unlocked.page("caseload").search.text() == ""
    assert unlocked.last_lock is not None and unlocked.last_lock.store_closed
    assert not unlocked.backup_action.isEnabled()


def test_unlock_returns_to_the_same_child_search_and_selection(unlocked, qtbot):
    child_id = go_to_a_child(unlocked)
    child_page = unlocked.page("child")
    child_page.tabs.setCurrentIndex(2)
    name = child_page.name.text()
    idle_out(unlocked)
    assert child_page.name.text() == ""
    unlock(unlocked)
    # The navigation list taking focus must not move the IRO away from where they were.
    unlocked.sidebar.setFocus()
    qtbot.wait(20)
    assert unlocked.current_page() is child_page
    assert child_page.child_id == child_id
    assert child_page.name.text() == name
    assert child_page.tabs.currentIndex() == 2
    caseload = unlocked.page("caseload")
    assert caseload.search.text() == "bramble"
    assert caseload.model.rowCount() == 70
    assert caseload.selected_id() == child_id
    unlocked.back()
    assert unlocked.current_page() is caseload


def test_a_typed_draft_survives_the_lock(unlocked):
    unlocked.show_page("settings")
    settings = unlocked.page("settings")
    settings.server.setText("https://sync.example.invalid")
    assert settings.is_dirty()
    idle_out(unlocked)
    assert unlocked.last_lock.drafts_saved == ["settings"]
    assert settings.server.text() == ""  # not left on screen behind the lock
    unlock(unlocked)
    assert unlocked.current_page() is settings
    assert settings.server.text() == "https://sync.example.invalid"
    assert settings.is_dirty()
    assert "put back" in settings.note.text()
    # It was kept inside the encrypted caseload, not just in the widget.
    draft = caseload_service.load_draft(unlocked.session, "settings")
    assert draft is not None and draft["server_url"] == "https://sync.example.invalid"


def test_drafts_and_place_survive_closing_the_program(qtbot, unlocked, paths):
    child_id = go_to_a_child(unlocked)
    unlocked.show_page("settings")
    unlocked.page("settings").server.setText("https://sync.example.invalid/iro")
    unlocked.page("caseload").search.setText("bramble")
    unlocked.close()
    assert unlocked.session is None

    again = make_window(qtbot, paths)
    again.start()
    unlock(again)
    assert again.current_page() is again.page("settings")
    assert again.page("settings").server.text() == "https://sync.example.invalid/iro"
    again.back()
    assert again.current_page() is again.page("child")
    assert again.page("child").child_id == child_id


def test_autosave_keeps_typing_safe_every_few_seconds(unlocked):
    unlocked.show_page("settings")
    unlocked.page("settings").server.setText("https://sync.example.invalid/a")
    unlocked.autosave_timer.timeout.emit()
    draft = caseload_service.load_draft(unlocked.session, "settings")
    assert draft is not None and draft["server_url"] == "https://sync.example.invalid/a"
    state = caseload_service.load_session_state(unlocked.session)
    assert state["page"] == "settings"


def test_lock_clears_text_the_program_put_on_the_clipboard(unlocked, qtbot):
    caseload = unlocked.page("caseload")
    caseload._select_proxy_row(0)
    name = caseload.proxy.row_at(0).row.name
    qtbot.keyClick(caseload.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text().startswith(name)
    unlocked.lock()
    assert unlocked.last_lock.clipboard_cleared
    assert QApplication.clipboard().text() == ""


def test_lock_closes_an_open_dialog_and_its_question_counts_as_cancelled(unlocked, qtbot):
    from PySide6.QtCore import QTimer

    dialog = QDialog(unlocked)
    QTimer.singleShot(0, lambda: unlocked.idle.expire())
    result = dialogs.exec_owned(dialog)
    assert result == int(QDialog.DialogCode.Rejected.value)
    assert not dialog.isVisible()
    assert unlocked.session is None
    assert unlocked.last_lock.dialogs_closed == 1


def test_input_restarts_the_idle_countdown_and_a_real_timer_locks(unlocked, qtbot):
    watcher = unlocked.idle
    watcher.set_minutes(0.5 / 60)  # half a second
    assert watcher.timer.isActive()
    qtbot.wait(300)
    qtbot.keyClick(unlocked.page("caseload").search, Qt.Key.Key_A)  # input: starts again
    qtbot.wait(300)
    assert unlocked.session is not None  # 600 ms since unlock, but only 300 since typing
    with qtbot.waitSignal(unlocked.locked, timeout=3000):
        pass
    assert unlocked.session is None


def test_unlock_after_lock_with_wrong_then_right_passphrase(unlocked):
    unlocked.lock()
    unlock(unlocked, "definitely not it")
    assert unlocked.session is None
    unlock(unlocked, PASSPHRASE)
    assert unlocked.session is not None
    assert unlocked.idle.active
