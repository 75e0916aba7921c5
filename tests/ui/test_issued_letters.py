"""Issue 12, item 7: letters already issued, across the caseload, with the distribution log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.services import letters, signoff
from iro_desktop.services.letter_model import DistributionMethod, Recipient

from .support import TODAY
from .test_letter_page import completed_review, manager_session


def test_an_issued_letter_is_listed_with_who_it_went_to(unlocked, qtbot):
    window = unlocked
    review_id = completed_review(window)
    version = letters.submit_review_letter(window.session, review_id)
    signoff.approve(manager_session(window), version.id)
    sent_on = TODAY
    letters.issue(
        window.session,
        version.id,
        on=sent_on,
        sent_to=[
            Recipient("Amira", DistributionMethod.HAND, role="Child"),
            Recipient("Gus Marrowby", DistributionMethod.SECURE_EMAIL, role="Social worker"),
        ],
    )

    window.page_actions["issued"].trigger()
    page = window.page("issued")
    assert window.current_page() is page
    assert window.windowTitle() == "Issued letters - IRO Desktop"
    assert page.summary.text() == "1 letter issued on this caseload."
    row = page.model.rows[0]
    assert row.review_id == review_id and row.issued_by == "Sam Quillfeather"
    assert row.approved_by == "Morgan Manager"
    assert page.log_model.rowCount() == 2
    log = {(d.recipient, d.method, d.recorded_by) for d in page.log_model.rows}
    assert log == {
        ("Amira", "by hand", "Sam Quillfeather"),
        ("Gus Marrowby", "by secure email", "Sam Quillfeather"),
    }
    assert "Distribution log: the letter to" in page.log_heading.text().replace("&", "")

    # Searching finds the child; a name not on the list empties it; Enter opens the letter.
    qtbot.keyClicks(page.search, "zzz")
    assert page.proxy.rowCount() == 0
    page.search.clear()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is page.table
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.current_page() is window.page("letter")
