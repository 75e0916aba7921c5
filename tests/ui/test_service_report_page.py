"""The manager's service-wide report on the Reports page, from a real sync server: the IRO's
laptop sends its name-free review facts as it syncs; the manager fetches the report, sees
this laptop's own figures in it (here the only laptop of the service), and saves the PDF."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from iro_desktop.services import reports
from iro_desktop.ui import dialogs
from iro_desktop.ui.views.service_report import NOT_MANAGER

from .support import unlock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))
from server_testkit import PASSWORD, ServerProcess, seed_users, url_of  # noqa: E402

REPORT_KEY = "synthetic-service-key-" + "7c1e" * 8


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    from iro_desktop.server import auth
    from iro_desktop.server.db import Database

    tmp = tmp_path_factory.mktemp("sync-server")
    db_args = ["--data-dir", str(tmp / "data")]
    seed_users(db_args)
    db = Database(url_of(db_args))
    with db.write() as session:
        auth.add_user(
            session, name="sam", role="iro", password=PASSWORD, now=datetime.now(UTC), team="north"
        )
    db.dispose()
    process = ServerProcess(db_args, tmp / "server.log").start()
    yield process
    process.stop()


def _sign_in(window, qtbot, user: str) -> None:
    dialog = window.sync_status.open_sign_in()
    assert dialog is not None and dialog.isVisible()
    dialog.user.setText(user)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def _rows(panel) -> dict[str, tuple[str, ...]]:
    model = panel.model
    return {
        model.index(r, 0).data(): tuple(model.index(r, c).data() for c in range(1, 6))
        for r in range(model.rowCount())
    }


def test_the_manager_fetches_the_service_report_and_saves_the_pdf(
    unlocked, qtbot, server, tmp_path
) -> None:
    session = unlocked.session
    session.settings = dataclasses.replace(
        session.settings, server_url=server.url, sync_user="", report_key=REPORT_KEY
    )
    session.save_settings()
    unlocked.sync_status.on_changed("settings")
    _sign_in(unlocked, qtbot, "sam")  # the IRO's sync sends the facts with the escalations
    assert unlocked.sync_label.text() == "All sent"
    own = reports.annual_report(session, 2025)  # the year ending 31 March 2026

    # An IRO is not given the service's report.
    unlocked.show_page("reports")
    page = unlocked.page("reports")
    qtbot.mouseClick(page.service_button, Qt.MouseButton.LeftButton)
    panel = page.service_panel
    assert panel.isVisible()
    panel.year.setValue(2026)
    qtbot.mouseClick(panel.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.note.text() == NOT_MANAGER, timeout=10_000)
    assert not panel.pdf_button.isEnabled()

    session.add_login("mo", "Mo Manager", "manager", "teapot harbour violet")
    unlocked.lock()
    unlock(unlocked, "teapot harbour violet", "mo")
    _sign_in(unlocked, qtbot, "mo.manager")
    unlocked.show_page("reports")
    page = unlocked.page("reports")
    if not page.service_button.isChecked():
        qtbot.mouseClick(page.service_button, Qt.MouseButton.LeftButton)
    panel = page.service_panel
    panel.year.setValue(2026)
    qtbot.mouseClick(panel.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.fetched is not None, timeout=20_000)
    shown = _rows(panel)
    figures = own.figures
    assert shown["Reviews held"][0] == str(figures.reviews_held)
    assert shown["Reviews held in timescale"][:3] == (
        str(figures.in_timescale.numerator),
        f"{figures.in_timescale.percent:.1f}%",
        str(figures.in_timescale.denominator),
    )
    assert shown["Pathway plan reviews held"][0] == str(figures.pathway_held)
    assert "2025/26" in panel.note.text() and "All teams" in panel.note.text()

    out = tmp_path / "service.pdf"
    dialogs.set_next_answer(str(out))
    qtbot.mouseClick(panel.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(out.exists, timeout=20_000)
    assert out.read_bytes().startswith(b"%PDF")
