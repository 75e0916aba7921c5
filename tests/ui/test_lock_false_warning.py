"""After a lock, the window says typing was not saved (or was put back) only when something
had really not been saved; what really was not saved still comes back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from iro_desktop.services import window as window_service
from iro_desktop.services.letters import LetterStatus
from iro_desktop.ui import dialogs

from .support import unlock
from .test_letter_page import completed_review, open_letter, stored_text, type_at_end


def test_a_submitted_letter_brings_no_not_saved_warning_after_a_lock(qtbot, unlocked):
    window = unlocked
    review_id = completed_review(window)
    page = open_letter(window, review_id)
    type_at_end(qtbot, page, "Thank you for the drawing.")
    window.autosave()  # the window keeps a copy of the typing every few seconds ...
    type_at_end(qtbot, page, " See you in March.")
    dialogs.set_next_answer(True)  # ... then the IRO submits, with everything saved
    qtbot.keyClick(page.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.letter.status is LetterStatus.SUBMITTED
    assert stored_text(window, review_id).endswith("See you in March.")
    window.autosave()
    assert window_service.list_drafts(window.session, "letter:") == []

    window.lock()
    window.statusBar().clearMessage()
    dialogs.reset()
    unlock(window)
    page = open_letter(window, review_id)
    assert dialogs.history == []  # no "what you typed on it before was not saved"
    assert "put back" not in window.statusBar().currentMessage()
    assert page.editor.toPlainText().endswith("See you in March.")


def test_the_lock_itself_removes_a_copy_the_letter_has_since_saved(qtbot, unlocked):
    window = unlocked
    review_id = completed_review(window)
    page = open_letter(window, review_id)
    type_at_end(qtbot, page, "Thank you for the drawing.")
    window.autosave()
    type_at_end(qtbot, page, " See you in March.")
    dialogs.set_next_answer(True)
    qtbot.keyClick(page.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    letter_id = page.letter.id

    result = window.lock()  # straight away: no autosave between submitting and locking
    assert result is not None and result.drafts_discarded == [f"letter:{letter_id}"]
    dialogs.reset()
    unlock(window)
    open_letter(window, review_id)
    assert dialogs.history == []
    assert "put back" not in window.statusBar().currentMessage()


def test_typing_really_not_saved_still_comes_back_with_its_message(qtbot, unlocked):
    window = unlocked
    review_id = completed_review(window)
    page = open_letter(window, review_id)
    type_at_end(qtbot, page, "Thank you for the drawing.")
    window.autosave()
    type_at_end(qtbot, page, " Typed just before the lid closed.")

    window.lock()
    unlock(window)
    page = open_letter(window, review_id)
    assert page.editor.toPlainText().endswith("Typed just before the lid closed.")
    assert "put back" in window.statusBar().currentMessage()
