"""Fixtures: a real `iro-sync-server` process per test module and backend (SQLite, PostgreSQL).

PostgreSQL runs when IRO_TEST_DATABASE_URL is set (each server gets its own schema, dropped
afterwards). Without it the PostgreSQL runs are skipped locally, and fail under CI=true, so a
CI job that forgot the database cannot pass quietly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_testkit import POSTGRES_ENV, Backend, ServerProcess, seed_users, sign_in


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        yield Backend("sqlite", tmp)
        return
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = f"{POSTGRES_ENV} is not set, so the PostgreSQL server tests cannot run."
        if os.environ.get("CI") == "true":
            pytest.fail(
                message + " CI must provide a PostgreSQL database (see docs/sync-server.md)."
            )
        pytest.skip(message + " Set it to run them (see docs/sync-server.md).")
    chosen = Backend("postgres", tmp, postgres_url=url)
    yield chosen
    chosen.drop_schemas()


@pytest.fixture(scope="module")
def server(backend: Backend) -> Iterator[ServerProcess]:
    """One running server with the five users, shared by a module's tests."""
    db_args = backend.new_database()
    seed_users(db_args)
    process = ServerProcess(db_args, backend.tmp / "server.log").start()
    yield process
    process.stop()


@pytest.fixture()
def login(server: ServerProcess, client: httpx.Client) -> Any:
    """Headers for a user, signing in once per server (Argon2 is slow on purpose)."""

    def headers(name: str) -> dict[str, str]:
        if name not in server.tokens:
            server.tokens[name] = sign_in(client, name)
        return server.tokens[name]

    return headers


@pytest.fixture()
def client(server: ServerProcess) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


@pytest.fixture()
def fresh_server(backend: Backend, tmp_path: Path) -> Iterator[Any]:
    """Start servers of one's own on an empty database (for expiry and crash tests)."""
    started: list[ServerProcess] = []

    def start(
        db_args: list[str] | None = None,
        extra: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> ServerProcess:
        if db_args is None:
            db_args = backend.new_database()
            seed_users(db_args)
        process = ServerProcess(db_args, tmp_path / f"server-{len(started)}.log", extra, env)
        started.append(process.start())
        return process

    yield start
    for process in started:
        process.stop()
