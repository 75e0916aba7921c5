"""The letter to the child in the window: drafted from the record, plain-language help beside
it, saved as the IRO types, sent for sign-off, issued and its sending logged.

A real encrypted caseload (the demo one plus one invented child whose review is complete),
the real window offscreen, the task queue synchronous. Today is Monday 11 January 2027.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from iro_desktop.services import letters, signoff
from iro_desktop.services.access import CaseloadSession
from iro_desktop.services.letters import LetterStatus
from iro_desktop.ui import dialogs
from iro_desktop.ui.main_window import MainWindow
from iro_desktop.ui.views.letter import LetterPage
from iro_desktop.ui.views.letter_forms import DistributionDialog, IssueDialog
from tests.services import letters_kit as kit

from .support import unlock

MANAGER = "morgan"
MANAGER_PASSPHRASE = "plum lighthouse meadow"


def completed_review(window: MainWindow) -> str:
    """Amira Quillfeather's first review: held, complete, recommendations issued."""
    session = window.session
    assert session is not None
    kit.ready(session)
    return kit.completed_review(session, kit.make_child(session))


def add_manager(window: MainWindow) -> None:
    assert window.session is not None
    window.session.add_login(MANAGER, "Morgan Manager", "manager", MANAGER_PASSPHRASE)


def switch_login(window: MainWindow, login: str, passphrase: str) -> None:
    window.lock()
    unlock(window, passphrase, login)
    assert window.session is not None and window.session.username == login


def manager_session(window: MainWindow) -> CaseloadSession:
    """A manager working on the same open caseload (as from the office, via sync)."""
    session = window.session
    assert session is not None
    add_manager(window)
    return CaseloadSession(session.paths, session.store, MANAGER, session.clock, session.settings)


def open_letter(window: MainWindow, review_id: str) -> LetterPage:
    window.show_page("letter", review_id)
    page = window.page("letter")
    assert isinstance(page, LetterPage)
    assert page.letter is not None, page.load_problem
    return page


def type_at_end(qtbot, page: LetterPage, words: str) -> None:  # type: ignore[no-untyped-def]
    page.editor.setFocus()
    page.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(page.editor, words)


def stored_text(window: MainWindow, review_id: str) -> str:
    assert window.session is not None
    return letters.list_versions(window.session, review_id)[-1].text


def test_first_opening_drafts_the_letter_from_the_record_with_help_beside_it(unlocked):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)

    assert page.letter is not None and page.letter.version == 1
    assert page.letter.status is LetterStatus.DRAFT
    text = page.editor.toPlainText()
    assert "Dear Amira," in text and "swimming lessons" in text
    assert page.heading.text() == "Letter to Amira Quillfeather"
    assert "written for age 8 to 12" in page.subtitle.text()
    assert page.panel.score.text().startswith("Reading ease ")
    assert "age 8 to 12 (target 70)" in page.panel.score.text()
    assert "not yet sent for sign-off" in page.status_box.text()
    assert "Letter to the child not sent yet" in page.deadlines.text()
    assert not page.editor.isReadOnly()
    # Opening it again carries on with the same version instead of drafting another.
    unlocked.show_page("caseload")
    unlocked.show_page("letter", review_id)
    assert page.letter.version == 1
    assert len(letters.list_versions(unlocked.session, review_id)) == 1


def test_a_review_not_held_yet_says_why_there_is_no_letter(unlocked):
    session = unlocked.session
    child_id = kit.make_child(session)
    from iro_desktop.services import reviews

    planned = reviews.plan_next_review(session, child_id, planned_on=date(2027, 1, 20))
    unlocked.show_page("letter", planned.review.id)
    page = unlocked.page("letter")
    assert isinstance(page, LetterPage)
    assert page.letter is None
    assert page.empty.isVisible() and "No letter can be written" in page.empty.text()
    assert not page.submit_button.isEnabled()


def test_typing_jargon_brings_advice_with_a_plainer_word(qtbot, unlocked):
    page = open_letter(unlocked, completed_review(unlocked))
    type_at_end(qtbot, page, "Your placement with Jo is going well.")

    qtbot.waitUntil(lambda: any("\u2018placement\u2019" in t for t in page.panel.texts()))
    advice = next(t for t in page.panel.texts() if "\u2018placement\u2019" in t)
    assert advice.startswith("Jargon:")
    assert "Say 'where you live' or 'your home'." in advice
    assert "jargon word" in page.panel.counts.text()


def test_choosing_advice_by_keyboard_or_click_marks_the_words_in_the_letter(qtbot, unlocked):
    page = open_letter(unlocked, completed_review(unlocked))
    type_at_end(qtbot, page, "We talked about contact with your mum.")
    page.check_now()
    texts = page.panel.texts()
    row = next(i for i, t in enumerate(texts) if "\u2018contact\u2019" in t)

    # Keyboard: into the list, arrow down to the item.
    page.panel.list.setFocus()
    page.panel.list.setCurrentRow(0)
    for _ in range(row):
        qtbot.keyClick(page.panel.list, Qt.Key.Key_Down)
    assert page.panel.list.currentRow() == row
    assert page.highlighted_text() == "contact"
    text = page.editor.toPlainText()
    assert page.editor.textCursor().position() == text.index("contact with your mum")
    assert any(
        s.format.background().color().name() == "#ffe58f" for s in page.editor.extraSelections()
    )
    assert page.panel.list.hasFocus()  # looking does not take the IRO out of the list

    # Enter goes to the words, selected, so typing replaces them.
    qtbot.keyClick(page.panel.list, Qt.Key.Key_Return)
    assert page.editor.hasFocus()
    assert page.editor.textCursor().selectedText() == "contact"

    # A click on another item marks that one.
    other = next(i for i, t in enumerate(texts) if t.startswith("Long sentence"))
    item = page.panel.list.item(other)
    rect = page.panel.list.visualItemRect(item)
    qtbot.mouseClick(page.panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.panel.list.currentRow() == other
    assert page.highlighted_text().startswith("Before then, I will come to see you")


def test_typing_is_saved_to_the_store_within_two_seconds_and_can_be_undone(qtbot, unlocked):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    started = time.monotonic()
    type_at_end(qtbot, page, "See you soon, Amira!")

    qtbot.waitUntil(
        lambda: "See you soon, Amira!" in stored_text(unlocked, review_id), timeout=2000
    )
    assert time.monotonic() - started < 2.0
    assert page.saved_label.text() == "Saved 10:00:00"

    qtbot.keyClick(page.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "See you soon, Amira!" not in page.editor.toPlainText()
    qtbot.keyClick(
        page.editor,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert "See you soon, Amira!" in page.editor.toPlainText()


def test_text_typed_just_before_the_lock_is_kept_and_put_back(qtbot, unlocked):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    type_at_end(qtbot, page, "Written just before the lid closed.")
    assert page.autosave_timer.isActive()  # not saved yet

    unlocked.lock()
    assert page.editor.toPlainText() == ""  # nothing shows behind the lock
    unlock(unlocked)

    page = open_letter(unlocked, review_id)
    assert "Written just before the lid closed." in page.editor.toPlainText()
    page.save_now()
    assert "Written just before the lid closed." in stored_text(unlocked, review_id)


def test_a_draft_older_than_the_last_save_does_not_come_back_over_it(qtbot, unlocked):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    type_at_end(qtbot, page, "First words.")
    unlocked.autosave()  # the window keeps a draft of the unsaved typing ...
    type_at_end(qtbot, page, " Second words.")
    page.save_now()  # ... and then the letter itself is saved, with more in it

    unlocked.lock()
    unlock(unlocked)
    page = open_letter(unlocked, review_id)
    assert page.editor.toPlainText().endswith("First words. Second words.")
    assert not page.dirty
    from iro_desktop.services import window as window_service

    assert window_service.list_drafts(unlocked.session, "letter:") == []


def test_a_letter_changed_elsewhere_is_not_overwritten_and_the_typing_is_kept(qtbot, unlocked):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    letter = page.letter
    assert letter is not None
    # Another device saved this version after the page opened it.
    letters.save_text(unlocked.session, letter.id, letter.text + "From elsewhere.\n")

    type_at_end(qtbot, page, "Typed here.")
    page.save_now()
    assert dialogs.last("error").title == "The letter was not saved"
    assert "changed elsewhere" in dialogs.last("error").text
    assert stored_text(unlocked, review_id).endswith("From elsewhere.\n")  # not overwritten
    assert page.drafts()[f"letter:{letter.id}"]["text"].endswith("Typed here.")

    errors = len([s for s in dialogs.history if s.kind == "error"])
    type_at_end(qtbot, page, " And more.")
    page.save_now()
    assert len([s for s in dialogs.history if s.kind == "error"]) == errors  # asked once
    assert page.saved_label.text() == "Not saved: your text is kept as a draft."


def test_submitting_asks_first_then_the_letter_waits_read_only(qtbot, unlocked):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    type_at_end(qtbot, page, "Thank you for the drawing.")

    dialogs.set_next_answer(False)
    qtbot.keyClick(page.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.last("confirm").title == "Submit for sign-off?"
    assert page.letter.status is LetterStatus.DRAFT

    dialogs.set_next_answer(True)
    qtbot.keyClick(page.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.letter.status is LetterStatus.SUBMITTED
    assert "Thank you for the drawing." in page.letter.text  # what was typed went with it
    assert page.editor.isReadOnly()
    assert not page.submit_button.isEnabled()
    assert "with a manager for sign-off" in page.status_box.text()


def test_a_returned_letter_shows_the_managers_comment_and_can_be_changed(qtbot, unlocked):
    review_id = completed_review(unlocked)
    manager = manager_session(unlocked)
    submitted = letters.submit_review_letter(unlocked.session, review_id)
    signoff.return_letter(manager, submitted.id, "Please say who Mr Lime is.")

    page = open_letter(unlocked, review_id)
    assert page.letter.status is LetterStatus.RETURNED
    words = page.status_box.text()
    assert "Returned for changes by Morgan Manager" in words
    assert "\u201cPlease say who Mr Lime is.\u201d" in words
    assert not page.editor.isReadOnly() and page.submit_button.isEnabled()


def test_pdfs_are_saved_only_where_the_iro_chooses_and_large_print_is_kept(
    qtbot, unlocked, tmp_path: Path
):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    chosen = tmp_path / "chosen" / "amira-letter.pdf"
    chosen.parent.mkdir()

    dialogs.set_next_answer(str(chosen))
    qtbot.keyClick(
        page.editor,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    reader = PdfReader(str(chosen))
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    assert "Dear Amira" in " ".join(text.split())
    assert "not yet approved" in text

    record = tmp_path / "chosen" / "record"
    dialogs.set_next_answer(str(record))
    page.record_button.click()
    assert (tmp_path / "chosen" / "record.pdf").exists()
    assert sorted(p.name for p in chosen.parent.iterdir()) == ["amira-letter.pdf", "record.pdf"]

    dialogs.set_next_answer(None)  # cancelled: nothing written
    page.save_pdf_button.click()
    assert len(list(chosen.parent.iterdir())) == 2

    # Large print is kept with the letter, and typing after it still saves.
    page.large_print.click()
    assert letters.list_versions(unlocked.session, review_id)[-1].large_print
    type_at_end(qtbot, page, " More.")
    page.save_now()
    assert stored_text(unlocked, review_id).endswith(" More.")


def test_preview_shows_the_pages_without_writing_a_file(qtbot, unlocked, tmp_path: Path):
    review_id = completed_review(unlocked)
    page = open_letter(unlocked, review_id)
    before = {p for p in Path(unlocked.paths.root).rglob("*")}

    page.preview_button.click()
    dialog = page.preview_dialog
    assert dialog is not None and dialog.isVisible()
    assert len(dialog.pages) >= 1
    assert dialog.page_labels[0].pixmap().width() > 500
    assert {p for p in Path(unlocked.paths.root).rglob("*")} == before
    dialog.close()


def _fill(**fields: str):  # type: ignore[no-untyped-def]
    def fill(form) -> bool:  # type: ignore[no-untyped-def]
        form.recipient.setText(fields.get("recipient", ""))
        form.role.setText(fields.get("role", ""))
        form.method.setCurrentIndex(form.method.findText(fields.get("method", "Post")))
        problem = form.check()
        assert not problem, problem
        return True

    return fill


def test_issuing_the_approved_letter_and_logging_who_received_it(qtbot, unlocked):
    review_id = completed_review(unlocked)
    manager = manager_session(unlocked)
    submitted = letters.submit_review_letter(unlocked.session, review_id)
    signoff.approve(manager, submitted.id)
    page = open_letter(unlocked, review_id)
    assert page.issue_button.isEnabled() and not page.distribution_button.isEnabled()

    dialogs.set_next_answer(_fill(recipient="Amira", role="the child", method="By hand"))
    page.issue_button.click()
    assert isinstance(dialogs.last("form"), dialogs.Shown)
    assert page.letter.status is LetterStatus.ISSUED
    assert "Issued on Monday 11 January 2027" in page.status_box.text()

    dialogs.set_next_answer(_fill(recipient="Jo Fernhallow", role="carer", method="Email"))
    page.distribution_button.click()
    rows = [
        [page.sent.item(r, c).text() for c in range(page.sent.columnCount())]
        for r in range(page.sent.rowCount())
    ]
    assert rows == [
        ["1", "Amira (the child)", "Hand", "11 Jan 2027"],
        ["1", "Jo Fernhallow (carer)", "Email", "11 Jan 2027"],
    ]
    assert "Letter to the child sent on Monday 11 January 2027" in page.deadlines.text()


def test_the_sending_forms_refuse_a_role_without_a_person(qtbot, unlocked):
    form = DistributionDialog(1, date(2027, 1, 11))
    assert form.check() == "Say who the letter was sent to."
    issue = IssueDialog(1, date(2027, 1, 11))
    assert issue.check() == ""  # issuing without logging anyone yet is fine
    issue.role.setText("carer")
    assert "Say who the letter was sent to" in issue.check()


@pytest.mark.parametrize("text", ["caf\u00e9 \U0001f600 placement"])
def test_advice_positions_count_characters_beyond_the_basic_plane(text):
    from iro_desktop.ui.views.letter import qt_position

    index = text.index("placement")
    assert qt_position(text, index) == index + 1  # the emoji is two UTF-16 units
