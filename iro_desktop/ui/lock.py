"""Locking: the idle timer, the clipboard guard, and the lock checklist.

The idle timer is KeePassXC's InactivityTimer: one event filter on the whole application
restarts one timer on any keyboard or mouse input; when it runs out the window locks.
The timer is passed in (or `expire()` called) so tests lock without waiting minutes.

Locking is a checklist, in this order (KeePassXC's DatabaseWidget::lock()):
1. wait for a save in progress (the task queue drains);
2. close the dialogs the program opened;
3. save every open editor's draft and where the IRO was (page, child, search, sort), and
   remove the drafts written earlier that their page has saved or undone since (else the
   unlock would put them back with a false "what you typed was not saved");
4. clear the clipboard if it still holds text copied from the program;
5. close the database and drop the key;
6. clear the screens' data and show the unlock screen.
If the drafts cannot be saved (a full disk), they are kept in memory, behind the lock, and put
back after unlocking: nothing typed is lost.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard

from iro_desktop.ui import dialogs
from iro_desktop.ui.tasks import TaskManager

log = logging.getLogger(__name__)

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.Shortcut,
    }
)


class IdleWatcher(QObject):
    """Emits `idle` after `minutes` without keyboard or mouse input anywhere in the program."""

    idle = Signal()

    def __init__(
        self, minutes: float, parent: QObject | None = None, *, timer: QTimer | None = None
    ) -> None:
        super().__init__(parent)
        self._timer = timer if timer is not None else QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.expire)
        self._last_restart = 0.0
        self._active = False
        self.set_minutes(minutes)

    @property
    def timer(self) -> QTimer:
        return self._timer

    @property
    def active(self) -> bool:
        return self._active

    def set_minutes(self, minutes: float) -> None:
        if minutes <= 0:
            raise ValueError(f"The idle lock needs a positive number of minutes, not {minutes}.")
        self._timer.setInterval(max(1, int(minutes * 60_000)))
        if self._active:
            self._timer.start()

    def start(self) -> None:
        self._active = True
        self._timer.start()

    def stop(self) -> None:
        self._active = False
        self._timer.stop()

    def poke(self) -> None:
        """Input happened: start the countdown again."""
        if not self._active:
            return
        now = time.monotonic()
        # Mouse moves arrive in floods; restarting a few times a second is plenty.
        if now - self._last_restart >= 0.2 or not self._timer.isActive():
            self._last_restart = now
            self._timer.start()

    def expire(self) -> None:
        """The idle time has run out (tests call this instead of waiting)."""
        if self._active:
            self._active = False
            self._timer.stop()
            self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._active and event.type() in _INPUT_EVENTS:
            self.poke()
        return False


class ClipboardGuard(QObject):
    """Remembers (as a digest, never the text) what the program put on the clipboard, so
    locking clears it only if it is still ours: someone else's copy is left alone."""

    def __init__(self, clipboard: QClipboard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self._ours: set[str] = set()
        clipboard.dataChanged.connect(self._changed)

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def copy(self, text: str) -> None:
        self._clipboard.setText(text)
        self._ours.add(self._digest(text))

    def _changed(self) -> None:
        # A copy from one of our own text fields (Ctrl+C) also counts as ours.
        if self._clipboard.ownsClipboard():
            text = self._clipboard.text()
            if text:
                self._ours.add(self._digest(text))

    def holds_ours(self) -> bool:
        text = self._clipboard.text()
        return bool(text) and self._digest(text) in self._ours

    def clear_if_ours(self) -> bool:
        cleared = self.holds_ours()
        if cleared:
            self._clipboard.clear()
        self._ours.clear()
        return cleared


def stale_drafts(written: Collection[str], reported: Collection[str]) -> list[str]:
    """Drafts written earlier that no page reports now: saved or undone by their page since.

    Only what this window wrote is ever named: a draft put back at unlocking and still waiting
    for its page (not reported yet) stays in the caseload.
    """
    return sorted(key for key in written if key not in reported)


@dataclass
class LockResult:
    waited_for_work: bool = True
    dialogs_closed: int = 0
    drafts_saved: list[str] = field(default_factory=list)
    drafts_discarded: list[str] = field(default_factory=list)
    state_saved: bool = False
    clipboard_cleared: bool = False
    store_closed: bool = False
    # Drafts that could not be written: kept in memory behind the lock, restored on unlock.
    unsaved_drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class LockChecklist:
    """What the window lends the checklist; each piece is one thing, not the whole window."""

    tasks: TaskManager
    collect_drafts: Callable[[], dict[str, dict[str, Any]]]
    collect_state: Callable[[], dict[str, Any]]
    save_drafts: Callable[[dict[str, dict[str, Any]]], None]  # runs on the worker
    save_state: Callable[[dict[str, Any]], None]  # runs on the worker
    close_store: Callable[[], None]  # runs on the worker
    clipboard: ClipboardGuard | None
    hide_content: Callable[[], None]
    # Drafts this window wrote earlier, and how to remove those no page reports any more.
    written_before: Callable[[], Collection[str]] = tuple
    discard_drafts: Callable[[list[str]], None] | None = None  # runs on the worker

    def run(self) -> LockResult:
        result = LockResult()
        # 1. A save in progress finishes first.
        result.waited_for_work = self.tasks.drain()
        if not result.waited_for_work:
            result.problems.append("A long operation was still running when the lock began.")
        # 2. Dialogs close (their modal loops return "cancelled").
        result.dialogs_closed = dialogs.close_owned()
        # 3. Drafts and where the IRO was.
        drafts = self.collect_drafts()
        state = self.collect_state()

        def saved_drafts(_: object) -> None:
            result.drafts_saved = sorted(drafts)

        def drafts_failed(exc: BaseException) -> None:
            result.unsaved_drafts = drafts
            result.problems.append(f"Unsaved changes kept in memory only: {exc}")

        if drafts:
            self.tasks.run(lambda: self.save_drafts(drafts), saved_drafts, drafts_failed)
        stale = stale_drafts(self.written_before(), drafts)
        discard = self.discard_drafts
        if stale and discard is not None:

            def discarded(_: object) -> None:
                result.drafts_discarded = stale

            self.tasks.run(lambda: discard(stale), discarded, lambda _exc: None)

        def state_saved(_: object) -> None:
            result.state_saved = True

        def state_failed(exc: BaseException) -> None:
            result.problems.append(f"Where you were could not be saved: {exc}")

        self.tasks.run(lambda: self.save_state(state), state_saved, state_failed)
        self.tasks.drain()
        # 4. Our clipboard text goes.
        if self.clipboard is not None:
            result.clipboard_cleared = self.clipboard.clear_if_ours()

        # 5. The database closes and the key is dropped.
        def closed(_: object) -> None:
            result.store_closed = True

        def close_failed(exc: BaseException) -> None:
            result.problems.append(f"The caseload did not close cleanly: {exc}")

        self.tasks.run(self.close_store, closed, close_failed)
        self.tasks.drain()
        # 6. Nothing of the caseload stays on screen.
        self.hide_content()
        for problem in result.problems:
            log.warning("lock: %s", problem)
        return result
