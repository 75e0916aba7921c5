"""Creating, unlocking, re-keying, backing up and restoring the encrypted caseload."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from iro_desktop.paths import DataPaths
from iro_desktop.store import backups, rekeying
from iro_desktop.store.backups import BACKUP_MAGIC as BACKUP_MAGIC
from iro_desktop.store.backups import BACKUP_VERSION as BACKUP_VERSION
from iro_desktop.store.backups import BackupInvalid as BackupInvalid
from iro_desktop.store.engine import CaseloadDamaged, Store, StoreError, open_store
from iro_desktop.store.keys import (
    RECOVERY_LOGIN,
    Keyfile,
    UnknownLogin,
    UnlockStateDamaged,
    UnlockThrottle,
    WrongCurrentPassphrase,
    WrongPassphrase,
    WrongRecoveryCode,
    new_data_key,
    new_recovery_code,
    normalise_passphrase,
    normalise_recovery_code,
)

MIN_PASSPHRASE = 10


class UnlockThrottled(StoreError):
    def __init__(self, seconds: float, words: str = "") -> None:
        self.seconds = seconds
        whole = int(seconds + 0.999)
        wait = f"{whole} second" if whole == 1 else f"{whole} seconds"
        super().__init__((words or UNLOCKING.throttled).format(wait=wait))


@dataclass(frozen=True)
class SecretCheck:
    """One kind of secret check, in its own words; all share one count of wrong tries."""

    wrong: type[WrongPassphrase]
    throttled: str  # {wait} becomes "12 seconds"


UNLOCKING = SecretCheck(
    WrongPassphrase, "Too many wrong passphrases. Wait {wait} before trying again."
)
CHANGING = SecretCheck(
    WrongCurrentPassphrase,
    "Too many wrong passphrases. Wait {wait} before trying again; the passphrase was not changed.",
)
RECOVERING = SecretCheck(
    WrongRecoveryCode,
    "Too many wrong tries. Wait {wait} before trying the recovery code again; no passphrase "
    "was set.",
)


class NoCaseload(StoreError):
    pass


def check_new_passphrase(passphrase: str) -> None:
    """A new passphrase, judged as it will be stored: normalised (NFC), spaces not counted."""
    if not passphrase.strip():
        raise ValueError("A passphrase of only spaces cannot protect a caseload; type words.")
    if len(normalise_passphrase(passphrase).strip()) < MIN_PASSPHRASE:
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
    keyfile = Keyfile.load(paths.keyfile)
    _require_login(keyfile, login)
    return unwrap_checked(paths, keyfile, login, passphrase, UNLOCKING)


def unwrap_checked(
    paths: DataPaths, keyfile: Keyfile, wrapping: str, secret: str, check: SecretCheck
) -> bytes:
    """Every check of a person's secret comes here: the same growing delay for all of them,
    each failure in its own words. `wrapping` is a login, or RECOVERY_LOGIN for the code."""
    throttle = UnlockThrottle.load(paths.unlock_state)
    if throttle.problem:
        problem = throttle.problem
        fresh = throttle.start_afresh()
        raise UnlockStateDamaged(
            f"The record of wrong tries {paths.unlock_state} {problem}; "
            + (
                "it has been started afresh. Nothing else changed: try again."
                if fresh
                else "it cannot be rewritten. Delete it (it holds no caseload data), try again."
            )
        )
    wait = throttle.wait_seconds()
    if wait > 0:
        raise UnlockThrottled(wait, check.throttled)
    try:
        key = keyfile.unwrap(wrapping, secret)
    except WrongPassphrase:
        throttle.record_failure()
        raise check.wrong() from None
    throttle.record_success()
    return key


def _require_login(keyfile: Keyfile, login: str) -> None:
    """A person's login that exists (the recovery code's wrapping is not a login)."""
    if login not in keyfile.logins or login == RECOVERY_LOGIN:
        raise UnknownLogin(
            f"There is no login called '{login}' for this caseload, so nothing was changed."
        )


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


def check_current_passphrase(paths: DataPaths, login: str, current: str) -> bytes:
    """The data key, if `current` is this login's passphrase (throttled like unlock)."""
    keyfile = Keyfile.load(paths.keyfile)
    _require_login(keyfile, login)
    return unwrap_checked(paths, keyfile, login, current, CHANGING)


def change_passphrase(paths: DataPaths, login: str, old: str, new: str) -> bytes:
    """Re-wrap the data key under a new passphrase. The database file is not touched.
    Returns the data key (for the audit entry)."""
    check_new_passphrase(new)
    keyfile = Keyfile.load(paths.keyfile)
    _require_login(keyfile, login)
    data_key = unwrap_checked(paths, keyfile, login, old, CHANGING)
    keyfile.add_login(login, new, data_key)
    keyfile.save(paths.keyfile)
    return data_key


def check_recovery_code(paths: DataPaths, login: str, code: str) -> bytes:
    """The data key, if `code` is the recovery code and `login` exists (throttled)."""
    keyfile = Keyfile.load(paths.keyfile)
    _require_login(keyfile, login)
    return unwrap_checked(paths, keyfile, RECOVERY_LOGIN, normalise_recovery_code(code), RECOVERING)


def reset_passphrase_with_recovery_code(paths: DataPaths, login: str, code: str, new: str) -> bytes:
    """The written recovery route for a forgotten passphrase: an existing login only (a new
    login is added by someone who has unlocked the caseload). Returns the data key."""
    check_new_passphrase(new)
    keyfile = Keyfile.load(paths.keyfile)
    _require_login(keyfile, login)
    data_key = unwrap_checked(
        paths, keyfile, RECOVERY_LOGIN, normalise_recovery_code(code), RECOVERING
    )
    keyfile.add_login(login, new, data_key)
    keyfile.save(paths.keyfile)
    return data_key


def rekey(paths: DataPaths, store: Store, login: str, passphrase: str) -> tuple[Store, str]:
    """Re-encrypt the whole file under a fresh data key; returns the re-opened store and a
    new recovery code, which the caller shows and then reports with recovery_code_shown.

    Other local logins are removed, since their passphrases are not known here; their owners
    set them up again. A crash at any moment is finished or undone at the next unlock
    (store/rekeying.py).
    """
    # The same growing delay after wrong passphrases as every other check of a secret.
    unwrap_checked(paths, Keyfile.load(paths.keyfile), login, passphrase, CHANGING)
    return rekeying.rekey(paths, store, login, passphrase, _current_key_of(store))


InterruptedRekey = rekeying.InterruptedRekey
recovery_code_shown = rekeying.recovery_code_shown
prepare_to_open = backups.prepare_to_open


@dataclass
class Opened:
    store: Store
    interrupted_rekey: InterruptedRekey | None = None


def unlock_and_open(paths: DataPaths, login: str, passphrase: str) -> Opened:
    """Unlock and open. First finishes a restore, and finishes or undoes a rekey, that a crash
    interrupted; the result says which, with any recovery code the IRO has yet to see."""
    backups.prepare_to_open(paths)
    data_key = unlock(paths, login, passphrase)
    check_database_present(paths)
    data_key, interrupted = rekeying.settle(paths, data_key, login, passphrase)
    store = open_unlocked(paths, data_key)
    backups.forget_before_restore(paths)
    return Opened(store, interrupted)


def open_remembered(paths: DataPaths, data_key: bytes) -> Store:
    """Open with the key remembered on this device. Without a passphrase an interrupted rekey
    cannot be finished; it is, at the next unlock with one."""
    check_database_present(paths)
    if rekeying.pending_path(paths).exists() and not rekeying.key_opens(
        paths.database, rekeying.key_for_database(paths, data_key)
    ):
        raise WrongPassphrase()  # remembered before a rekey: the window asks for the passphrase
    store = open_unlocked(paths, data_key)
    backups.forget_before_restore(paths)
    return store


def _current_key_of(store: Store) -> bytes:
    key = store.data_key
    if key is None:
        raise StoreError("The open caseload's key is not available; lock and unlock, then retry.")
    return key


# --- backup and restore: iro_desktop/store/backups.py ----------------------------------------

backup = backups.backup
read_backup = backups.read_backup


def restore(
    paths: DataPaths,
    backup_file: Path,
    login: str,
    passphrase: str,
    *,
    after_open: Callable[[Store], None] | None = None,
) -> int:
    """Replace the caseload with a verified backup (store/backups.py); the passphrase for the
    backup is checked with the same growing delay as an unlock."""
    return backups.restore(
        paths,
        backup_file,
        login,
        passphrase,
        after_open=after_open,
        unwrap=lambda keyfile, who, secret: unwrap_checked(paths, keyfile, who, secret, UNLOCKING),
    )


def _remove_database_files(db: Path) -> None:
    backups.remove_database_files(db)


def open_unlocked(paths: DataPaths, data_key: bytes) -> Store:
    """Open with a data key; changes no key file (rekeying.settle does that)."""
    check_database_present(paths)
    key = rekeying.key_for_database(paths, data_key)
    return open_store(paths.database, key, lock_path=paths.lockfile)


def check_database_present(paths: DataPaths) -> None:
    """A key file says a caseload exists: a missing or empty database is damage (a power cut
    after an unsynced replace can leave 0 bytes), never a new caseload to create."""
    if not paths.database.exists():
        state = "missing"
    elif paths.database.stat().st_size == 0:
        state = "empty (0 bytes)"
    else:
        return
    raise CaseloadDamaged(
        f"The caseload database in {paths.root} is {state} though its key file is there, so "
        "the caseload is damaged; nothing was opened or created. Restore it from a backup."
    )
