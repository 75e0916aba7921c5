"""Issue 12, fit and finish: focus and shortcuts, labels and messages, the controllers'
narrow contexts. Walked in the real window on a copy of the demo caseload."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget, QWidget

from iro_desktop.domain.review import ReviewStatus
from iro_desktop.ui import dialogs
from iro_desktop.ui.widgets import uk_date

from .test_review_walk import (
    ALT,
    CTRL,
    ago,
    alt,
    choose,
    dmy,
    key,
    press,
    stored,
    type_text,
)


def open_a_planned_review(window):  # type: ignore[no-untyped-def]
    """A review booked and not yet held, whoever's it is in the demo, opened in the window."""
    from iro_desktop.services import caseload as caseload_service
    from iro_desktop.services import reviews as review_service

    for child in caseload_service.caseload(window.session):
        for line in review_service.list_reviews(window.session, child.id):
            if line.status == "planned" and not line.meetings_held and line.due_date > ago(120):
                window.show_page("review", line.id)
                page = window.page("review")
                page.setFocus()
                return page
    raise AssertionError("the demo has a planned review")


def test_after_completing_a_review_alt_digits_still_move_between_its_parts(unlocked, qtbot):
    window = unlocked
    page = open_a_planned_review(window)
    key(qtbot, window, Qt.Key.Key_2, ALT)
    type_text(qtbot, window, dmy(ago(14)))
    press(qtbot, window, "t")
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    # The real question box (it takes focus while it is open), answered by clicking Yes.
    dialogs.non_interactive(False)

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(200, answer_yes)
    press(qtbot, window, "c")
    dialogs.non_interactive(True)
    window.activateWindow()  # what the window manager does once the box has closed
    qtbot.waitUntil(window.isActiveWindow)
    assert stored(window, page.review_id).status is ReviewStatus.COMPLETED

    # Focus stays on the page, on the list of its parts, so its keys go on working.
    assert QApplication.focusWidget() is page.nav
    key(qtbot, window, Qt.Key.Key_6, ALT)
    assert page.section_index == 5
    key(qtbot, window, Qt.Key.Key_3, ALT)
    assert page.section_index == 2


def test_f1_lists_every_shortcut_and_shows_them_all_without_scrolling(unlocked, qtbot):
    window = unlocked
    seen: dict[str, object] = {}

    def look(dialog: QWidget) -> bool:
        dialog.show()
        QApplication.processEvents()
        table = dialog.findChild(QTableWidget)
        seen["keys"] = [table.item(r, 0).text() for r in range(table.rowCount())]
        seen["scrolls"] = (
            table.verticalScrollBar().isVisible() or table.horizontalScrollBar().isVisible()
        )
        dialog.close()
        return False

    dialogs.set_next_answer(look)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    keys = seen["keys"]
    from iro_desktop.ui.views.review import ReviewPage

    parts = f"Alt+1 ... Alt+{len(ReviewPage.SECTIONS)}"
    for wanted in (parts, "Ctrl+PgDown, Ctrl+PgUp", "Ctrl+Z, Ctrl+Y, Ctrl+S", "F5"):
        assert wanted in keys, keys
    for n in (1, 2, 3, 4, 5, 6, 7, 9):
        assert f"Ctrl+{n}" in keys
    assert seen["scrolls"] is False


def test_words_on_screen_read_properly(unlocked, qtbot):
    window = unlocked
    # "1 minute", not "1 minutes".
    qtbot.keyClick(window, Qt.Key.Key_9, CTRL)
    settings = window.page("settings")
    settings.idle.setValue(1)
    assert settings.idle.text() == "1 minute without use"
    settings.idle.setValue(5)
    assert settings.idle.text() == "5 minutes without use"

    # A long status message is shortened at a word (never mid-word), the rest in the tooltip.
    long = (
        "Saved 23 calendar entries to /home/someone/Documents/IRO work/calendar exports/"
        "the whole caseload for the next four weeks.ics, ready to import into Outlook."
    )
    window.show_message(long)
    shown = window.statusBar().currentMessage()
    assert shown != long and shown.endswith("\u2026")
    assert long.startswith(shown[:-1]) and long[len(shown) - 1] == " "
    assert window.statusBar().toolTip() == long == window.status_message()

    # The lock's title says so once, not "IRO Desktop (locked) - IRO Desktop".
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.windowTitle() == "Locked - IRO Desktop"
    remember = window.unlock_panel.remember
    assert remember.width() >= remember.sizeHint().width()
    assert "keyring" in remember.toolTip()


def test_adding_a_second_meeting_says_so_in_plain_words(unlocked, qtbot):
    window = unlocked
    open_a_planned_review(window)
    key(qtbot, window, Qt.Key.Key_2, ALT)
    type_text(qtbot, window, dmy(ago(14)))
    press(qtbot, window, "t")
    assert window.status_message() == f"The first meeting ({uk_date(ago(14))}) was added."
    alt(qtbot, window, "e")
    type_text(qtbot, window, dmy(ago(7)))
    alt(qtbot, window, "a")
    choose(qtbot, window, "Unav")
    press(qtbot, window, "t")
    assert window.status_message() == f"Meeting 2 ({uk_date(ago(7))}) was added."


def test_every_page_fits_a_1280_by_800_screen(unlocked, qtbot):
    """No page's controls are wider than the screen: the window never has to grow."""
    window = unlocked
    for page_key in ("caseload", "due", "escalations", "letters", "issued", "reports"):
        window.show_page(page_key)
        qtbot.wait(10)
        assert window.minimumSizeHint().width() <= 1280, page_key
        assert window.width() == 1280, page_key
    page = open_a_planned_review(window)
    qtbot.wait(10)
    assert page.isVisible() and window.minimumSizeHint().width() <= 1280
