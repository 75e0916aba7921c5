"""Keyboard-only use: find, open, go back, lock; every control has a name for screen readers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QWidget,
)

from iro_desktop.ui.forms import ChangePassphraseDialog, ResetPassphraseDialog, RestoreDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_f_type_enter_opens_the_child(unlocked, qtbot):
    unlocked.show_page("settings")
    qtbot.keyClick(unlocked, Qt.Key.Key_F, CTRL)
    caseload = unlocked.page("caseload")
    assert unlocked.current_page() is caseload
    assert QApplication.focusWidget() is caseload.search
    qtbot.keyClicks(QApplication.focusWidget(), "bramble")
    expected = caseload.proxy.row_at(0).row
    assert "Bramble" in expected.name
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    child = unlocked.page("child")
    assert unlocked.current_page() is child
    assert child.child_id == expected.id
    assert child.name.text() == expected.name


def test_down_from_search_then_enter_opens_the_highlighted_child(unlocked, qtbot):
    caseload = unlocked.page("caseload")
    qtbot.keyClick(unlocked, Qt.Key.Key_F, CTRL)
    qtbot.keyClick(caseload.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is caseload.table
    qtbot.keyClick(caseload.table, Qt.Key.Key_Down)
    second = caseload.proxy.row_at(1).row.id
    assert caseload.selected_id() == second
    qtbot.keyClick(caseload.table, Qt.Key.Key_Return)
    assert unlocked.page("child").child_id == second


def test_page_shortcuts_and_lock(unlocked, qtbot):
    qtbot.keyClick(unlocked, Qt.Key.Key_9, CTRL)
    assert unlocked.current_page() is unlocked.page("settings")
    qtbot.keyClick(unlocked, Qt.Key.Key_1, CTRL)
    assert unlocked.current_page() is unlocked.page("caseload")
    qtbot.keyClick(unlocked, Qt.Key.Key_L, CTRL)
    assert unlocked.session is None
    assert unlocked.root.currentWidget() is unlocked.unlock_panel
    assert QApplication.focusWidget() is unlocked.unlock_panel.passphrase


def test_unlock_by_keyboard(window, qtbot):
    from .support import PASSPHRASE

    assert QApplication.focusWidget() is window.unlock_panel.passphrase
    qtbot.keyClicks(window.unlock_panel.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock_panel.passphrase, Qt.Key.Key_Return)
    assert window.session is not None


def _interactive(root: QWidget) -> list[QWidget]:
    """Controls a person operates; parts of a control (the line edit inside a combo box,
    a table's header, a combo box's pop-up list) are named by the control itself."""
    found = []
    for w in root.findChildren(QWidget):
        parent = w.parent()
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QLineEdit)):
            continue
        if parent is not None and isinstance(parent.parent(), QComboBox):
            continue  # the pop-up list of a combo box
        if isinstance(w, QHeaderView) or w.objectName().startswith("qt_"):
            continue  # Qt's own parts (table corner button, menu overflow arrow)
        controls = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
        if isinstance(w, controls):
            found.append(w)
    return found


def _spoken_name(w: QWidget) -> str:
    # Qt reads a button's own text when it has no accessible name.
    if isinstance(w, QAbstractButton) and not w.accessibleName():
        return w.text().replace("&", "")
    return w.accessibleName()


# The screens of this suite; other screens' suites can reuse `unnamed_controls`.
FOUNDATION_PAGES = ("caseload", "child", "settings")


def unnamed_controls(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}"
        for w in _interactive(root)
        if not _spoken_name(w)
    ]


def test_every_interactive_widget_has_an_accessible_name(unlocked):
    for key in FOUNDATION_PAGES:
        unlocked.page(key)
    unlocked.page("caseload").open_current_or_first()
    roots = [unlocked.page(key) for key in FOUNDATION_PAGES] + [
        unlocked.unlock_panel,
        ChangePassphraseDialog(unlocked),
        RestoreDialog("sam", unlocked),
        ResetPassphraseDialog("sam", unlocked),
    ]
    missing = [name for root in roots for name in unnamed_controls(root)]
    assert unlocked.sidebar.accessibleName() == "Go to page"
    assert missing == [], "\n".join(missing)


def test_labels_with_mnemonics_have_buddies(unlocked):
    roots = [unlocked.page(key) for key in FOUNDATION_PAGES] + [
        unlocked.unlock_panel,
        ChangePassphraseDialog(unlocked),
        RestoreDialog("sam", unlocked),
    ]
    lonely = [
        label.text()
        for root in roots
        for label in root.findChildren(QLabel)
        if "&" in label.text() and label.buddy() is None and "&&" not in label.text()
    ]
    assert lonely == []
