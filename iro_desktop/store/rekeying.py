"""Rekeying: re-encrypting the caseload under a fresh data key, safe against a crash at any
moment.

The rekey writes keys.json.pending first. Until keys.json holds the new key, the pending file
holds the new key and the new recovery code sealed under the old data key, so whatever opens
keys.json (any login's passphrase, one changed since, the old recovery code) can finish or undo
a rekey that a crash interrupted. Once keys.json holds the new key, the pending file keeps only
the new recovery code, sealed under the new key, until the IRO has been shown it: a crash
before that shows the code at the next unlock instead of losing it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from iro_desktop.paths import DataPaths
from iro_desktop.store.engine import Store, open_store
from iro_desktop.store.errors import CaseloadDamaged, StoreError
from iro_desktop.store.files import crash_point, fsync_folder, remove_quietly, write_private
from iro_desktop.store.keys import (
    RECOVERY_LOGIN,
    KeyError_,
    Keyfile,
    new_data_key,
    new_recovery_code,
    sqlcipher_raw_key,
)


@dataclass(frozen=True)
class InterruptedRekey:
    """What an unlock did about a rekey that a crash interrupted."""

    finished: bool  # True: the new key is the key now; False: undone, the old key still is
    recovery_code: str | None = None  # the new code, to show the IRO (finished only)

    def describe(self) -> str:
        if self.finished and self.recovery_code:
            return "an interrupted re-encryption was finished; the new recovery code was shown"
        if self.finished:
            return "an interrupted re-encryption was finished"
        return "an interrupted re-encryption was undone; the old key and recovery code still work"


def pending_path(paths: DataPaths) -> Path:
    return paths.keyfile.with_name(paths.keyfile.name + ".pending")


def rekey(
    paths: DataPaths, store: Store, login: str, passphrase: str, old_key: bytes
) -> tuple[Store, str]:
    """Re-encrypt the file under a fresh data key; returns the re-opened store and the new
    recovery code. The caller shows the code, then calls recovery_code_shown."""
    keyfile = Keyfile.load(paths.keyfile)
    keyfile.unwrap(login, passphrase)  # proves the person may do this
    new_key = new_data_key()
    fresh = Keyfile(caseload_id=keyfile.caseload_id, key_generation=keyfile.key_generation + 1)
    fresh.add_login(login, passphrase, new_key)
    code = new_recovery_code()
    fresh.add_login(RECOVERY_LOGIN, code, new_key)
    pending = pending_path(paths)
    shown_later = _seal(new_key, _code_aad(fresh), {"recovery_code": code})
    _write_pending(
        pending,
        keyfile=fresh.to_json(),
        sealed=_seal(old_key, _rekey_aad(keyfile), {"new_key": new_key.hex(), "code": code}),
        sealed_code=shown_later,
    )
    crash_point("rekey:pending-written")
    store.close()
    conn = sqlcipher3.connect(str(paths.database), isolation_level=None)
    try:
        conn.set_key(sqlcipher_raw_key(old_key))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.reset_key(sqlcipher_raw_key(new_key))
    finally:
        conn.close()
    crash_point("rekey:re-encrypted")
    # Verify before the new wrapping replaces the old: re-open with the new key.
    reopened = open_store(paths.database, new_key, lock_path=paths.lockfile)
    crash_point("rekey:verified")
    fresh.save(paths.keyfile)
    crash_point("rekey:keys-written")
    # The old key no longer leads anywhere: only the code, under the new key, stays.
    _write_pending(pending, sealed_code=shown_later)
    fsync_folder(paths.root)
    crash_point("rekey:code-not-yet-shown")
    return reopened, code


def recovery_code_shown(paths: DataPaths) -> None:
    """The IRO has seen the new recovery code: nothing of the rekey needs keeping."""
    remove_quietly(pending_path(paths))
    fsync_folder(paths.root)


def settle(
    paths: DataPaths, data_key: bytes, login: str, secret: str
) -> tuple[bytes, InterruptedRekey | None]:
    """Finish or undo a rekey that a crash interrupted, given the key that keys.json opened
    with login and secret. Returns the key that opens the database now, and what was done."""
    pending = pending_path(paths)
    if not pending.exists():
        return data_key, None
    doc = _read_pending(pending)
    keyfile = Keyfile.load(paths.keyfile)
    if key_opens(paths.database, data_key):
        unshown = _unseal(data_key, _code_aad(keyfile), doc.get("sealed_code"))
        if unshown is not None:  # finished, but the code may never have reached the IRO
            return data_key, InterruptedRekey(True, unshown["recovery_code"])
        undone = _unseal(data_key, _rekey_aad(keyfile), doc.get("sealed")) is not None
        recovery_code_shown(paths)  # the rekey never reached the file: nothing to keep
        return data_key, InterruptedRekey(False) if undone else None
    if "logins" in doc:
        # Written by an earlier version: the new key file itself, under the same passphrase.
        fresh = Keyfile.from_json(doc)
        new_key = fresh.unwrap(login, secret)
        code = None
    else:
        found = _unseal(data_key, _rekey_aad(keyfile), doc.get("sealed"))
        if found is None or not isinstance(doc.get("keyfile"), dict):
            raise CaseloadDamaged(
                f"The caseload does not open with its key, and {pending.name} does not belong "
                "to that key. Restore the caseload from a backup."
            )
        fresh = Keyfile.from_json(doc["keyfile"])
        new_key, code = bytes.fromhex(found["new_key"]), found["code"]
    if not key_opens(paths.database, new_key):
        raise CaseloadDamaged(
            "The caseload opens with neither its old nor its new key after an interrupted "
            "re-encryption. Restore it from a backup."
        )
    if login != RECOVERY_LOGIN:
        # The secret that opened keys.json opens the new key too: it may have been changed
        # since the rekey began (change-passphrase, or a reset with the recovery code).
        fresh.add_login(login, secret, new_key)
    fresh.save(paths.keyfile)
    crash_point("rekey-settle:keys-written")
    if code is None:
        recovery_code_shown(paths)
        return new_key, InterruptedRekey(True)
    _write_pending(pending, sealed_code=_seal(new_key, _code_aad(fresh), {"recovery_code": code}))
    fsync_folder(paths.root)
    return new_key, InterruptedRekey(True, code)


def key_for_database(paths: DataPaths, data_key: bytes) -> bytes:
    """The key that opens the file, given the one keys.json gave: after an interrupted rekey
    that is the new key, sealed under the old one in the pending file. Changes no file."""
    pending = pending_path(paths)
    if not pending.exists() or key_opens(paths.database, data_key):
        return data_key
    try:
        keyfile = Keyfile.load(paths.keyfile)
    except KeyError_:
        return data_key
    found = _unseal(data_key, _rekey_aad(keyfile), _read_pending(pending).get("sealed"))
    return bytes.fromhex(found["new_key"]) if found else data_key


def key_opens(database: Path, key: bytes) -> bool:
    if not database.exists() or database.stat().st_size == 0:
        return False
    conn = sqlcipher3.connect(str(database), isolation_level=None)
    try:
        conn.set_key(sqlcipher_raw_key(key))
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is an answer, not news
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _rekey_aad(old: Keyfile) -> bytes:
    return f"iro-desktop:{old.caseload_id}:rekey-from:{old.key_generation}".encode()


def _code_aad(new: Keyfile) -> bytes:
    return f"iro-desktop:{new.caseload_id}:recovery-code:{new.key_generation}".encode()


def _seal(key: bytes, aad: bytes, secret: dict[str, str]) -> dict[str, str]:
    nonce = secrets.token_bytes(12)
    box = AESGCM(key).encrypt(nonce, json.dumps(secret).encode(), aad)
    return {"nonce": nonce.hex(), "box": box.hex()}


def _unseal(key: bytes, aad: bytes, sealed: Any) -> dict[str, str] | None:
    """What was sealed, or None if it was not sealed under this key (or there is nothing)."""
    try:
        plain = AESGCM(key).decrypt(
            bytes.fromhex(sealed["nonce"]), bytes.fromhex(sealed["box"]), aad
        )
        found = json.loads(plain)
        return {str(k): str(v) for k, v in found.items()}
    except (InvalidTag, KeyError, TypeError, ValueError, AttributeError):
        return None


def _write_pending(pending: Path, **parts: Any) -> None:
    write_private(pending, json.dumps({"pending_rekey": 1, **parts}).encode("utf-8"))


def _read_pending(pending: Path) -> dict[str, Any]:
    try:
        doc = json.loads(pending.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


__all__ = [
    "InterruptedRekey",
    "StoreError",
    "key_for_database",
    "key_opens",
    "pending_path",
    "recovery_code_shown",
    "rekey",
    "settle",
]
