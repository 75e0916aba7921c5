"""File menu: backup, restore (locks first), change passphrase, re-encrypt; the recovery route."""

from __future__ import annotations

from iro_desktop.services import open_caseload
from iro_desktop.ui import dialogs

from .support import LOGIN, PASSPHRASE, unlock


def test_backup_then_restore_from_the_window(unlocked, tmp_path):
    out = tmp_path / "caseload.irobackup"
    dialogs.set_next_answer(str(out))
    unlocked.backup_action.trigger()
    assert out.exists() and out.stat().st_size > 10_000
    assert dialogs.last("info").title == "Backup written"

    # A child added after the backup disappears again on restore.
    from iro_desktop.services import caseload as caseload_service

    child = caseload_service.children(unlocked.session)[0]
    from dataclasses import replace

    caseload_service.save_child(
        unlocked.session, replace(child, id="", la_child_id="DEMO-NEW-1", legal_first_name="Zed")
    )
    assert len(caseload_service.children(unlocked.session)) == 71

    def fill(form):
        form.file.setText(str(out))
        form.login.setText(LOGIN)
        form.passphrase.setText(PASSPHRASE)
        return form.check() == ""

    dialogs.set_next_answer(fill)
    dialogs.set_next_answer(True)  # yes, replace the caseload
    unlocked.restore_action.trigger()
    assert unlocked.session is None  # it locked to restore
    assert dialogs.last("info").title == "Caseload restored"
    assert "70 children" in dialogs.last("info").text
    unlock(unlocked)
    assert unlocked.page("caseload").model.rowCount() == 70


def test_a_wrong_passphrase_for_the_backup_replaces_nothing(unlocked, tmp_path):
    out = tmp_path / "b.irobackup"
    dialogs.set_next_answer(str(out))
    unlocked.backup_action.trigger()

    def fill(form):
        form.file.setText(str(out))
        form.login.setText(LOGIN)
        form.passphrase.setText("not the passphrase")
        return True

    before = unlocked.paths.database.stat().st_size
    dialogs.set_next_answer(fill)
    dialogs.set_next_answer(True)
    unlocked.restore_action.trigger()
    assert dialogs.last("error").title == "The backup was not restored"
    assert "Nothing was replaced" in dialogs.last("error").text
    assert unlocked.paths.database.stat().st_size == before
    unlock(unlocked)
    assert unlocked.session is not None


def test_restore_needs_a_yes(unlocked, tmp_path):
    def fill(form):
        form.file.setText(str(tmp_path / "x.irobackup"))
        form.passphrase.setText("whatever")
        return True

    dialogs.set_next_answer(fill)
    unlocked.restore_action.trigger()  # the confirmation takes its default: No
    assert unlocked.session is not None and unlocked.session.is_open


def test_change_passphrase_from_the_menu(unlocked):
    def fill(form):
        form.current.setText(PASSPHRASE)
        form.new.first.setText("lantern orchard kettle heron")
        form.new.second.setText("lantern orchard kettle heron")
        return form.check() == ""

    dialogs.set_next_answer(fill)
    unlocked.change_action.trigger()
    assert dialogs.last("info").title == "Passphrase changed"
    unlocked.lock()
    unlock(unlocked, PASSPHRASE)
    assert unlocked.session is None
    unlock(unlocked, "lantern orchard kettle heron")
    assert unlocked.session is not None


def test_change_passphrase_with_the_wrong_current_one_is_refused(unlocked):
    def fill(form):
        form.current.setText("not my passphrase")
        form.new.first.setText("lantern orchard kettle heron")
        form.new.second.setText("lantern orchard kettle heron")
        return True

    dialogs.set_next_answer(fill)
    unlocked.change_action.trigger()
    assert dialogs.last("error").title == "The passphrase was not changed"
    unlocked.lock()
    unlock(unlocked, PASSPHRASE)
    assert unlocked.session is not None


def test_reencrypt_gives_a_new_recovery_code_and_keeps_the_passphrase(unlocked):
    codes = []

    def note_code(form):
        codes.append(form.view.code.text())
        form.view.confirmed.setChecked(True)
        return True

    dialogs.set_next_answer(True)  # yes, re-encrypt
    dialogs.set_next_answer(PASSPHRASE)
    dialogs.set_next_answer(note_code)
    old_key = unlocked.session.store.data_key
    unlocked.rekey_action.trigger()
    assert len(codes) == 1 and len(codes[0]) == 29
    assert unlocked.session.store.data_key != old_key
    assert unlocked.page("caseload").model.rowCount() == 70
    unlocked.lock()
    unlock(unlocked)
    assert unlocked.session is not None


def test_forgotten_passphrase_route_on_the_unlock_screen(window, tmp_path):
    # A recovery code comes from a re-encryption (the template's first code is not kept).
    unlock(window)
    codes = []
    dialogs.set_next_answer(True)
    dialogs.set_next_answer(PASSPHRASE)
    dialogs.set_next_answer(lambda form: codes.append(form.view.code.text()) or True)
    window.rekey_action.trigger()
    window.lock()

    def fill(form):
        form.code.setText(codes[0].lower().replace("-", " "))
        form.new.first.setText("brand new passphrase words")
        form.new.second.setText("brand new passphrase words")
        return form.check() == ""

    dialogs.set_next_answer(fill)
    window.unlock_panel.forgot_button.click()
    assert "new passphrase is set" in window.unlock_panel.error.text()
    unlock(window, "brand new passphrase words")
    assert window.session is not None
    window.lock()
    open_caseload(window.paths, LOGIN, "brand new passphrase words").lock()
