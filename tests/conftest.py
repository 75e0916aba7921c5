"""Shared test set-up: quick key derivation, an in-memory OS keyring, a ready caseload."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

# Tests derive many keys; the shipped cost (about 0.3 s each) is measured in benchmarks/.
from tests.fast_kdf import install as _fast_kdf  # noqa: E402

_fast_kdf()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

PASSPHRASE = "correct horse battery staple"
TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class MemoryKeyring(KeyringBackend):
    """Stands in for the OS keyring: a real backend object kept in memory for the test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "caseload"


@pytest.fixture
def fixed_clock():  # type: ignore[no-untyped-def]
    from iro_desktop.clock import FixedClock

    return FixedClock(TODAY)


@pytest.fixture
def session(data_dir: Path, fixed_clock):  # type: ignore[no-untyped-def]
    """An unlocked, empty caseload for the IRO 'ada'."""
    from iro_desktop.paths import data_paths
    from iro_desktop.services import create_caseload

    s, _code = create_caseload(
        data_paths(data_dir), "ada", PASSPHRASE, display_name="Ada Example", clock=fixed_clock
    )
    yield s
    s.lock()


@pytest.fixture
def demo_session(session):  # type: ignore[no-untyped-def]
    from iro_desktop.services.demo import load_demo

    load_demo(session, 30, seed=7)
    return session
