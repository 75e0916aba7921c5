"""Issue 12, item 9: a mid-point review and the IRO's own visit are recorded from the child's
page (and the command line), shown there, due on the Due dashboard per the profile, and the
visit counts as seeing the child before the next review."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt

from iro_desktop.domain.due import DueKind
from iro_desktop.domain.review import Progress
from iro_desktop.services import due as due_service
from iro_desktop.services import oversight as oversight_service
from iro_desktop.services import reports as reports_service
from iro_desktop.services import reviews as review_service
from iro_desktop.ui import dialogs
from iro_desktop.ui.widgets import uk_date

from .support import LOGIN, PASSPHRASE, TODAY

ALT = Qt.KeyboardModifier.AltModifier


def _midpoint_rows(window, child_id: str):  # type: ignore[no-untyped-def]
    return [
        i
        for i in due_service.dashboard(window.session).items
        if i.kind is DueKind.MIDPOINT_REVIEW_DUE and i.child_id == child_id
    ]


def _child_with_a_midpoint_due(window):  # type: ignore[no-untyped-def]
    for item in due_service.dashboard(window.session).items:
        if item.kind is DueKind.MIDPOINT_REVIEW_DUE:
            found = oversight_service.oversight(window.session, item.child_id)
            if found.recommendations:
                return item, found
    raise AssertionError("the demo has a child whose mid-point review is due")


def test_a_midpoint_review_from_the_childs_page_leaves_the_dashboard(unlocked, qtbot):
    window = unlocked
    item, found = _child_with_a_midpoint_due(window)
    before = reports_service.annual_report(window.session, 2026).figures.midpoint_reviews
    # On the Due dashboard (the shipped profile asks for mid-point reviews).
    window.show_page("due")
    due = window.page("due")
    due.set_view("all")
    assert any(
        r.item and r.item.kind is DueKind.MIDPOINT_REVIEW_DUE and r.item.child_id == item.child_id
        for r in due.model.rows
    )

    window.open_child(item.child_id)
    page = window.page("child")
    qtbot.keyClick(page, Qt.Key.Key_O, ALT)
    tab = page.oversight
    assert page.tabs.currentWidget() is tab
    assert f"Mid-point review {'overdue since' if item.due_date < TODAY else 'due'}" in (
        tab.due.text()
    )
    first = found.recommendations[0]

    def fill(form) -> bool:  # type: ignore[no-untyped-def]
        form.set_progress(first.id, Progress.DONE)
        form.notes.setPlainText("Checked with the social worker: the PEP is in place.")
        return True

    dialogs.set_next_answer(fill)
    qtbot.keyClick(page, Qt.Key.Key_M, ALT)
    qtbot.wait(150)  # the button's press is animated
    assert window.status_message() == f"The mid-point review of {uk_date(TODAY)} was recorded."
    assert tab.model.rows[0].summary == "Checked with the social worker: the PEP is in place."
    assert "done" in tab.due.text()
    assert _midpoint_rows(window, item.child_id) == []
    review = review_service.get_review(window.session, found.last_review_id).review
    assert review.recommendation(first.id).status.value == "done"

    # The IRO's own visit: on the tab, and it is contact with the child for the visit window.
    dialogs.set_next_answer(lambda form: form.seen_alone.setCurrentIndex(1) or True)
    qtbot.keyClick(page, Qt.Key.Key_I, ALT)
    qtbot.wait(150)
    assert window.status_message() == f"Your visit of {uk_date(TODAY)} was recorded."
    visits = [r for r in tab.model.rows if r.summary == "Visited the child (seen alone)"]
    assert [(v.on, v.author) for v in visits] == [(TODAY, "Sam Quillfeather")]
    state = due_service.caseload_due(window.session, child_id=item.child_id).states[0]
    assert state.last_consultation == TODAY

    # Both are counted in the year's figures (Reports, Ctrl+7).
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    reports = window.page("reports")
    lines = {r.label: r.number for r in reports.model.rows}
    assert int(lines["IRO visits to children between reviews"]) == 1
    assert int(lines["Mid-point reviews recorded"]) == before + 1


def test_the_command_line_records_a_visit_and_refuses_a_bad_progress(paths):
    env = dict(os.environ, IRO_DESKTOP_PASSPHRASE=PASSPHRASE)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.fast_kdf",
                "--data-dir",
                str(paths.root),
                "--user",
                LOGIN,
                *args,
            ],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )

    listed = run("caseload", "--json")
    assert listed.returncode == 0, listed.stderr
    import json

    child = json.loads(listed.stdout)[0]["id"]
    done = run("review", "visit", child, "--on", "2026-11-20", "--seen-alone", "yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Your visit on 2026-11-20 was recorded (Sam Quillfeather).")
    bad = run("review", "midpoint", "no-such-review", "--progress", "abc=sideways")
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1 and "is not one of" in bad.stderr
