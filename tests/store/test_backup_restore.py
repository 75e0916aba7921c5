"""Backups are checked as caseloads of ours, restores keep the old caseload until the new one
has opened, both are private on disk, and a restore is in the audit trail."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
import sqlcipher3

from iro_desktop.paths import data_paths
from iro_desktop.services import caseload as caseload_service
from iro_desktop.services import open_caseload
from iro_desktop.services import window as window_service
from iro_desktop.store import vault
from iro_desktop.store.backups import BACKUP_MAGIC
from iro_desktop.store.engine import CaseloadDamaged
from iro_desktop.store.keys import sqlcipher_raw_key
from tests.conftest import PASSPHRASE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(data_dir: Path) -> int:
    s = open_caseload(data_paths(data_dir), "ada", PASSPHRASE)
    try:
        return len(caseload_service.children(s))
    finally:
        s.lock()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _with_body(backup_file: Path, body: bytes, out: Path) -> Path:
    """The same backup with another database body and a header that agrees with it."""
    raw = backup_file.read_bytes()
    pos = len(BACKUP_MAGIC)
    size = int.from_bytes(raw[pos : pos + 4], "big")
    header = json.loads(raw[pos + 4 : pos + 4 + size])
    header["database_bytes"] = len(body)
    header["database_sha256"] = hashlib.sha256(body).hexdigest()
    blob = json.dumps(header).encode()
    out.write_bytes(BACKUP_MAGIC + len(blob).to_bytes(4, "big") + blob + body)
    return out


def test_a_backup_with_an_empty_or_foreign_database_is_refused(demo_session, data_dir, tmp_path):
    paths = data_paths(data_dir)
    backup_file = tmp_path / "real.irobackup"
    demo_session.backup(backup_file)
    key = demo_session.store.data_key
    demo_session.lock()
    before = _digest(paths.database)

    empty = _with_body(backup_file, b"", tmp_path / "empty.irobackup")
    with pytest.raises(vault.BackupInvalid, match="holds no caseload") as refused:
        vault.restore(paths, empty, "ada", PASSPHRASE)
    assert "\n" not in str(refused.value)

    # A database that the backup's own key opens, but not one of ours.
    foreign_db = tmp_path / "foreign.db"
    conn = sqlcipher3.connect(str(foreign_db))
    conn.set_key(sqlcipher_raw_key(key))
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('shopping list')")
    conn.commit()
    conn.close()
    foreign = _with_body(backup_file, foreign_db.read_bytes(), tmp_path / "foreign.irobackup")
    with pytest.raises(vault.BackupInvalid, match="does not hold an IRO Desktop caseload"):
        vault.restore(paths, foreign, "ada", PASSPHRASE)

    assert _digest(paths.database) == before
    assert _count(data_dir) == 30
    assert not [p.name for p in Path(data_dir).iterdir() if "restor" in p.name]


def test_the_old_caseload_is_put_back_if_the_restored_one_does_not_open(
    demo_session, data_dir, tmp_path
):
    from iro_desktop.services.demo import load_demo

    paths = data_paths(data_dir)
    backup_file = tmp_path / "b.irobackup"
    demo_session.backup(backup_file)
    load_demo(demo_session, 5, seed=99)
    demo_session.lock()

    def fails_to_open(_store: object) -> None:
        raise CaseloadDamaged("The restored caseload could not be opened.")

    with pytest.raises(CaseloadDamaged):
        vault.restore(paths, backup_file, "ada", PASSPHRASE, after_open=fails_to_open)
    assert _count(data_dir) == 35  # the caseload as it was before the restore
    vault.restore(paths, backup_file, "ada", PASSPHRASE)
    assert _count(data_dir) == 30
    assert not [p.name for p in Path(data_dir).iterdir() if "before-restore" in p.name]


def test_backups_and_restored_files_are_private(demo_session, data_dir, tmp_path):
    assert _mode(Path(data_dir)) == 0o700
    assert _mode(Path(data_dir, "keys.json")) == 0o600
    previous = os.umask(0o022)
    try:
        backup_file = tmp_path / "b.irobackup"
        demo_session.backup(backup_file)
        assert _mode(backup_file) == 0o600
        fresh = tmp_path / "replacement laptop"
        n = window_service.restore_backup(data_paths(fresh), backup_file, "ada", PASSPHRASE)
        assert n == 30
    finally:
        os.umask(previous)
    assert _mode(fresh) == 0o700
    for name in ("caseload.db", "keys.json"):
        assert _mode(fresh / name) == 0o600, name
    assert _count(fresh) == 30


def test_a_restore_is_in_the_restored_caseloads_audit_trail(demo_session, data_dir, tmp_path):
    paths = data_paths(data_dir)
    backup_file = tmp_path / "b.irobackup"
    demo_session.backup(backup_file)
    demo_session.lock()
    window_service.restore_backup(paths, backup_file, "ada", PASSPHRASE)
    s = open_caseload(paths, "ada", PASSPHRASE)
    try:
        restores = [e for e in caseload_service.audit_trail(s) if e["action"] == "restore"]
    finally:
        s.lock()
    assert len(restores) == 1
    assert restores[0]["username"] == "ada"
    assert str(backup_file) in restores[0]["detail"]


@pytest.mark.parametrize("damage", ["empty", "missing"])
def test_the_window_refuses_an_empty_or_missing_database_and_creates_nothing(
    session, data_dir, damage
):
    session.lock()
    paths = data_paths(data_dir)
    if damage == "empty":
        paths.database.write_bytes(b"")
    else:
        paths.database.unlink()
    before = sorted(p.name for p in Path(data_dir).iterdir())
    with pytest.raises(CaseloadDamaged, match="damaged") as refused:
        window_service.unlock(paths, "ada", PASSPHRASE)
    assert "\n" not in str(refused.value)
    assert sorted(p.name for p in Path(data_dir).iterdir()) == before
    assert paths.database.exists() == (damage == "empty")
    if damage == "empty":
        assert paths.database.stat().st_size == 0
