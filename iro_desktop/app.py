"""Composition root: which caseload, which mode, then the window (iro_desktop.ui.launch).

Qt stays inside `ui`; this module decides what to open. Only what the first screen needs is
imported before it is shown: the services (and with them SQLAlchemy and SQLCipher) load on
the database worker while the unlock screen is painted.

Environment (automation and the start-up benchmark):
  IRO_DESKTOP_PASSPHRASE + IRO_DESKTOP_AUTO_UNLOCK=1  unlock without asking
  IRO_DESKTOP_EXIT_AFTER_PAINT=1  print start-up timings (one JSON line) once the caseload list
                                  has been painted with its children, then quit
  IRO_DESKTOP_DEMO_CHILDREN=N     how many invented children --demo makes (default 70)
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field

AUTO_UNLOCK_ENV = "IRO_DESKTOP_AUTO_UNLOCK"
EXIT_AFTER_PAINT_ENV = "IRO_DESKTOP_EXIT_AFTER_PAINT"
PASSPHRASE_ENV = "IRO_DESKTOP_PASSPHRASE"
DEMO_CHILDREN_ENV = "IRO_DESKTOP_DEMO_CHILDREN"
DEMO_CHILDREN = 70


@dataclass
class Launch:
    """What the window is to open, decided before any Qt is loaded."""

    data_dir: str | None
    demo: bool = False
    login: str = ""
    auto_unlock_passphrase: str | None = None
    exit_after_paint: bool = False
    demo_children: int = DEMO_CHILDREN
    marks: dict[str, float] = field(default_factory=dict)


def launch_from_environment(data_dir: str | None, demo: bool, user: str | None) -> Launch:
    passphrase = os.environ.get(PASSPHRASE_ENV)
    auto = os.environ.get(AUTO_UNLOCK_ENV) == "1" and passphrase is not None and not demo
    children = os.environ.get(DEMO_CHILDREN_ENV, "")
    return Launch(
        data_dir=data_dir,
        demo=demo,
        login=user or "",
        auto_unlock_passphrase=passphrase if auto else None,
        exit_after_paint=os.environ.get(EXIT_AFTER_PAINT_ENV) == "1",
        demo_children=int(children)
        if children.isdigit() and 0 < int(children) <= 2000
        else DEMO_CHILDREN,
    )


def run_window(data_dir: str | None, demo: bool, user: str | None) -> int:
    """The `iro-desktop` command with no sub-command: open the window; returns the exit code."""
    started = time.time()
    logging.basicConfig(level=logging.WARNING)
    plan = launch_from_environment(data_dir, demo, user)
    plan.marks["run_window"] = started
    from iro_desktop.ui.launch import run

    return run(plan)
