"""The sign-off window as a manager meets it: the count at unlock, the letter as the child
will see it (its PDF pages) beside the record, no markup, and the decision in view at
1280x800."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QWidget

from iro_desktop.services import signoff
from iro_desktop.ui.main_window import MainWindow

from .test_letter_page import MANAGER, MANAGER_PASSPHRASE, add_manager, switch_login
from .test_signoff_page import signoff_page, submitted_by_the_iro

MARKUP = re.compile(r"^\s*(#{1,6}\s|- )", re.MULTILINE)


def sidebar_text(window: MainWindow, key: str) -> str:
    for row in range(window.sidebar.count()):
        item = window.sidebar.item(row)
        if item.data(0x0100) == key:  # Qt.ItemDataRole.UserRole
            return item.text()
    raise AssertionError(f"no {key} in the navigation")


def on_screen(widget: QWidget, window: MainWindow) -> bool:
    """The widget is shown, unclipped, inside the window's visible area."""
    if not widget.isVisible() or widget.visibleRegion().isEmpty():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    box = QRect(top_left, widget.size())
    return window.rect().contains(box) and widget.visibleRegion().boundingRect() == widget.rect()


def shown_texts(root: QWidget) -> list[str]:
    texts = [w.text() for w in root.findChildren(QLabel) if w.isVisible()]
    texts += [w.toPlainText() for w in root.findChildren(QPlainTextEdit) if w.isVisible()]
    texts += [w.toPlainText() for w in root.findChildren(QTextEdit) if w.isVisible()]
    return texts


def test_a_manager_sees_at_once_how_many_letters_wait(qtbot, unlocked):
    submitted_by_the_iro(qtbot, unlocked)
    assert sidebar_text(unlocked, "signoff") == "Sign-off"  # an IRO is shown no count
    add_manager(unlocked)
    switch_login(unlocked, MANAGER, MANAGER_PASSPHRASE)

    assert sidebar_text(unlocked, "signoff") == "Sign-off (1 waiting)"
    assert unlocked.status_message() == "1 letter waiting for your sign-off: Ctrl+5 opens them."
    assert signoff.letters_waiting(unlocked.session) == 1

    page = signoff_page(unlocked)
    assert page.heading.text() == "Sign-off: 1 waiting"
    page.focus_first()
    page.open_current(focus=True)
    page.comment.setPlainText("Lovely.")
    from iro_desktop.ui import dialogs

    dialogs.set_next_answer(True)
    page.approve_button.click()
    qtbot.waitUntil(lambda: page.stamp.isVisible())
    assert sidebar_text(unlocked, "signoff") == "Sign-off"
    assert page.heading.text() == "Sign-off"


def test_the_manager_reads_the_rendered_letter_beside_the_record_with_the_buttons_in_view(
    qtbot, unlocked, tmp_path: Path
):
    submitted_by_the_iro(qtbot, unlocked)
    add_manager(unlocked)
    switch_login(unlocked, MANAGER, MANAGER_PASSPHRASE)
    unlocked.resize(1280, 800)
    page = signoff_page(unlocked)
    page.focus_first()
    page.open_current(focus=True)
    qtbot.waitUntil(lambda: page.current is not None)
    found = page.current
    assert found is not None

    # The pages on screen are the letter's PDF, page for page, and what they say is the letter.
    import pypdfium2

    assert len(page.letter_view.page_labels) == len(pypdfium2.PdfDocument(found.letter_pdf))
    words = " ".join(page.letter_view.accessibleDescription().split())
    assert "Dear Amira," in words and "I enjoyed meeting you." in words
    # The record beside it, drawn the same way.
    assert page.record_tabs.currentWidget() is page.record_view
    assert page.record_view.page_labels
    assert page.reading.widget(1) is page.record_tabs

    # No markup anywhere on the page: not in the letter's words, not in any label or box.
    assert not MARKUP.search(found.letter_words)
    for text in shown_texts(page):
        assert not MARKUP.search(text), text
    assert found.opened.letter.text.startswith("# ")  # the stored text has markup: not shown

    # At 1280x800 the comment and both buttons are on screen without scrolling.
    qtbot.waitUntil(lambda: unlocked.size().width() == 1280 and unlocked.size().height() == 800)
    qtbot.wait(200)  # let the layout settle, as the event loop would before anyone looks
    assert page.letter_view.page_labels[0].visibleRegion().boundingRect().height() > 200
    for widget in (page.comment, page.approve_button, page.return_button):
        assert on_screen(widget, unlocked), widget.accessibleName()
    assert page.approve_button.isEnabled() and page.return_button.isEnabled()
    shot = Path(os.environ.get("IRO_SCREENSHOT_DIR", tmp_path)) / "signoff-1280x800.png"
    assert unlocked.grab().save(str(shot))
