"""Creating, unlocking and locking a caseload; who is logged in; change of passphrase, rekey,
backup and restore."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iro_desktop import credentials
from iro_desktop.clock import Clock, SystemClock
from iro_desktop.domain.profile import PracticeProfile
from iro_desktop.paths import DataPaths
from iro_desktop.settings import Settings, practice_profile
from iro_desktop.store import DbSession as Session
from iro_desktop.store import repositories as repo
from iro_desktop.store import vault
from iro_desktop.store.engine import Store, StoreError
from iro_desktop.store.keys import KeyError_, Keyfile, WrongPassphrase

# Errors a person can act on: the CLI prints them in one line, the window in a message box.
AccessError = (StoreError, KeyError_, ValueError)

__all__ = [
    "AccessError",
    "CaseloadSession",
    "WrongPassphrase",
    "create_caseload",
    "open_caseload",
]


@dataclass
class CaseloadSession:
    """An unlocked caseload and the person using it."""

    paths: DataPaths
    store: Store
    username: str
    clock: Clock = field(default_factory=SystemClock)
    settings: Settings = field(default_factory=Settings)
    # One line about settings.toml values that could not be used ("" when all were fine).
    settings_problem: str = ""
    # Set when this unlock finished a re-encryption a crash interrupted: the new recovery code,
    # to be shown once (take_new_recovery_code) since the old one no longer works.
    new_recovery_code: str | None = None

    def take_new_recovery_code(self) -> str | None:
        code, self.new_recovery_code = self.new_recovery_code, None
        return code

    def recovery_code_shown(self) -> None:
        """The IRO has seen the new recovery code (after a rekey, or an unlock that finished
        one); until this is called, the next unlock shows it again."""
        vault.recovery_code_shown(self.paths)

    @property
    def profile(self) -> PracticeProfile:
        return practice_profile(self.settings.profile)

    @property
    def is_open(self) -> bool:
        return self.store.is_open

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        if not self.store.is_open:
            raise StoreError("The caseload is locked. Unlock it to carry on.")
        with self.store.session() as session:
            yield session

    def audit(
        self, session: Session, action: str, entity: str, entity_id: str, detail: str = ""
    ) -> None:
        repo.audit(
            session,
            at=self.clock.now().replace(tzinfo=None),
            username=self.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )

    @property
    def user(self) -> dict[str, str]:
        with self.unit_of_work() as s:
            user = repo.get_user(s, self.username)
        return user or {"username": self.username, "display_name": self.username, "role": "iro"}

    @property
    def is_manager(self) -> bool:
        return self.user.get("role") == "manager"

    def now(self) -> Any:
        return self.clock.now().replace(tzinfo=None)

    # --- the lock checklist's store part ---------------------------------------------------

    def lock(self) -> None:
        """Close the database and drop the key. The window does the rest of the checklist."""
        self.store.close()

    def save_settings(self) -> None:
        self.settings.validated().save(self.paths.settings)

    # --- keys ----------------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> None:
        change_passphrase(self.paths, self.username, old, new, session=self)

    def rekey(self, passphrase: str) -> str:
        new_store, code = vault.rekey(self.paths, self.store, self.username, passphrase)
        self.store = new_store
        credentials.forget_key(Keyfile.load(self.paths.keyfile).caseload_id, self.username)
        with self.unit_of_work() as s:
            self.audit(s, "update", "caseload", "keys", "re-encrypted under a new data key")
        return code

    def backup(self, out: Path) -> dict[str, Any]:
        header = vault.backup(self.paths, self.store, out)
        with self.unit_of_work() as s:
            self.audit(s, "export", "caseload", "backup", str(out))
        return header

    def add_login(self, username: str, display_name: str, role: str, passphrase: str) -> None:
        if role not in ("iro", "manager"):
            raise ValueError("A login's role is iro or manager.")
        assert self.store.data_key is not None
        with self.unit_of_work() as s:
            repo.add_user(
                s, username=username, display_name=display_name, role=role, now=self.now()
            )
            self.audit(s, "create", "login", username, role)
            vault.add_login(self.paths, self.store.data_key, username, passphrase)

    def remember_on_this_device(self) -> None:
        assert self.store.data_key is not None
        caseload_id = Keyfile.load(self.paths.keyfile).caseload_id
        credentials.remember_key(caseload_id, self.username, self.store.data_key)


def create_caseload(
    paths: DataPaths,
    username: str,
    passphrase: str,
    *,
    display_name: str = "",
    role: str = "iro",
    clock: Clock | None = None,
    settings: Settings | None = None,
) -> tuple[CaseloadSession, str]:
    """A new caseload; returns the session and the recovery code to write down."""
    username = username.strip()
    if not username:
        raise ValueError("Give a login name (for example your initials).")
    created = vault.create_caseload(paths, username, passphrase)
    settings = settings or Settings()
    settings.last_login = username
    settings.save(paths.settings)
    session = CaseloadSession(paths, created.store, username, clock or SystemClock(), settings)
    with session.unit_of_work() as s:
        repo.add_user(
            s,
            username=username,
            display_name=display_name or username,
            role=role,
            now=session.now(),
        )
        session.audit(s, "create", "caseload", "caseload", "caseload created")
    return session, created.recovery_code


# --- passphrases: one way in for the window and the command line, each change audited -------


def change_passphrase(
    paths: DataPaths,
    login: str,
    current: str,
    new: str,
    *,
    session: CaseloadSession | None = None,
    clock: Clock | None = None,
) -> None:
    """Re-wrap the key under a new passphrase and record it in the audit trail.

    The window passes its open session; the command line has none, so the caseload is opened
    just long enough to record the change (and a caseload that cannot be opened, or is open
    elsewhere, is refused before anything changes).
    """
    if session is None:
        vault.check_new_passphrase(new)
        data_key = vault.check_current_passphrase(paths, login, current)
        with _opened_briefly(paths, data_key, login, clock) as opened:
            change_passphrase(paths, login, current, new, session=opened)
        return
    vault.change_passphrase(paths, login, current, new)
    with session.unit_of_work() as s:
        session.audit(s, "update", "login", login, "passphrase changed")


def reset_passphrase(
    paths: DataPaths, login: str, recovery_code: str, new: str, *, clock: Clock | None = None
) -> None:
    """The recovery route for a forgotten passphrase: an existing login only, audited."""
    vault.check_new_passphrase(new)
    data_key = vault.check_recovery_code(paths, login, recovery_code)
    with _opened_briefly(paths, data_key, login, clock) as opened:
        vault.reset_passphrase_with_recovery_code(paths, login, recovery_code, new)
        with opened.unit_of_work() as s:
            opened.audit(
                s,
                "update",
                "login",
                login,
                "passphrase reset with the recovery code (an existing login; none created)",
            )


def restore_backup(
    paths: DataPaths,
    backup_file: Path,
    login: str,
    passphrase: str,
    *,
    clock: Clock | None = None,
) -> int:
    """Replace the caseload with a verified backup; returns the number of children restored.

    One way in for the window and the command line: the restore is recorded in the restored
    caseload's audit trail (the trail that survives it) before the old caseload is let go.
    The caseload must be locked first.
    """
    backup_file = Path(backup_file)

    def record(store: Store) -> None:
        restored = CaseloadSession(paths, store, login, clock or SystemClock())
        with restored.unit_of_work() as s:
            restored.audit(
                s, "restore", "caseload", "caseload", f"replaced by the backup {backup_file}"
            )

    return vault.restore(paths, backup_file, login, passphrase, after_open=record)


@contextlib.contextmanager
def _opened_briefly(
    paths: DataPaths, data_key: bytes, login: str, clock: Clock | None
) -> Iterator[CaseloadSession]:
    session = CaseloadSession(
        paths, vault.open_unlocked(paths, data_key), login, clock or SystemClock()
    )
    try:
        yield session
    finally:
        session.lock()


def open_caseload(
    paths: DataPaths,
    username: str,
    passphrase: str | None,
    *,
    clock: Clock | None = None,
) -> CaseloadSession:
    """Unlock with a passphrase, or with the key remembered in the OS keyring (passphrase None)."""
    interrupted: vault.InterruptedRekey | None = None
    if passphrase is None:
        # A restore killed half-way is finished before keys.json is read.
        vault.prepare_to_open(paths)
        caseload_id = Keyfile.load(paths.keyfile).caseload_id
        key = credentials.remembered_key(caseload_id, username)
        if key is None:
            raise WrongPassphrase()
        store = vault.open_remembered(paths, key)
    else:
        opened = vault.unlock_and_open(paths, username, passphrase)
        store, interrupted = opened.store, opened.interrupted_rekey
    settings, problem = Settings.read(paths.settings)
    # A settings file with a problem is left as it is (the IRO may want to mend it by hand).
    if settings.last_login != username and not problem:
        settings.last_login = username
        with contextlib.suppress(OSError):
            settings.save(paths.settings)
    session = CaseloadSession(paths, store, username, clock or SystemClock(), settings, problem)
    with session.unit_of_work() as s:
        session.audit(s, "open", "caseload", "caseload", "unlocked")
        if interrupted is not None:
            session.audit(s, "update", "caseload", "keys", interrupted.describe())
    if interrupted is not None and interrupted.recovery_code:
        session.new_recovery_code = interrupted.recovery_code
    return session
