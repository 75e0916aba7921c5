"""What the window needs beyond the caseload use cases: which caseload is there, who can
unlock it, the delay after wrong passphrases, the keyring, restore, drafts, and the errors a
person can act on (so the UI never imports the store to catch them).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from iro_desktop import credentials
from iro_desktop.clock import Clock
from iro_desktop.credentials import KeyringUnavailable
from iro_desktop.paths import DataPaths, data_paths
from iro_desktop.services import caseload as caseload_service
from iro_desktop.services.access import CaseloadSession, create_caseload, open_caseload
from iro_desktop.services.caseload import CaseloadRow
from iro_desktop.settings import Settings, available_profiles, practice_profile
from iro_desktop.store import repositories as repo
from iro_desktop.store import vault
from iro_desktop.store.engine import (
    CaseloadDamaged,
    CaseloadInUse,
    CaseloadTooNew,
    DiskFull,
    StoreError,
)
from iro_desktop.store.keys import KeyError_, KeyfileDamaged, UnknownLogin, WrongPassphrase
from iro_desktop.store.repositories import NotFound
from iro_desktop.store.vault import BackupInvalid, NoCaseload, UnlockThrottled

__all__ = [
    "BackupInvalid",
    "CaseloadDamaged",
    "CaseloadEntry",
    "CaseloadInUse",
    "CaseloadTooNew",
    "DEMO_PASSPHRASE",
    "DiskFull",
    "KeyError_",
    "KeyfileDamaged",
    "KeyringUnavailable",
    "NoCaseload",
    "NotFound",
    "StoreError",
    "UnknownLogin",
    "UnlockThrottled",
    "WrongPassphrase",
]

# Printed on the demo banner: the demo caseload holds only invented children.
DEMO_PASSPHRASE = "demo caseload passphrase"
DEMO_LOGIN = "demo"
DEMO_NAME = "Demo IRO"
# The demo's manager, so sign-off can be tried: log in as them from the unlock screen.
DEMO_MANAGER_PASSPHRASE = "demo manager passphrase"


# --- before unlocking ---------------------------------------------------------------------


def caseload_exists(paths: DataPaths) -> bool:
    return paths.keyfile.exists()


def known_logins(paths: DataPaths) -> list[str]:
    """Login names that can unlock this caseload (not the recovery code)."""
    try:
        return vault.logins(paths)
    except KeyError_:
        return []


def keyfile_problem(paths: DataPaths) -> str:
    """One line about a key file that cannot be used ("" when it can), before unlocking."""
    from iro_desktop.store.keys import Keyfile

    try:
        Keyfile.load(paths.keyfile)
    except KeyError_ as exc:
        return str(exc)
    return ""


def last_login(paths: DataPaths) -> str:
    return Settings.load(paths.settings).last_login


def unlock_wait_seconds(paths: DataPaths) -> float:
    """Seconds before another passphrase may be tried (0 when free to try)."""
    from iro_desktop.store.keys import UnlockThrottle

    return UnlockThrottle.load(paths.unlock_state).wait_seconds()


def unlock(
    paths: DataPaths, login: str, passphrase: str | None, clock: Clock | None = None
) -> CaseloadSession:
    """Unlock with a passphrase, or with the key remembered on this device (passphrase None)."""
    return open_caseload(paths, login, passphrase, clock=clock)


def has_remembered_key(paths: DataPaths, login: str) -> bool:
    try:
        from iro_desktop.store.keys import Keyfile

        caseload_id = Keyfile.load(paths.keyfile).caseload_id
    except KeyError_:
        return False
    return credentials.remembered_key(caseload_id, login) is not None


def forget_remembered_key(paths: DataPaths, login: str) -> None:
    from iro_desktop.store.keys import Keyfile

    with contextlib.suppress(KeyError_):
        credentials.forget_key(Keyfile.load(paths.keyfile).caseload_id, login)


def check_new_passphrase(passphrase: str) -> None:
    vault.check_new_passphrase(passphrase)


def profile_names() -> dict[str, str]:
    """Practice profile key -> the service's name, for a chooser."""
    names = {}
    for key in available_profiles():
        try:
            names[key] = practice_profile(key).name
        except ValueError:
            continue
    return names


def new_caseload(
    paths: DataPaths,
    login: str,
    passphrase: str,
    display_name: str,
    profile: str,
    clock: Clock | None = None,
) -> tuple[CaseloadSession, str]:
    settings = Settings(profile=profile).validated()
    return create_caseload(
        paths, login, passphrase, display_name=display_name, clock=clock, settings=settings
    )


def reset_passphrase(paths: DataPaths, login: str, recovery_code: str, new: str) -> None:
    from iro_desktop.services import access

    access.reset_passphrase(paths, login, recovery_code, new)  # the command line's way too


def restore_backup(paths: DataPaths, backup_file: Path, login: str, passphrase: str) -> int:
    """Replace the caseload with a verified backup (the caseload must be locked first)."""
    from iro_desktop.services.access import restore_backup as restore

    return restore(paths, backup_file, login, passphrase)


# --- the demo caseload ---------------------------------------------------------------------


@dataclass
class DemoCaseload:
    folder: Path
    session: CaseloadSession

    def remove(self) -> None:
        if self.session.is_open:
            self.session.lock()
        shutil.rmtree(self.folder, ignore_errors=True)


def make_demo(children: int = 70, seed: int = 1, clock: Clock | None = None) -> DemoCaseload:
    """A fresh demo caseload in a temporary folder, unlocked."""
    from iro_desktop.services.demo import load_demo

    folder = Path(tempfile.mkdtemp(prefix="iro-desktop-demo-"))
    try:
        session, _code = create_caseload(
            data_paths(folder), DEMO_LOGIN, DEMO_PASSPHRASE, display_name=DEMO_NAME, clock=clock
        )
        load_demo(session, children, seed, letters=True)
        from iro_desktop.services.demo_letters import (
            DEMO_MANAGER_LOGIN,
            DEMO_MANAGER_NAME,
            set_demo_contact_details,
        )

        set_demo_contact_details(session)

        session.add_login(DEMO_MANAGER_LOGIN, DEMO_MANAGER_NAME, "manager", DEMO_MANAGER_PASSPHRASE)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return DemoCaseload(folder, session)


# --- after unlocking ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadEntry:
    """A caseload row plus what the list searches on that the row does not carry."""

    row: CaseloadRow
    la_child_id: str


def caseload_entries(session: CaseloadSession) -> list[CaseloadEntry]:
    return [
        CaseloadEntry(listed.row, listed.la_child_id) for listed in caseload_service.listed(session)
    ]


@dataclass
class Reopening:
    """What the window needs right after unlocking, fetched in one go on the worker."""

    user: dict[str, str]
    state: dict[str, Any]
    drafts: dict[str, dict[str, Any]]
    caseload: list[CaseloadEntry]


def reopen(session: CaseloadSession) -> Reopening:
    """Who is signed in, where they were, their unsaved drafts, and the caseload list."""
    user = session.user
    state = caseload_service.load_session_state(session)
    drafts: dict[str, dict[str, Any]] = {}
    for key in list_drafts(session):
        payload = caseload_service.load_draft(session, key)
        if payload is not None:
            drafts[key] = payload
    return Reopening(user, state, drafts, caseload_entries(session))


def who(session: CaseloadSession) -> dict[str, str]:
    """The logged-in person: username, display_name, role."""
    return session.user


def list_drafts(session: CaseloadSession, prefix: str = "") -> list[str]:
    with session.unit_of_work() as s:
        return [key for key, _saved in repo.list_drafts(s, prefix)]


def save_drafts(session: CaseloadSession, drafts: dict[str, dict[str, Any]]) -> None:
    """Several drafts in one transaction (the lock saves every open editor at once)."""
    with session.unit_of_work() as s:
        for key, payload in drafts.items():
            repo.save_draft(s, key, session.username, payload, session.now())


def apply_settings(
    session: CaseloadSession,
    *,
    idle_lock_minutes: int,
    profile: str,
    server_url: str,
    phone: str | None = None,
    email: str | None = None,
) -> Settings:
    """Check and save the settings; the same ValueError words as the settings file. Phone and
    email are the IRO's own contact details printed on letters (kept in the caseload)."""
    url = server_url.strip()
    if phone is not None or email is not None:
        from iro_desktop.services import letters

        user = session.user
        new_phone = user.get("phone", "") if phone is None else phone
        new_email = user.get("email", "") if email is None else email
        if (new_phone, new_email) != (user.get("phone", ""), user.get("email", "")):
            letters.set_contact_details(session, phone=new_phone, email=new_email)
    if url and not (
        url.startswith("https://")
        or (url.startswith("http://") and session.settings.allow_insecure_http)
    ):
        raise ValueError(
            f"The sync server address '{url}' must start with https:// so that what travels "
            "is encrypted."
        )
    candidate = replace(
        session.settings, idle_lock_minutes=idle_lock_minutes, profile=profile, server_url=url
    ).validated()
    session.settings = candidate
    session.save_settings()
    with session.unit_of_work() as s:
        session.audit(
            s,
            "update",
            "settings",
            "settings",
            f"idle lock {idle_lock_minutes} min, profile {profile}, server {url or 'none'}",
        )
    return candidate
