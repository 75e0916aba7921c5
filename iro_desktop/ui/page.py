"""What every screen in the window is: a Page, and the few things it is lent.

A page is given a PageContext (the task queue, the current session, navigation, the clipboard
guard, a status line), never the main window itself, so it can be built and tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from iro_desktop.ui.lock import ClipboardGuard
from iro_desktop.ui.tasks import TaskManager

if TYPE_CHECKING:
    from iro_desktop.services.access import CaseloadSession


class Navigator(Protocol):
    def show_page(self, key: str, arg: str | None = None) -> None: ...

    def open_child(self, child_id: str) -> None: ...

    def back(self) -> None: ...


@dataclass
class PageContext:
    tasks: TaskManager
    # The unlocked session; raises if the caseload is locked (so a late callback cannot
    # reopen anything).
    session: Callable[[], CaseloadSession]
    navigator: Navigator
    clipboard: ClipboardGuard | None
    status: Callable[[str], None]
    # The window's commands by name ("add_child", "import", "export"), for pages that offer
    # them too (the empty caseload does).
    command: Callable[[str], None] | None = None


class Page(QWidget):
    """Base for the window's screens. Override what the screen needs; the defaults do nothing.

    `changed(what)` tells the window something was saved ("caseload", "child:<id>",
    "settings"); the window passes it to every page's `on_changed`, and each redraws only
    what depends on it.
    """

    changed = Signal(str)

    key = ""
    title = ""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.title.replace("&", "") or self.key)

    # --- showing ---------------------------------------------------------------------------

    def activated(self, arg: str | None) -> None:
        """The page was brought to the front (arg: e.g. the child's id)."""

    def current_arg(self) -> str | None:
        """What `activated` would need to show this page as it is now."""
        return None

    def focus_first(self) -> None:
        self.focusNextChild()

    def focus_on_return(self) -> None:
        """Focus when the IRO comes back here with Back (default: the first field)."""
        self.focus_first()

    def on_changed(self, what: str) -> None:
        """Something was saved elsewhere; reload if this page shows it."""

    def report(self, exc: BaseException) -> None:
        """Show a failure the way the window shows every other one."""
        handler = self.ctx.tasks.error_handler
        if handler is not None:
            handler(exc)

    # --- lock and restore --------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Where the IRO was on this page (saved on lock and close; no secrets)."""
        return {}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Go back to `state` (may be applied after the page's data arrives)."""

    def clear_for_lock(self) -> None:
        """Drop everything read from the caseload: the screen shows nothing behind the lock."""

    # --- drafts (pages with editors) -----------------------------------------------------

    def drafts(self) -> dict[str, dict[str, Any]]:
        """Unsaved edits, by draft key (empty when there is nothing unsaved)."""
        return {}

    def restore_draft(self, key: str, payload: dict[str, Any]) -> bool:
        """Put an unsaved edit back; True if this page took it."""
        return False
