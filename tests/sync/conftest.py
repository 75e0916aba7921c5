"""Fixtures for the sync client tests: real `iro-sync-server` processes on 127.0.0.1 and real
encrypted caseloads, one per person (two IROs and their manager).

The server side reuses the server tests' kit (users, passwords, database set-up). Servers are
started here on a port chosen in advance, so a test can give a laptop the address of a
server that is not running yet and start it later.
"""

from __future__ import annotations

import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))

from server_testkit import (  # noqa: E402
    PASSWORD,
    USERS,
    ServerProcess,
    free_port,
    seed_users,
    url_of,
)
from server_testkit import http as _http  # noqa: E402

from iro_desktop.clock import FixedClock  # noqa: E402
from iro_desktop.domain.caseload import Child, Episode, PeriodOfCare  # noqa: E402
from iro_desktop.paths import data_paths  # noqa: E402
from iro_desktop.services import caseload, create_caseload  # noqa: E402
from iro_desktop.services.access import CaseloadSession  # noqa: E402
from iro_desktop.settings import Settings  # noqa: E402
from tests.conftest import PASSPHRASE as CASELOAD_PASSPHRASE  # noqa: E402

# A working Monday; escalation dates are worked out from the laptops' (fixed) clocks.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ROLES = {name: role for name, role, _team, _manager in USERS}


class Server(ServerProcess):
    """A server process on a port chosen in advance, so its address is known before it starts."""

    poll_seconds = 0.05

    def __init__(
        self,
        db_args: list[str],
        log: Path,
        extra: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        super().__init__(db_args, log, extra, env, port=free_port())

    @property
    def database_url(self) -> str:
        return url_of(self.db_args)

    def headers(self, name: str) -> dict[str, str]:
        response = _http.post(
            f"{self.url}/v1/auth/token", json={"username": name, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def get(self, name: str, path: str, **params: Any) -> Any:
        response = _http.get(f"{self.url}{path}", params=params, headers=self.headers(name))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """Like a computer without a secure keyring (the sync token then lives in the encrypted
    caseload); tests that want one ask for `memory_keyring`, which replaces this."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A server database holding the kit's users, made once (password hashing is slow on
    purpose) and copied for each server."""
    folder = tmp_path_factory.mktemp("seeded") / "data"
    seed_users(["--data-dir", str(folder)])
    return folder


@pytest.fixture()
def new_server(tmp_path: Path, seeded_database: Path) -> Iterator[Callable[..., Server]]:
    """Make servers on fresh SQLite databases with the kit's users (not started)."""
    made: list[Server] = []

    def make(
        extra: tuple[str, ...] = (), env: dict[str, str] | None = None, db_args: Any = None
    ) -> Server:
        if db_args is None:
            folder = tmp_path / f"server-{uuid.uuid4().hex[:6]}"
            shutil.copytree(seeded_database, folder)
            db_args = ["--data-dir", str(folder)]
        server = Server(db_args, tmp_path / f"server-{len(made)}.log", extra=extra, env=env or {})
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


@pytest.fixture(scope="module")
def shared_server(
    tmp_path_factory: pytest.TempPathFactory, seeded_database: Path
) -> Iterator[Server]:
    """One running server for a module's tests that do not need their own."""
    tmp = tmp_path_factory.mktemp("sync-server")
    shutil.copytree(seeded_database, tmp / "data")
    db_args = ["--data-dir", str(tmp / "data")]
    server = Server(db_args, tmp / "server.log").start()
    yield server
    server.stop()


def _add_child(session: CaseloadSession, first: str, last: str, group: str = "") -> str:
    child = Child(
        id="",
        la_child_id=f"T-{uuid.uuid4().hex[:8]}",
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=date(2014, 5, 2),
        sex="F",
        sibling_group=group,
        periods=(
            PeriodOfCare(start=date(2025, 1, 6), episodes=(Episode(date(2025, 1, 6), "C2", "U4"),)),
        ),
    )
    return caseload.save_child(session, child).id


@pytest.fixture()
def add_child() -> Callable[..., str]:
    """Put a child on a caseload: add_child(session, first, last, sibling_group="") -> id."""
    return _add_child


@pytest.fixture()
def laptop(tmp_path: Path) -> Iterator[Callable[..., CaseloadSession]]:
    """Make an encrypted caseload for one person, set up to sync as `sync_user`."""
    opened: list[CaseloadSession] = []

    def make(sync_user: str, server_url: str = "", *, login: str | None = None) -> CaseloadSession:
        settings = Settings(server_url=server_url, sync_user=sync_user)
        session, _code = create_caseload(
            data_paths(tmp_path / f"caseload-{sync_user}-{len(opened)}"),
            login or sync_user.split(".")[0],
            CASELOAD_PASSPHRASE,
            role="manager" if ROLES.get(sync_user) == "manager" else "iro",
            clock=FixedClock(START),
            settings=settings,
        )
        opened.append(session)
        return session

    yield make
    for session in opened:
        if session.is_open:
            session.lock()
