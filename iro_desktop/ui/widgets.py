"""Small shared widgets and helpers: labelled fields, the passphrase strength meter, dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
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
