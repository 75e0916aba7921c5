"""The manager's sign-off page, and the whole round trip: the IRO submits, a manager logs in
and approves from the keyboard, and the IRO then finds the letter frozen, with corrections as
new versions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from iro_desktop.services import letters
from iro_desktop.services.letters import LetterStatus
from iro_desktop.ui import dialogs
from iro_desktop.ui.main_window import MainWindow
from iro_desktop.ui.views.signoff import NOT_A_MANAGER, SignoffPage

from .support import LOGIN, PASSPHRASE
from .test_letter_page import (
    MANAGER,
    MANAGER_PASSPHRASE,
    add_manager,
    completed_review,
    open_letter,
    switch_login,
    type_at_end,
)


def alt(qtbot, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Alt+letter as typed, to whatever has the focus (a button then clicks itself)."""
    qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)


def signoff_page(window: MainWindow) -> SignoffPage:
    window.show_page("signoff")
    page = window.page("signoff")
    assert isinstance(page, SignoffPage)
    return page


def submitted_by_the_iro(qtbot, window: MainWindow) -> str:  # type: ignore[no-untyped-def]
    review_id = completed_review(window)
    page = open_letter(window, review_id)
    type_at_end(qtbot, page, "I enjoyed meeting you.")
    dialogs.set_next_answer(True)
    page.submit_button.click()
    assert page.letter is not None and page.letter.status is LetterStatus.SUBMITTED
    return review_id


def test_an_iro_is_told_sign_off_is_for_managers(unlocked):
    page = signoff_page(unlocked)
    assert page.intro.text() == NOT_A_MANAGER
    assert not page.splitter.isVisible()
    assert unlocked.page_actions["signoff"].shortcut().toString() == "Ctrl+5"


def test_a_manager_approves_by_keyboard_and_the_iro_finds_it_frozen(qtbot, unlocked):
    review_id = submitted_by_the_iro(qtbot, unlocked)
    add_manager(unlocked)
    switch_login(unlocked, MANAGER, MANAGER_PASSPHRASE)

    page = signoff_page(unlocked)
    assert page.model.rowCount() == 1
    item = page.model.row_at(0)
    assert item.child_name == "Amira Quillfeather" and item.written_by == "Sam Quillfeather"
    assert "late" in page.model.data(page.model.index(0, 5))

    page.focus_first()
    qtbot.keyClick(page.inbox, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.current is not None)
    assert page.letter_view.hasFocus()
    # The letter as the child gets it: its PDF pages drawn on screen.
    assert page.letter_view.page_labels
    assert "I enjoyed meeting you." in " ".join(page.letter_view.accessibleDescription().split())
    assert "Participation: PN1" in page.summary.text()
    assert "Social worker to arrange swimming lessons (Sam Puddleby" in page.summary.text()

    # Tab: the letter's pages, the record's tabs, the record's pages, then the comment.
    seen = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
        if page.comment.hasFocus():
            break
    assert page.comment.hasFocus()
    assert page.record_view in seen or page.record_tabs.isAncestorOf(seen[0])
    qtbot.keyClicks(page.comment, "A warm letter.")
    dialogs.set_next_answer(True)
    alt(qtbot, Qt.Key.Key_A)  # the Approve button's mnemonic
    qtbot.waitUntil(lambda: page.stamp.isVisible())
    assert dialogs.last("confirm").title == "Approve this letter?"
    stamp = page.stamp.text()
    assert page.stamp.isVisible()
    assert stamp.startswith("Approved by Morgan Manager on Monday 11 January 2027 at 10:00")
    assert "(version 1, ref " in stamp
    assert page.model.rowCount() == 0
    assert page.count.text() == "Nothing is waiting for sign-off."

    switch_login(unlocked, LOGIN, PASSPHRASE)
    letter_page = open_letter(unlocked, review_id)
    approved = letter_page.letter
    assert approved is not None and approved.status is LetterStatus.APPROVED
    assert letter_page.editor.isReadOnly()
    assert not letter_page.submit_button.isEnabled()
    assert "Approved by Morgan Manager" in letter_page.status_box.text()

    dialogs.set_next_answer(True)
    letter_page.correct_button.click()
    correction = letter_page.letter
    assert correction is not None and correction.version == 2
    assert correction.status is LetterStatus.DRAFT and correction.corrects_version == 1
    assert not letter_page.editor.isReadOnly()
    type_at_end(qtbot, letter_page, " P.S. Your next review is on a school day.")
    letter_page.save_now()
    versions = letters.list_versions(unlocked.session, review_id)
    assert [v.status for v in versions] == [LetterStatus.APPROVED, LetterStatus.DRAFT]
    assert versions[0].text == approved.text  # the approved version never changes
    assert versions[1].text.endswith("P.S. Your next review is on a school day.")

    # The old version can still be looked at, read-only, from the version list.
    letter_page.versions.setCurrentIndex(letter_page.versions.findData(versions[0].id))
    letter_page.versions.activated.emit(letter_page.versions.currentIndex())
    assert letter_page.letter.version == 1 and letter_page.editor.isReadOnly()


def test_returning_needs_a_comment_and_the_iro_sees_it(qtbot, unlocked):
    review_id = submitted_by_the_iro(qtbot, unlocked)
    add_manager(unlocked)
    switch_login(unlocked, MANAGER, MANAGER_PASSPHRASE)
    page = signoff_page(unlocked)
    page.focus_first()
    qtbot.keyClick(page.inbox, Qt.Key.Key_Return)

    page.return_button.click()
    assert dialogs.last("warning").title == "Say what needs to change"
    assert page.comment.hasFocus()
    qtbot.keyClicks(page.comment, "Please explain who Mr Lime is.")
    alt(qtbot, Qt.Key.Key_R)  # Return with comment
    qtbot.waitUntil(lambda: page.stamp.isVisible())
    assert page.stamp.text().startswith("Returned to the IRO")
    assert page.model.rowCount() == 0

    switch_login(unlocked, LOGIN, PASSPHRASE)
    letter_page = open_letter(unlocked, review_id)
    assert letter_page.letter.status is LetterStatus.RETURNED
    assert "\u201cPlease explain who Mr Lime is.\u201d" in letter_page.status_box.text()
    assert letter_page.submit_button.isEnabled()

    type_at_end(qtbot, letter_page, " Mr Lime is your teacher.")
    dialogs.set_next_answer(True)
    letter_page.submit_button.click()
    assert letter_page.letter.status is LetterStatus.SUBMITTED
    assert letter_page.letter.text.rstrip().endswith("Mr Lime is your teacher.")


def _mnemonics(root) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton, QLabel

    found = []
    for w in root.findChildren(QAbstractButton) + root.findChildren(QLabel):
        text = w.text().replace("&&", "")
        if "&" in text:
            found.append(text[text.index("&") + 1].lower())
    return found


def test_the_letter_screens_name_every_control_and_repeat_no_alt_key(qtbot, unlocked):
    from iro_desktop.ui.views.letter_forms import DistributionDialog, IssueDialog

    from .test_keyboard import unnamed_controls

    review_id = completed_review(unlocked)
    open_letter(unlocked, review_id)
    roots = [unlocked.page(key) for key in ("letter", "letters", "signoff")]
    forms = [IssueDialog(1, kit_today(unlocked)), DistributionDialog(1, kit_today(unlocked))]
    missing = [name for root in roots + forms for name in unnamed_controls(root)]
    assert missing == [], "\n".join(missing)
    menus = {"f", "g", "s", "h", "y"}  # File, Go, Settings, Help, Sync
    for root in roots:
        keys = _mnemonics(root)
        assert len(keys) == len(set(keys)), f"{root.key}: {sorted(keys)}"
        assert not set(keys) & menus, f"{root.key} takes a menu's Alt key"


def kit_today(window: MainWindow):  # type: ignore[no-untyped-def]
    assert window.session is not None
    return window.session.clock.today()
