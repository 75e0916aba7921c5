"""The window with damaged files beside the caseload: never stuck on "Getting ready...", one
message naming the file; a damaged settings file is reported and the caseload opens; changes
of passphrase from the window are in the audit trail."""

from __future__ import annotations

import json

from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import open_caseload
from iro_desktop.ui import dialogs

from .support import LOGIN, PASSPHRASE, make_window, unlock


def test_a_key_file_of_the_wrong_shape_is_named_and_the_window_does_not_hang(qtbot, paths):
    data = json.loads(paths.keyfile.read_text())
    data["logins"] = list(data["logins"].values())
    paths.keyfile.write_text(json.dumps(data))
    window = make_window(qtbot, paths)
    window.start()
    panel = window.unlock_panel
    assert window.root.currentWidget() is panel
    assert "Getting ready" not in panel.message.text()
    assert str(paths.keyfile) in panel.message.text()
    assert panel.unlock_button.isEnabled() and panel.passphrase.isEnabled()
    unlock(window)
    assert window.session is None
    shown = dialogs.last("error")
    assert shown is not None and str(paths.keyfile) in shown.text
    assert "\n" not in shown.text


def test_a_damaged_unlock_record_is_named_then_the_next_try_opens(qtbot, paths):
    paths.unlock_state.write_text('{"failures": "lots"}')
    window = make_window(qtbot, paths)
    window.start()
    unlock(window)
    assert window.session is None
    shown = dialogs.last("error")
    assert shown is not None and str(paths.unlock_state) in shown.text
    unlock(window)
    assert window.session is not None and window.session.is_open


def test_a_bad_setting_is_reported_and_the_caseload_opens_with_the_good_ones(qtbot, paths):
    paths.settings.write_text(
        f'last_login = "{LOGIN}"\nprofile = "cheshire_east"\nidle_lock_minutes = "ten"\n'
    )
    window = make_window(qtbot, paths)
    window.start()
    unlock(window)
    assert window.session is not None and window.session.is_open
    assert window.page("caseload").model.rowCount() == 70
    assert window.session.settings.profile == "cheshire_east"  # the good setting kept
    assert window.session.settings.idle_lock_minutes == 5  # the bad one at its default
    message = window.status_message()
    assert "idle_lock_minutes" in message and str(paths.settings) in message
    assert "profile" not in message.split(":", 1)[-1]


def test_a_change_of_passphrase_from_the_window_is_audited(unlocked):
    def fill(form):  # type: ignore[no-untyped-def]
        form.current.setText(PASSPHRASE)
        form.new.first.setText("lantern orchard kettle heron")
        form.new.second.setText("lantern orchard kettle heron")
        return form.check() == ""

    dialogs.set_next_answer(fill)
    unlocked.change_action.trigger()
    assert dialogs.last("info").title == "Passphrase changed"
    entries = caseload_service.audit_trail(unlocked.session, None)
    assert entries[0]["detail"] == "passphrase changed"
    assert entries[0]["username"] == LOGIN


def test_the_recovery_route_in_the_window_is_audited_and_makes_no_login(window):
    unlock(window)
    codes: list[str] = []
    dialogs.set_next_answer(True)
    dialogs.set_next_answer(PASSPHRASE)
    dialogs.set_next_answer(lambda form: codes.append(form.view.code.text()) or True)
    window.rekey_action.trigger()
    window.lock()

    def fill(form):  # type: ignore[no-untyped-def]
        form.login.setText("nobody")
        form.code.setText(codes[0])
        form.new.first.setText("brand new passphrase words")
        form.new.second.setText("brand new passphrase words")
        return form.check() == ""

    dialogs.set_next_answer(fill)
    window.unlock_panel.forgot_button.click()
    shown = dialogs.last("error")
    assert shown is not None and "no login called 'nobody'" in shown.text
    session = open_caseload(window.paths, LOGIN, PASSPHRASE)
    try:
        details = [e["detail"] for e in caseload_service.audit_trail(session, None)]
        assert not any("recovery code" in d for d in details)
    finally:
        session.lock()

    def fill_sam(form):  # type: ignore[no-untyped-def]
        form.login.setText(LOGIN)
        form.code.setText(codes[0])
        form.new.first.setText("brand new passphrase words")
        form.new.second.setText("brand new passphrase words")
        return form.check() == ""

    dialogs.set_next_answer(fill_sam)
    window.unlock_panel.forgot_button.click()
    assert "new passphrase is set" in window.unlock_panel.error.text()
    unlock(window, "brand new passphrase words")
    assert window.session is not None
    details = [e["detail"] for e in caseload_service.audit_trail(window.session, None)]
    assert any("recovery code" in d and "none created" in d for d in details)
