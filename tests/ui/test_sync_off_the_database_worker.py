"""A slow sync server never holds up the window: the sync waits on the network executor, the
database worker goes on serving the pages, and locking does not wait for the server.

The window here runs its real task queue (threads), not the tests' synchronous stand-in, and
the "server" is a real socket on 127.0.0.1 that accepts the request and never answers (a
server that has hung, or a network that drops the answer).
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer

from iro_desktop.services import sync
from iro_desktop.store import outbox
from iro_desktop.ui.main_window import MainWindow
from iro_desktop.ui.tasks import TaskManager

from .support import LOGIN, fixed_clock, unlock


class HungServer:
    """Accepts connections and reads the request, then says nothing until closed."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.asked = threading.Event()
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            try:
                if connection.recv(65536):
                    self.asked.set()
            except OSError:
                pass

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def hung_server() -> Iterator[HungServer]:
    server = HungServer()
    yield server
    server.close()


def test_locking_during_a_slow_sync_is_prompt_and_the_window_keeps_working(
    qtbot, paths, hung_server
) -> None:
    window = MainWindow(paths, tasks=TaskManager(), clock=fixed_clock(), idle_timer=QTimer())
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=30_000)
    unlock(window)
    qtbot.waitUntil(lambda: window.session is not None and window.session.is_open, timeout=30_000)
    session = window.session
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=30_000)
    session.settings = dataclasses.replace(
        session.settings, server_url=hung_server.url, sync_user=LOGIN
    )
    session.save_settings()
    with session.unit_of_work() as s:  # signed in earlier: the token is kept in the caseload
        state = outbox.sync_state(s, hung_server.url, LOGIN)
        outbox.update_sync_state(s, state.key, token="token-from-an-earlier-sign-in")

    window.sync_status.sync(force=True)
    assert hung_server.asked.wait(20), "the sync never reached the server"
    assert window.sync_status.running

    # While the server says nothing, the pages' database work is done at once.
    counted: list[int] = []
    window.tasks.run(lambda: sync.status(session).unsent, counted.append, label="count")
    qtbot.waitUntil(lambda: bool(counted), timeout=3_000)
    assert counted[0] > 0  # still unsent: the server has not answered
    ticked: list[bool] = []
    QTimer.singleShot(50, lambda: ticked.append(True))  # the event loop turns
    qtbot.waitUntil(lambda: bool(ticked), timeout=2_000)

    started = time.monotonic()
    result = window.lock()
    took = time.monotonic() - started

    assert took < 3.0, f"locking took {took:.1f} s while the sync server was silent"
    assert result is not None and result.store_closed and result.waited_for_work
    assert not session.is_open
    assert window.sync_label.text().endswith("Not syncing while locked")
    # The sync, its client closed under it, ends by itself; its late answer changes nothing.
    qtbot.waitUntil(lambda: window.tasks.network_pending == 0, timeout=25_000)
    assert window.sync_label.text().endswith("Not syncing while locked")
    assert window.session is None
