"""Creating, unlocking, re-keying, backing up and restoring the encrypted caseload."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from iro_desktop.paths import DataPaths
from iro_desktop.store.engine import CaseloadDamaged, InstanceLock, Store, StoreError, open_store
from iro_desktop.store.keys import (
    RECOVERY_LOGIN,
    Keyfile,
    UnlockThrottle,
    WrongPassphrase,
    atomic_write,
    new_data_key,
    new_recovery_code,
    normalise_recovery_code,
    sqlcipher_raw_key,
)

BACKUP_MAGIC = b"IRO-DESKTOP-BACKUP\n"
BACKUP_VERSION = 1
MIN_PASSPHRASE = 10


class UnlockThrottled(StoreError):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"Too many wrong passphrases. Wait {int(seconds + 0.999)} seconds before trying again."
        )


class NoCaseload(StoreError):
    pass


class BackupInvalid(StoreError):
    pass


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValueError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE} characters; a few ordinary words "
            "strung together are easy to remember and hard to guess."
        )


@dataclass
class Created:
    store: Store
    recovery_code: str


def create_caseload(paths: DataPaths, login: str, passphrase: str) -> Created:
    """A new, empty, encrypted caseload with one login and a recovery code."""
    check_new_passphrase(passphrase)
    if paths.keyfile.exists() or paths.database.exists():
        raise StoreError(f"There is already a caseload in {paths.root}; nothing was changed.")
    paths.root.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(paths.root, 0o700)
    data_key = new_data_key()
    keyfile = Keyfile(caseload_id=uuid.uuid4().hex)
    keyfile.add_login(login, passphrase, data_key)
    recovery_code = new_recovery_code()
    keyfile.add_login(RECOVERY_LOGIN, recovery_code, data_key)
    try:
        store = open_store(paths.database, data_key, lock_path=paths.lockfile)
    except BaseException:
        _remove_database_files(paths.database)
        raise
    keyfile.save(paths.keyfile)
    return Created(store, recovery_code)


def unlock(paths: DataPaths, login: str, passphrase: str) -> bytes:
    """The data key for this login, or WrongPassphrase (with a growing delay after repeats)."""
    if not paths.keyfile.exists():
        raise NoCaseload(
            f"There is no caseload in {paths.root}. Create one first (iro-desktop init)."
        )
    throttle = UnlockThrottle.load(paths.unlock_state)
    wait = throttle.wait_seconds()
    if wait > 0:
        raise UnlockThrottled(wait)
    keyfile = Keyfile.load(paths.keyfile)
    try:
        key = keyfile.unwrap(login, passphrase)
    except WrongPassphrase:
        throttle.record_failure()
        raise
    throttle.record_success()
    return key


def logins(paths: DataPaths) -> list[str]:
    keyfile = Keyfile.load(paths.keyfile)
    return [name for name in keyfile.logins if name != RECOVERY_LOGIN]


def add_login(paths: DataPaths, data_key: bytes, login: str, passphrase: str) -> None:
    check_new_passphrase(passphrase)
    keyfile = Keyfile.load(paths.keyfile)
    if login in keyfile.logins:
        raise ValueError(f"There is already a login called '{login}'.")
    keyfile.add_login(login, passphrase, data_key)
    keyfile.save(paths.keyfile)


def change_passphrase(paths: DataPaths, login: str, old: str, new: str) -> None:
    """Re-wrap the data key under a new passphrase. The database file is not touched."""
    check_new_passphrase(new)
    keyfile = Keyfile.load(paths.keyfile)
    data_key = keyfile.unwrap(login, old)
    keyfile.add_login(login, new, data_key)
    keyfile.save(paths.keyfile)


def reset_passphrase_with_recovery_code(paths: DataPaths, login: str, code: str, new: str) -> None:
    """The written recovery route for a forgotten passphrase."""
    check_new_passphrase(new)
    keyfile = Keyfile.load(paths.keyfile)
    data_key = keyfile.unwrap(RECOVERY_LOGIN, normalise_recovery_code(code))
    keyfile.add_login(login, new, data_key)
    keyfile.save(paths.keyfile)


def rekey(paths: DataPaths, store: Store, login: str, passphrase: str) -> tuple[Store, str]:
    """Re-encrypt the whole file under a fresh data key; returns the re-opened store and a
    new recovery code.

    Other local logins are removed, since their passphrases are not known here; their owners
    set them up again. If anything fails before the new key file is written, the old key
    still opens the file (SQLCipher's rekey is one transaction).
    """
    keyfile = Keyfile.load(paths.keyfile)
    keyfile.unwrap(login, passphrase)  # proves the person may do this
    old_key = _current_key_of(store)
    new_key = new_data_key()
    fresh = Keyfile(caseload_id=keyfile.caseload_id, key_generation=keyfile.key_generation + 1)
    fresh.add_login(login, passphrase, new_key)
    code = new_recovery_code()
    fresh.add_login(RECOVERY_LOGIN, code, new_key)
    # Written first, so a crash mid-rekey leaves a key file that opens whichever key won.
    pending = _pending_keyfile(paths)
    fresh.save(pending)
    store.close()
    conn = sqlcipher3.connect(str(paths.database), isolation_level=None)
    try:
        conn.set_key(sqlcipher_raw_key(old_key))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.reset_key(sqlcipher_raw_key(new_key))
    finally:
        conn.close()
    # Verify before the new wrapping replaces the old: re-open with the new key.
    reopened = open_unlocked(paths, new_key)
    os.replace(pending, paths.keyfile)
    return reopened, code


def _pending_keyfile(paths: DataPaths) -> Path:
    return paths.keyfile.with_name(paths.keyfile.name + ".pending")


def unlock_and_open(paths: DataPaths, login: str, passphrase: str) -> Store:
    """Unlock and open; finishes a rekey that a crash interrupted, whichever key won."""
    data_key = unlock(paths, login, passphrase)
    pending = _pending_keyfile(paths)
    try:
        store = open_unlocked(paths, data_key)
    except CaseloadDamaged:
        if not pending.exists():
            raise
        new_key = Keyfile.load(pending).unwrap(login, passphrase)
        store = open_unlocked(paths, new_key)
        os.replace(pending, paths.keyfile)
        return store
    if pending.exists():
        pending.unlink()  # the rekey never reached the file; the old key is still the key
    return store


def _current_key_of(store: Store) -> bytes:
    key = store.data_key
    if key is None:
        raise StoreError("The open caseload's key is not available; lock and unlock, then retry.")
    return key


# --- backup and restore ----------------------------------------------------------------------


def backup(paths: DataPaths, store: Store, out: Path) -> dict[str, Any]:
    """One file: a header with the wrapped keys, then an encrypted copy of the database.

    The copy is made with SQLite's online backup into a fresh SQLCipher file keyed with the same
    data key, so it is consistent even while the program is in use and never decrypted on disk.
    """
    data_key = _current_key_of(store)
    keyfile = Keyfile.load(paths.keyfile)
    with tempfile.TemporaryDirectory(dir=paths.root, prefix=".backup-") as tmp:
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
    tmp_out = out.with_name(out.name + ".partial")
    with open(tmp_out, "wb") as fh:
        fh.write(BACKUP_MAGIC)
        fh.write(len(header_bytes).to_bytes(4, "big"))
        fh.write(header_bytes)
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp_out, out)
    return header


def read_backup(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BackupInvalid(f"The backup file cannot be read ({exc}).") from None
    if not raw.startswith(BACKUP_MAGIC):
        raise BackupInvalid(f"{path} is not an IRO Desktop backup.")
    pos = len(BACKUP_MAGIC)
    try:
        size = int.from_bytes(raw[pos : pos + 4], "big")
        header = json.loads(raw[pos + 4 : pos + 4 + size])
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


def restore(paths: DataPaths, backup_file: Path, login: str, passphrase: str) -> int:
    """Replace the caseload with a verified backup. Returns the number of children restored.

    The passphrase is the one that was valid when the backup was made. The current caseload
    is kept beside it (caseload.db.before-restore) until the restored one has opened cleanly.
    """
    header, body = read_backup(backup_file)
    keyfile = Keyfile.from_json(header["keyfile"])
    data_key = keyfile.unwrap(login, passphrase)
    paths.root.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(paths.lockfile)
    lock.acquire()
    try:
        staging = paths.root / "caseload.db.restoring"
        staging.write_bytes(body)
        try:
            trial = open_store(staging, data_key)  # integrity check + migrations
            from sqlalchemy import text

            with trial.engine.connect() as conn:
                children = int(conn.execute(text("SELECT count(*) FROM children")).scalar() or 0)
            trial.close()
        except BaseException:
            _remove_database_files(staging)
            raise
        if paths.database.exists():
            _remove_database_files(paths.root / "caseload.db.before-restore")
            shutil.copy2(paths.database, paths.root / "caseload.db.before-restore")
        _remove_database_files(paths.database, keep_main=True)
        os.replace(staging, paths.database)
        _remove_database_files(staging)
        atomic_write(paths.keyfile, json.dumps(keyfile.to_json(), indent=2).encode("utf-8"))
        _remove_database_files(paths.root / "caseload.db.before-restore")
    finally:
        lock.release()
    return children


def _remove_database_files(db: Path, *, keep_main: bool = False) -> None:
    names = [db.name + "-wal", db.name + "-shm", db.name + "-journal"]
    if not keep_main:
        names.append(db.name)
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            (db.parent / name).unlink()


def open_unlocked(paths: DataPaths, data_key: bytes) -> Store:
    if not paths.database.exists():
        raise CaseloadDamaged(
            f"The caseload database is missing from {paths.root}, though its key file is there. "
            "Restore it from a backup."
        )
    return open_store(paths.database, data_key, lock_path=paths.lockfile)
