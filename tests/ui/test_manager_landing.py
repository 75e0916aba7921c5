"""Issue 12, item 6: a manager lands on what waits for them (letters to sign off, open
escalations past their stage deadline, the team's overdue reviews) and acts from there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.domain.due import DueKind
from iro_desktop.services import due as due_service
from iro_desktop.services import escalations as escalation_service
from iro_desktop.services import letters

from .test_letter_page import (
    MANAGER,
    MANAGER_PASSPHRASE,
    add_manager,
    completed_review,
    switch_login,
)

ALT = Qt.KeyboardModifier.AltModifier


def test_a_manager_lands_on_what_waits_and_acts_from_there(unlocked, qtbot):
    window = unlocked
    # The IRO sends a letter for sign-off, then a manager logs in on this laptop.
    review_id = completed_review(window)
    letters.submit_review_letter(window.session, review_id)
    late = [
        v.escalation_id
        for v in escalation_service.list_escalations(window.session, only_open=True)
        if v.stage_overdue
    ]
    overdue = [
        i
        for i in due_service.dashboard(window.session).overdue
        if i.kind in (DueKind.REVIEW_DUE, DueKind.PATHWAY_REVIEW_DUE)
    ]
    assert late and overdue  # the demo is looked at weeks later
    add_manager(window)
    switch_login(window, MANAGER, MANAGER_PASSPHRASE)

    page = window.page("landing")
    assert window.current_page() is page
    assert window.windowTitle() == "Waiting for you - IRO Desktop"
    assert page.letters.heading.text() == "&Letters waiting for your sign-off (1)"
    letter = page.letters.model.rows[0]
    assert letter.review_id == review_id
    assert letter.written_by == "Sam Quillfeather"  # a person's name, not the login
    assert page.summary.text().startswith("Morgan Manager: 1 letter to sign off, ")
    assert sorted(r.escalation_id for r in page.escalations.model.rows) == sorted(late)
    assert {r.raised_by for r in page.escalations.model.rows} == {"Sam Quillfeather"}
    assert len(page.reviews.model.rows) == len(overdue)
    assert all(r.status.startswith("Overdue") for r in page.reviews.model.rows)

    # Enter on the letter opens sign-off; Back returns; Enter on a review opens the child.
    assert QApplication.focusWidget() is page.letters.table
    qtbot.keyClick(page.letters.table, Qt.Key.Key_Return)
    assert window.current_page() is window.page("signoff")
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Left, ALT)
    assert window.current_page() is page
    child = page.reviews.model.rows[0]
    page.reviews.table.setFocus()
    page.reviews.table.selectRow(0)
    qtbot.keyClick(page.reviews.table, Qt.Key.Key_Return)
    assert window.current_page() is window.page("child")
    assert window.page("child").child_id == child.child_id


def test_an_iro_is_not_sent_there_and_is_told_sign_off_is_a_managers(unlocked, qtbot):
    window = unlocked
    assert window.current_page() is window.page("caseload")
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    page = window.page("landing")
    assert window.current_page() is page
    assert page.letters.empty.text() == "Sign-off is for IRO managers."
    assert not page.letters.table.isVisible()
    assert page.reviews.model.rowCount() > 0
