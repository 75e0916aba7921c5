"""The manager's view, offline: the team's open escalations by deadline (this laptop's copies),
acting on one from there, the sign-off count and the quarterly themes report.
(The same view online, from a real sync server, is in test_sync_status.py.)"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from iro_desktop.services import escalations as service
from iro_desktop.services import window as window_service

from .support import LOGIN, PASSPHRASE, fixed_clock, make_window, unlock
from .test_keyboard import unnamed_controls

CTRL = Qt.KeyboardModifier.ControlModifier
MANAGER, MANAGER_PASSPHRASE = "mo", "teapot harbour violet"


@pytest.fixture
def manager_window(qtbot, paths):  # type: ignore[no-untyped-def]
    session = window_service.unlock(paths, LOGIN, PASSPHRASE, fixed_clock())
    session.add_login(MANAGER, "Mo Manager", "manager", MANAGER_PASSPHRASE)
    session.lock()
    window = make_window(qtbot, paths)
    window.start(login=MANAGER)
    unlock(window, MANAGER_PASSPHRASE, MANAGER)
    assert window.session is not None and window.session.username == MANAGER
    return window


def test_open_escalations_are_listed_by_deadline(manager_window, qtbot):
    qtbot.keyClick(manager_window, Qt.Key.Key_6, CTRL)
    page = manager_window.page("manager")
    assert manager_window.current_page() is page
    assert page.body.isVisible() and not page.explanation.isVisible()
    assert "No sync server is set" in page.source.text()

    expected = [
        v
        for v in service.list_escalations(manager_window.session, only_open=True)
        if v.category != "good_practice"
    ]
    listed = page.listed_ids()
    assert sorted(listed) == sorted(v.escalation_id for v in expected)
    deadlines = {v.escalation_id: v.overall_deadline for v in expected}
    assert [deadlines[i] for i in listed] == sorted(deadlines[i] for i in listed)
    group = page.tree.topLevelItem(0)
    assert group.text(0) == f"Overdue ({len(listed)})"  # the demo is looked at weeks later
    assert group.child(0).text(5).startswith("Overdue by ")
    assert page.inbox_label.text() == "No letters waiting for sign-off"
    assert unnamed_controls(page) == []


def test_arranged_by_stage_and_by_theme(manager_window):
    manager_window.show_page("manager")
    page = manager_window.page("manager")
    page.arrange.setCurrentIndex(page.arrange.findData("stage"))
    titles = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert titles[0].startswith("Not sent yet") and titles[1].startswith("Informal escalation")
    page.arrange.setCurrentIndex(page.arrange.findData("theme"))
    titles = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert titles[0] == "Drift in permanence planning (5)"


def test_resolve_from_the_managers_view(manager_window):
    manager_window.show_page("manager")
    page = manager_window.page("manager")
    before = page.listed_ids()
    target = page.selected()
    assert target is not None and target.can_act and page.resolve_button.isEnabled()
    page.resolve_button.click()
    form = page.keeper.form
    assert form is not None and form.isVisible()
    form.outcome.setPlainText("The Strategic Director agreed the plan on the phone.")
    form.difference.setPlainText("A permanence plan is in place before the next review.")
    form.try_submit()
    assert not form.isVisible()
    assert target.escalation_id not in page.listed_ids()
    assert len(page.listed_ids()) == len(before) - 1
    done = service.get_escalation(manager_window.session, target.escalation_id)
    assert done.status == "resolved" and done.events[-1].author == MANAGER


def test_the_quarterly_themes_report(manager_window):
    manager_window.show_page("manager")
    page = manager_window.page("manager")
    # The quarter just ended is chosen: October to December 2026 for a look in January 2027.
    assert page.year.currentData() == 2026 and page.quarter.currentData() == 3
    report = service.quarterly_themes_report(manager_window.session, 2026, 3)
    assert page.last_report == report
    assert f"{report.raised} escalations raised" in page.report_summary.text()
    top = page.theme_table.item(0, 0).text(), int(page.theme_table.item(0, 1).text())
    assert top == ("Drift in permanence planning", max(report.by_theme.values()))
    stages = [page.stage_table.item(r, 0).text() for r in range(page.stage_table.rowCount())]
    assert stages[0] == "Not sent yet" and "Informal escalation" in stages
    page.quarter.setCurrentIndex(page.quarter.findData(1))  # April to June: none raised
    assert "0 escalations raised" in page.report_summary.text()
    assert page.theme_table.rowCount() == 0


def test_an_iro_is_told_what_the_page_is_for(unlocked):
    unlocked.show_page("manager")
    page = unlocked.page("manager")
    assert page.explanation.isVisible() and not page.body.isVisible()
    assert "This page is for IRO managers" in page.not_manager.text()
    assert "Sam Quillfeather" in page.not_manager.text()
