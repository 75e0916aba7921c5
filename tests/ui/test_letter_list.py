"""The Letters page: the letters still to do with their deadlines in words, and printing every
approved letter in one go with a progress dialog that can stop between letters."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from iro_desktop.services import letters, signoff
from iro_desktop.ui import dialogs
from iro_desktop.ui.main_window import MainWindow
from iro_desktop.ui.views.letter import LetterPage
from iro_desktop.ui.views.letter_list import LettersPage
from tests.services import letters_kit as kit

from .test_letter_page import completed_review, manager_session


def letters_page(window: MainWindow) -> LettersPage:
    window.show_page("letters")
    page = window.page("letters")
    assert isinstance(page, LettersPage)
    return page


def row_of(page: LettersPage, review_id: str) -> int:
    return next(
        r for r in range(page.proxy.rowCount()) if page.proxy.row_at(r).review_id == review_id
    )


def cells(page: LettersPage, row: int) -> list[str]:
    return [page.proxy.index(row, c).data() for c in range(page.proxy.columnCount())]


def approved_letters(window: MainWindow, count: int) -> list[str]:
    session = window.session
    assert session is not None
    manager = manager_session(window)
    kit.ready(session)
    done = []
    for n in range(count):
        child = kit.make_child(session, first=f"Child{'AB'[n]}", preferred="")
        review_id = kit.completed_review(session, child, child_name=f"Child{'AB'[n]} Quillfeather")
        signoff.approve(manager, letters.submit_review_letter(session, review_id).id)
        done.append(review_id)
    return done


def test_letters_to_do_are_listed_with_deadlines_and_enter_opens_one(qtbot, unlocked):
    review_id = completed_review(unlocked)
    page = letters_page(unlocked)
    assert unlocked.page_actions["letters"].shortcut().toString() == "Ctrl+4"
    row = row_of(page, review_id)
    assert cells(page, row) == [
        "Amira Quillfeather",
        "27 Oct 2026",
        "Not written yet",
        "Not sent yet: 31 working days late (due by Tuesday 24 November 2026).",
    ]
    assert page.count.text().endswith("letters to do")

    page.filter.setCurrentIndex(page.filter.findData("to_write"))
    page.focus_first()
    page.table.selectRow(row_of(page, review_id))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    letter = unlocked.page("letter")
    assert isinstance(letter, LetterPage) and unlocked.current_page() is letter
    assert letter.letter is not None and letter.letter.version == 1

    unlocked.back()  # the list now says the letter is a draft
    assert page.proxy.rowCount() == 0 or all(
        page.proxy.row_at(r).review_id != review_id for r in range(page.proxy.rowCount())
    )
    page.filter.setCurrentIndex(page.filter.findData("draft"))
    assert page.proxy.rowCount() == 1
    assert cells(page, 0)[2] == "Draft"


def test_printing_all_approved_letters_shows_progress_and_writes_each_pdf(
    qtbot, unlocked, tmp_path: Path
):
    approved_letters(unlocked, 2)
    page = letters_page(unlocked)
    seen: list[tuple[int, int]] = []
    page.batch_relay.moved.connect(lambda done, total: seen.append((done, total)))
    folder = tmp_path / "approved"

    dialogs.set_next_answer(str(folder))
    page.print_button.click()

    assert seen == [(0, 2), (1, 2), (2, 2)]
    progress = page.batch_progress
    assert progress is not None and progress.maximum() == 2 and progress.value() == 2
    assert not progress.isVisible()
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 2
    assert [p.name for p in pdfs] == [  # whose letter it is, before opening it
        "letter-ChildA-Quillfeather-2026-10-27.pdf",
        "letter-ChildB-Quillfeather-2026-10-27.pdf",
    ]
    text = " ".join(PdfReader(str(pdfs[0])).pages[0].extract_text().split())
    assert "approved by Morgan Manager" in text
    shown = dialogs.last("info")
    assert shown is not None and shown.title == "2 approved letters saved as PDF"
    assert "2 approved letters saved as PDF" in shown.text


def test_the_batch_can_be_stopped_between_letters(qtbot, unlocked, tmp_path: Path):
    approved_letters(unlocked, 2)
    page = letters_page(unlocked)

    def stop_after_first(done: int, total: int) -> None:
        if done == 1 and page.batch_progress is not None:
            page.batch_progress.findChild(QPushButton).click()  # Cancel

    page.batch_relay.moved.connect(stop_after_first)
    folder = tmp_path / "stopped"
    dialogs.set_next_answer(str(folder))
    page.print_button.click()

    assert len(list(folder.glob("*.pdf"))) == 1
    shown = dialogs.last("info")
    assert shown is not None and shown.title == "Saving the letters was cancelled"
    assert "after 1 of 2 letters" in shown.text
    # The letter already written is personal data on disk: its export is in the audit trail.
    from iro_desktop.services import caseload

    trail = caseload.audit_trail(unlocked.session)
    assert sum("batch stopped part-way" in e["detail"] for e in trail) == 1
