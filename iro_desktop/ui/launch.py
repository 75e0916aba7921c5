"""Start the Qt side: the application, the theme, the window, and (for --demo) the demo
caseload in a temporary folder that is deleted on exit."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from iro_desktop.app import Launch


def demo_banner(passphrase: str, manager: tuple[str, str] | None = None) -> str:
    """The demo's notice; `manager` is (login, passphrase) of its manager, for sign-off."""
    signoff = (
        f" To try sign-off, lock (Ctrl+L) and log in as \u201c{manager[0]}\u201d with "
        f"\u201c{manager[1]}\u201d."
        if manager
        else ""
    )
    return (
        "Demo caseload: synthetic children with invented names. The passphrase is "
        f"\u201c{passphrase}\u201d.{signoff} Everything here is deleted when you close the "
        "program."
    )


def run(plan: Launch) -> int:
    # The unlock screen comes first; the services (SQLAlchemy, SQLCipher, the domain) load on
    # the worker thread as the window's first task, while the IRO types the passphrase.
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("IRO Desktop")
    app.setApplicationDisplayName("IRO Desktop")
    app.setOrganizationName("IRO Desktop")
    plan.marks["qt_ready"] = time.time()

    from iro_desktop.paths import data_paths
    from iro_desktop.ui.main_window import MainWindow
    from iro_desktop.ui.tasks import TaskManager
    from iro_desktop.ui.theme import apply_theme

    apply_theme(app)
    tasks = TaskManager()
    made: list[Any] = []

    if plan.demo:
        from iro_desktop.services.demo_letters import DEMO_MANAGER_LOGIN
        from iro_desktop.services.window import DEMO_MANAGER_PASSPHRASE, DEMO_PASSPHRASE

        banner = demo_banner(DEMO_PASSPHRASE, (DEMO_MANAGER_LOGIN, DEMO_MANAGER_PASSPHRASE))
        window = MainWindow(data_paths(plan.data_dir), tasks=tasks, banner=banner)
        window.unlock_panel.prepare(
            [], "", f"Preparing the demo caseload ({plan.demo_children} invented children)..."
        )
        window.unlock_panel.set_busy(True)

        def make() -> Any:
            from iro_desktop.services.window import make_demo

            return make_demo(plan.demo_children)

        def ready(demo: Any) -> None:
            made.append(demo)
            window.paths = demo.session.paths
            window.session_opened(demo.session)

        tasks.run(make, ready, label="demo caseload")
    else:
        window = MainWindow(data_paths(plan.data_dir), tasks=tasks)
        window.start(login=plan.login, auto_unlock_passphrase=plan.auto_unlock_passphrase)

    if plan.exit_after_paint:
        from iro_desktop.ui.startup_probe import PaintProbe

        probe = PaintProbe(plan.marks)

        def opened() -> None:
            plan.marks.setdefault("unlocked", time.time())
            window.show_page("caseload")  # the page measured, wherever the IRO left off

        window.opened.connect(opened)
        app.installEventFilter(probe)
        probe.give_up_after(120)
    window.show()
    plan.marks["window_shown"] = time.time()
    try:
        return int(app.exec())
    finally:
        if window.session is not None:
            window.lock()
        tasks.shutdown()
        for demo in made:
            demo.remove()
