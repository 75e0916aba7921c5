"""Fields for entering a child's record: UK dates with a calendar, DfE code lists in words,
a message beside each field, and one undo history for the whole form.

Dates are typed as the IRO writes them (2/3/2015, 02.03.2015, 2 Mar 2015) or picked from a
calendar (Alt+Down). A QDateEdit cannot be left blank and typing "02/03/2015" into one gives
nonsense, so a date here is a line edit that understands UK dates, with a calendar beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.ui.widgets import uk_date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOW_TO_TYPE = "Type the date as day/month/year, for example 02/03/2015."


def parse_uk_date(text: str) -> date:
    """A date as a UK reader types it (day first); ValueError in words otherwise."""
    typed = text.strip()
    day = month = year = 0
    if m := _NUMERIC.match(typed) or _DIGITS.match(typed):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            year += 2000 if year <= date.today().year % 100 + 1 else 1900
    elif m := _WORDS.match(typed):
        month = _MONTHS.get(m.group(2).lower(), 0)
        day, year = int(m.group(1)), int(m.group(3))
        if not month:
            raise ValueError(f"'{m.group(2)}' is not a month. {HOW_TO_TYPE}")
    elif m := _ISO.match(typed):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise ValueError(HOW_TO_TYPE)
    if not 1 <= month <= 12:
        raise ValueError(f"There is no month {month}. {HOW_TO_TYPE}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"There is no {day} {MONTH_NAMES[month - 1]} {year}.") from None


class _CalendarPopup(QFrame):
    chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setAccessibleName("Calendar: arrows move, Enter chooses, Esc closes")
        self.calendar.activated.connect(self._chosen)
        self.calendar.clicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)

    def _chosen(self, day: QDate) -> None:
        self.chosen.emit(date(day.year(), day.month(), day.day()))
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """A UK date: typed, or chosen from the calendar (the button, or Alt+Down)."""

    changed = Signal()

    def __init__(self, accessible: str, value: date | None = None) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("dd/mm/yyyy")
        self.edit.setAccessibleName(accessible)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
        self.edit.installEventFilter(self)
        self.edit.editingFinished.connect(self._tidy)
        self.edit.textChanged.connect(lambda _text: self.changed.emit())
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip("Choose from a calendar (Alt+Down)")
        self.button.setAccessibleName(f"Choose the {accessible.lower()} from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        self.shown = QLabel("")
        self.shown.setObjectName("hint")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.edit)
        row.addWidget(self.button)
        row.addWidget(self.shown, 1)
        self.setFocusProxy(self.edit)
        self.popup: _CalendarPopup | None = None
        self.edit.textChanged.connect(self._show_words)
        self.set_value(value)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def setAccessibleDescription(self, text: str) -> None:  # noqa: N802
        super().setAccessibleDescription(text)
        self.edit.setAccessibleDescription(text)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802
        self.edit.setText(text)

    def value(self) -> date | None:
        try:
            return parse_uk_date(self.edit.text()) if self.edit.text().strip() else None
        except ValueError:
            return None

    def set_value(self, value: date | None) -> None:
        self.edit.setText(value.strftime("%d/%m/%Y") if value else "")

    def problem(self) -> str:
        if not self.edit.text().strip():
            return ""
        try:
            parse_uk_date(self.edit.text())
        except ValueError as exc:
            return str(exc)
        return ""

    def _tidy(self) -> None:
        found = self.value()
        if found is not None and self.edit.text() != found.strftime("%d/%m/%Y"):
            self.set_value(found)

    def _show_words(self, _text: str) -> None:
        # "Mon 2 Mar 2015" beside the digits: a day/month slip is seen at once.
        found = self.value()
        self.shown.setText(f"{_WEEKDAYS[found.weekday()]} {uk_date(found)}" if found else "")

    def open_calendar(self) -> None:
        if self.popup is None:
            self.popup = _CalendarPopup(self)
            self.popup.chosen.connect(self._picked)
        start = self.value() or date.today()
        self.popup.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        self.popup.adjustSize()
        self.popup.move(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        self.popup.show()
        self.popup.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, day: date) -> None:
        self.set_value(day)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            alt_down = event.key() == Qt.Key.Key_Down and (
                event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)


# --- code lists -----------------------------------------------------------------------------


def code_words(code: str, table: Mapping[str, str]) -> str:
    """'C2 Full care order': the DfE code first (as the council's system shows it)."""
    return f"{code} {table.get(code, '')}".strip() if code else ""


def code_combo(table: Mapping[str, str], blank: str = "", codes: Iterable[str] = ()) -> QComboBox:
    """A choice from a DfE code list; typing the code (or its first letters) picks it."""
    combo = QComboBox()
    if blank:
        combo.addItem(blank, "")
    for code in codes or table:
        combo.addItem(code_words(code, table), code)
        combo.setItemData(combo.count() - 1, table.get(code, ""), Qt.ItemDataRole.ToolTipRole)
    combo.setMaxVisibleItems(16)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(18)
    return combo


def combo_code(combo: QComboBox) -> str:
    if combo.isEditable():
        return combo.currentText().strip()
    return str(combo.currentData() or "")


def set_combo_code(combo: QComboBox, code: str) -> None:
    if combo.isEditable():
        combo.setEditText(code)
        return
    index = combo.findData(code)
    if index < 0 and code:
        combo.addItem(code, code)  # an old code from an import: shown, not lost
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))


def checked_ids(box: QListWidget) -> list[str]:
    return [
        str(box.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    ]


def set_checked_ids(box: QListWidget, ids: Iterable[str]) -> None:
    wanted = set(ids)
    for i in range(box.count()):
        item = box.item(i)
        on = item.data(Qt.ItemDataRole.UserRole) in wanted
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def checkable_item(label: str, key: str) -> QListWidgetItem:
    item = QListWidgetItem(label)
    item.setData(Qt.ItemDataRole.UserRole, key)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    return item


# --- reading and writing any field -------------------------------------------------------------


def value_of(widget: QWidget) -> Any:
    """A field's value as plain JSON data (for drafts, undo and 'was anything typed?')."""
    if isinstance(widget, DateField):
        return widget.text()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return combo_code(widget)
    if isinstance(widget, (QCheckBox, QGroupBox)):
        return widget.isChecked()
    if isinstance(widget, QListWidget):
        return checked_ids(widget)
    raise TypeError(f"No value for {type(widget).__name__}")


def set_value_of(widget: QWidget, value: Any) -> None:
    if isinstance(widget, (DateField, QLineEdit)):
        widget.setText(str(value or ""))
    elif isinstance(widget, QComboBox):
        set_combo_code(widget, str(value or ""))
    elif isinstance(widget, (QCheckBox, QGroupBox)):
        widget.setChecked(bool(value))
    elif isinstance(widget, QListWidget):
        set_checked_ids(widget, value if isinstance(value, list) else [])


def change_signals(widget: QWidget) -> list[Any]:
    if isinstance(widget, DateField):
        return [widget.changed]
    if isinstance(widget, QLineEdit):
        return [widget.textChanged]
    if isinstance(widget, QComboBox):
        return [widget.editTextChanged] if widget.isEditable() else [widget.currentIndexChanged]
    if isinstance(widget, (QCheckBox, QGroupBox)):
        return [widget.toggled]
    if isinstance(widget, QListWidget):
        return [widget.itemChanged]
    return []


def key_targets(widget: QWidget) -> list[QWidget]:
    """The widgets that receive the keys typed into a field."""
    if isinstance(widget, DateField):
        return [widget.edit]
    typed = widget.lineEdit() if isinstance(widget, QComboBox) else None
    if typed is not None:
        return [widget, typed]
    return [widget]


class MessageLabel(QLabel):
    """The message beside a field: why it cannot be saved yet, in words."""

    def __init__(self) -> None:
        super().__init__("")
        self.setObjectName("error")
        self.setWordWrap(True)
        self.setVisible(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def field_with_message(widget: QWidget, message: MessageLabel) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(message)
    box.setFocusProxy(widget)
    return box


def add_field(
    form: QFormLayout, caption: str, widget: QWidget, message: MessageLabel, accessible: str
) -> QLabel:
    label = QLabel(caption)
    label.setBuddy(widget)
    widget.setAccessibleName(accessible)
    message.setAccessibleName(f"Problem with {accessible.lower()}")
    form.addRow(label, field_with_message(widget, message))
    return label


def is_undo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo)


def is_redo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Redo) or (
        event.key() == Qt.Key.Key_Z
        and event.modifiers()
        == (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    )
