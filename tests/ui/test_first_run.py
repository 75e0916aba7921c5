"""First run: create the caseload from the window, see the recovery code, land in it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from iro_desktop.paths import data_paths
from iro_desktop.services import open_caseload
from iro_desktop.services import window as service

from .support import make_window


def test_first_run_creates_an_encrypted_caseload_and_shows_the_recovery_code(qtbot, tmp_path):
    paths = data_paths(tmp_path / "new")
    window = make_window(qtbot, paths)
    window.start()
    assert window.welcome is not None and window.root.currentWidget() is window.welcome
    dialog = window.first_run_dialog
    assert dialog is not None and dialog.isVisible()

    dialog.name.setText("Robin Puddleby")
    dialog.login.setText("robin")
    dialog.passphrase.first.setText("short")
    assert "Too short" in dialog.passphrase.meter.words.text()
    dialog.create_button.click()
    assert "at least 10 characters" in dialog.problem.text()
    assert not paths.keyfile.exists()

    dialog.passphrase.first.setText("heron teapot quarry meadow")
    assert dialog.passphrase.meter.words.text().startswith(("Fair", "Strong", "Very strong"))
    dialog.passphrase.second.setText("heron teapot quarry meadoW")
    dialog.create_button.click()
    assert "different" in dialog.problem.text()
    dialog.passphrase.second.setText("heron teapot quarry meadow")
    assert dialog.passphrase.match.text() == "The two passphrases match."
    dialog.profile.setCurrentIndex(dialog.profile.findData("cheshire_east"))
    dialog.create_button.click()

    code = dialog.recovery.code.text()
    assert len(code.replace("-", "")) == 25
    assert dialog.passphrase.first.text() == ""  # no passphrase left on screen
    assert not dialog.finish_button.isEnabled()
    dialog.reject()  # Esc cannot dismiss the only copy of the code
    assert dialog.isVisible()
    dialog.recovery.confirmed.setChecked(True)
    dialog.finish_button.click()

    assert window.session is not None and window.session.is_open
    assert window.root.currentWidget() is window.content
    assert window.user_label.text() == "Signed in: Robin Puddleby (IRO)"
    assert "Cheshire East" in window.profile_label.text()
    assert window.page("caseload").model.rowCount() == 0
    assert window.page("caseload").count.text() == "0 children"

    # The file is really encrypted and opens with the passphrase, and the code works too.
    assert paths.keyfile.exists()
    assert not paths.database.read_bytes().startswith(b"SQLite format 3")
    window.lock()
    service.reset_passphrase(paths, "robin", code, "a different long passphrase")
    open_caseload(paths, "robin", "a different long passphrase").lock()


def test_cancelled_first_run_leaves_the_welcome_screen_and_no_files(qtbot, tmp_path):
    paths = data_paths(tmp_path / "new")
    window = make_window(qtbot, paths)
    window.start()
    window.first_run_dialog.reject()
    assert window.root.currentWidget() is window.welcome
    assert not paths.root.exists() or not any(paths.root.iterdir())
    window.welcome.create_button.click()
    assert window.first_run_dialog.isVisible()
    QApplication.processEvents()


def test_first_run_asks_for_the_profile_rather_than_choosing_one(qtbot, tmp_path):
    """The profile sets the minutes deadline (15 or 20 working days): nothing is pre-chosen,
    and the caseload is not created until the IRO picks one."""
    paths = data_paths(tmp_path / "new")
    window = make_window(qtbot, paths)
    window.start()
    dialog = window.first_run_dialog
    assert dialog.profile.currentIndex() == -1
    assert dialog.profile.currentText() == ""
    dialog.name.setText("Robin Puddleby")
    dialog.login.setText("robin")
    dialog.passphrase.first.setText("heron teapot quarry meadow")
    dialog.passphrase.second.setText("heron teapot quarry meadow")
    dialog.create_button.click()
    assert "Choose your authority's practice profile" in dialog.problem.text()
    assert not paths.keyfile.exists()

    dialog.profile.setCurrentIndex(dialog.profile.findData("manchester"))
    dialog.create_button.click()
    dialog.recovery.confirmed.setChecked(True)
    dialog.finish_button.click()
    assert "Manchester" in window.profile_label.text()
