"""What the window lends its controllers (the File/Help commands and the sync status bar).

Like a page's PageContext: each controller gets the few things it uses, named for what they
do, never the MainWindow itself, so it cannot reach into the window's private state and can
be built and tested with stand-ins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QMenu, QWidget

    from iro_desktop.paths import DataPaths
    from iro_desktop.services.access import CaseloadSession
    from iro_desktop.ui.tasks import TaskManager


@dataclass
class CommandsContext:
    """For CaseloadCommands: backup, restore, passphrase, re-encryption, help."""

    parent: QWidget  # dialogs are owned by it
    tasks: TaskManager
    paths: DataPaths
    session: Callable[[], CaseloadSession | None]  # None while locked
    login: Callable[[], str]  # the login last used in this window
    set_login: Callable[[str], None]
    lock: Callable[[str], Any]
    start: Callable[[], None]  # the unlock screen (or first run) again
    show_unlock_busy: Callable[[], None]  # the unlock screen, busy, while a restore runs
    show_welcome: Callable[[], bool]  # the first-run welcome screen, if there is one
    unlock_notice: Callable[[str], None]  # a line on the unlock screen
    key_forgotten: Callable[[], None]  # the remembered key no longer opens the caseload
    status: Callable[[str], None]
    actions: Callable[[], list[QAction]]  # the window's actions, for the shortcut list


@dataclass
class SyncContext:
    """For SyncStatusBar: the status words, the Sync menu, the timer's session."""

    parent: QWidget  # dialogs are owned by it
    tasks: TaskManager
    session: Callable[[], CaseloadSession]  # raises while locked
    label: QLabel  # the status bar's sync words (clicked: the unsent items)
    set_status: Callable[[str, str], None]  # words, tooltip
    status: Callable[[str, int], None]  # a passing message, for so many ms
    add_menu: Callable[[str], QMenu]  # a menu in the menu bar (before Help)
    add_action: Callable[[QAction], None]  # so its shortcut works with the menu bar hidden
    opened: SignalInstance  # the caseload was unlocked
    locked: SignalInstance
