"""An IRO who types a name the program cannot print is told so when submitting, in one line,
and the letter stays theirs to fix; Bengali, Chinese and Tigrinya go through."""

from __future__ import annotations

from iro_desktop.services.letters import LetterStatus
from iro_desktop.ui import dialogs

from .test_letter_page import completed_review, open_letter, type_at_end


def test_a_name_that_cannot_be_printed_is_named_before_sign_off(qtbot, unlocked):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    type_at_end(qtbot, page, " Your cousin ")
    page.editor.insertPlainText("민준")  # as an input method (or a paste) puts it in
    qtbot.keyClicks(page.editor, " says hello.")
    dialogs.set_next_answer(True)
    page.submit_button.click()
    shown = dialogs.last("error")
    assert shown is not None
    assert "cannot be printed in the PDF: 민 (U+BBFC" in shown.text
    assert "\n" not in shown.text and "Traceback" not in shown.text
    assert page.letter is not None and page.letter.status is LetterStatus.DRAFT
    assert "민준" in page.editor.toPlainText()  # nothing typed is lost

    text = page.editor.toPlainText().replace("민준", "রহিম, 陳美玲 and ሰላም")
    page.editor.setPlainText(text)
    dialogs.set_next_answer(True)
    page.submit_button.click()
    assert page.letter.status is LetterStatus.SUBMITTED
    assert "রহিম, 陳美玲 and ሰላም" in page.letter.text
