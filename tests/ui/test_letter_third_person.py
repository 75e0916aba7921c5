"""Submitting a letter that still talks about the child in the third person, in the window:
the sentences are named, the IRO fixes them or says they are right, and then it goes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from iro_desktop.services.letters import LetterStatus
from iro_desktop.ui import dialogs

from .test_letter_page import completed_review, open_letter, type_at_end


def test_a_sentence_about_the_child_is_named_and_the_iro_decides(qtbot, unlocked):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    type_at_end(qtbot, page, "Amira has been very brave this term.")

    dialogs.set_next_answer(True)  # submit for sign-off?
    dialogs.set_next_answer(False)  # still about the child: no, let me change it
    qtbot.keyClick(page.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    asked = dialogs.last("confirm")
    assert asked.title == "Still written about the child?"
    assert "Amira has been very brave this term." in asked.text
    assert page.letter.status is LetterStatus.DRAFT
    assert "Amira has been very brave" in page.notes.text()  # listed under 'To check'

    dialogs.set_next_answer(True)
    dialogs.set_next_answer(True)  # it is right as written: submit anyway
    qtbot.keyClick(page.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.letter.status is LetterStatus.SUBMITTED
    assert "Amira has been very brave this term." in page.letter.text
