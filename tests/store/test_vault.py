"""The encrypted caseload: unlock, wrong passphrase, passphrase change, rekey, backup, restore."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from iro_desktop.paths import data_paths
from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import open_caseload
from iro_desktop.store import vault
from iro_desktop.store.engine import CaseloadDamaged, CaseloadInUse, CaseloadTooNew
from iro_desktop.store.keys import UnlockThrottle, WrongPassphrase
from tests.conftest import PASSPHRASE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(session) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r.name for r in caseload_service.caseload(session))


def test_unlock_with_the_right_passphrase_shows_the_same_children(demo_session, data_dir):
    before = _names(demo_session)
    demo_session.lock()
    again = open_caseload(data_paths(data_dir), "ada", PASSPHRASE)
    try:
        assert _names(again) == before
        assert len(before) == 30
    finally:
        again.lock()


def test_wrong_passphrase_is_refused_and_the_file_is_untouched(demo_session, data_dir):
    demo_session.lock()
    paths = data_paths(data_dir)
    before = _digest(paths.database)
    with pytest.raises(WrongPassphrase, match="passphrase is wrong"):
        open_caseload(paths, "ada", "not the passphrase")
    assert _digest(paths.database) == before


def test_repeated_wrong_passphrases_bring_a_growing_delay(session, data_dir):
    session.lock()
    paths = data_paths(data_dir)
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            open_caseload(paths, "ada", "wrong wrong wrong")
    with pytest.raises(vault.UnlockThrottled) as first:
        open_caseload(paths, "ada", PASSPHRASE)
    assert "Wait" in str(first.value)
    throttle = UnlockThrottle.load(paths.unlock_state)
    assert throttle.failures == 3
    # After the wait, the right passphrase works and the count resets.
    throttle.last_failure -= 120
    throttle._save()
    open_caseload(paths, "ada", PASSPHRASE).lock()
    assert UnlockThrottle.load(paths.unlock_state).failures == 0
    d3 = UnlockThrottle(paths.unlock_state, failures=3, last_failure=1000.0).wait_seconds(1000.0)
    d5 = UnlockThrottle(paths.unlock_state, failures=5, last_failure=1000.0).wait_seconds(1000.0)
    assert 0 < d3 < d5


def test_no_child_name_can_be_found_in_any_file_of_the_data_folder(demo_session, data_dir):
    children = caseload_service.children(demo_session)
    needles = {c.legal_last_name.encode() for c in children} | {
        c.la_child_id.encode() for c in children
    }
    # While open (WAL and shared-memory files present) and after closing.
    for phase in ("open", "closed"):
        for f in Path(data_dir).iterdir():
            blob = f.read_bytes()
            found = [n for n in needles if n in blob or n.decode().encode("utf-16-le") in blob]
            assert not found, f"{f.name} ({phase}) holds plaintext: {found[:3]}"
        demo_session.lock()


def test_change_passphrase_rewraps_without_touching_the_database(demo_session, data_dir):
    paths = data_paths(data_dir)
    before_names = _names(demo_session)
    demo_session.lock()
    before_db = _digest(paths.database)
    vault.change_passphrase(paths, "ada", PASSPHRASE, "a brand new passphrase")
    assert _digest(paths.database) == before_db
    with pytest.raises(WrongPassphrase):
        open_caseload(paths, "ada", PASSPHRASE)
    s = open_caseload(paths, "ada", "a brand new passphrase")
    assert _names(s) == before_names
    s.lock()


def test_short_new_passphrase_is_refused(session, data_dir):
    with pytest.raises(ValueError, match="at least"):
        vault.change_passphrase(data_paths(data_dir), "ada", PASSPHRASE, "short")


def test_rekey_re_encrypts_and_keeps_every_row(demo_session, data_dir):
    paths = data_paths(data_dir)
    before = _names(demo_session)
    old_key = demo_session.store.data_key
    code = demo_session.rekey(PASSPHRASE)
    assert demo_session.store.data_key != old_key
    assert _names(demo_session) == before
    demo_session.lock()
    # The old data key no longer opens the file.
    with pytest.raises(CaseloadDamaged):
        vault.open_unlocked(paths, old_key)
    s = open_caseload(paths, "ada", PASSPHRASE)
    assert _names(s) == before
    s.lock()
    vault.reset_passphrase_with_recovery_code(paths, "ada", code, "recovered passphrase")
    open_caseload(paths, "ada", "recovered passphrase").lock()


def test_a_rekey_interrupted_before_the_key_file_was_replaced_still_opens(demo_session, data_dir):
    """Simulate a flat battery between re-encrypting the file and writing the new key file."""
    import os

    paths = data_paths(data_dir)
    before = _names(demo_session)
    saved_old_keyfile = paths.keyfile.read_bytes()
    demo_session.rekey(PASSPHRASE)
    demo_session.lock()
    # The new key file is what rekey writes first as keys.json.pending; put things back as
    # they were at the moment of the crash.
    pending = paths.keyfile.with_name("keys.json.pending")
    os.replace(paths.keyfile, pending)
    paths.keyfile.write_bytes(saved_old_keyfile)
    s = open_caseload(paths, "ada", PASSPHRASE)
    assert _names(s) == before
    s.lock()
    assert not pending.exists()


def test_recovery_code_resets_a_forgotten_passphrase(data_dir, fixed_clock):
    from iro_desktop.services import create_caseload

    paths = data_paths(data_dir)
    s, code = create_caseload(paths, "ada", PASSPHRASE, clock=fixed_clock)
    s.lock()
    with pytest.raises(WrongPassphrase):
        vault.reset_passphrase_with_recovery_code(
            paths, "ada", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", "new passphrase here"
        )
    vault.reset_passphrase_with_recovery_code(
        paths, "ada", code.lower().replace("-", " "), "new passphrase here"
    )
    open_caseload(paths, "ada", "new passphrase here").lock()


def test_backup_and_restore_round_trip_verified(demo_session, data_dir, tmp_path):
    paths = data_paths(data_dir)
    before = _names(demo_session)
    backup_file = tmp_path / "caseload.irobackup"
    demo_session.backup(backup_file)
    assert b"Quillfeather" not in backup_file.read_bytes()
    # A child added after the backup disappears on restore.
    from iro_desktop.services.demo import load_demo

    load_demo(demo_session, 5, seed=99)
    assert len(_names(demo_session)) == 35
    demo_session.lock()
    restored = vault.restore(paths, backup_file, "ada", PASSPHRASE)
    assert restored == 30
    s = open_caseload(paths, "ada", PASSPHRASE)
    assert _names(s) == before
    s.lock()


def test_a_damaged_backup_is_refused_and_the_caseload_kept(demo_session, data_dir, tmp_path):
    paths = data_paths(data_dir)
    backup_file = tmp_path / "b.irobackup"
    demo_session.backup(backup_file)
    demo_session.lock()
    before = _digest(paths.database)
    raw = bytearray(backup_file.read_bytes())
    raw[-100] ^= 0xFF
    bad = tmp_path / "bad.irobackup"
    bad.write_bytes(bytes(raw))
    with pytest.raises(vault.BackupInvalid, match="damaged"):
        vault.restore(paths, bad, "ada", PASSPHRASE)
    truncated = tmp_path / "short.irobackup"
    truncated.write_bytes(backup_file.read_bytes()[:-4096])
    with pytest.raises(vault.BackupInvalid, match="truncated"):
        vault.restore(paths, truncated, "ada", PASSPHRASE)
    not_backup = tmp_path / "notes.txt"
    not_backup.write_text("hello")
    with pytest.raises(vault.BackupInvalid, match="not an IRO Desktop backup"):
        vault.restore(paths, not_backup, "ada", PASSPHRASE)
    assert _digest(paths.database) == before


def test_a_truncated_database_gets_a_clear_message_and_is_left_alone(demo_session, data_dir):
    paths = data_paths(data_dir)
    demo_session.lock()
    raw = paths.database.read_bytes()
    paths.database.write_bytes(raw[: len(raw) // 2])
    before = _digest(paths.database)
    with pytest.raises(CaseloadDamaged, match="backup"):
        open_caseload(paths, "ada", PASSPHRASE)
    assert _digest(paths.database) == before


def test_a_caseload_from_a_newer_version_is_refused(session, data_dir):
    from sqlalchemy import text

    with session.store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    session.lock()
    with pytest.raises(CaseloadTooNew, match="newer version"):
        open_caseload(data_paths(data_dir), "ada", PASSPHRASE)


def test_a_second_copy_cannot_open_the_same_caseload(session, data_dir):
    with pytest.raises(CaseloadInUse, match="already open"):
        open_caseload(data_paths(data_dir), "ada", PASSPHRASE)


def test_a_full_disk_loses_nothing_already_saved(demo_session):
    from sqlalchemy import text

    from iro_desktop.services.demo import load_demo
    from iro_desktop.store.engine import DiskFull

    before = _names(demo_session)
    with demo_session.store.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()
    # Cap the file at its current size on every pooled connection: the next big write fails
    # exactly as it does when the disk is full.
    demo_session.store.engine.dispose()
    from sqlalchemy import event

    @event.listens_for(demo_session.store.engine, "connect")
    def _cap(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count = {int(pages) + 2}")

    with pytest.raises(DiskFull, match="disk is full"):
        load_demo(demo_session, 200, seed=5)
    assert _names(demo_session) == before


def test_remember_on_this_device_uses_the_keyring_only(session, data_dir, memory_keyring):
    session.remember_on_this_device()
    assert memory_keyring.items, "the key should be in the keyring"
    stored = next(iter(memory_keyring.items.values()))
    assert stored.encode() not in Path(data_dir, "keys.json").read_bytes()
    session.lock()
    again = open_caseload(data_paths(data_dir), "ada", None)
    again.lock()


def test_without_a_keyring_nothing_is_remembered(session, data_dir):
    import keyring
    from keyring.backends import fail

    from iro_desktop.credentials import KeyringUnavailable

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable):
            session.remember_on_this_device()
        session.lock()
        with pytest.raises(WrongPassphrase):
            open_caseload(data_paths(data_dir), "ada", None)
    finally:
        keyring.set_keyring(previous)


def test_a_manager_login_opens_the_same_caseload(session, data_dir):
    session.add_login("mo", "Mo Manager", "manager", "manager passphrase")
    session.lock()
    m = open_caseload(data_paths(data_dir), "mo", "manager passphrase")
    assert m.is_manager
    m.lock()
    with pytest.raises(WrongPassphrase):
        open_caseload(data_paths(data_dir), "mo", PASSPHRASE)
