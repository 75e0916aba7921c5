"""Helpers for the server tests: server processes, users, synthetic events and batches."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Self
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, text

from iro_desktop.domain.escalation import (
    MANCHESTER,
    EscalationEvent,
    EscalationRaised,
    new_id,
    raise_escalation,
    replay,
    send_to_stage,
)
from iro_desktop.server import auth
from iro_desktop.server.config import database_url
from iro_desktop.server.db import Database
from iro_desktop.sync.protocol import PushBatch, SignoffSubmission, SyncItem, batch_to_wire

NOW = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)


def raised(author: str, on: date = date(2024, 3, 4), **overrides: Any) -> EscalationRaised:
    fields: dict[str, Any] = {
        "child_ids": ["child-0001"],
        "category": "dispute",
        "issues": ["visits_out_of_timescale"],
        "outcome_wanted": "Visits every six weeks as the plan says.",
        "on": on,
        "author": author,
        "now": NOW,
    }
    fields.update(overrides)
    return raise_escalation(**fields)


def new_escalation(author: str, **overrides: Any) -> list[EscalationEvent]:
    """Raised and sent to Manchester's first stage, as the IRO does on the spot."""
    first = raised(author, **overrides)
    sent = send_to_stage(
        replay(MANCHESTER, [first]),
        "informal",
        "Tess Teamlead",
        on=first.occurred_on,
        author=author,
        now=NOW,
    )
    return [first, sent]


def submission(author: str, version: int = 1, review_id: str | None = None) -> SignoffSubmission:
    return SignoffSubmission(
        item_id=new_id(),
        review_id=review_id or f"review-{new_id()[:8]}",
        version=version,
        content_hash=hashlib.sha256(f"Dear Zara, version {version}".encode()).hexdigest(),
        child_ids=("child-0001",),
        submitted_by=author,
        submitted_at=NOW,
    )


def batch(*items: SyncItem, client_id: str = "laptop-1") -> dict[str, Any]:
    return batch_to_wire(PushBatch(client_id, items))


def push(client: httpx.Client, headers: dict[str, str], *items: SyncItem) -> list[dict[str, Any]]:
    response = client.post("/v1/push", json=batch(*items), headers=headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def pull_all(
    client: httpx.Client, headers: dict[str, str], since: int = 0
) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    while True:
        response = client.get("/v1/pull", params={"since": since}, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        since = page["cursor"]
        if not page["more"]:
            return items, since


def cursor_now(client: httpx.Client, headers: dict[str, str]) -> int:
    return pull_all(client, headers)[1]


# --- servers, databases and users ----------------------------------------------------------

PASSWORD = "synthetic-password-1"
POSTGRES_ENV = "IRO_TEST_DATABASE_URL"

# Invented people: two IROs and a manager in the North team, an IRO in another team, an admin.
USERS = [
    ("amber.iro", "iro", "north", "mo.manager"),
    ("basil.iro", "iro", "north", "mo.manager"),
    ("cleo.iro", "iro", "south", None),
    ("mo.manager", "manager", "north", None),
    ("ada.admin", "admin", None, None),
]


@dataclass
class Backend:
    name: str
    tmp: Path
    postgres_url: str | None = None
    schemas: list[str] = field(default_factory=list)

    def new_database(self) -> list[str]:
        """CLI options for a fresh, empty database of this backend."""
        if self.postgres_url is None:
            folder = self.tmp / f"data-{uuid.uuid4().hex[:8]}"
            return ["--data-dir", str(folder)]
        schema = f"iro_test_{uuid.uuid4().hex[:12]}"
        engine = create_engine(self.postgres_url)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        self.schemas.append(schema)
        joiner = "&" if "?" in self.postgres_url else "?"
        options = quote(f"-csearch_path={schema}")
        return ["--database-url", f"{self.postgres_url}{joiner}options={options}"]

    def drop_schemas(self) -> None:
        if self.postgres_url is None or not self.schemas:
            return
        engine = create_engine(self.postgres_url)
        with engine.begin() as connection:
            for schema in self.schemas:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def url_of(db_args: list[str]) -> str:
    flag, value = db_args
    return database_url(Path(value), None) if flag == "--data-dir" else value


def seed_users(db_args: list[str]) -> None:
    db = Database(url_of(db_args))
    db.create_schema()
    with db.write() as session:
        for name, role, team, manager in USERS:
            auth.add_user(
                session,
                name=name,
                role=role,
                password=PASSWORD,
                now=datetime.now(UTC),
                team=team,
                manager_name=manager,
            )
    db.dispose()


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iro_desktop.server.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


# One client for the tests' own requests (each new client loads the CA bundle again).
http = httpx.Client(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """One `iro-sync-server serve` process on 127.0.0.1: on `port` if one is given (so its
    address is known before it starts), otherwise on a free port picked at each start."""

    poll_seconds = 0.1

    def __init__(
        self,
        db_args: list[str],
        log: Path,
        extra: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        *,
        port: int | None = None,
    ) -> None:
        self.db_args = db_args
        self.log_path = log
        self.extra = extra
        self.env = env or {}
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None
        self.url = "" if port is None else f"http://127.0.0.1:{port}"
        self.tokens: dict[str, dict[str, str]] = {}

    def start(self, env: dict[str, str] | None = None) -> Self:
        port = free_port() if self.port is None else self.port
        self.url = f"http://127.0.0.1:{port}"
        command = [
            sys.executable, "-m", "iro_desktop.server.cli", *self.db_args,
            "serve", "--host", "127.0.0.1", "--port", str(port), *self.extra,
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env, **(env or {})},
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_path.read_text()}")
            try:
                if http.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(self.poll_seconds)
        self.stop()
        raise RuntimeError(f"the server did not start:\n{self.log_path.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, as in a power cut of the process."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)


def sign_in(client: httpx.Client, name: str) -> dict[str, str]:
    response = client.post("/v1/auth/token", json={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
