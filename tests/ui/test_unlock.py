"""Unlocking: the right passphrase opens the caseload; the wrong one says so plainly."""

from __future__ import annotations

from iro_desktop.services import open_caseload
from iro_desktop.ui import dialogs

from .support import LOGIN, NAME, PASSPHRASE, unlock


def test_unlock_shows_the_caseload_and_who_is_signed_in(window):
    assert window.root.currentWidget() is window.unlock_panel
    assert window.unlock_panel.login.currentText() == LOGIN
    unlock(window)
    assert window.session is not None and window.session.is_open
    assert window.root.currentWidget() is window.content
    page = window.page("caseload")
    assert window.current_page() is page
    assert page.model.rowCount() == 70
    assert f"Signed in: {NAME} (IRO)" == window.user_label.text()
    assert "Manchester" in window.profile_label.text()
    assert window.sync_label.text()  # the sync engine's words (e.g. no server set)
    window.set_sync_status("Synced 2 minutes ago", "Last sync at 10:02")
    assert window.sync_label.text() == "Synced 2 minutes ago"
    assert window.sync_label.toolTip() == "Last sync at 10:02"


def test_wrong_passphrase_is_refused_with_a_clear_message_and_the_field_cleared(window):
    unlock(window, "not the passphrase at all")
    panel = window.unlock_panel
    assert window.session is None
    assert window.root.currentWidget() is panel
    assert "not right" in panel.error.text()
    assert panel.passphrase.text() == ""
    # Nothing was opened: the caseload is free for another program.
    session = open_caseload(window.paths, LOGIN, PASSPHRASE)
    session.lock()


def test_repeated_wrong_passphrases_bring_a_growing_wait_shown_in_words(window):
    panel = window.unlock_panel
    for _ in range(3):
        unlock(window, "wrong wrong wrong")
    assert panel.waiting_seconds() >= 1
    assert "Try again in" in panel.wait.text()
    assert not panel.unlock_button.isEnabled()
    # Even the right passphrase waits its turn, and is told so.
    panel.passphrase.setText(PASSPHRASE)
    window._unlock_requested(LOGIN, PASSPHRASE, False)
    assert window.session is None
    assert "Wait" in panel.error.text() or "Try again" in panel.wait.text()


def test_damaged_caseload_gets_a_message_box_and_is_not_changed(window):
    db = window.paths.database
    data = bytearray(db.read_bytes())
    for i in range(8192, 8192 + 4096):  # scramble the second and third pages
        data[i] ^= 0x5A
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    unlock(window)
    assert window.session is None
    shown = dialogs.last("error")
    assert shown is not None and shown.title == "The caseload could not be opened"
    assert "damaged" in shown.text or "integrity" in shown.text
    assert db.read_bytes() == before


def test_caseload_open_elsewhere_is_reported_and_left_alone(window):
    other = open_caseload(window.paths, LOGIN, PASSPHRASE)
    try:
        unlock(window)
        assert window.session is None
        shown = dialogs.last("error")
        assert shown is not None and "already open" in shown.text
    finally:
        other.lock()
    unlock(window)
    assert window.session is not None


def test_remember_on_this_device_without_a_keyring_says_so_and_carries_on(window):
    window.unlock_panel.remember.setChecked(True)
    unlock(window)
    assert window.session is not None and window.session.is_open
    shown = dialogs.last("info")
    assert shown is not None and shown.title == "Not remembered on this device"
    assert "next time" in shown.text
    assert window.page("caseload").model.rowCount() == 70


def test_unknown_login_is_named(window):
    unlock(window, PASSPHRASE, login="nobody")
    assert window.session is None
    assert "nobody" in window.unlock_panel.error.text()


def test_a_caseload_from_a_newer_version_is_refused_and_left_alone(window):
    session = open_caseload(window.paths, LOGIN, PASSPHRASE)
    with session.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    session.lock()
    before = window.paths.database.read_bytes()
    unlock(window)
    assert window.session is None
    shown = dialogs.last("error")
    assert shown is not None and "newer version" in shown.text
    assert window.paths.database.read_bytes() == before
