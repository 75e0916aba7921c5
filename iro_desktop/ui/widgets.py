"""Small shared widgets and helpers: labelled fields, the passphrase strength meter, dates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui.qt_models import Column
from iro_desktop.ui.strength import Strength, estimate

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def uk_date(value: date | None, empty: str = "") -> str:
    """15 Dec 2026: unambiguous for UK readers, unlike 12/15 or 15/12."""
    if value is None:
        return empty
    # Month names spelled here: strftime's %b follows the machine's locale.
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def add_row(form: QFormLayout, label: str, widget: QWidget, accessible: str = "") -> QLabel:
    """A form row whose label (with its & mnemonic) is the field's buddy and accessible name."""
    caption = QLabel(label)
    caption.setBuddy(widget)
    widget.setAccessibleName(accessible or label.replace("&", "").rstrip(":"))
    form.addRow(caption, widget)
    return caption


def passphrase_edit(accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible)
    edit.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhSensitiveData
        | Qt.InputMethodHint.ImhNoPredictiveText
    )
    return edit


def read_only_table(accessible: str, view: QTableView | None = None) -> QTableView:
    """A list to read and pick from: whole rows, one at a time, Tab moves on."""
    view = view if view is not None else QTableView()
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table, as keyboard users expect
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return view


def size_columns(view: QTableView, columns: Sequence[Column[Any]]) -> None:
    """Widths from each column's usual content; the last column takes what is left."""
    header = view.horizontalHeader()
    char = view.fontMetrics().averageCharWidth()
    for i, column in enumerate(columns[:-1]):
        header.resizeSection(i, column.width(char))
    header.setStretchLastSection(True)


class StrengthMeter(QWidget):
    """A bar and, beside it, the verdict in words (colour is never the only cue)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.bar.setAccessibleName("Passphrase strength")
        self.words = QLabel("Type a passphrase of at least 10 characters.")
        self.words.setWordWrap(True)
        self.words.setAccessibleName("Passphrase strength in words")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.words)
        self.strength: Strength = estimate("")

    def update_for(self, passphrase: str) -> Strength:
        self.strength = estimate(passphrase)
        self.bar.setValue(self.strength.score)
        colour = ["#b3261e", "#b3261e", "#a15c00", "#2e7d32", "#1b5e20"][self.strength.score]
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        self.words.setText(self.strength.describe() if passphrase else "")
        self.bar.setAccessibleDescription(self.strength.verdict)
        return self.strength


def hbox(*widgets: QWidget, stretch_last: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    if not stretch_last:
        row.addStretch(1)
    return row


class WheelGuard(QObject):
    """Drop-down lists and spin boxes take the mouse wheel only when they have the focus.

    Without this, scrolling a long form changes whichever answer passes under the pointer
    (an invitee's role from "Child" to "Health" to "Other", autosaved at once). An unfocused
    one passes the wheel on to the form around it, which scrolls; a click (or Tab) gives it
    the focus first. Installed once on the application, so every form gets it.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, (QComboBox, QAbstractSpinBox)):
            # Qt's default (WheelFocus) would give the focus to it on the wheel itself.
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif (
            kind == QEvent.Type.Wheel
            and isinstance(watched, (QComboBox, QAbstractSpinBox))
            and not watched.hasFocus()
        ):
            self._scroll_around(watched, event)
            return True
        return False

    @staticmethod
    def _scroll_around(field: QWidget, event: QEvent) -> None:
        """Give the wheel to the scrolled form the field is in (if any), as if the pointer
        were over the form itself."""
        assert isinstance(event, QWheelEvent)
        area = field.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        viewport = area.viewport()
        position = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
        QApplication.sendEvent(
            viewport,
            QWheelEvent(
                position,
                event.globalPosition(),
                event.pixelDelta(),
                event.angleDelta(),
                event.buttons(),
                event.modifiers(),
                event.phase(),
                event.inverted(),
            ),
        )
        event.accept()  # once: Qt would otherwise offer it to the parents too


def install_wheel_guard(app: QApplication | None = None) -> WheelGuard | None:
    """Install the one `WheelGuard` on the application (again is harmless)."""
    app = app if app is not None else QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        return None
    existing = app.findChild(WheelGuard)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard


def clear_when_fixed(root: QWidget, label: QLabel, check: Callable[[], str]) -> None:
    """After an error is shown in `label`, every edit in `root` checks again: the message goes
    as soon as what it said has been put right ("Choose the child it is about." once a child
    is chosen), and its room stays, so the fields never move under the pointer. Another
    problem still there waits for the next try rather than nagging while the form is filled.
    """
    if label.property("clearsWhenFixed"):
        return
    label.setProperty("clearsWhenFixed", True)

    def edited(*_: object) -> None:
        shown = label.text()
        if shown and check() != shown:
            label.setMinimumHeight(max(label.minimumHeight(), label.height()))
            label.setText("")
            label.setAccessibleDescription("")

    for edit in root.findChildren(QLineEdit):
        edit.textChanged.connect(edited)
    for box in root.findChildren(QPlainTextEdit):
        box.textChanged.connect(edited)
    for text in root.findChildren(QTextEdit):
        text.textChanged.connect(edited)
    for combo in root.findChildren(QComboBox):
        combo.currentIndexChanged.connect(edited)
        combo.editTextChanged.connect(edited)
    for button in root.findChildren(QAbstractButton):
        if button.isCheckable():
            button.toggled.connect(edited)
    for listing in root.findChildren(QListWidget):
        listing.itemChanged.connect(edited)
        listing.currentRowChanged.connect(edited)
    for spin in root.findChildren(QAbstractSpinBox):
        spin.editingFinished.connect(edited)
        if hasattr(spin, "dateChanged"):
            spin.dateChanged.connect(edited)
