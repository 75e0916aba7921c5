"""Backing up and restoring the encrypted caseload.

A backup is one file: a header with the wrapped keys, then an encrypted copy of the database,
checked to open with its key as one of our caseloads before it is written (0600).

A restore never leaves the folder half-replaced. The backup's database and key file are
written beside the caseload as temporary files and checked; then a small journal
(restore-journal.json) is written and the files are switched by renames. If the program is
killed before the journal exists, the old caseload is still the caseload; after, the next
open finishes the switch from the journal. The old caseload is kept as *.before-restore until
the restored one has opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from iro_desktop.paths import DataPaths
from iro_desktop.store.engine import InstanceLock, Store, open_store
from iro_desktop.store.errors import CaseloadDamaged, StoreError
from iro_desktop.store.files import (
    copy_private,
    crash_point,
    fsync_file,
    fsync_folder,
    private_folder,
    remove_quietly,
    write_private,
)
from iro_desktop.store.keys import KeyError_, Keyfile, sqlcipher_raw_key

BACKUP_MAGIC = b"IRO-DESKTOP-BACKUP\n"
BACKUP_VERSION = 1

JOURNAL = "restore-journal.json"
STAGED_DATABASE = "caseload.db.restoring"
STAGED_KEYS = "keys.json.restoring"
BEFORE = ".before-restore"
# Names the .partial file a backup is writing (it sits beside the chosen file, wherever that
# is), so that the next run can remove it if the backup was killed.
PARTIAL_RECORD = "backup-in-progress.txt"
SNAPSHOT_PREFIX = ".backup-"
# What a rekey writes first; kept with the old caseload by a restore (see vault.rekey).
PENDING_KEYS = "keys.json.pending"
DATABASE_SIDES = ("-wal", "-journal")


class BackupInvalid(StoreError):
    pass


# --- checking that a file is one of our caseloads ----------------------------------------------


def check_caseload_file(path: Path, data_key: bytes, what: str = "The backup") -> None:
    """BackupInvalid unless the key opens the file and it is an IRO Desktop caseload whose
    pages all pass SQLCipher's and SQLite's integrity checks."""
    if not path.exists() or path.stat().st_size == 0:
        raise BackupInvalid(f"{what} holds no caseload: its database is empty.")
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.set_key(sqlcipher_raw_key(data_key))
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is an answer, not news
        try:
            tables = {
                str(row[0])
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlcipher3.DatabaseError:
            raise BackupInvalid(
                f"{what}'s database does not open with its own key: it is damaged."
            ) from None
        try:
            damaged = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            structure = conn.execute("PRAGMA integrity_check").fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise BackupInvalid(f"{what}'s database is damaged ({exc}).") from None
        if damaged or not structure or structure[0] != "ok":
            raise BackupInvalid(f"{what}'s database fails its integrity check: it is damaged.")
        if not {"alembic_version", "children", "audit_log"} <= tables:
            raise BackupInvalid(f"{what} does not hold an IRO Desktop caseload.")
        if conn.execute("SELECT version_num FROM alembic_version").fetchone() is None:
            raise BackupInvalid(f"{what} does not hold an IRO Desktop caseload.")
    finally:
        conn.close()


# --- backup --------------------------------------------------------------------------------------


def backup(paths: DataPaths, store: Store, out: Path) -> dict[str, Any]:
    """Write one encrypted backup file; returns its header.

    The copy is made with SQLite's online backup into a fresh SQLCipher file keyed with the same
    data key, so it is consistent even while the program is in use and never decrypted on disk.
    """
    data_key = store.data_key
    if data_key is None:
        raise StoreError("The open caseload's key is not available; lock and unlock, then retry.")
    tidy(paths)  # what a killed backup left behind (this process holds the caseload's lock)
    keyfile = Keyfile.load(paths.keyfile)
    with tempfile.TemporaryDirectory(dir=paths.root, prefix=SNAPSHOT_PREFIX) as tmp:
        snapshot = Path(tmp) / "snapshot.db"
        source = store.engine.raw_connection()
        try:
            dest = sqlcipher3.connect(str(snapshot))
            dest.set_key(sqlcipher_raw_key(data_key))
            source.driver_connection.backup(dest)  # type: ignore[union-attr]
            dest.execute("PRAGMA journal_mode = DELETE")
            dest.close()
        finally:
            source.close()
        check_caseload_file(snapshot, data_key, "The copy of the caseload")
        crash_point("backup:snapshot")
        body = snapshot.read_bytes()
    header = {
        "version": BACKUP_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "keyfile": keyfile.to_json(),
        "database_sha256": hashlib.sha256(body).hexdigest(),
        "database_bytes": len(body),
    }
    header_bytes = json.dumps(header).encode("utf-8")
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    record = paths.root / PARTIAL_RECORD
    write_private(record, str(partial.resolve()).encode("utf-8"))
    write_private(
        partial, BACKUP_MAGIC + len(header_bytes).to_bytes(4, "big") + header_bytes + body
    )
    crash_point("backup:written")
    os.replace(partial, out)
    fsync_folder(out.resolve().parent)
    remove_quietly(record)
    return header


def read_backup(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BackupInvalid(f"The backup file cannot be read ({exc.strerror or exc}).") from None
    if not raw.startswith(BACKUP_MAGIC):
        raise BackupInvalid(f"{path} is not an IRO Desktop backup.")
    pos = len(BACKUP_MAGIC)
    try:
        size = int.from_bytes(raw[pos : pos + 4], "big")
        header = json.loads(raw[pos + 4 : pos + 4 + size])
        if not isinstance(header, dict) or not isinstance(header.get("keyfile"), dict):
            raise ValueError("no key section")
        body = raw[pos + 4 + size :]
        if int(header["version"]) > BACKUP_VERSION:
            raise BackupInvalid("The backup was made by a newer version of IRO Desktop.")
        if len(body) != int(header["database_bytes"]):
            raise BackupInvalid("The backup file is truncated.")
        if hashlib.sha256(body).hexdigest() != header["database_sha256"]:
            raise BackupInvalid("The backup file is damaged (its checksum does not match).")
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupInvalid(f"The backup file is damaged ({exc}).") from None
    return header, body


# --- restore -------------------------------------------------------------------------------------


def restore(
    paths: DataPaths,
    backup_file: Path,
    login: str,
    passphrase: str,
    *,
    after_open: Callable[[Store], None] | None = None,
    unwrap: Callable[[Keyfile, str, str], bytes] | None = None,
) -> int:
    """Replace the caseload with a verified backup. Returns the number of children restored.

    `unwrap` checks the passphrase against the backup's keys (the vault passes its throttled
    check, so a backup is no way round the growing delay after wrong passphrases).

    The passphrase is the one that was valid when the backup was made. after_open runs on the
    restored caseload once it has opened (the service writes the audit entry there); until
    then the old caseload is kept beside it, and put back if the restored one fails to open.
    """
    header, body = read_backup(backup_file)
    try:
        keyfile = Keyfile.from_json(header["keyfile"])
    except KeyError_ as exc:
        raise BackupInvalid(f"The backup's keys are damaged ({exc}).") from None
    data_key = unwrap(keyfile, login, passphrase) if unwrap else keyfile.unwrap(login, passphrase)
    private_folder(paths.root)
    lock = InstanceLock(paths.lockfile)
    lock.acquire()
    try:
        _finish_switch(paths)  # an earlier restore killed half-way: finish that one first
        tidy(paths)
        _remove_before_restore(paths)  # left by an earlier restore; the caseload is newer
        children = _stage(paths, body, data_key, keyfile)
        crash_point("restore:staged")
        journal = paths.root / JOURNAL
        write_private(journal, json.dumps({"restoring": str(backup_file)}).encode("utf-8"))
        fsync_folder(paths.root)
        crash_point("restore:journal")
        _finish_switch(paths)
        try:
            restored = open_store(paths.database, data_key)
            try:
                if after_open is not None:
                    after_open(restored)
            finally:
                restored.close()
        except BaseException:
            _put_back(paths)
            raise
        crash_point("restore:opened")
        _remove_before_restore(paths)
    finally:
        lock.release()
    return children


def _stage(paths: DataPaths, body: bytes, data_key: bytes, keyfile: Keyfile) -> int:
    """The backup's database and keys beside the caseload, checked and on the disk."""
    staged = paths.root / STAGED_DATABASE
    staged_keys = paths.root / STAGED_KEYS
    try:
        write_private(staged, body)
        check_caseload_file(staged, data_key)
        trial = open_store(staged, data_key)  # brings an older backup's schema up to date
        try:
            with trial.engine.connect() as conn:
                children = int(conn.exec_driver_sql("SELECT count(*) FROM children").scalar() or 0)
        finally:
            trial.close()
        _remove_database_sides(staged)
        fsync_file(staged)
        write_private(staged_keys, json.dumps(keyfile.to_json(), indent=2).encode("utf-8"))
        fsync_folder(paths.root)
    except BaseException:
        remove_database_files(staged)
        remove_quietly(staged_keys)
        raise
    return children


def _kept(paths: DataPaths) -> dict[str, Path]:
    """Where a restore keeps each file of the old caseload until the new one has opened."""
    root, db = paths.root, paths.database.name
    kept = {
        paths.keyfile.name: root / (paths.keyfile.name + BEFORE),
        PENDING_KEYS: root / (PENDING_KEYS + BEFORE),
        db: root / (db + BEFORE),
    }
    # SQLite finds a database's WAL by its name, so the kept WAL is named after the kept file.
    kept.update({db + side: root / (db + BEFORE + side) for side in DATABASE_SIDES})
    return kept


def _finish_switch(paths: DataPaths) -> None:
    """Do whatever is left of a switch the journal records; each step can be repeated."""
    root = paths.root
    journal = root / JOURNAL
    if not journal.exists():
        return
    kept = _kept(paths)
    staged, staged_keys = root / STAGED_DATABASE, root / STAGED_KEYS
    if staged_keys.exists():
        if paths.keyfile.exists() and not kept[paths.keyfile.name].exists():
            copy_private(paths.keyfile, kept[paths.keyfile.name])  # keys.json never goes missing
        if (root / PENDING_KEYS).exists():
            os.replace(root / PENDING_KEYS, kept[PENDING_KEYS])
        crash_point("restore:old-keys-kept")
        os.replace(staged_keys, paths.keyfile)
        crash_point("restore:keys-switched")
    if staged.exists():
        # The old database's WAL goes with it: left behind, it would be read into the new one.
        for side in DATABASE_SIDES:
            name = paths.database.name + side
            if (root / name).exists():
                os.replace(root / name, kept[name])
        if paths.database.exists():
            os.replace(paths.database, kept[paths.database.name])
        remove_quietly(root / (paths.database.name + "-shm"))
        crash_point("restore:old-database-kept")
        os.replace(staged, paths.database)
    fsync_folder(root)
    crash_point("restore:switched")
    journal.unlink()
    fsync_folder(root)


def _put_back(paths: DataPaths) -> None:
    """The restored caseload did not open: the old one (or an empty folder) comes back."""
    remove_database_files(paths.database)
    remove_quietly(paths.keyfile)
    for name, kept in _kept(paths).items():
        if kept.exists():
            os.replace(kept, paths.root / name)
    fsync_folder(paths.root)


def _remove_before_restore(paths: DataPaths) -> None:
    kept = _kept(paths)
    remove_quietly(
        *kept.values(), kept[paths.database.name].with_name(kept[paths.database.name].name + "-shm")
    )


def forget_before_restore(paths: DataPaths) -> None:
    """The caseload has opened: the copy a restore kept of the one before can go."""
    if not (paths.root / JOURNAL).exists():
        _remove_before_restore(paths)


def tidy(paths: DataPaths) -> None:
    """Remove what a killed backup or restore left (the caller holds the caseload's lock)."""
    root = paths.root
    if not root.is_dir():
        return
    if not (root / JOURNAL).exists():
        remove_database_files(root / STAGED_DATABASE)
        remove_quietly(root / STAGED_KEYS)
    for name in (paths.keyfile.name + BEFORE, paths.database.name + BEFORE):
        remove_quietly(root / (name + ".copying"))
    for leftover in root.glob(SNAPSHOT_PREFIX + "*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    record = root / PARTIAL_RECORD
    with contextlib.suppress(OSError, UnicodeDecodeError):
        partial = Path(record.read_text("utf-8").strip())
        if partial.name.endswith(".partial"):
            remove_quietly(partial)
    remove_quietly(record)


def prepare_to_open(paths: DataPaths) -> None:
    """Before reading the key file: finish a restore that was killed half-way, and clear away
    the temporary files of killed backups and restores."""
    if not (paths.keyfile.exists() or (paths.root / JOURNAL).exists()):
        return  # no caseload here (and no restore of one under way): nothing to lock
    lock = InstanceLock(paths.lockfile)
    lock.acquire()
    try:
        _finish_switch(paths)
        tidy(paths)
    finally:
        lock.release()


def _remove_database_sides(db: Path) -> None:
    for side in (*DATABASE_SIDES, "-shm"):
        remove_quietly(db.with_name(db.name + side))


def remove_database_files(db: Path) -> None:
    _remove_database_sides(db)
    remove_quietly(db)


__all__ = [
    "BACKUP_MAGIC",
    "BACKUP_VERSION",
    "BackupInvalid",
    "CaseloadDamaged",
    "backup",
    "check_caseload_file",
    "forget_before_restore",
    "prepare_to_open",
    "read_backup",
    "restore",
    "tidy",
]
