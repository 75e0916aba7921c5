"""One database worker: every caseload operation runs here, never on the UI thread.

The rule (as in Anki's taskman): **never touch a widget from the background operation.** The
operation gets no widget and returns plain data; its `on_done` callback runs later on the main
thread and is the only place that updates the screen. Operations run one at a time, in the
order they were asked for, so a save is never overtaken by a later read.

Network work (a sync, the manager page's questions to the server) runs on a second, separate
executor, `run_network` (Anki keeps network work off its collection thread too): a slow server
then never holds up a save, and `drain()` (the lock's first step) never waits for the network.
Its results come back on the main thread the same way; its operations may use the store (a
sync reads and writes the outbox), which serialises units of work itself, and fail with the
store's "locked" error if the caseload is locked meanwhile.

Tests use `TaskManager(synchronous=True)` (Picard's fake thread pool): the operation and its
callback run at once, in the caller's thread, so a test sees the result on the next line.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")
ErrorHandler = Callable[[BaseException], None]


@dataclass
class _Finished:
    label: str
    result: Any
    error: BaseException | None
    on_done: Callable[[Any], None] | None
    on_error: ErrorHandler | None
    network: bool = False


class TaskManager(QObject):
    """A single-worker queue whose results come back on the main thread.

    `busy_changed(bool)` tells the window when work starts and stops (a busy cursor, a
    status line). `error_handler` receives failures whose caller gave no `on_error`.
    """

    busy_changed = Signal(bool)
    _ready = Signal()

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.error_handler: ErrorHandler | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._network: ThreadPoolExecutor | None = None
        self._network_outstanding = 0  # asked for on the network lane, callback not yet run
        self._finished: deque[_Finished] = deque()
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._outstanding = 0  # asked for, callback not yet run (main thread only)
        self._busy = False
        self._closed = False
        # Queued across threads because this object lives on the main thread.
        self._ready.connect(self._deliver)

    # --- asking for work -------------------------------------------------------------------

    def run(
        self,
        operation: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
        *,
        label: str = "",
    ) -> None:
        """Run `operation` on the worker; then `on_done(result)` or `on_error(exc)` here."""
        if self._closed:
            raise RuntimeError("The task queue has been shut down.")
        self._outstanding += 1
        self._set_busy(True)
        if self.synchronous:
            self._finished.append(self._call(operation, on_done, on_error, label))
            self._deliver()
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="iro-db")
        future = self._executor.submit(self._work, operation, on_done, on_error, label)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)  # at once if it has already finished

    def run_network(
        self,
        operation: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
        *,
        label: str = "",
    ) -> None:
        """Run `operation` (network calls) on the network executor; then `on_done(result)` or
        `on_error(exc)` here. Not waited for by `drain()`: callbacks must check whether what
        they would update is still there (the window may have locked meanwhile)."""
        if self._closed:
            raise RuntimeError("The task queue has been shut down.")
        self._network_outstanding += 1
        if self.synchronous:
            finished = self._call(operation, on_done, on_error, label)
            finished.network = True
            self._finished.append(finished)
            self._deliver()
            return
        if self._network is None:
            # Two workers: the manager page's question need not wait for a sync.
            self._network = ThreadPoolExecutor(max_workers=2, thread_name_prefix="iro-net")
        self._network.submit(self._work, operation, on_done, on_error, label, True)

    @property
    def network_pending(self) -> int:
        """Network operations asked for whose callbacks have not yet run."""
        return self._network_outstanding

    @property
    def pending(self) -> int:
        """Operations asked for whose callbacks have not yet run."""
        return self._outstanding

    def drain(self, timeout: float = 60.0) -> bool:
        """Wait for everything asked for so far, callbacks included (the lock's first step).

        Callbacks may ask for more work; that is waited for too. False if time ran out.
        """
        import time

        deadline = time.monotonic() + timeout
        while self._outstanding > 0:
            with self._lock:
                futures = list(self._futures)
            for future in futures:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                try:
                    future.result(timeout=remaining)
                except TimeoutError:
                    return False
            # A finished operation's answer is queued before its future completes.
            self._deliver()
        return True

    def shutdown(self) -> None:
        """Finish what was asked for, then stop the worker thread."""
        self.drain()
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._network is not None:
            # Never wait for a server: what is running ends with its own time-out.
            self._network.shutdown(wait=False, cancel_futures=True)
            self._network = None

    # --- the worker side: no widgets here ---------------------------------------------------

    @staticmethod
    def _call(
        operation: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: ErrorHandler | None,
        label: str,
    ) -> _Finished:
        try:
            return _Finished(label, operation(), None, on_done, on_error)
        except BaseException as exc:  # delivered to the main thread, never swallowed
            return _Finished(label, None, exc, on_done, on_error)

    def _work(
        self,
        operation: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: ErrorHandler | None,
        label: str,
        network: bool = False,
    ) -> None:
        finished = self._call(operation, on_done, on_error, label)
        finished.network = network
        with self._lock:
            self._finished.append(finished)
        self._ready.emit()

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    # --- back on the main thread -------------------------------------------------------------

    def _deliver(self) -> None:
        while True:
            with self._lock:
                if not self._finished:
                    break
                item = self._finished.popleft()
            if item.network:
                self._network_outstanding -= 1
                self._dispatch(item)
                continue
            self._outstanding -= 1
            try:
                self._dispatch(item)
            finally:
                if self._outstanding == 0:
                    self._set_busy(False)

    def _dispatch(self, item: _Finished) -> None:
        if item.error is None:
            if item.on_done is not None:
                try:
                    item.on_done(item.result)
                except Exception as exc:
                    if self.synchronous:
                        raise  # tests: a faulty callback fails the test where it happens
                    self._report(item.label, exc, None)  # a faulty callback must not stall
            return
        self._report(item.label, item.error, item.on_error)

    def _report(self, label: str, error: BaseException, on_error: ErrorHandler | None) -> None:
        handler = on_error or self.error_handler
        if handler is None:
            log.error("Background task %r failed", label, exc_info=error)
            return
        handler(error)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
