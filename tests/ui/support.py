"""Shared pieces for the window tests (the environment is set in conftest.py first)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QTimer

from iro_desktop.clock import FixedClock
from iro_desktop.paths import DataPaths
from iro_desktop.ui.main_window import MainWindow
from iro_desktop.ui.tasks import TaskManager

AS_OF = date(2026, 11, 23)  # the demo caseload is generated as of this day ...
TODAY = date(2027, 1, 11)  # ... and looked at seven weeks later, so some reviews are overdue
LOGIN = "sam"
PASSPHRASE = "kettle orchard lantern"
NAME = "Sam Quillfeather"


def fixed_clock() -> FixedClock:
    return FixedClock(datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0))


def make_window(qtbot, paths: DataPaths) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(
        paths,
        tasks=TaskManager(synchronous=True),
        clock=fixed_clock(),
        idle_timer=QTimer(),
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def unlock(window: MainWindow, passphrase: str = PASSPHRASE, login: str = LOGIN) -> None:
    panel = window.unlock_panel
    panel.login.setCurrentText(login)
    panel.passphrase.setText(passphrase)
    panel.unlock_button.click()
