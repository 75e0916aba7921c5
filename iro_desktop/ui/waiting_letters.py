"""How many letters wait for a manager's sign-off, shown the moment a manager unlocks.

The count is in the navigation ("Sign-off (3 waiting)") and, once, in the status bar; it is
brought up to date whenever a letter changes (submitted, approved, returned, pulled from the
server). The number comes from services.signoff.letters_waiting, which a landing page can call
too. IROs see nothing: the count is always 0 for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

PAGE_KEY = "signoff"


def _letters_waiting(session: Any) -> int:
    # Imported on the worker, after an unlock: the services (letters, PDF fonts) cost about a
    # second to import; neither the unlock screen nor the first paint of the caseload waits.
    from iro_desktop.services import signoff

    return signoff.letters_waiting(session)


def waiting_words(n: int) -> str:
    return f"{n} letter{'s' if n != 1 else ''} waiting for your sign-off"


class WaitingLetters:
    """Keeps the sign-off entry of the navigation list showing the count."""

    def __init__(
        self,
        *,
        tasks: Any,
        session: Callable[[], Any],
        sidebar: QListWidget,
        status: Callable[[str, int], None],
        shortcut: str = "",
    ) -> None:
        self._tasks = tasks
        self._session = session
        self._sidebar = sidebar
        self._status = status
        self._shortcut = shortcut
        self.count = 0
        self._announced = False

    def refresh(self) -> None:
        session = self._session()
        if session is None:
            return
        self._tasks.run(
            lambda: _letters_waiting(session),
            self._show,
            lambda _exc: None,  # the count is a convenience: the page itself reports problems
            label="letters waiting for sign-off",
        )

    def opened(self) -> None:
        self._announced = False
        self.refresh()

    def locked(self) -> None:
        self._show(0)

    def on_changed(self, what: str) -> None:
        if what == "letters" or what.startswith("letter:"):
            self.refresh()

    def _show(self, n: int) -> None:
        self.count = n
        for row in range(self._sidebar.count()):
            item = self._sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == PAGE_KEY:
                base = item.text().split(" (")[0]
                item.setText(f"{base} ({n} waiting)" if n else base)
                item.setToolTip(
                    waiting_words(n) + (f" ({self._shortcut})" if self._shortcut else "")
                    if n
                    else f"{base} ({self._shortcut})"
                )
        if n and not self._announced:
            self._announced = True
            keys = f": {self._shortcut} opens them" if self._shortcut else ""
            self._status(f"{waiting_words(n).capitalize()}{keys}.", 30000)
